// `netloom export FILE --onnx OUT.onnx [--discriminator] | --pytorch OUT_DIR`: the project's
// network(s) with their weights in a format other frameworks read. Each format is one branch of
// the flag loop and one function (ONNX below, PyTorch in cli_export_pytorch.cpp).
#include <cstdio>

#include "app/cli.h"
#include "engine/core/error.h"
#include "engine/export/onnx_export.h"
#include "engine/io/project_io.h"

namespace netloom::app {

using namespace netloom::engine;

namespace {

const char* kUsage =
    "usage: netloom export FILE --onnx OUT.onnx [--discriminator] | --pytorch OUT_DIR";

int exportOnnx(const Project& project, const std::string& out, const OnnxExportOptions& options) {
    const OnnxExportReport report = exportProjectToOnnx(project, out, options);
    for (const std::string& file : report.files)
        std::printf("wrote %s (ONNX opset %d, IR version %d)\n", file.c_str(), kOnnxOpset,
                    kOnnxIrVersion);
    for (const std::string& note : report.notes) std::printf("note: %s\n", note.c_str());
    return 0;
}

}  // namespace

int runExport(const std::vector<std::string>& args) {
    try {
        ArgReader r{args};
        std::string file, onnxOut, pytorchDir;
        OnnxExportOptions onnx;
        while (!r.done()) {
            const std::string& a = r.next();
            if (a == "--onnx")
                onnxOut = r.value(a);
            else if (a == "--discriminator")
                onnx.discriminator = true;
            else if (a == "--pytorch")
                pytorchDir = r.value(a);
            else if (a == "--help" || a == "-h") {
                std::printf("%s\n", kUsage);
                return 0;
            } else
                ArgReader::positional(a, file);
        }
        if (file.empty()) return fail(kUsage);
        if (onnxOut.empty() && pytorchDir.empty())
            return fail(std::string("choose a format; ") + kUsage);
        if (!pytorchDir.empty()) {
            const int rc = exportPyTorchCommand(file, pytorchDir);
            if (rc != 0 || onnxOut.empty()) return rc;
        }
        const Project project = loadProject(file);
        return exportOnnx(project, onnxOut, onnx);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
