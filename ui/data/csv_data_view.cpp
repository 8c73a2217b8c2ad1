#include "ui/data/csv_data_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <map>

#include "engine/core/error.h"
#include "engine/data/csv_table.h"
#include "ui/commands/training_command.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

namespace {

enum Column { Name, Role, Type, Count, Missing, Summary, Min, Max, OneHot, MissingValues };

QStringList listOf(const std::string& text) {
    QStringList out;
    for (const QString& s : QString::fromStdString(text).split(',', Qt::SkipEmptyParts))
        if (!s.trimmed().isEmpty()) out << s.trimmed();
    return out;
}

std::string joined(const QStringList& items) {
    return items.join(",").toStdString();
}

// "age=median,color=most_frequent" as a map and back, keeping file order of columns.
std::map<QString, QString> strategiesOf(const std::string& text) {
    std::map<QString, QString> out;
    for (const QString& item : listOf(text)) {
        const int eq = item.lastIndexOf('=');
        if (eq > 0) out[item.left(eq).trimmed()] = item.mid(eq + 1).trimmed();
    }
    return out;
}

QString number(double v) {
    return QString::number(v, 'g', 4);
}

const QStringList kStrategies = {"error", "drop", "mean", "median", "most_frequent"};
const QStringList kStrategyTexts = {QObject::tr("refuse"), QObject::tr("drop the row"),
                                    QObject::tr("fill: mean"), QObject::tr("fill: median"),
                                    QObject::tr("fill: most frequent")};

}  // namespace

CsvDataView::CsvDataView(GraphDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    setObjectName("csvDataView");
    auto* layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setObjectName("csvHeader");
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    m_problem = new QLabel(this);
    m_problem->setObjectName("csvProblem");
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_problem);

    auto* form = new QFormLayout;
    m_missing = new QComboBox(this);
    m_missing->setObjectName("csvMissing");
    for (int i = 0; i < kStrategies.size(); ++i)
        m_missing->addItem(kStrategyTexts[i], kStrategies[i]);
    m_scaling = new QComboBox(this);
    m_scaling->setObjectName("csvScaling");
    m_scaling->addItem(tr("none"), "none");
    m_scaling->addItem(tr("standardise (mean 0, std 1)"), "standardize");
    m_scaling->addItem(tr("min-max to [0, 1]"), "minmax");
    form->addRow(tr("Missing values"), m_missing);
    form->addRow(tr("Feature scaling"), m_scaling);
    layout->addLayout(form);
    connect(m_missing, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating) return;
        engine::TrainingConfig c = m_doc->training();
        c.dataset.csvMissing = m_missing->currentData().toString().toStdString();
        push(c, "dataset.csv_missing");
    });
    connect(m_scaling, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updating) return;
        engine::TrainingConfig c = m_doc->training();
        c.dataset.csvScaling = m_scaling->currentData().toString().toStdString();
        push(c, "dataset.csv_scaling");
    });

    m_table = new QTableWidget(this);
    m_table->setObjectName("csvColumns");
    m_table->setColumnCount(10);
    m_table->setHorizontalHeaderLabels({tr("Column"), tr("Role"), tr("Type"), tr("Count"),
                                        tr("Missing"), tr("Mean ± std / categories"), tr("Min"),
                                        tr("Max"), tr("One-hot"), tr("Missing values")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 2);

    m_chart = new QChartView(this);
    m_chart->setObjectName("classBalanceChart");
    m_chart->setMinimumHeight(160);
    m_chart->setRenderHint(QPainter::Antialiasing);
    layout->addWidget(m_chart, 1);

    connect(m_doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training) refresh();
    });
    refresh();
}

QString CsvDataView::status() const {
    return m_problem->property("ok").toBool() ? QString("ok") : m_problem->text();
}

void CsvDataView::push(const engine::TrainingConfig& config, const QString& field) {
    if (config == m_doc->training()) return;
    m_doc->undoStack()->push(new SetTrainingCommand(m_doc, config, field));
}

void CsvDataView::refresh() {
    const engine::DatasetConfig& d = m_doc->training().dataset;
    m_updating = true;
    m_missing->setCurrentIndex(
        std::max(0, m_missing->findData(QString::fromStdString(d.csvMissing))));
    m_scaling->setCurrentIndex(
        std::max(0, m_scaling->findData(QString::fromStdString(d.csvScaling))));
    m_updating = false;
    const bool csv = d.kind == "csv";
    m_missing->setEnabled(csv);
    m_scaling->setEnabled(csv);
    if (!csv || d.csvPath.empty()) {
        m_header->setText(csv ? tr("Choose the CSV file in the training settings (Data).")
                              : tr("The data view shows CSV datasets; this project's data is "
                                   "not a CSV file."));
        m_key.clear();
        m_tableData.reset();
        m_stats.clear();
        m_classes.clear();
        m_problem->clear();
        m_problem->setProperty("ok", false);
        rebuildTable();
        rebuildChart();
        return;
    }
    const QFileInfo info(QString::fromStdString(d.csvPath));
    const std::string key = d.csvPath + "|" + d.csvHeader + "|" +
                            info.lastModified().toString(Qt::ISODateWithMs).toStdString();
    if (key != m_key) {
        m_key = key;
        m_tableData.reset();
        m_stats.clear();
        try {
            m_tableData =
                std::make_shared<engine::CsvTable>(engine::readCsvTable(d.csvPath, d.csvHeader));
            m_stats = engine::csvColumnStats(*m_tableData);
        } catch (const std::exception& e) {
            m_header->setText(info.fileName());
            m_problem->setText(QString::fromStdString(e.what()));
            m_problem->setProperty("ok", false);
            m_problem->setStyleSheet("color: #c0392b;");
            m_classes.clear();
            rebuildTable();
            rebuildChart();
            return;
        }
    }
    const engine::CsvTable& t = *m_tableData;
    m_header->setText(tr("%1: %2 rows, %3 columns (statistics over every row)")
                          .arg(info.fileName())
                          .arg(t.rows.size())
                          .arg(t.columns.size()));
    // The settings against the file: what a run would refuse, said before it starts.
    m_classes.clear();
    try {
        engine::CsvPrepFit fit = engine::planCsvPrep(t, d);
        const std::vector<int64_t> kept = engine::keptCsvRows(t, fit);
        engine::fitCsvPrep(t, fit, kept, kept);
        const engine::Dataset all = engine::applyCsvPrep(t, fit, kept, t.source);
        if (fit.regression) {
            m_problem->setText(tr("Ready: %1 rows, %2 inputs; the target '%3' is a number to "
                                  "predict (regression).")
                                   .arg(kept.size())
                                   .arg(fit.inputWidth())
                                   .arg(QString::fromStdString(fit.target)));
        } else {
            std::vector<int64_t> counts(fit.classNames.size(), 0);
            for (int32_t l : all.labels) ++counts[static_cast<size_t>(l)];
            for (size_t k = 0; k < counts.size(); ++k)
                m_classes.emplace_back(fit.classNames[k], counts[k]);
            m_problem->setText(tr("Ready: %1 rows after dropping %2, %3 inputs, %4 classes.")
                                   .arg(kept.size())
                                   .arg(t.rows.size() - kept.size())
                                   .arg(fit.inputWidth())
                                   .arg(fit.classNames.size()));
        }
        m_problem->setProperty("ok", true);
        m_problem->setStyleSheet({});
    } catch (const std::exception& e) {
        m_problem->setText(QString::fromStdString(e.what()));
        m_problem->setProperty("ok", false);
        m_problem->setStyleSheet("color: #c0392b;");
    }
    rebuildTable();
    rebuildChart();
}

void CsvDataView::rebuildTable() {
    m_updating = true;
    m_table->clearContents();
    m_table->setRowCount(0);
    if (!m_tableData) {
        m_updating = false;
        return;
    }
    const engine::CsvTable& t = *m_tableData;
    const engine::DatasetConfig& d = m_doc->training().dataset;
    const int target =
        d.csvTarget.empty() ? static_cast<int>(t.columns.size()) - 1 : t.columnIndex(d.csvTarget);
    const QStringList features = listOf(d.csvFeatures);
    const QStringList categorical = listOf(d.csvCategorical);
    const std::map<QString, QString> strategies = strategiesOf(d.csvMissingColumns);
    m_table->setRowCount(static_cast<int>(m_stats.size()));
    for (int r = 0; r < static_cast<int>(m_stats.size()); ++r) {
        const engine::CsvColumnStats& s = m_stats[static_cast<size_t>(r)];
        const QString name = QString::fromStdString(s.name);
        auto set = [&](int column, const QString& text) {
            m_table->setItem(r, column, new QTableWidgetItem(text));
        };
        set(Name, name);
        set(Type, s.numeric ? tr("numeric") : tr("text"));
        set(Count, QString::number(s.count));
        set(Missing, QString::number(s.missing));
        if (s.numeric) {
            set(Summary, number(s.mean) + " ± " + number(s.std));
            set(Min, number(s.min));
            set(Max, number(s.max));
        } else {
            QStringList top;
            for (size_t k = 0; k < s.categories.size() && k < 4; ++k)
                top << QString("%1 (%2)")
                           .arg(QString::fromStdString(s.categories[k].first))
                           .arg(s.categories[k].second);
            if (s.categories.size() > 4) top << tr("… %1 in all").arg(s.categories.size());
            set(Summary, top.join(", "));
            set(Min, {});
            set(Max, {});
        }
        const bool isTarget = r == target;
        const bool isFeature = !isTarget && (features.isEmpty() || features.contains(name));
        auto* role = new QComboBox;
        role->addItem(tr("target"), "target");
        role->addItem(tr("feature"), "feature");
        role->addItem(tr("ignored"), "ignored");
        role->setCurrentIndex(isTarget ? 0 : isFeature ? 1 : 2);
        connect(role, &QComboBox::currentIndexChanged, this,
                [this, r, role] { setRole(r, role->currentData().toString()); });
        m_table->setCellWidget(r, Role, role);

        auto* oneHot = new QCheckBox;
        oneHot->setChecked(categorical.contains(name));
        oneHot->setEnabled(isFeature);
        connect(oneHot, &QCheckBox::toggled, this, [this, r](bool on) { setOneHot(r, on); });
        m_table->setCellWidget(r, OneHot, oneHot);

        auto* missing = new QComboBox;
        missing->addItem(tr("(as set above)"), QString());
        for (int i = 0; i < kStrategies.size(); ++i)
            missing->addItem(kStrategyTexts[i], kStrategies[i]);
        auto it = strategies.find(name);
        missing->setCurrentIndex(
            it == strategies.end() ? 0 : std::max(0, missing->findData(it->second)));
        missing->setEnabled(isFeature || isTarget);
        connect(missing, &QComboBox::currentIndexChanged, this,
                [this, r, missing] { setColumnMissing(r, missing->currentData().toString()); });
        m_table->setCellWidget(r, MissingValues, missing);
    }
    m_updating = false;
}

void CsvDataView::rebuildChart() {
    auto* chart = new QChart;
    chart->setTitle(tr("Class balance of the target"));
    chart->legend()->hide();
    if (!m_classes.empty()) {
        auto* set = new QBarSet(tr("rows"));
        QStringList names;
        int64_t most = 0;
        for (const auto& [name, n] : m_classes) {
            *set << static_cast<double>(n);
            names << QString::fromStdString(name);
            most = std::max(most, n);
        }
        auto* series = new QBarSeries;
        series->append(set);
        set->setLabelColor(palette().color(QPalette::WindowText));
        series->setLabelsVisible(true);
        chart->addSeries(series);
        auto* x = new QBarCategoryAxis;
        x->append(names);
        auto* y = new QValueAxis;
        y->setRange(0, static_cast<double>(most) * 1.15);
        y->setLabelFormat("%d");
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    m_chart->setChart(chart);  // the view owns and deletes the previous chart
}

void CsvDataView::setRole(int column, const QString& role) {
    if (m_updating || !m_tableData) return;
    const engine::CsvTable& t = *m_tableData;
    engine::TrainingConfig c = m_doc->training();
    engine::DatasetConfig& d = c.dataset;
    const QString name = QString::fromStdString(t.columns[static_cast<size_t>(column)]);
    const int target =
        d.csvTarget.empty() ? static_cast<int>(t.columns.size()) - 1 : t.columnIndex(d.csvTarget);
    QStringList features = listOf(d.csvFeatures);
    if (features.isEmpty())
        for (int k = 0; k < static_cast<int>(t.columns.size()); ++k)
            if (k != target) features << QString::fromStdString(t.columns[static_cast<size_t>(k)]);
    if (column == target && role != "target") {
        m_problem->setText(
            tr("'%1' is the target: make another column the target first.").arg(name));
        m_problem->setProperty("ok", false);
        QMetaObject::invokeMethod(this, &CsvDataView::refresh, Qt::QueuedConnection);
        return;
    }
    QString field = "dataset.csv_features";
    if (role == "target") {
        // The old target becomes a feature; the new one stops being one.
        if (target >= 0) features << QString::fromStdString(t.columns[static_cast<size_t>(target)]);
        features.removeAll(name);
        d.csvTarget = name.toStdString();
        QStringList cats = listOf(d.csvCategorical);
        cats.removeAll(name);
        d.csvCategorical = joined(cats);
        field = "dataset.csv_target";
    } else if (role == "feature") {
        if (!features.contains(name)) features << name;
    } else {
        features.removeAll(name);
        QStringList cats = listOf(d.csvCategorical);
        cats.removeAll(name);
        d.csvCategorical = joined(cats);
    }
    // In file order; all but the target is the default (empty).
    QStringList ordered;
    const int newTarget = t.columnIndex(d.csvTarget.empty() ? t.columns.back() : d.csvTarget);
    bool all = true;
    for (int k = 0; k < static_cast<int>(t.columns.size()); ++k) {
        if (k == newTarget) continue;
        const QString n = QString::fromStdString(t.columns[static_cast<size_t>(k)]);
        if (features.contains(n))
            ordered << n;
        else
            all = false;
    }
    d.csvFeatures = all ? std::string() : joined(ordered);
    push(c, field);
}

void CsvDataView::setOneHot(int column, bool on) {
    if (m_updating || !m_tableData) return;
    engine::TrainingConfig c = m_doc->training();
    QStringList cats = listOf(c.dataset.csvCategorical);
    const QString name = QString::fromStdString(m_tableData->columns[static_cast<size_t>(column)]);
    cats.removeAll(name);
    if (on) cats << name;
    c.dataset.csvCategorical = joined(cats);
    push(c, "dataset.csv_categorical");
}

void CsvDataView::setColumnMissing(int column, const QString& strategy) {
    if (m_updating || !m_tableData) return;
    engine::TrainingConfig c = m_doc->training();
    const QString name = QString::fromStdString(m_tableData->columns[static_cast<size_t>(column)]);
    QStringList items;
    bool placed = false;
    for (const QString& item : listOf(c.dataset.csvMissingColumns)) {
        const int eq = item.lastIndexOf('=');
        if (eq > 0 && item.left(eq).trimmed() == name) {
            if (!strategy.isEmpty()) items << name + "=" + strategy;
            placed = true;
        } else {
            items << item;
        }
    }
    if (!placed && !strategy.isEmpty()) items << name + "=" + strategy;
    c.dataset.csvMissingColumns = joined(items);
    push(c, "dataset.csv_missing_columns");
}

}  // namespace netloom::ui
