// netloom: without a subcommand (or with a project file) the GUI; `train`, `info`, `bench` and
// `eval` run headless without creating any Qt application object.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app/cli.h"
#include "ui/window/gui_main.h"

namespace {

void printUsage() {
    std::printf(
        "usage: netloom [FILE.netloom]          open the editor\n"
        "       netloom train FILE [options]    train headless (--epochs N --save OUT "
        "--json --profile --threads N --fresh --limit-train N --limit-test N --seed N)\n"
        "       netloom info FILE               per-layer summary\n"
        "       netloom eval FILE [--classifier CNN.netloom] [--threads N] [--json]\n"
        "                                       test metrics of trained weights (GAN: "
        "classifier score)\n"
        "       netloom bench [mlp|cnn|ae|gan|lstm|gru|all] [--threads N] [--epochs N] [--json]\n"
        "       netloom sample FILE [--count N] [--temperature T] [--prompt TEXT] [--seed N]\n"
        "                                       lines written by a sequence-generation model\n"
        "       netloom export FILE --onnx OUT.onnx [--discriminator]\n"
        "                                       the model with its weights for other "
        "frameworks\n"
        "       netloom import MODEL.onnx --save OUT.netloom\n"
        "       netloom export FILE --pytorch OUT_DIR\n"
        "                                       model.py (torchrun-ready) + weights.nlw\n"
        "       netloom import-weights FILE WEIGHTS.nlw [--save OUT]\n"
        "                                       weights trained by the exported script\n"
        "       netloom search FILE --strategy tpe|random|grid --trials N [--time S] [--space "
        "SPACE.json]\n"
        "                                       hyperparameter search (--help for more)\n"
        "       netloom --version | --help\n");
}

// Options QApplication takes for itself (`netloom -style fusion FILE`): -1 when `arg` is none of
// them, else how many values follow it.
int qtOptionValues(std::string arg) {
    if (arg.rfind("--", 0) == 0) arg.erase(0, 1);                 // Qt accepts -style and --style
    const bool inlineValue = arg.find('=') != std::string::npos;  // -style=fusion
    if (inlineValue) arg.erase(arg.find('='));
    for (const char* o :
         {"-reverse", "-nograb", "-dograb", "-sync", "-widgetcount", "-cmap", "-qmljsdebugger"})
        if (arg == o) return 0;
    for (const char* o :
         {"-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-qwindowgeometry",
          "-qwindowicon", "-qwindowtitle", "-style", "-stylesheet", "-session", "-display",
          "-geometry", "-title", "-name", "-visual", "-ncols"})
        if (arg == o) return inlineValue ? 0 : 1;
    return -1;
}

// The usage of a subcommand other than train (whose --help also lists every setting), for
// `netloom SUBCOMMAND --help`; null for an unknown subcommand.
const char* subcommandUsage(const std::string& cmd) {
    if (cmd == "info")
        return "usage: netloom info FILE\n"
               "  Prints each network of the project layer by layer: type, output shape,\n"
               "  parameters and FLOPs per sample.\n";
    if (cmd == "eval")
        return "usage: netloom eval FILE [--classifier CNN.netloom] [--threads N] [--json]\n"
               "  Figures of the project's trained weights on its test set: loss and accuracy\n"
               "  (classifiers), MSE and BCE (autoencoders); for a GAN the classifier score of\n"
               "  generated samples beside real ones.\n"
               "  --classifier CNN.netloom   GAN: the scoring classifier (default: fashion-cnn,\n"
               "                             trained once and cached)\n"
               "  --threads N                compute threads (default: all cores)\n"
               "  --json                     one JSON object instead of text\n";
    if (cmd == "bench")
        return "usage: netloom bench [mlp|cnn|ae|gan|all] [--threads N] [--epochs N] [--json]\n"
               "  Trains the reference networks on Fashion-MNIST and prints their speed and\n"
               "  test figures (default: all).\n"
               "  --threads N   compute threads (default: all cores)\n"
               "  --epochs N    epochs per case (default: each case's own)\n"
               "  --json        one JSON line per case\n";
    return nullptr;
}

bool asksForHelp(const std::vector<std::string>& args) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") return true;
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc >= 2) {
        const std::string cmd = argv[1];
        std::vector<std::string> rest(argv + 2, argv + argc);
        if (const char* usage = subcommandUsage(cmd); usage && asksForHelp(rest)) {
            std::fputs(usage, stdout);
            return 0;
        }
        if (cmd == "train") return netloom::app::runTrain(rest);
        if (cmd == "info") return netloom::app::runInfo(rest);
        if (cmd == "bench") return netloom::app::runBench(rest);
        if (cmd == "eval") return netloom::app::runEval(rest);
        if (cmd == "sample") return netloom::app::runSample(rest);
        if (cmd == "export") return netloom::app::runExport(rest);
        if (cmd == "import") return netloom::app::runImport(rest);
        if (cmd == "import-weights") return netloom::app::runImportWeights(rest);
        if (cmd == "search") return netloom::app::runSearch(rest);
        if (cmd == "--help" || cmd == "-h" || cmd == "help") {
            printUsage();
            return 0;
        }
        if (cmd == "--version" || cmd == "-v" || cmd == "version") {
            std::printf("netloom %s\n", NETLOOM_VERSION);
            return 0;
        }
    }
    // The GUI: at most one project file, besides the options Qt itself understands.
    QString file;
    bool options = true;  // until "--"
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (options && arg == "--") {
            options = false;
            continue;
        }
        if (options && arg.size() > 1 && arg[0] == '-') {
            const int values = qtOptionValues(arg);
            if (values < 0)
                return netloom::app::fail("unknown option '" + arg +
                                          "'; run 'netloom --help' for the usage");
            i += values;
            continue;
        }
        if (!file.isEmpty())
            return netloom::app::fail("one project file at a time, got '" + file.toStdString() +
                                      "' and '" + arg + "'");
        file = QString::fromLocal8Bit(argv[i]);
    }
    return netloom::ui::runGui(argc, argv, file);
}
