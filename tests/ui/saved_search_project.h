#pragma once
// fashion-mlp saved to a temporary file without history or weights and without a search
// sidecar, so an Experiments view opened on it starts clean and has a sidecar to write.
#include <QFile>
#include <QString>

#include "engine/io/project_io.h"
#include "support/test_support.h"

namespace netloom::test {

inline QString savedSearchProject(const QString& name) {
    engine::Project p = engine::loadProject(sampleFile("fashion-mlp.netloom"));
    p.history.clear();
    p.model().weights.clear();
    const QString path = tempDir() + "/" + name;
    engine::saveProject(p, path.toStdString());
    QFile::remove(path + ".search.json");
    return path;
}

}  // namespace netloom::test
