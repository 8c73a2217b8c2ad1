// `netloom import MODEL.onnx --save OUT.netloom`: an ONNX model as a NetLoom project, laid out
// like the canvas' auto-layout, with its weights. Unsupported operators are listed by node.
#include <cstdio>
#include <filesystem>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/export/onnx_import.h"
#include "engine/io/project_io.h"
#include "ui/canvas/auto_layout.h"

namespace netloom::app {

using namespace netloom::engine;

int runImport(const std::vector<std::string>& args) {
    const char* usage = "usage: netloom import MODEL.onnx --save OUT.netloom";
    try {
        ArgReader r{args};
        std::string file, out;
        while (!r.done()) {
            const std::string& a = r.next();
            if (a == "--save")
                out = r.value(a);
            else if (a == "--help" || a == "-h") {
                std::printf("%s\n", usage);
                return 0;
            } else
                ArgReader::positional(a, file);
        }
        if (file.empty() || out.empty()) return fail(usage);
        const OnnxImportResult imported = importOnnxFile(file);
        Project project = projectFromOnnx(imported, std::filesystem::path(file).stem().string());
        for (const auto& [id, pos] : ui::computeAutoLayout(project.model().graph))
            project.model().layout[id] = NodeUi{pos.x(), pos.y(), {}};
        saveProject(project, out);
        std::printf("imported %zu layers from %s into %s\n", project.model().graph.nodes().size(),
                    file.c_str(), out.c_str());
        for (const std::string& note : imported.notes) std::printf("note: %s\n", note.c_str());
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
