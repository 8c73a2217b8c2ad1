#include "ui/commands/transfer_commands.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <cmath>

#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/layers/training_params.h"
#include "ui/commands/node_commands.h"

namespace netloom::ui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("Commands", text);
}
QString quotedName(const std::string& s) {
    return "'" + QString::fromStdString(s) + "'";
}
}  // namespace

SetFrozenCommand::SetFrozenCommand(GraphDocument* doc, const std::vector<std::string>& nodeIds,
                                   bool frozen, QUndoCommand* parent)
    : QUndoCommand(parent),
      m_doc(doc),
      m_network(doc->activeNetwork()),
      m_ids(nodeIds),
      m_new(frozen) {
    if (nodeIds.empty()) throw Error("no layer to freeze");
    for (const std::string& id : nodeIds)
        m_old.push_back(engine::isFrozen(doc->graph().node(id).params));
    const QString what = nodeIds.size() == 1 ? quotedName(doc->graph().node(nodeIds[0]).name)
                                             : tr("%1 layers").arg(nodeIds.size());
    setText((frozen ? tr("Freeze %1") : tr("Unfreeze %1")).arg(what));
}

void SetFrozenCommand::apply(bool forward) {
    m_doc->setActiveNetwork(m_network);
    for (size_t i = 0; i < m_ids.size(); ++i) {
        engine::Node n = m_doc->graph().node(m_ids[i]);
        n.params = engine::withFrozen(n.params, forward ? m_new : bool(m_old[i]));
        m_doc->replaceNode(n);
    }
}

SetLrMultiplierCommand::SetLrMultiplierCommand(GraphDocument* doc, const std::string& nodeId,
                                               double multiplier, QUndoCommand* parent)
    : QUndoCommand(parent),
      m_doc(doc),
      m_network(doc->activeNetwork()),
      m_nodeId(nodeId),
      m_new(multiplier),
      m_time(editClockMs()) {
    const engine::Node& node = doc->graph().node(nodeId);
    if (const std::string why = engine::lrMultiplierProblem(multiplier); !why.empty())
        throw Error("Learning-rate multiplier of '" + node.name + "' " + why);
    if (!std::isfinite(multiplier))  // checkParamValue says "finite"; name the value too
        throw Error("Learning-rate multiplier of '" + node.name +
                    "' must be a finite number, got " + std::to_string(multiplier));
    m_old = engine::lrMultiplierOf(node.params);
    setText(tr("Set learning-rate multiplier of %1 to %2")
                .arg(quotedName(node.name), QString::number(multiplier, 'g', 6)));
}

void SetLrMultiplierCommand::apply(double value) {
    m_doc->setActiveNetwork(m_network);
    engine::Node n = m_doc->graph().node(m_nodeId);
    n.params = engine::withLrMultiplier(n.params, value);
    m_doc->replaceNode(n);
}

bool SetLrMultiplierCommand::mergeWith(const QUndoCommand* other) {
    auto* o = dynamic_cast<const SetLrMultiplierCommand*>(other);
    if (!o || o->m_doc != m_doc || o->m_network != m_network || o->m_nodeId != m_nodeId ||
        o->m_time - m_time > kMergeWindowMs)
        return false;
    m_new = o->m_new;
    m_time = o->m_time;
    setObsolete(m_new == m_old);
    setText(o->text());
    return true;
}

ImportLayersCommand::ImportLayersCommand(GraphDocument* doc, engine::LayerImport import,
                                         const QString& source, QUndoCommand* parent)
    : GraphEditCommand(doc, {}, parent), m_import(std::move(import)) {
    if (m_import.nodes.empty()) throw Error("nothing to import");
    GraphState s = doc->graphState();
    for (const engine::Node& n : m_import.nodes) s.graph.addNode(n);  // ids fresh by the plan
    for (const engine::Edge& e : m_import.edges) s.graph.connect(e);
    for (const auto& [id, ui] : m_import.layout) s.layout[id] = ui;
    setText(m_import.nodes.size() == 1
                ? tr("Import %1 from %2").arg(quotedName(m_import.nodes[0].name), source)
                : tr("Import %1 layers from %2").arg(m_import.nodes.size()).arg(source));
    setAfter(s);
}

void ImportLayersCommand::redo() {
    // Weights first, so whoever reacts to the graph change already finds them.
    m_doc->setActiveNetwork(m_network);
    m_doc->putWeights(m_import.weights);  // a copy: redo after undo puts them back again
    GraphEditCommand::redo();
}

void ImportLayersCommand::undo() {
    m_doc->setActiveNetwork(m_network);
    m_doc->takeWeights(m_import.ids());
    GraphEditCommand::undo();
}

QString importLayersInto(GraphDocument* doc, const engine::Project& source, const QString& name,
                         int network, const std::vector<std::string>& nodeIds,
                         const std::string& attachTo, QPointF at) {
    try {
        if (network < 0 || network >= int(source.networks.size()))
            throw Error(name.toStdString() + " has no network " + std::to_string(network));
        engine::LayerImportRequest request;
        request.nodeIds = nodeIds;
        request.attachTo = attachTo;
        request.x = at.x();
        request.y = at.y();
        request.sourceName = name.toStdString();
        engine::LayerImport plan = engine::planLayerImport(source.networks[size_t(network)],
                                                           doc->currentNetwork(), request);
        doc->undoStack()->push(new ImportLayersCommand(doc, std::move(plan), name));
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString importLayersInto(GraphDocument* doc, const QString& path, int network,
                         const std::vector<std::string>& nodeIds, const std::string& attachTo,
                         QPointF at) {
    engine::Project source;
    try {
        source = engine::loadProject(path.toStdString());
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return importLayersInto(doc, source, QFileInfo(path).fileName(), network, nodeIds, attachTo,
                            at);
}

}  // namespace netloom::ui
