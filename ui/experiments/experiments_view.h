#pragma once
// The Experiments view (a dock of the main window): the project's hyperparameter search. A
// space comes from a space file (Open space…) or from the project's sidecar
// "<project>.search.json", whose trials show on opening; Start runs the search on a worker
// thread (SearchController) with the chosen strategy and trial budget, continuing the stored
// trials; the table, the parallel-coordinates plot and the best-so-far curve follow each trial
// live; Stop ends the running trial; "Apply best trial" writes the best values into the
// project as one undo step. The space editor (space_editor.h) shows the space and stores it,
// with the strategy and budget, in the project itself (its "search" section), which the view
// then uses on opening the project, before the sidecar's.
#include <QWidget>
#include <optional>

#include "engine/search/trial_store.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace netloom::ui {

class GraphDocument;
class ParallelCoordinates;
class SearchController;
class SpaceEditor;

class ExperimentsView : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentsView(GraphDocument* doc, QWidget* parent = nullptr);
    ~ExperimentsView() override;

    // Takes a space (as Open space… does); refuses one the project cannot run, with the
    // engine's message in the status line. Forgets trials of another space.
    bool setSpace(const engine::SearchSpace& space);
    void startSearch();
    void stopSearch();
    void applyBest();
    bool isRunning() const;

    const engine::SearchRecord& record() const { return m_record; }
    QTableWidget* table() const { return m_table; }
    ParallelCoordinates* plot() const { return m_plot; }
    SpaceEditor* editor() const { return m_editor; }
    // The editor's space, strategy and budget into the project (one undo step); false with the
    // refusal (the parameter named) in the status line.
    bool storeInProject();
    QLineSeries* bestSeries() const { return m_bestSeries; }
    QString status() const;

signals:
    void searchEnded(const QString& reason);

private:
    void openSpace();
    void loadStored();  // the sidecar of the document's file, when there is one
    void showTrial(const engine::Trial& t, bool done);
    void refresh();
    void updateButtons();
    void setStatus(const QString& text);

    GraphDocument* m_doc;
    SearchController* m_controller;
    engine::SearchRecord m_record;
    std::optional<engine::Trial> m_running;  // the trial being trained, its curve so far
    bool m_hasSpace = false;
    QComboBox* m_strategy;
    QSpinBox* m_trials;
    QDoubleSpinBox* m_seconds;
    SpaceEditor* m_editor;
    QPushButton *m_open, *m_start, *m_stop, *m_apply;
    QLabel* m_status;
    QTableWidget* m_table;
    ParallelCoordinates* m_plot;
    QChartView* m_chart;
    QLineSeries* m_bestSeries;
    QValueAxis *m_axisX, *m_axisY;
};

}  // namespace netloom::ui
