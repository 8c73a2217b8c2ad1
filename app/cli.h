#pragma once
// Headless subcommands of the netloom binary. Each returns the process exit code and prints
// problems as one clear line on stderr ("netloom: error: ...").
#include <string>
#include <vector>

namespace netloom::app {

int runTrain(const std::vector<std::string>& args);
int runInfo(const std::vector<std::string>& args);
int runBench(const std::vector<std::string>& args);
int runEval(const std::vector<std::string>& args);
int runSample(const std::vector<std::string>& args);  // cli_sample.cpp
int runExport(const std::vector<std::string>& args);  // cli_export.cpp
int runImport(const std::vector<std::string>& args);  // cli_import.cpp
int runSearch(const std::vector<std::string>& args);  // cli_search.cpp
// PyTorch export and weights import (issue 17, PyTorch half): cli_export_pytorch.cpp,
// cli_import_weights.cpp.
int exportPyTorchCommand(const std::string& projectPath, const std::string& outDir);
int runImportWeights(const std::vector<std::string>& args);

// Small shared argument helpers.
struct ArgReader {
    std::vector<std::string> args;
    size_t pos = 0;
    bool done() const { return pos >= args.size(); }
    const std::string& next() { return args[pos++]; }
    // The value after a flag, or throws netloom::Error("--epochs needs a value").
    std::string value(const std::string& flag);
    long long integer(const std::string& flag, long long min, long long max);
    // A finite number in [min, max), or throws Error naming the flag.
    double real(const std::string& flag, double min, double maxExclusive);
    // An argument no flag took: the project file (into `file`, once), else throws Error for an
    // unknown option or a second file.
    static void positional(const std::string& arg, std::string& file);
};

int fail(const std::string& message);

}  // namespace netloom::app

namespace netloom::engine {
struct Project;
}
namespace netloom::app {
// `netloom eval` of a sequence-generation project (cli_sample.cpp); throws Error.
int evalPerplexity(const std::string& file, const engine::Project& project,
                   bool asJson);  // prints "netloom: error: message", returns 1

}  // namespace netloom::app
