#pragma once
// A batch of training images before and after augmentation, in the settings' augmentation box:
// the top row as loaded, the bottom row through the run's own transform chain
// (engine::trainingTransformChain, seeded with the run's seed), redrawn whenever a training
// setting changes while shown. The data comes through the window's DataCache on a worker thread.
#include <QWidget>
#include <memory>
#include <string>

#include "engine/data/dataset.h"
#include "ui/document/graph_document.h"

class QLabel;

namespace netloom::ui {

class DataLoader;
class ImageGrid;

class AugmentationPreview : public QWidget {
    Q_OBJECT
public:
    static constexpr int kImages = 8;
    explicit AugmentationPreview(GraphDocument* doc, QWidget* parent = nullptr);

    ImageGrid* grid() const { return m_grid; }
    QString caption() const;
    // Whether the grid shows the current settings (false while the data loads).
    bool isCurrent() const { return m_current; }
    void refresh();

signals:
    void updated();  // the grid shows the current settings (or why it cannot)

protected:
    void showEvent(QShowEvent* event) override;

private:
    void draw();

    GraphDocument* m_doc;
    DataLoader* m_loader;
    ImageGrid* m_grid;
    QLabel* m_caption;
    std::string m_dataKey;  // of the split held
    std::shared_ptr<const engine::DataSplit> m_split;
    bool m_current = false;
    bool m_stale = true;  // settings changed while hidden
};

}  // namespace netloom::ui
