#include "ui/document/graph_document.h"

#include <QFileInfo>
#include <set>

#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/search/project_search.h"
#include "engine/tasks/recipe_inputs.h"
#include "ui/canvas/auto_layout.h"

namespace netloom::ui {

QStringList toQStringList(const std::vector<std::string>& ids) {
    QStringList list;
    for (const std::string& id : ids) list << QString::fromStdString(id);
    return list;
}

GraphDocument::GraphDocument(QObject* parent) : QObject(parent) {
    m_undo.setUndoLimit(1000);
    connect(&m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    reanalyze();
}

const engine::NodeAnalysis* GraphDocument::nodeAnalysis(const std::string& id) const {
    auto it = m_analysis.nodes.find(id);
    return it == m_analysis.nodes.end() ? nullptr : &it->second;
}

engine::NodeUi GraphDocument::nodeUi(const std::string& id) const {
    const auto& layout = currentNetwork().layout;
    auto it = layout.find(id);
    return it == layout.end() ? engine::NodeUi{} : it->second;
}

QPointF GraphDocument::nodePos(const std::string& id) const {
    const engine::NodeUi ui = nodeUi(id);
    return {ui.x, ui.y};
}

QString GraphDocument::displayName() const {
    return m_filePath.isEmpty() ? tr("Untitled") : QFileInfo(m_filePath).fileName();
}

std::string GraphDocument::serialize() const {
    return engine::serializeProject(m_project);
}

// Files written by hand or by scripts may carry no positions; a pile of cards is useless.
static bool needsLayout(const engine::Network& net) {
    if (net.graph.nodes().empty()) return false;
    std::set<std::pair<double, double>> spots;
    for (const engine::Node& n : net.graph.nodes()) {
        auto it = net.layout.find(n.id);
        if (it == net.layout.end()) return true;
        spots.insert({it->second.x, it->second.y});
    }
    return net.graph.nodes().size() > 1 && spots.size() == 1;
}

void GraphDocument::reset(engine::Project project, const QString& filePath) {
    if (project.networks.empty()) project.networks.emplace_back();
    for (engine::Network& net : project.networks) {
        if (!needsLayout(net)) continue;
        for (const auto& [id, pos] : computeAutoLayout(net.graph)) {
            net.layout[id].x = pos.x();
            net.layout[id].y = pos.y();
        }
    }
    m_project = std::move(project);
    const bool activeChanged = m_active != 0;
    m_active = 0;
    m_undo.clear();
    m_undo.setClean();
    reanalyze();
    const bool pathChanged = m_filePath != filePath;
    m_filePath = filePath;
    if (pathChanged) emit filePathChanged(m_filePath);
    emit modifiedChanged(false);
    emitChange(GraphChange::Kind::Reset, {});
    if (activeChanged) emit activeNetworkChanged(m_active);
}

void GraphDocument::setActiveNetwork(int index) {
    if (index < 0 || index >= networkCount() || index == m_active) return;
    m_active = index;
    reanalyze();
    emit activeNetworkChanged(m_active);
    emitChange(GraphChange::Kind::Graph, {});
}

QString GraphDocument::networkTitle(int index) const {
    if (index < 0 || index >= networkCount()) return {};
    const std::string& role = m_project.networks[static_cast<size_t>(index)].role;
    if (role == "generator") return tr("Generator");
    if (role == "discriminator") return tr("Discriminator");
    if (role == "model" || role.empty()) return tr("Model");
    QString title = QString::fromStdString(role);
    title[0] = title[0].toUpper();
    return title;
}

void GraphDocument::setNetworkWeights(int index, engine::WeightSet weights) {
    if (index < 0 || index >= networkCount()) return;
    m_project.networks[static_cast<size_t>(index)].weights = std::move(weights);
}

void GraphDocument::load(const QString& path) {
    engine::Project project;
    try {
        project = engine::loadProject(path.toStdString());
    } catch (const netloom::Error&) {
        throw;
    } catch (const std::exception& e) {
        throw netloom::Error(path.toStdString() + ": " + e.what());
    }
    // A search kept in the file is refused like a space given to `netloom search`, by name.
    try {
        engine::validateProjectSearch(project);
    } catch (const std::exception& e) {
        throw netloom::Error(path.toStdString() + ": " + e.what());
    }
    reset(std::move(project), QFileInfo(path).absoluteFilePath());
}

void GraphDocument::save(const QString& path) {
    try {
        engine::saveProject(m_project, path.toStdString());
    } catch (const netloom::Error&) {
        throw;
    } catch (const std::exception& e) {
        throw netloom::Error(path.toStdString() + ": " + e.what());
    }
    const QString abs = QFileInfo(path).absoluteFilePath();
    if (abs != m_filePath) {
        m_filePath = abs;
        emit filePathChanged(m_filePath);
    }
    m_undo.setClean();
}

void GraphDocument::revert() {
    if (m_filePath.isEmpty()) throw netloom::Error("this project has never been saved");
    load(m_filePath);
}

GraphState GraphDocument::graphState() const {
    return {currentNetwork().graph, currentNetwork().layout, currentNetwork().groups};
}

void GraphDocument::setGraphState(GraphState state, const QStringList& touched) {
    network().graph = std::move(state.graph);
    network().layout = std::move(state.layout);
    // Every structural edit keeps the groups true: a deleted node leaves its group.
    network().groups = engine::pruneGroups(network().graph, std::move(state.groups));
    reanalyze();
    emitChange(GraphChange::Kind::Graph, touched);
}

void GraphDocument::setNodePositions(const std::map<std::string, QPointF>& positions) {
    QStringList ids;
    for (const auto& [id, pos] : positions) {
        engine::NodeUi& ui = network().layout[id];
        ui.x = pos.x();
        ui.y = pos.y();
        ids << QString::fromStdString(id);
    }
    emitChange(GraphChange::Kind::Layout, ids);
}

void GraphDocument::setNodeComment(const std::string& id, const std::string& comment) {
    network().layout[id].comment = comment;
    emitChange(GraphChange::Kind::Layout, {QString::fromStdString(id)});
}

void GraphDocument::replaceNode(const engine::Node& node) {
    engine::Node* n = network().graph.findNode(node.id);
    if (!n) throw netloom::Error("no node with id '" + node.id + "'");
    *n = node;
    reanalyze();
    emitChange(GraphChange::Kind::Graph, {QString::fromStdString(node.id)});
}

void GraphDocument::setTraining(const engine::TrainingConfig& config) {
    m_project.training = config;
    reanalyze();  // the task and the loss decide what the output must be
    emitChange(GraphChange::Kind::Training, {});
}

engine::WeightSet GraphDocument::takeWeights(const std::vector<std::string>& ids) {
    engine::WeightSet taken;
    for (const std::string& id : ids) {
        auto it = network().weights.find(id);
        if (it == network().weights.end()) continue;
        taken.insert(network().weights.extract(it));
    }
    return taken;
}

void GraphDocument::replaceAllWeights(const std::vector<engine::WeightSet>& weights) {
    for (size_t i = 0; i < weights.size() && i < m_project.networks.size(); ++i)
        m_project.networks[i].weights = weights[i];
    emitChange(GraphChange::Kind::Weights, {});
}

void GraphDocument::putWeights(engine::WeightSet weights) {
    for (auto& [id, tensors] : weights) network().weights[id] = std::move(tensors);
}

void GraphDocument::setDataFacts(const engine::DatasetConfig& source, engine::DataFacts facts) {
    if (m_facts && m_facts->first == source && m_facts->second == facts) return;
    m_facts.emplace(source, std::move(facts));
    reanalyze();
    emitChange(GraphChange::Kind::Training, {});
}

std::optional<engine::DataFacts> GraphDocument::dataFacts() const {
    if (!m_facts || m_facts->first != m_project.training.dataset) return std::nullopt;
    return m_facts->second;
}

void GraphDocument::reanalyze() {
    m_analysis = engine::analyzeGraph(graph());
    const std::optional<engine::DataFacts> facts = dataFacts();
    if (!facts) return;
    const bool activeOk = m_analysis.ok();
    for (engine::FitProblem& fp : engine::projectFitProblems(m_project, *facts)) {
        engine::Problem& p = fp.problem;
        if (fp.network == m_active) {
            if (!activeOk) continue;  // the analysis lists this network's own errors already
            if (auto it = m_analysis.nodes.find(p.nodeId); it != m_analysis.nodes.end())
                if (it->second.error.empty()) it->second.error = p.message;  // the card shows it
        } else {
            // Another network's node cannot be selected from here, nor fixed in place.
            p.nodeId.clear();
            p.fix.reset();
        }
        m_analysis.problems.push_back(std::move(p));
    }
}

void GraphDocument::emitChange(GraphChange::Kind kind, const QStringList& ids) {
    emit changed(GraphChange{kind, ids});
}

}  // namespace netloom::ui
