#include "app/sample_paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "engine/core/error.h"

namespace netloom::app {

std::string findSample(const std::string& fileName) {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("NETLOOM_SAMPLES_DIR")) dirs.emplace_back(env);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back(exe.parent_path() / "../../samples");
        dirs.push_back(exe.parent_path() / "../share/netloom/samples");
    }
    dirs.emplace_back(NETLOOM_SOURCE_SAMPLES_DIR);
    for (const fs::path& d : dirs)
        if (fs::exists(d / fileName, ec)) return (d / fileName).string();
    throw Error("cannot find the sample " + fileName + " (set NETLOOM_SAMPLES_DIR)");
}

}  // namespace netloom::app
