// `netloom import-weights PROJECT WEIGHTS [--save OUT]`: weights trained elsewhere (the
// exported PyTorch script's trained.nlw) into the project, checked against its graph; saved
// to OUT, or over PROJECT without --save.
#include <cstdio>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/export/pytorch_import.h"
#include "engine/io/project_io.h"

namespace netloom::app {

using namespace netloom::engine;

int runImportWeights(const std::vector<std::string>& args) {
    const char* usage = "usage: netloom import-weights PROJECT.netloom WEIGHTS.nlw [--save OUT]";
    std::vector<std::string> files;
    std::string out;
    try {
        ArgReader r{args};
        while (!r.done()) {
            const std::string& a = r.next();
            if (a == "--save")
                out = r.value(a);
            else if (a.size() > 1 && a[0] == '-')
                throw Error("unknown option '" + a + "'");
            else
                files.push_back(a);
        }
        if (files.size() != 2) return fail(usage);
        Project project = loadProject(files[0]);
        const std::string summary = importPyTorchWeights(project, files[1]);
        if (out.empty()) out = files[0];
        saveProject(project, out);
        std::printf("imported %s; saved %s\n", summary.c_str(), out.c_str());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
