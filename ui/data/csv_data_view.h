#pragma once
// The data view of a CSV project: a table of the file's columns with their statistics (type,
// count, missing, mean ± std or top categories, min, max) and a bar chart of the target's class
// balance. The preparation is chosen here too: each column's role (target, feature, ignored),
// one-hot encoding of a text column, its missing-value strategy, and the global strategy and
// scaling. Every choice is one undoable SetTrainingCommand on the dataset settings, the same
// settings the training settings dock, the project file and `netloom train --set` use.
#include <QWidget>
#include <memory>
#include <string>

#include "engine/data/csv_prep.h"
#include "engine/project/training_config.h"

class QChartView;
class QComboBox;
class QLabel;
class QTableWidget;

namespace netloom::ui {

class GraphDocument;

class CsvDataView : public QWidget {
    Q_OBJECT
public:
    explicit CsvDataView(GraphDocument* doc, QWidget* parent = nullptr);

    // Columns of the table, for tests: 0 name, 1 role, 2 type, 3 count, 4 missing, 5 summary,
    // 6 min, 7 max, 8 one-hot, 9 missing values.
    QTableWidget* table() const { return m_table; }
    // "ok" or the message the current settings are refused with.
    QString status() const;
    // The class counts the chart shows (class name, rows).
    const std::vector<std::pair<std::string, int64_t>>& classCounts() const { return m_classes; }

public slots:
    void refresh();

private:
    void rebuildTable();
    void rebuildChart();
    void setRole(int column, const QString& role);
    void setOneHot(int column, bool on);
    void setColumnMissing(int column, const QString& strategy);
    void push(const engine::TrainingConfig& config, const QString& field);

    GraphDocument* m_doc;
    QLabel* m_header;
    QLabel* m_problem;
    QComboBox* m_missing;
    QComboBox* m_scaling;
    QTableWidget* m_table;
    QChartView* m_chart;
    // The file as last read (re-read when path, header format or modification time change).
    std::string m_key;
    std::shared_ptr<engine::CsvTable> m_tableData;
    std::vector<engine::CsvColumnStats> m_stats;
    std::vector<std::pair<std::string, int64_t>> m_classes;
    bool m_updating = false;
};

}  // namespace netloom::ui
