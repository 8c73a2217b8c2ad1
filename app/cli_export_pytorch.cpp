// `netloom export FILE --pytorch OUT_DIR`: the PyTorch half of `netloom export`
// (engine/export/pytorch_exporter.h); app/cli_export.cpp parses the flags and calls
// exportPyTorchCommand() for --pytorch.
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

}  // namespace netloom::app
