#include "ui/training/run_epochs_table.h"

#include <QHeaderView>
#include <cmath>

namespace netloom::ui {

namespace {

QString number(double v) {
    return std::isfinite(v) ? QString::number(v, 'g', 4) : "–";
}
QString percent(double v) {
    return std::isfinite(v) ? QString::number(v * 100, 'f', 1) + " %" : QStringLiteral("–");
}

}  // namespace

RunEpochsTable::RunEpochsTable(QWidget* parent) : QTableWidget(parent) {
    setObjectName("runEpochsTable");
    setColumnCount(ColumnCount);
    setHorizontalHeaderLabels({tr("Epoch"), tr("Train loss"), tr("Train acc"), tr("Val loss"),
                               tr("Val acc"), tr("LR"), tr("Seconds")});
    horizontalHeaderItem(LearningRate)->setToolTip(tr("Learning rate at the end of the epoch"));
    setEditTriggers(NoEditTriggers);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
}

void RunEpochsTable::clearRun() {
    setRowCount(0);
    setToolTip(tr("Select a run above to see its epochs"));
}

void RunEpochsTable::showRun(const QString& name, const engine::RunRecord& r) {
    setRowCount(static_cast<int>(r.epochs.size()));
    setToolTip(tr("Epochs of %1").arg(name));
    for (int row = 0; row < rowCount(); ++row) {
        const engine::EpochRecord& e = r.epochs[static_cast<size_t>(row)];
        const QString cells[ColumnCount] = {
            QString::number(e.epoch), number(e.trainLoss),    percent(e.trainAccuracy),
            number(e.valLoss),        percent(e.valAccuracy), number(e.learningRate),
            QString::number(e.seconds, 'f', 1)};
        for (int col = 0; col < ColumnCount; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            setItem(row, col, item);
        }
    }
}

}  // namespace netloom::ui
