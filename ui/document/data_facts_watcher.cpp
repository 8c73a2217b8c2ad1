#include "ui/document/data_facts_watcher.h"

#include <algorithm>

#include "engine/tasks/registry.h"
#include "ui/document/graph_document.h"
#include "ui/training/data_cache.h"

namespace netloom::ui {

DataFactsWatcher::DataFactsWatcher(GraphDocument* doc, QObject* parent)
    : QObject(parent), m_doc(doc), m_loader(new DataLoader(this)) {
    connect(m_loader, &DataLoader::loaded, this,
            [this](std::shared_ptr<const engine::DataSplit> split) {
                if (!split || !m_requested) return;
                m_doc->setDataFacts(*m_requested, engine::DataFacts::of(split->train));
                emit factsArrived();
            });
    // Data that cannot be loaded gives no facts: Train then reports the loading error itself.
    connect(m_loader, &DataLoader::failed, this, [this](const QString&) { m_requested.reset(); });
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training)
            requestIfChanged();
    });
    requestIfChanged();
}

bool DataFactsWatcher::isLoading() const {
    return m_loader->isLoading();
}

void DataFactsWatcher::requestIfChanged() {
    const engine::TrainingConfig& c = m_doc->training();
    if (m_requested == c.dataset) return;
    m_requested = c.dataset;
    // The split a run of this project loads (RunController): validation only where the task
    // validates, so the cache holds what Train will ask for.
    const engine::TaskDef* task = engine::findTask(c.task);
    std::vector<std::string> groups = task ? task->settingGroups() : std::vector<std::string>{};
    const bool validates = std::find(groups.begin(), groups.end(), "validation") != groups.end();
    m_loader->request(c.dataset, validates ? c.validationSplit : 0.0, c.seed);
}

}  // namespace netloom::ui
