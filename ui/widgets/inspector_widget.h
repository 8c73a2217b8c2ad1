#pragma once
// Edits the selected node: name, comment and one editor per parameter, generated from the
// layer's ParamSchema (spin boxes with the schema's ranges, combo boxes for choices, check
// boxes, validated text for shapes), and for layers with parameters the transfer-learning
// settings (frozen, learning-rate multiplier). Every change is an undo command; a refused value
// leaves the node unchanged and says why.
#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "engine/layers/params.h"
#include "ui/document/graph_document.h"

class QCheckBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace netloom::ui {

class InspectorWidget : public QWidget {
    Q_OBJECT
public:
    explicit InspectorWidget(GraphDocument* doc, QWidget* parent = nullptr);

    void setSelection(const std::vector<std::string>& nodeIds);
    const std::string& nodeId() const { return m_nodeId; }
    QWidget* editor(const std::string& key) const;  // the editor of a parameter, or null
    QLineEdit* nameEdit() const { return m_name; }
    // Transfer learning (layers with parameters): the lock and the learning-rate multiplier.
    QCheckBox* frozenBox() const { return m_frozen; }
    QDoubleSpinBox* lrMultiplierBox() const { return m_lrMultiplier; }
    QString message() const;  // the last refusal, empty after a successful edit
    QLabel* messageLabel() const { return m_message; }  // where it is shown (null: no form)

private:
    void onDocumentChanged(const GraphChange& change);
    void buildForm();
    void refreshValues();
    void commitParam(const std::string& key, const engine::ParamValue& value);
    void commitName();
    void commitComment();
    void commitFrozen(bool frozen);
    void commitLrMultiplier(double multiplier);
    void showMessage(const QString& text);
    QWidget* createEditor(const engine::ParamSpec& spec);

    GraphDocument* m_doc;
    std::string m_nodeId;
    QLabel* m_placeholder;
    QWidget* m_form = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_description = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_message = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_comment = nullptr;
    QFormLayout* m_formLayout = nullptr;
    QCheckBox* m_frozen = nullptr;
    QDoubleSpinBox* m_lrMultiplier = nullptr;
    std::map<std::string, QWidget*> m_editors;
    engine::ParamSchema m_schema;
};

}  // namespace netloom::ui
