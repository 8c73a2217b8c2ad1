#include "ui/experiments/experiments_view.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

#include "engine/search/strategy.h"
#include "ui/document/graph_document.h"
#include "ui/experiments/apply_trial.h"
#include "ui/experiments/parallel_coordinates.h"
#include "ui/experiments/search_controller.h"
#include "ui/experiments/space_editor.h"

namespace netloom::ui {

using namespace netloom::engine;

namespace {

QString valueText(const ParamValue& v) {
    if (const double* x = std::get_if<double>(&v)) return QString::number(*x, 'g', 4);
    return QString::fromStdString(paramValueToString(v));
}

QString storePathOf(const GraphDocument* doc) {
    return doc->filePath().isEmpty()
               ? QString()
               : QString::fromStdString(TrialStore::pathFor(doc->filePath().toStdString()));
}

}  // namespace

ExperimentsView::ExperimentsView(GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_controller(new SearchController(this)) {
    setObjectName("experimentsView");
    m_open = new QPushButton(tr("Open space…"));
    m_open->setObjectName("openSpace");
    m_strategy = new QComboBox;
    m_strategy->setObjectName("searchStrategy");
    for (const StrategyDef* s : allStrategies()) {
        m_strategy->addItem(QString::fromStdString(s->id), QString::fromStdString(s->id));
        m_strategy->setItemData(m_strategy->count() - 1, QString::fromStdString(s->description),
                                Qt::ToolTipRole);
    }
    m_strategy->setCurrentText("tpe");
    m_trials = new QSpinBox;
    m_trials->setObjectName("searchTrials");
    m_trials->setRange(1, 100000);
    m_trials->setValue(20);
    m_trials->setPrefix(tr("trials: "));
    m_seconds = new QDoubleSpinBox;
    m_seconds->setObjectName("searchSeconds");
    m_seconds->setRange(0, 1e7);
    m_seconds->setDecimals(0);
    m_seconds->setPrefix(tr("time: "));
    m_seconds->setSuffix(tr(" s"));
    m_seconds->setSpecialValueText(tr("time: no limit"));
    m_editor = new SpaceEditor(doc);
    m_start = new QPushButton(tr("Start search"));
    m_start->setObjectName("startSearch");
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName("stopSearch");
    m_apply = new QPushButton(tr("Apply best trial"));
    m_apply->setObjectName("applyBestTrial");
    m_status = new QLabel;
    m_status->setObjectName("searchStatus");
    m_status->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    for (QWidget* w : std::initializer_list<QWidget*>{m_open, m_strategy, m_trials, m_seconds,
                                                      m_start, m_stop, m_apply})
        buttons->addWidget(w);
    buttons->addStretch();

    m_table = new QTableWidget;
    m_table->setObjectName("trialTable");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_plot = new ParallelCoordinates;
    m_plot->setObjectName("parallelCoordinates");
    m_bestSeries = new QLineSeries;
    auto* chart = new QChart;
    chart->addSeries(m_bestSeries);
    chart->legend()->hide();
    chart->setTitle(tr("Best so far"));
    m_axisX = new QValueAxis;
    m_axisX->setTitleText(tr("trial"));
    m_axisX->setLabelFormat("%d");
    m_axisY = new QValueAxis;
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisY, Qt::AlignLeft);
    m_bestSeries->attachAxis(m_axisX);
    m_bestSeries->attachAxis(m_axisY);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart = new QChartView(chart);
    m_chart->setObjectName("bestSoFarChart");
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(160);
    m_chart->setMinimumWidth(320);

    auto* plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(m_plot);
    plots->addWidget(m_chart);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 2);
    plots->setSizes({640, 420});
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_editor);
    split->addWidget(m_table);
    split->addWidget(plots);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_open, &QPushButton::clicked, this, &ExperimentsView::openSpace);
    connect(m_editor, &SpaceEditor::storeRequested, this, [this] { storeInProject(); });
    connect(m_start, &QPushButton::clicked, this, &ExperimentsView::startSearch);
    connect(m_stop, &QPushButton::clicked, this, &ExperimentsView::stopSearch);
    connect(m_apply, &QPushButton::clicked, this, &ExperimentsView::applyBest);
    connect(m_controller, &SearchController::trialStarted, this,
            [this](const Trial& t) { setStatus(tr("Trial %1 running…").arg(t.number)); });
    connect(m_controller, &SearchController::epochEnded, this,
            [this](const Trial& t) { showTrial(t, false); });
    connect(m_controller, &SearchController::trialEnded, this,
            [this](const Trial& t) { showTrial(t, true); });
    connect(m_controller, &SearchController::finished, this, [this](const QString& reason) {
        m_controller->join();
        refresh();
        const Trial* best = bestTrial(m_record.trials, m_record.space.maximize);
        setStatus(best ? tr("Search ended: %1. Best: trial %2, %3 %4")
                             .arg(reason)
                             .arg(best->number)
                             .arg(QString::fromStdString(m_record.space.metric))
                             .arg(best->value(), 0, 'f', 4)
                       : tr("Search ended: %1.").arg(reason));
        updateButtons();
        emit searchEnded(reason);
    });
    connect(m_controller, &SearchController::failed, this, [this](const QString& message) {
        m_controller->join();
        setStatus(message);
        updateButtons();
        emit searchEnded(message);
    });
    connect(m_doc, &GraphDocument::filePathChanged, this, [this] { loadStored(); });
    loadStored();
}

ExperimentsView::~ExperimentsView() = default;

bool ExperimentsView::isRunning() const {
    return m_controller->isRunning();
}

QString ExperimentsView::status() const {
    return m_status->text();
}

void ExperimentsView::setStatus(const QString& text) {
    m_status->setText(text);
}

bool ExperimentsView::setSpace(const SearchSpace& space) {
    try {
        validateSpace(space, m_doc->project());
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()));
        return false;
    }
    if (!(space == m_record.space)) m_record.trials.clear();
    m_record.space = space;
    m_hasSpace = true;
    m_editor->showSpace(space);
    setStatus(tr("%1 parameters; metric %2 (%3)")
                  .arg(space.dimensions.size())
                  .arg(QString::fromStdString(space.metric))
                  .arg(space.maximize ? tr("higher is better") : tr("lower is better")));
    refresh();
    updateButtons();
    return true;
}

void ExperimentsView::openSpace() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open search space"), {},
                                                      tr("Search spaces (*.json)"));
    if (path.isEmpty()) return;
    try {
        setSpace(readSearchSpace(path.toStdString()));
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()));
    }
}

bool ExperimentsView::storeInProject() {
    const QString refusal = m_editor->store(m_strategy->currentData().toString().toStdString(),
                                            m_trials->value(), m_seconds->value());
    if (!refusal.isEmpty()) {
        setStatus(refusal);
        return false;
    }
    const SearchSpace space = m_doc->project().search->space;
    if (!(space == m_record.space)) m_record.trials.clear();
    m_record.space = space;
    m_hasSpace = true;
    setStatus(tr("Search space stored in the project (%1 parameters): saving the project keeps "
                 "it, and `netloom search` uses it.")
                  .arg(space.dimensions.size()));
    refresh();
    updateButtons();
    return true;
}

void ExperimentsView::loadStored() {
    if (isRunning()) return;
    m_record = SearchRecord{};
    m_hasSpace = false;
    const QString path = storePathOf(m_doc);
    // The project's own search first: its space, strategy and budget (checked on opening).
    const std::optional<ProjectSearch>& kept = m_doc->project().search;
    if (kept) {
        m_record.space = kept->space;
        m_record.strategy = kept->strategy;
        m_hasSpace = true;
        m_strategy->setCurrentText(QString::fromStdString(kept->strategy));
        m_trials->setValue(static_cast<int>(kept->trials));
        m_seconds->setValue(kept->seconds);
        m_editor->showSpace(kept->space);
        setStatus(tr("The project's search: %1 parameters, %2, %3 trials")
                      .arg(kept->space.dimensions.size())
                      .arg(QString::fromStdString(kept->strategy))
                      .arg(kept->trials));
    }
    try {
        if (!path.isEmpty())
            if (std::optional<SearchRecord> r = TrialStore(path.toStdString()).load();
                r && (!kept || r->space == kept->space)) {
                m_record = *r;
                m_hasSpace = true;
                m_editor->showSpace(r->space);
                m_strategy->setCurrentText(QString::fromStdString(r->strategy));
                m_trials->setValue(
                    std::max<int>(m_trials->value(), static_cast<int>(r->trials.size())));
                setStatus(tr("%1 trials from %2").arg(r->trials.size()).arg(path));
            }
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()));
    }
    if (!m_hasSpace)
        setStatus(tr("Open a search space (a JSON file: docs/search.md) to start a search."));
    refresh();
    updateButtons();
}

void ExperimentsView::startSearch() {
    if (!m_hasSpace || isRunning()) return;
    m_record.strategy = m_strategy->currentData().toString().toStdString();
    setStatus(tr("Starting…"));
    m_controller->start(m_doc->project(), m_record,
                        SearchBudget{m_trials->value(), m_seconds->value()}, storePathOf(m_doc));
    updateButtons();
}

void ExperimentsView::stopSearch() {
    m_controller->stop();
}

void ExperimentsView::applyBest() {
    try {
        const QString label = applyBestTrial(m_doc, m_record);
        setStatus(tr("%1 (Edit ▸ Undo takes it back)").arg(label));
    } catch (const std::exception& e) {
        setStatus(QString::fromUtf8(e.what()));
    }
}

void ExperimentsView::showTrial(const Trial& t, bool done) {
    // A running trial's row is replaced by its final version.
    auto it = std::find_if(m_record.trials.begin(), m_record.trials.end(),
                           [&](const Trial& o) { return o.number == t.number; });
    if (!done) {
        m_running = t;
        refresh();
        return;
    }
    m_running.reset();
    if (it == m_record.trials.end())
        m_record.trials.push_back(t);
    else
        *it = t;
    refresh();
}

void ExperimentsView::refresh() {
    const SearchSpace& s = m_record.space;
    QStringList head = {tr("#"), tr("state"), QString::fromStdString(s.metric), tr("epochs"),
                        tr("seconds")};
    for (const SearchDimension& d : s.dimensions) head << QString::fromStdString(d.name());
    std::vector<Trial> rows = m_record.trials;
    if (m_running) rows.push_back(*m_running);
    m_table->setColumnCount(head.size());
    m_table->setHorizontalHeaderLabels(head);
    m_table->setRowCount(static_cast<int>(rows.size()));
    const Trial* best = bestTrial(m_record.trials, s.maximize);
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const Trial& t = rows[static_cast<size_t>(r)];
        const bool running = m_running && r == static_cast<int>(rows.size()) - 1;
        QStringList cells = {
            QString::number(t.number),
            running ? tr("running") : QString::fromStdString(trialStateName(t.state)),
            std::isfinite(t.value()) ? QString::number(t.value(), 'f', 4) : "–",
            QString::number(t.curve.size()),
            running ? QString() : QString::number(t.seconds, 'f', 1)};
        for (const ParamValue& v : t.values) cells << valueText(v);
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (best && t.number == best->number && !running) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            if (t.state == TrialState::Failed && !running)
                item->setToolTip(QString::fromStdString(t.message));
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_plot->setRecord(m_record);
    // Best so far after each trial.
    QList<QPointF> points;
    double bestValue = NAN, lo = INFINITY, hi = -INFINITY;
    for (const Trial& t : m_record.trials) {
        if (t.state == TrialState::Finished && betterValue(t.value(), bestValue, s.maximize))
            bestValue = t.value();
        if (std::isfinite(bestValue)) {
            points << QPointF(static_cast<double>(t.number), bestValue);
            lo = std::min(lo, bestValue), hi = std::max(hi, bestValue);
        }
    }
    m_bestSeries->replace(points);
    m_axisX->setRange(0, std::max<double>(1, static_cast<double>(m_record.trials.size()) - 1));
    if (std::isfinite(lo)) {
        const double pad = std::max(1e-3, 0.1 * (hi - lo));
        m_axisY->setRange(lo - pad, hi + pad);
    }
    m_chart->chart()->setTitle(
        QString::fromStdString(s.metric.empty() ? "" : "Best " + s.metric + " so far"));
}

void ExperimentsView::updateButtons() {
    const bool running = isRunning();
    m_open->setEnabled(!running);
    m_start->setEnabled(m_hasSpace && !running);
    m_stop->setEnabled(running);
    m_strategy->setEnabled(!running);
    m_trials->setEnabled(!running);
    m_apply->setEnabled(!running && bestTrial(m_record.trials, m_record.space.maximize));
}

}  // namespace netloom::ui
