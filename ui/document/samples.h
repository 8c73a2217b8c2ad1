#pragma once
// Where the sample projects live: next to the executable (../share/netloom/samples, ../samples,
// samples), under $NETLOOM_SOURCE_DIR/samples, or in the source tree this was built from.
#include <QFileInfoList>
#include <QStringList>

namespace netloom::ui {

QStringList sampleDirs();
QFileInfoList findSamples();                   // *.netloom, sorted by name, no duplicates
QString sampleTitle(const QString& fileName);  // "fashion-cnn.netloom" → "Fashion CNN"

}  // namespace netloom::ui
