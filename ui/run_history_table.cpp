#include "ui/run_history_table.h"

#include <QHeaderView>
#include <cmath>

#include "ui/graph_document.h"
#include "ui/training_panel.h"

namespace netloom::ui {

namespace {

QString number(double v, int precision = 4) {
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("–");
}

QString percent(double v) {
    return std::isfinite(v) ? QString::number(v * 100, 'f', 1) + " %" : QStringLiteral("–");
}

}  // namespace

RunHistoryTable::RunHistoryTable(GraphDocument* doc, QWidget* parent)
    : QTableWidget(parent), m_doc(doc) {
    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels({tr("Started (UTC)"), tr("Status"), tr("Epochs"), tr("Train loss"),
                               tr("Val loss"), tr("Val acc"), tr("Test acc"), tr("Duration"),
                               tr("Settings")});
    setEditTriggers(NoEditTriggers);
    setSelectionBehavior(SelectRows);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset) refresh();
    });
    refresh();
}

void RunHistoryTable::refresh() {
    if (!m_doc) return;
    const auto& history = m_doc->project().history;
    setRowCount(static_cast<int>(history.size()));
    for (size_t i = 0; i < history.size(); ++i) {
        const engine::RunRecord& r = history[history.size() - 1 - i];  // newest first
        const int row = static_cast<int>(i);
        const engine::EpochRecord last = r.epochs.empty() ? engine::EpochRecord{} : r.epochs.back();
        const bool any = !r.epochs.empty();
        const bool finished = r.status == "finished";
        const auto& c = r.config;
        const QString cells[ColumnCount] = {
            QString::fromStdString(r.started).replace('T', ' ').left(19),
            QString::fromStdString(r.status),
            QString("%1 / %2").arg(r.epochs.size()).arg(c.epochs),
            any ? number(last.trainLoss) : QStringLiteral("–"),
            any ? number(last.valLoss) : QStringLiteral("–"),
            any ? percent(last.valAccuracy) : QStringLiteral("–"),
            finished ? percent(r.testAccuracy) : QStringLiteral("–"),
            formatDuration(r.seconds),
            QString("%1 lr %2 · batch %3")
                .arg(QString::fromStdString(c.optimizer.type))
                .arg(c.optimizer.lr, 0, 'g', 3)
                .arg(c.batchSize),
        };
        for (int col = 0; col < ColumnCount; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col >= Epochs && col <= Duration)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (col == Status && r.status == "failed") {
                item->setForeground(QColor(203, 24, 29));
                item->setToolTip(QString::fromStdString(r.message));
            }
            setItem(row, col, item);
        }
    }
}

}  // namespace netloom::ui
