#include "ui/training/run_history_table.h"

#include <QHeaderView>
#include <cmath>
#include <set>

#include "engine/settings/settings.h"
#include "ui/commands/training_command.h"
#include "ui/document/graph_document.h"
#include "ui/training/training_panel.h"

namespace netloom::ui {

namespace {

QString number(double v, int precision = 4) {
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("–");
}

QString percent(double v) {
    return std::isfinite(v) ? QString::number(v * 100, 'f', 1) + " %" : QStringLiteral("–");
}

}  // namespace

// The settings a run used, from the settings schema: the summary names the optimizer, its
// learning rate and every other setting of the run's task that differs from its default.
QString settingsSummary(const engine::TrainingConfig& c) {
    const engine::TrainingConfig defaults;
    // Always: the optimizer, its learning rate, the batch size and the seed, tersely.
    QStringList parts{optimizerName(c.optimizer.type) + " lr " +
                          QString::number(c.optimizer.lr, 'g', 3),
                      QObject::tr("batch %1").arg(c.batchSize),
                      QObject::tr("seed %1").arg(c.seed)};
    static const std::set<std::string> headline = {"optimizer.type", "optimizer.lr",
                                                   "batch_size", "seed"};
    for (const engine::SettingDef* d : settingsOfTask(c)) {
        if (d->group == "task" || headline.count(d->id)) continue;
        if (!d->optionalObject.empty()) {  // the discriminator's optimizer: its kind and rate
            if (d->spec.key == "type" || d->spec.key == "lr")
                parts << QObject::tr("D ") + settingPhrase(d->spec.label) + " " +
                             settingValueText(*d, c);
            continue;
        }
        if (d->get(c) == d->get(defaults)) continue;
        parts << settingPhrase(d->spec.label) + " " + settingValueText(*d, c);
    }
    return parts.join(" · ");
}

QString settingsDetails(const engine::TrainingConfig& c) {
    QStringList lines;
    QString group;
    for (const engine::SettingDef* d : settingsOfTask(c)) {
        const QString title = QString::fromStdString(engine::settingGroupTitle(d->group)) +
                              (d->optionalObject.empty() ? "" : QObject::tr(" (discriminator)"));
        if (title != group) {
            group = title;
            lines << title + ":";
        }
        lines << "  " + QString::fromStdString(d->spec.label) + ": " + settingValueText(*d, c);
    }
    return lines.join("\n");
}

RunHistoryTable::RunHistoryTable(GraphDocument* doc, QWidget* parent)
    : QTableWidget(parent), m_doc(doc) {
    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels({tr("Show"), tr("Started (UTC)"), tr("Status"), tr("Epochs"),
                               tr("Train loss"), tr("Val loss"), tr("Val acc"), tr("Test acc"),
                               tr("Duration"), tr("Settings")});
    setEditTriggers(NoEditTriggers);
    setSelectionBehavior(SelectRows);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeaderItem(Show)->setToolTip(
        tr("Overlay this run's validation curves on the charts"));
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind != GraphChange::Kind::Reset) return;
        const bool had = !m_overlaid.empty();
        m_overlaid.clear();
        refresh();
        if (had) emit overlaysChanged();
    });
    connect(this, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (m_filling || item->column() != Show) return;
        setOverlaid(historyIndex(item->row()), item->checkState() == Qt::Checked);
    });
    refresh();
}

QString RunHistoryTable::runName(int historyIndex) {
    return tr("Run %1").arg(historyIndex + 1);
}

int RunHistoryTable::historyIndex(int row) const {
    if (!m_doc) return -1;
    const int n = static_cast<int>(m_doc->project().history.size());
    return row >= 0 && row < n ? n - 1 - row : -1;
}

int RunHistoryTable::rowOf(int index) const {
    if (!m_doc) return -1;
    const int n = static_cast<int>(m_doc->project().history.size());
    return index >= 0 && index < n ? n - 1 - index : -1;
}

void RunHistoryTable::setOverlaid(int index, bool on) {
    if (index < 0 || (on ? m_overlaid.count(index) : !m_overlaid.count(index))) return;
    if (on)
        m_overlaid.insert(index);
    else
        m_overlaid.erase(index);
    if (QTableWidgetItem* item = this->item(rowOf(index), Show)) {
        m_filling = true;
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        m_filling = false;
    }
    emit overlaysChanged();
}

void RunHistoryTable::refresh() {
    if (!m_doc) return;
    const auto& history = m_doc->project().history;
    m_filling = true;
    setRowCount(static_cast<int>(history.size()));
    for (size_t i = 0; i < history.size(); ++i) {
        const engine::RunRecord& r = history[history.size() - 1 - i];  // newest first
        const int row = static_cast<int>(i);
        const engine::EpochRecord last = r.epochs.empty() ? engine::EpochRecord{} : r.epochs.back();
        const bool any = !r.epochs.empty();
        const bool finished = r.status == "finished";
        const auto& c = r.config;
        const int index = static_cast<int>(history.size() - 1 - i);
        const QString cells[ColumnCount] = {
            runName(index),
            QString::fromStdString(r.started).replace('T', ' ').left(19),
            QString::fromStdString(r.status),
            QString("%1 / %2").arg(r.epochs.size()).arg(c.epochs),
            any ? number(last.trainLoss) : QStringLiteral("–"),
            any ? number(last.valLoss) : QStringLiteral("–"),
            any ? percent(last.valAccuracy) : QStringLiteral("–"),
            finished ? percent(r.testAccuracy) : QStringLiteral("–"),
            formatDuration(r.seconds),
            settingsSummary(c),
        };
        for (int col = 0; col < ColumnCount; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col >= Epochs && col <= Duration)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (col == Status && r.status == "failed") {
                item->setForeground(QColor(203, 24, 29));
                item->setToolTip(QString::fromStdString(r.message));
            }
            if (col == Show) {
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
                item->setCheckState(m_overlaid.count(index) ? Qt::Checked : Qt::Unchecked);
            }
            if (col == Settings) item->setToolTip(settingsDetails(c));
            setItem(row, col, item);
        }
    }
    m_filling = false;
}

}  // namespace netloom::ui
