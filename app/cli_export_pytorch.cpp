// `netloom export FILE --pytorch OUT_DIR`: the PyTorch half of `netloom export`
// (engine/export/pytorch_exporter.h). exportPyTorchCommand() is what the `export` subcommand
// calls for --pytorch; runExportPyTorchOnly() parses the arguments until the ONNX helper's
// app/cli_export.cpp takes over the `export` subcommand (merge note: call
// exportPyTorchCommand(file, dir) from there and drop the dispatch line in main.cpp).
#include <cstdio>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/export/pytorch_exporter.h"
#include "engine/io/project_io.h"

namespace netloom::app {

using namespace netloom::engine;

int exportPyTorchCommand(const std::string& projectPath, const std::string& outDir) {
    try {
        const Project project = loadProject(projectPath);
        const PyTorchExportReport report = exportPyTorch(project, outDir);
        if (!report.ok()) {
            std::fputs(report.text().c_str(), stderr);
            return fail(projectPath + ": not exported to PyTorch (" +
                        std::to_string(report.problems.size()) + " problem(s) above)");
        }
        std::fputs(report.text().c_str(), stdout);
        std::printf("run it: python3 %s/model.py   or   torchrun --nproc_per_node=2 %s/model.py\n",
                    outDir.c_str(), outDir.c_str());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

int runExportPyTorchOnly(const std::vector<std::string>& args) {
    const char* usage = "usage: netloom export FILE --pytorch OUT_DIR";
    std::string file, outDir;
    try {
        ArgReader r{args};
        while (!r.done()) {
            const std::string& a = r.next();
            if (a == "--pytorch")
                outDir = r.value(a);
            else
                ArgReader::positional(a, file);
        }
    } catch (const std::exception& e) {
        return fail(std::string(e.what()) + "; " + usage);
    }
    if (file.empty() || outDir.empty()) return fail(usage);
    return exportPyTorchCommand(file, outDir);
}

}  // namespace netloom::app
