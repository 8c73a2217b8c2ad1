#pragma once
// Shared helpers for the test suites.
#include <QString>
#include <string>

#include "engine/core/error.h"

namespace netloom::test {

// Folder of the Debian Fashion-MNIST files; tests that need them QSKIP when absent... never in
// CI, where scripts/setup.sh installs dataset-fashion-mnist.
std::string fashionDir();
// A fresh temporary folder for this test process (removed at exit).
QString tempDir();
// Path to a file under tests/data.
std::string dataFile(const std::string& name);
// Path to a file under samples/.
std::string sampleFile(const std::string& name);

// The message of the netloom::Error that f() throws, or an empty string when it throws none.
template <typename F>
QString errorOf(F f) {
    try {
        f();
    } catch (const netloom::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace netloom::test
