#include "ui/autosave.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUuid>

#include "engine/io/project.h"
#include "ui/graph_document.h"

namespace netloom::ui {

namespace {
constexpr const char* kSuffix = ".netloom";
constexpr const char* kPathSuffix = ".path";  // sidecar: the project path the recovery belongs to
}  // namespace

Autosave::Autosave(GraphDocument* doc, int intervalMs, QObject* parent)
    : QObject(parent), m_doc(doc) {
    m_untitledKey = "untitled-" + QUuid::createUuid().toString(QUuid::Id128).left(12);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { saveNow(); });
    m_timer.start();
    connect(doc, &GraphDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified) discard();
    });
    connect(doc, &GraphDocument::filePathChanged, this, [this](const QString&) { discard(); });
}

Autosave::~Autosave() = default;

QString Autosave::recoveryDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery";
}

QString Autosave::fileFor(const QString& projectPath) const {
    const QString key = projectPath.isEmpty()
                            ? m_untitledKey
                            : QString::fromLatin1(QCryptographicHash::hash(projectPath.toUtf8(),
                                                                           QCryptographicHash::Sha1)
                                                      .toHex()
                                                      .left(16));
    return recoveryDir() + "/" + key + kSuffix;
}

QString Autosave::currentRecoveryFile() const {
    return fileFor(m_doc->filePath());
}

QString Autosave::saveNow() {
    if (!m_doc->isModified()) return {};
    const QString file = currentRecoveryFile();
    QDir().mkpath(recoveryDir());
    try {
        engine::writeFileAtomically(file.toStdString(), m_doc->serialize());
        QFile sidecar(file + kPathSuffix);
        if (sidecar.open(QIODevice::WriteOnly | QIODevice::Truncate))
            sidecar.write(m_doc->filePath().toUtf8());
    } catch (const std::exception&) {
        return {};  // a full disk must not take the editor down; the next tick retries
    }
    if (!m_written.isEmpty() && m_written != file) {
        QFile::remove(m_written);
        QFile::remove(m_written + kPathSuffix);
    }
    m_written = file;
    return file;
}

void Autosave::discard() {
    // Only what this editor wrote: a recovery left by a crashed session stays until the user
    // has been asked about it.
    if (m_written.isEmpty()) return;
    QFile::remove(m_written);
    QFile::remove(m_written + kPathSuffix);
    m_written.clear();
}

std::optional<Recovery> Autosave::findRecovery(const QString& projectPath) {
    const QDir dir(recoveryDir());
    std::optional<Recovery> best;
    const QString wanted =
        projectPath.isEmpty() ? QString() : QFileInfo(projectPath).absoluteFilePath();
    for (const QFileInfo& info : dir.entryInfoList({QString("*") + kSuffix}, QDir::Files)) {
        QFile sidecar(info.absoluteFilePath() + kPathSuffix);
        if (!sidecar.open(QIODevice::ReadOnly)) continue;
        const QString owner = QString::fromUtf8(sidecar.readAll());
        if (owner != wanted) continue;
        if (!owner.isEmpty()) {
            const QFileInfo project(owner);
            if (project.exists() && project.lastModified() >= info.lastModified()) continue;
        }
        if (!best || info.lastModified() > best->saved)
            best = Recovery{info.absoluteFilePath(), owner, info.lastModified()};
    }
    return best;
}

void Autosave::removeRecovery(const Recovery& r) {
    QFile::remove(r.recoveryFile);
    QFile::remove(r.recoveryFile + kPathSuffix);
}

}  // namespace netloom::ui
