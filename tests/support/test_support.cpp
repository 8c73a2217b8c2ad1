#include "support/test_support.h"

#include <QTemporaryDir>
#include <cstdlib>

namespace netloom::test {

std::string fashionDir() {
    const char* env = std::getenv("NETLOOM_FASHION_DIR");
    return env ? env : "/usr/share/datasets/fashion-mnist";
}

QString tempDir() {
    static QTemporaryDir dir;
    return dir.path();
}

std::string dataFile(const std::string& name) {
    return std::string(NETLOOM_TEST_DATA_DIR) + "/" + name;
}

std::string sampleFile(const std::string& name) {
    return std::string(NETLOOM_SOURCE_DIR) + "/samples/" + name;
}

}  // namespace netloom::test
