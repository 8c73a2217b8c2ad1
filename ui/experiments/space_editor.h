#pragma once
// The Experiments view's editor of the search kept in the project (Project::search): one row
// per searched parameter (a setting of docs/settings.md such as "optimizer.lr", or a layer's
// parameter as "layer.param" such as "fc1.units"), its type, range, log scale or choices; the
// metric, its direction, the pruner and the settings fixed for every trial. "Store in project"
// checks the whole search with the same refusals as `netloom search --space` (the parameter
// named in the status line) and stores it as one undo step; the project file then keeps it.
#include <QWidget>
#include <optional>

#include "engine/project/search_config.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace netloom::ui {

class GraphDocument;

class SpaceEditor : public QWidget {
    Q_OBJECT
public:
    explicit SpaceEditor(GraphDocument* doc, QWidget* parent = nullptr);

    // Fills the editor (the rows, metric, pruner, fixed settings) from a space.
    void showSpace(const engine::SearchSpace& space);
    // The space the editor shows; throws Error naming the row for text that is no number.
    engine::SearchSpace space() const;
    // Checks space() with `strategy` and the budget against the project and stores it (one undo
    // step). Returns the refusal, empty when stored.
    QString store(const std::string& strategy, int64_t trials, double seconds);

    QTableWidget* table() const { return m_table; }
    // Appends a row: name, "float" | "int" | "categorical", low, high, log, choices ("a, b").
    void addRow(const QString& name, const QString& type, const QString& low = {},
                const QString& high = {}, bool log = false, const QString& choices = {});

signals:
    void storeRequested();  // the Store button: the view adds strategy and budget

private:
    GraphDocument* m_doc;
    // The last space shown: what the editor has no field for (the pruner's counts, grid points)
    // is kept from it.
    engine::SearchSpace m_shown;
    QTableWidget* m_table;
    QComboBox *m_metric, *m_direction, *m_pruner;
    QLineEdit* m_fixed;
    QPushButton *m_add, *m_remove, *m_store;
};

}  // namespace netloom::ui
