// netloom: without a subcommand (or with a project file) the GUI; `train`, `info`, `bench` and
// `eval` run headless without creating any Qt application object.
#include <cstring>
#include <string>
#include <vector>

#include "app/cli.h"
#include "ui/gui_main.h"

int main(int argc, char** argv) {
    if (argc >= 2) {
        const std::string cmd = argv[1];
        std::vector<std::string> rest(argv + 2, argv + argc);
        if (cmd == "train") return netloom::app::runTrain(rest);
        if (cmd == "info") return netloom::app::runInfo(rest);
        if (cmd == "bench") return netloom::app::runBench(rest);
        if (cmd == "eval") return netloom::app::runEval(rest);
        if (cmd == "--help" || cmd == "-h" || cmd == "help") {
            std::printf(
                "usage: netloom [FILE.netloom]          open the editor\n"
                "       netloom train FILE [options]    train headless (--epochs N --save OUT "
                "--json --profile --threads N --fresh --limit-train N --limit-test N --seed N)\n"
                "       netloom info FILE               per-layer summary\n"
                "       netloom eval FILE [--classifier CNN.netloom] [--threads N] [--json]\n"
                "                                       test metrics of trained weights (GAN: "
                "classifier score)\n"
                "       netloom bench [mlp|cnn|ae|gan|all] [--threads N] [--epochs N] [--json]\n");
            return 0;
        }
    }
    QString file = argc >= 2 ? QString::fromLocal8Bit(argv[1]) : QString();
    return netloom::ui::runGui(argc, argv, file);
}
