#include "ui/document/autosave.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>
#include <QUuid>

#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

namespace {
constexpr const char* kSuffix = ".netloom";
// Sidecar: the project path the recovery belongs to, then a line with the owner's key.
constexpr const char* kPathSuffix = ".path";

QString lockFileFor(const QString& key) {
    return Autosave::recoveryDir() + "/" + key + ".lock";
}

struct Sidecar {
    QString projectPath;
    QString owner;  // empty for files written before owners were recorded
};

std::optional<Sidecar> readSidecar(const QString& recoveryFile) {
    QFile file(recoveryFile + kPathSuffix);
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    const QString text = QString::fromUtf8(file.readAll());
    const qsizetype split = text.lastIndexOf('\n');
    if (split < 0) return Sidecar{text, {}};
    return Sidecar{text.left(split), text.mid(split + 1).trimmed()};
}
}  // namespace

Autosave::Autosave(GraphDocument* doc, int intervalMs, QObject* parent)
    : QObject(parent), m_doc(doc) {
    m_key = QUuid::createUuid().toString(QUuid::Id128).left(12);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { saveNow(); });
    m_timer.start();
    connect(doc, &GraphDocument::modifiedChanged, this, [this](bool modified) {
        if (!modified) discard();
    });
    connect(doc, &GraphDocument::filePathChanged, this, [this](const QString&) { discard(); });
}

// The recovery file (if any) stays: only a normal close discards it. The lock goes, so the
// next start offers what is left.
Autosave::~Autosave() = default;

QString Autosave::recoveryDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/recovery";
}

QString Autosave::fileFor(const QString& projectPath) const {
    if (projectPath.isEmpty()) return recoveryDir() + "/untitled-" + m_key + kSuffix;
    const QString hash = QString::fromLatin1(
        QCryptographicHash::hash(projectPath.toUtf8(), QCryptographicHash::Sha1).toHex().left(16));
    return recoveryDir() + "/" + hash + "-" + m_key + kSuffix;
}

QString Autosave::currentRecoveryFile() const {
    return fileFor(m_doc->filePath());
}

bool Autosave::holdLock() {
    if (m_lock && m_lock->isLocked()) return true;
    m_lock = std::make_unique<QLockFile>(lockFileFor(m_key));
    m_lock->setStaleLockTime(0);  // held for hours by a live editor: never stale by age
    return m_lock->tryLock(200);  // (another editor may be probing it this very moment)
}

QString Autosave::saveNow() {
    if (!m_doc->isModified()) return {};
    const QString file = currentRecoveryFile();
    QDir().mkpath(recoveryDir());
    holdLock();  // best effort: without the lock the recovery is still better than none
    try {
        engine::writeFileAtomically(file.toStdString(), m_doc->serialize());
        QFile sidecar(file + kPathSuffix);
        if (sidecar.open(QIODevice::WriteOnly | QIODevice::Truncate))
            sidecar.write((m_doc->filePath() + "\n" + m_key).toUtf8());
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
    if (!m_written.isEmpty()) {
        QFile::remove(m_written);
        QFile::remove(m_written + kPathSuffix);
        m_written.clear();
    }
    m_lock.reset();  // unlocks and removes the lock file
}

bool Autosave::ownerAlive(const QString& key) {
    if (key.isEmpty()) return false;
    const QString path = lockFileFor(key);
    if (!QFileInfo::exists(path)) return false;
    QLockFile probe(path);
    probe.setStaleLockTime(0);  // only a dead owner process makes the lock stale
    if (probe.tryLock(0)) {
        probe.unlock();  // a crashed editor's lock: gone now
        return false;
    }
    return probe.error() == QLockFile::LockFailedError;
}

std::optional<Recovery> Autosave::findRecovery(const QString& projectPath) {
    const QDir dir(recoveryDir());
    std::optional<Recovery> best;
    const QString wanted =
        projectPath.isEmpty() ? QString() : QFileInfo(projectPath).absoluteFilePath();
    for (const QFileInfo& info : dir.entryInfoList({QString("*") + kSuffix}, QDir::Files)) {
        const std::optional<Sidecar> sidecar = readSidecar(info.absoluteFilePath());
        if (!sidecar || sidecar->projectPath != wanted) continue;
        if (!wanted.isEmpty()) {
            const QFileInfo project(wanted);
            if (project.exists() && project.lastModified() >= info.lastModified()) continue;
        }
        if (ownerAlive(sidecar->owner)) continue;  // another running editor's live work
        if (!best || info.lastModified() > best->saved)
            best = Recovery{info.absoluteFilePath(), wanted, info.lastModified()};
    }
    return best;
}

void Autosave::removeRecovery(const Recovery& r) {
    QFile::remove(r.recoveryFile);
    QFile::remove(r.recoveryFile + kPathSuffix);
}

}  // namespace netloom::ui
