#include "ui/document/samples.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace netloom::ui {

QStringList sampleDirs() {
    QStringList candidates;
    const QString exe = QCoreApplication::applicationDirPath();
    if (!exe.isEmpty())
        candidates << exe + "/../share/netloom/samples" << exe + "/../samples" << exe + "/samples"
                   << exe + "/../../samples";
    const QString env = qEnvironmentVariable("NETLOOM_SOURCE_DIR");
    if (!env.isEmpty()) candidates << env + "/samples";
#ifdef NETLOOM_UI_SOURCE_DIR
    candidates << QString(NETLOOM_UI_SOURCE_DIR) + "/samples";
#endif
    QStringList dirs;
    for (const QString& c : candidates) {
        const QFileInfo info(c);
        if (info.isDir() && !dirs.contains(info.canonicalFilePath()))
            dirs << info.canonicalFilePath();
    }
    return dirs;
}

QFileInfoList findSamples() {
    QFileInfoList result;
    QSet<QString> names;
    for (const QString& dir : sampleDirs()) {
        for (const QFileInfo& f : QDir(dir).entryInfoList({"*.netloom"}, QDir::Files, QDir::Name)) {
            if (names.contains(f.fileName())) continue;
            names.insert(f.fileName());
            result << f;
        }
    }
    std::sort(result.begin(), result.end(),
              [](const QFileInfo& a, const QFileInfo& b) { return a.fileName() < b.fileName(); });
    return result;
}

QString sampleTitle(const QString& fileName) {
    static const QSet<QString> upper{"mlp", "cnn", "gan", "mnist", "rnn", "lstm", "gru", "csv"};
    QStringList words = QFileInfo(fileName).completeBaseName().split(QRegularExpression("[-_ ]+"),
                                                                     Qt::SkipEmptyParts);
    for (QString& w : words) {
        if (upper.contains(w.toLower()))
            w = w.toUpper();
        else if (w.toLower() == "fashion")
            w = "Fashion";
        else
            w[0] = w[0].toUpper();
    }
    return words.join(' ');
}

}  // namespace netloom::ui
