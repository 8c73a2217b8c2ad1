#pragma once
// The "Project beside" dock (File ▸ Open Project Beside…): a second project opened read-only
// next to the one being edited, listing the layers of one of its networks with their trained
// weights. Selected layers drag onto the canvas (project_layers_mime.h), where they are imported
// with their weights as one undo step through the same planning as File ▸ Import Layers from
// Project… (a layer that does not fit is refused, naming it and why). Nothing here writes the
// second project.
#include <QListWidget>
#include <QWidget>

#include "engine/project/project.h"

class QComboBox;
class QLabel;

namespace netloom::ui {

// The layer list: its drags carry the selected layers (ids in the item data).
class ProjectLayerList : public QListWidget {
    Q_OBJECT
public:
    explicit ProjectLayerList(QWidget* parent = nullptr);
    QString path;
    int network = 0;
    // What a drag of `items` carries (public: the view and tests ask for it too).
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;

protected:
    QStringList mimeTypes() const override;
};

class BesideProjectView : public QWidget {
    Q_OBJECT
public:
    explicit BesideProjectView(QWidget* parent = nullptr);

    // Reads the project at `path` (read-only) and lists its first network's layers; false with
    // the reason shown when the file is refused.
    bool open(const QString& path);
    void setNetwork(int index);
    const QString& path() const { return m_path; }
    ProjectLayerList* layerList() const { return m_list; }
    // Selects layers by name; the drag data of the selection (what a real drag carries).
    void selectLayers(const QStringList& names);
    QMimeData* selectionMimeData() const;
    QString status() const;

private:
    void fillLayers();

    QString m_path;
    engine::Project m_project;
    QComboBox* m_network;
    ProjectLayerList* m_list;
    QLabel* m_status;
};

}  // namespace netloom::ui
