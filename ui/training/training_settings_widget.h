#pragma once
// Training settings of the project, one row per setting of the settings schema
// (engine/settings): a box per settings group, shown when the project's task uses that group
// (TaskDef::settingGroups()), each row shown when its setting applies (an optimizer's rows
// only for the settings that optimizer reads, the CSV rows only for CSV data, the
// discriminator's optimizer only when it has its own). Every change is an undo command.
#include <QMap>
#include <QWidget>
#include <functional>
#include <vector>

#include "engine/layers/params.h"
#include "ui/document/graph_document.h"

class QFormLayout;
class QGroupBox;
class QLabel;

namespace netloom::engine {
struct SettingDef;
struct OptionalSettingObject;
}  // namespace netloom::engine

namespace netloom::ui {

class TrainingSettingsWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingSettingsWidget(GraphDocument* doc, QWidget* parent = nullptr);
    // The editor of a setting by id or alias ("optimizer.lr", "lr", "dataset.kind",
    // "gan.d_steps"), or of an optional settings object's "same as" checkbox
    // ("gan.discriminator_optimizer"); null when unknown.
    QWidget* editor(const QString& field) const;
    // The refusal shown under a number field whose typed value is out of range or not a
    // number ("Epochs must be between 1 and 100000, got 0 — kept 5."); empty when none.
    QString message() const;

private:
    using Setter = std::function<void(engine::TrainingConfig&)>;
    struct Row {
        const engine::SettingDef* def = nullptr;  // null: an optional object's checkbox
        QFormLayout* form = nullptr;
        QWidget* editor = nullptr;
    };
    QWidget* addRow(QFormLayout* form, const engine::SettingDef& def);
    QWidget* addChoice(QFormLayout* form, const engine::SettingDef& def);
    QWidget* addInt(QFormLayout* form, const engine::SettingDef& def);
    QWidget* addReal(QFormLayout* form, const engine::SettingDef& def);
    QWidget* addBool(QFormLayout* form, const engine::SettingDef& def);
    QWidget* addText(QFormLayout* form, const engine::SettingDef& def);
    QWidget* addPath(QFormLayout* form, const engine::SettingDef& def);
    void addOptionalObject(QFormLayout* form, const engine::OptionalSettingObject& object);
    // Sets one setting to a value its editor produced (already within the range).
    void applyValue(const engine::SettingDef& def, const engine::ParamValue& value);
    void apply(const QString& field, const Setter& set);
    void refresh();
    void updateVisibility();
    QLabel* addRefusalRow(QFormLayout* form);
    void hideRefusals();
    void showRefusal(QFormLayout* form, QLabel* where, const QString& text);

    GraphDocument* m_doc;
    QMap<QString, QWidget*> m_editors;  // by setting id
    std::vector<Row> m_rows;
    std::vector<std::function<void()>> m_refreshers;
    std::vector<std::pair<std::string, QGroupBox*>> m_groupBoxes;   // group, its box
    std::vector<std::pair<std::string, QGroupBox*>> m_objectBoxes;  // optional object, its box
    QGroupBox* m_optimizerBox = nullptr;
    QLabel* m_fashionNote = nullptr;
    QFormLayout* m_dataForm = nullptr;
    std::vector<std::pair<QFormLayout*, QLabel*>> m_refusals;  // one hidden row per number field
    bool m_refreshing = false;
};

}  // namespace netloom::ui
