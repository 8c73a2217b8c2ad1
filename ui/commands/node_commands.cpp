#include "ui/commands/node_commands.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include "engine/core/error.h"
#include "engine/layers/registry.h"
#include "ui/canvas/auto_layout.h"

namespace netloom::ui {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("Commands", text);
}
QString quoted(const std::string& s) {
    return "'" + QString::fromStdString(s) + "'";
}
std::function<qint64()>& clockOverride() {
    static std::function<qint64()> clock;
    return clock;
}
// A parameter value as a user reads it in the undo history.
QString valueText(const engine::ParamValue& v) {
    if (auto p = std::get_if<int64_t>(&v)) return QString::number(*p);
    if (auto p = std::get_if<double>(&v)) return QString::number(*p, 'g', 6);
    if (auto p = std::get_if<bool>(&v)) return *p ? tr("on") : tr("off");
    return QString::fromStdString(std::get<std::string>(v));
}
}  // namespace

qint64 editClockMs() {
    if (clockOverride()) return clockOverride()();
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

void setEditClockForTesting(std::function<qint64()> clock) {
    clockOverride() = std::move(clock);
}

MoveNodesCommand::MoveNodesCommand(GraphDocument* doc,
                                   const std::map<std::string, QPointF>& newPositions,
                                   const QString& text, QUndoCommand* parent)
    : QUndoCommand(parent), m_doc(doc), m_network(doc->activeNetwork()) {
    for (const auto& [id, pos] : newPositions) {
        doc->graph().node(id);  // throws when unknown
        m_old[id] = doc->nodePos(id);
        m_new[id] = pos;
    }
    if (!text.isEmpty())
        setText(text);
    else if (m_new.size() == 1)
        setText(tr("Move %1").arg(quoted(doc->graph().node(m_new.begin()->first).name)));
    else
        setText(tr("Move %1 layers").arg(m_new.size()));
}

void MoveNodesCommand::redo() {
    m_doc->setActiveNetwork(m_network);
    m_doc->setNodePositions(m_new);
}
void MoveNodesCommand::undo() {
    m_doc->setActiveNetwork(m_network);
    m_doc->setNodePositions(m_old);
}

MoveNodesCommand* makeAutoLayoutCommand(GraphDocument* doc) {
    return new MoveNodesCommand(doc, computeAutoLayout(doc->graph()), tr("Auto-layout"));
}

SetParamCommand::SetParamCommand(GraphDocument* doc, const std::string& nodeId,
                                 const std::string& key, const engine::ParamValue& value,
                                 QUndoCommand* parent)
    : QUndoCommand(parent),
      m_doc(doc),
      m_network(doc->activeNetwork()),
      m_nodeId(nodeId),
      m_key(key),
      m_time(editClockMs()) {
    const engine::Node& node = doc->graph().node(nodeId);
    const engine::LayerDef* def = engine::findLayerDef(node.type);
    if (!def) throw Error("'" + node.name + "' has an unknown layer type");
    const engine::ParamSchema schema = def->schema();
    const engine::ParamSpec* spec = nullptr;
    for (const auto& s : schema)
        if (s.key == key) spec = &s;
    if (!spec) throw Error(node.type + " has no parameter '" + key + "'");
    const std::string why = engine::checkParamValue(*spec, value);
    if (!why.empty()) throw Error(spec->label + " " + why);
    m_spec = *spec;
    m_old = node.params;
    m_new = node.params;
    m_new.set(key, value);
    updateText();
}

void SetParamCommand::updateText() {
    const engine::Node& node = m_doc->graph().node(m_nodeId);
    setText(tr("Set %1 of %2 to %3")
                .arg(QString::fromStdString(m_spec.label), quoted(node.name),
                     valueText(m_new.values().at(m_key))));
}

void SetParamCommand::redo() {
    m_doc->setActiveNetwork(m_network);
    engine::Node n = m_doc->graph().node(m_nodeId);
    n.params = m_new;
    m_doc->replaceNode(n);
}

void SetParamCommand::undo() {
    m_doc->setActiveNetwork(m_network);
    engine::Node n = m_doc->graph().node(m_nodeId);
    n.params = m_old;
    m_doc->replaceNode(n);
}

bool SetParamCommand::mergeWith(const QUndoCommand* other) {
    auto* o = dynamic_cast<const SetParamCommand*>(other);
    if (!o || o->m_doc != m_doc || o->m_network != m_network || o->m_nodeId != m_nodeId ||
        o->m_key != m_key || o->m_time - m_time > kMergeWindowMs)
        return false;
    m_new = o->m_new;
    m_time = o->m_time;
    setObsolete(m_new == m_old);
    setText(o->text());
    return true;
}

std::string nameProblem(const engine::Graph& graph, const std::string& nodeId,
                        const std::string& name) {
    if (name.empty()) return "a layer needs a name";
    if (name.size() > 64) return "names are at most 64 characters";
    const engine::Node* other = graph.findNodeByName(name);
    if (other && other->id != nodeId) return "another layer is already called '" + name + "'";
    return {};
}

RenameCommand::RenameCommand(GraphDocument* doc, const std::string& nodeId, const std::string& name,
                             QUndoCommand* parent)
    : QUndoCommand(parent), m_doc(doc), m_network(doc->activeNetwork()), m_nodeId(nodeId) {
    m_old = doc->graph().node(nodeId).name;
    m_new = QString::fromStdString(name).trimmed().toStdString();
    const std::string why = nameProblem(doc->graph(), nodeId, m_new);
    if (!why.empty()) throw Error("Cannot rename: " + why);
    setText(tr("Rename %1 to %2").arg(quoted(m_old), quoted(m_new)));
}

void RenameCommand::apply(const std::string& name) {
    m_doc->setActiveNetwork(m_network);
    engine::Node n = m_doc->graph().node(m_nodeId);
    n.name = name;
    m_doc->replaceNode(n);
}

void RenameCommand::redo() {
    apply(m_new);
}
void RenameCommand::undo() {
    apply(m_old);
}

SetCommentCommand::SetCommentCommand(GraphDocument* doc, const std::string& nodeId,
                                     const std::string& comment, QUndoCommand* parent)
    : QUndoCommand(parent),
      m_doc(doc),
      m_network(doc->activeNetwork()),
      m_nodeId(nodeId),
      m_new(comment) {
    m_old = doc->nodeUi(nodeId).comment;
    setText(tr("Comment on %1").arg(quoted(doc->graph().node(nodeId).name)));
}

}  // namespace netloom::ui
