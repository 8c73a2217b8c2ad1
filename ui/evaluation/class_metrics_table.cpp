#include "ui/evaluation/class_metrics_table.h"

#include <QHeaderView>

namespace netloom::ui {

engine::ConfusionMatrix toConfusionMatrix(int numClasses, const std::vector<int64_t>& counts) {
    engine::ConfusionMatrix m(numClasses);
    for (int a = 0; a < numClasses; ++a)
        for (int p = 0; p < numClasses; ++p)
            if (int64_t n = counts.at(static_cast<size_t>(a) * numClasses + p)) m.add(a, p, n);
    return m;
}

ClassMetricsTable::ClassMetricsTable(QWidget* parent) : QTableWidget(parent) {
    setColumnCount(5);
    setHorizontalHeaderLabels(
        {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    setEditTriggers(NoEditTriggers);
    setSelectionMode(NoSelection);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
}

void ClassMetricsTable::setMatrix(const engine::ConfusionMatrix& m, const QStringList& labels) {
    const int n = m.numClasses();
    setRowCount(n + 1);
    auto put = [this](int row, int col, const QString& text, bool bold = false) {
        auto* item = new QTableWidgetItem(text);
        if (col > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (bold) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        setItem(row, col, item);
    };
    auto num = [](double v) { return QString::number(v, 'f', 3); };
    for (int c = 0; c < n; ++c) {
        put(c, 0, c < labels.size() ? labels[c] : QString::number(c));
        put(c, 1, num(m.precision(c)));
        put(c, 2, num(m.recall(c)));
        put(c, 3, num(m.f1(c)));
        put(c, 4, QString::number(m.actualCount(c)));
    }
    put(n, 0, tr("macro mean"), true);
    put(n, 1, num(m.macroPrecision()), true);
    put(n, 2, num(m.macroRecall()), true);
    put(n, 3, num(m.macroF1()), true);
    put(n, 4, QString::number(m.total()), true);
}

}  // namespace netloom::ui
