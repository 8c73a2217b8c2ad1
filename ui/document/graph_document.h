#pragma once
// The editor's model: owns the engine::Project (the engine graph is the single source of truth)
// plus its UI metadata, the undo stack and the latest analysis. Views observe changed(); edits go
// through undo commands, which call the mutators below (and only they do).
#include <QObject>
#include <QPointF>
#include <QStringList>
#include <QUndoStack>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/graph/analysis.h"
#include "engine/project/project.h"
#include "engine/train/graph_fit.h"

namespace netloom::ui {

struct GraphChange {
    enum class Kind {
        Reset,     // a new project was loaded: rebuild everything
        Graph,     // nodes, edges, params or names changed (analysis re-run)
        Layout,    // only positions or comments changed
        Training,  // training settings changed
        Weights,   // trained weights replaced as an edit (File ▸ Import weights…)
    };
    Kind kind = Kind::Reset;
    QStringList nodeIds;  // nodes touched by the change (may be empty)
};

// The part of a network that structural commands edit: cheap to copy (no weights).
struct GraphState {
    engine::Graph graph;
    std::map<std::string, engine::NodeUi> layout;
    std::vector<engine::NodeGroup> groups;  // the editor's groups (engine/graph/groups.h)
    bool operator==(const GraphState&) const = default;
};

class GraphDocument : public QObject {
    Q_OBJECT
public:
    explicit GraphDocument(QObject* parent = nullptr);

    const engine::Project& project() const { return m_project; }
    // The network the canvas edits: graph(), graphState(), the mutators and the weights below
    // all act on it. Index into project().networks; 0 after reset().
    int activeNetwork() const { return m_active; }
    const engine::Network& currentNetwork() const { return m_project.networks[m_active]; }
    int networkCount() const { return static_cast<int>(m_project.networks.size()); }
    // Out-of-range indices are ignored. Emits activeNetworkChanged, then changed(Graph).
    void setActiveNetwork(int index);
    // "Generator", "Discriminator" or "Model" (by role) for tab labels.
    QString networkTitle(int index) const;
    const engine::Graph& graph() const { return currentNetwork().graph; }
    const std::vector<engine::NodeGroup>& groups() const { return currentNetwork().groups; }
    const engine::TrainingConfig& training() const { return m_project.training; }
    // The active network's analysis; once the data's facts are known it also holds the problems
    // of the networks against the data and the task (engine::projectFitProblems: the check a
    // run's start refuses with), those of this network with their node and one-click fix.
    const engine::GraphAnalysis& analysis() const { return m_analysis; }
    // What the training data `source` names looks like, once loaded (see DataFactsWatcher).
    // The facts count only while the project's dataset settings are `source`: another project
    // or dataset has none until its own arrive. Re-runs the analysis; emits changed(Training).
    void setDataFacts(const engine::DatasetConfig& source, engine::DataFacts facts);
    std::optional<engine::DataFacts> dataFacts() const;
    const engine::NodeAnalysis* nodeAnalysis(const std::string& id) const;
    engine::NodeUi nodeUi(const std::string& id) const;
    QPointF nodePos(const std::string& id) const;
    QUndoStack* undoStack() { return &m_undo; }

    QString filePath() const { return m_filePath; }
    QString displayName() const;  // file name, or "Untitled"
    bool isModified() const { return !m_undo.isClean(); }
    std::string serialize() const;  // the project as it would be saved

    // Replaces the whole project; clears the undo history; the document is clean. Nodes without
    // positions (or all piled on one spot) are laid out automatically.
    void reset(engine::Project project, const QString& filePath = {});
    // Throw netloom::Error with the engine's message; on failure the document is untouched.
    void load(const QString& path);
    void save(const QString& path);
    void revert();
    // Marks the document modified without an undo step (a restored recovery file).
    void markModified() { m_undo.resetClean(); }

    // --- Mutators used by undo commands; each emits changed(). ---
    GraphState graphState() const;
    void setGraphState(GraphState state, const QStringList& touched);
    void setNodePositions(const std::map<std::string, QPointF>& positions);
    void setNodeComment(const std::string& id, const std::string& comment);
    void replaceNode(const engine::Node& node);  // same id; new name and/or params
    void setTraining(const engine::TrainingConfig& config);
    // Trained weights of removed nodes leave with them and come back on undo.
    engine::WeightSet takeWeights(const std::vector<std::string>& ids);
    void putWeights(engine::WeightSet weights);
    // Training results (no undo step; the caller marks the document modified).
    void clearWeights() { network().weights.clear(); }
    // Replaces the trained weights of networks[index] (GAN runs train two networks at once).
    void setNetworkWeights(int index, engine::WeightSet weights);
    // Every network's weights at once (index = networks index), as an undoable edit does it:
    // emits changed(Weights) so the evaluation views take them.
    void replaceAllWeights(const std::vector<engine::WeightSet>& weights);
    void appendRun(engine::RunRecord run) { m_project.history.push_back(std::move(run)); }
    // The search kept in the project (ui/experiments/search_command.h changes it undoably).
    void setSearch(std::optional<engine::ProjectSearch> search) {
        m_project.search = std::move(search);
    }

signals:
    void changed(const netloom::ui::GraphChange& change);
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);
    void activeNetworkChanged(int index);

private:
    engine::Network& network() { return m_project.networks[m_active]; }
    void reanalyze();
    void emitChange(GraphChange::Kind kind, const QStringList& ids);

    engine::Project m_project;
    int m_active = 0;
    engine::GraphAnalysis m_analysis;
    std::optional<std::pair<engine::DatasetConfig, engine::DataFacts>> m_facts;
    QUndoStack m_undo;
    QString m_filePath;
};

QStringList toQStringList(const std::vector<std::string>& ids);

}  // namespace netloom::ui
