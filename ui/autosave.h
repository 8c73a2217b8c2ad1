#pragma once
// Crash recovery: while the document has unsaved changes, its project is written every minute
// to a recovery file under QStandardPaths::AppDataLocation/recovery. A clean save, a revert to
// the saved state or a normal close removes it. On start, a recovery file newer than its project
// is offered for restoring.
#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <optional>

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
    // Removes the recovery file this object wrote.
    void discard();
    QString currentRecoveryFile() const;

    static QString recoveryDir();
    // A recovery for this project newer than the project file (for "", the newest untitled one).
    static std::optional<Recovery> findRecovery(const QString& projectPath);
    static void removeRecovery(const Recovery& r);

private:
    QString fileFor(const QString& projectPath) const;

    GraphDocument* m_doc;
    QTimer m_timer;
    QString m_untitledKey;
    QString m_written;  // the recovery file this object wrote last
};

}  // namespace netloom::ui
