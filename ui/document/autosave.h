#pragma once
// Crash recovery: while the document has unsaved changes, its project is written every minute
// to a recovery file under QStandardPaths::AppDataLocation/recovery. A clean save, a revert to
// the saved state or a normal close removes it. On start, a recovery file newer than its project
// is offered for restoring.
//
// Several NetLoom windows (or processes) share that folder. Each Autosave holds a lock file
// (<key>.lock, a QLockFile) for as long as it has a recovery file on disk, and names itself in
// the recovery's sidecar; findRecovery() skips recoveries whose owner still holds its lock, so
// one instance never offers, or deletes, the live work of another. A crashed owner leaves a
// stale lock (dead PID) that QLockFile recognises.
#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>

class QLockFile;

namespace netloom::ui {

class GraphDocument;

struct Recovery {
    QString recoveryFile;  // the autosaved project
    QString projectPath;   // where it belongs ("" for an untitled project)
    QDateTime saved;
};

class Autosave : public QObject {
    Q_OBJECT
public:
    explicit Autosave(GraphDocument* doc, int intervalMs = 60'000, QObject* parent = nullptr);
    ~Autosave() override;

    // Writes the recovery file now if the document is modified; returns its path or "".
    QString saveNow();
    // Removes the recovery file this object wrote and releases its lock.
    void discard();
    QString currentRecoveryFile() const;
    // This editor's key: its recovery files and its lock file are named after it.
    QString key() const { return m_key; }

    static QString recoveryDir();
    // A recovery for this project newer than the project file (for "", the newest untitled
    // one), left by an editor that is no longer running.
    static std::optional<Recovery> findRecovery(const QString& projectPath);
    static void removeRecovery(const Recovery& r);
    // Whether the editor with this key still runs (holds its lock).
    static bool ownerAlive(const QString& key);

private:
    QString fileFor(const QString& projectPath) const;
    bool holdLock();

    GraphDocument* m_doc;
    QTimer m_timer;
    QString m_key;
    QString m_written;  // the recovery file this object wrote last
    std::unique_ptr<QLockFile> m_lock;
};

}  // namespace netloom::ui
