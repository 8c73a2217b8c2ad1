#pragma once
// File ▸ Import layers from project…: lists the layers of another project's network (with
// whether they carry trained weights), lets the user tick the ones to copy and, optionally, the
// layer of this network that should feed them. OK imports them as one undoable step
// (ImportLayersCommand); a refusal (a layer whose shapes do not fit there) is shown in the
// dialog, naming the layer and why, and nothing changes.
#include <QDialog>
#include <QPointF>
#include <QRectF>
#include <string>
#include <vector>

#include "engine/project/project.h"
#include "ui/document/graph_document.h"

class QComboBox;
class QLabel;
class QListWidget;

namespace netloom::ui {

class ImportLayersDialog : public QDialog {
    Q_OBJECT
public:
    ImportLayersDialog(GraphDocument* doc, engine::Project source, const QString& sourceName,
                       QPointF at, QWidget* parent = nullptr);

    // For tests and the OK button: tick layers by name, choose what feeds them ("" = nothing).
    void setChosenLayers(const std::vector<std::string>& names);
    void setAttachTo(const std::string& nodeName);
    void setNetwork(int index);
    std::vector<std::string> chosenIds() const;
    // Imports; on success accepts the dialog and returns true, else shows why and returns false.
    bool tryImport();
    QString problem() const;
    QListWidget* layerList() const { return m_layers; }

private:
    void fillLayers();

    GraphDocument* m_doc;
    engine::Project m_source;
    QString m_sourceName;
    QPointF m_at;
    QComboBox* m_network;
    QListWidget* m_layers;
    QComboBox* m_attach;
    QLabel* m_problem;
};

// File ▸ Import layers from project…: reads the project at `path` (errors go to the prompter,
// naming the file) and opens the dialog, the copies landing right of `graphBounds` (the
// current cards). Returns the dialog (deleted on close) or null when the file was refused.
ImportLayersDialog* openImportLayersDialog(QWidget* parent, GraphDocument* doc,
                                           const QRectF& graphBounds, const QString& path);

}  // namespace netloom::ui
