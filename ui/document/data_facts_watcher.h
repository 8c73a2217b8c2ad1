#pragma once
// Keeps the document's facts about the training data (sample shape, classes, targets) current,
// so the editor checks the networks against the data and the task before Train
// (GraphDocument::setDataFacts). The data is loaded in the background through the window's
// DataCache, with the key a run uses: the next Train finds it already loaded.
#include <QObject>
#include <optional>

#include "engine/data/dataset_config.h"

namespace netloom::ui {

class DataLoader;
class GraphDocument;

class DataFactsWatcher : public QObject {
    Q_OBJECT
public:
    explicit DataFactsWatcher(GraphDocument* doc, QObject* parent = nullptr);
    bool isLoading() const;

signals:
    void factsArrived();  // the document has them (tests wait for this)

private:
    void requestIfChanged();

    GraphDocument* m_doc;
    DataLoader* m_loader;
    std::optional<engine::DatasetConfig> m_requested;
};

}  // namespace netloom::ui
