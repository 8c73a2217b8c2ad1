#include "ui/training/training_settings_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>
#include <cmath>

#include "engine/data/dataset.h"
#include "engine/losses/loss.h"
#include "engine/optim/optimizer.h"
#include "engine/settings/settings.h"
#include "engine/tasks/registry.h"
#include "ui/commands/training_command.h"
#include "ui/training/augmentation_preview.h"
#include "ui/training/lr_schedule_preview.h"
#include "ui/widgets/float_spin_box.h"
#include "ui/widgets/reporting_spin_box.h"
#include "ui/widgets/setting_range.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

using Config = engine::TrainingConfig;
using engine::SettingDef;
using engine::SettingType;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Spin boxes have closed ranges: an open end moves in by the smallest step they show.

// "Epochs must be between 1 and 100000, got 0 — kept 5.": the schema's range, what was typed
// and what the box kept.
QString refusal(const SettingDef& def, const QString& typed, const QString& kept) {
    auto tr = [](const char* s) { return QCoreApplication::translate("RangeRefusal", s); };
    const QString label = qs(def.spec.label);
    const QString range = qs(engine::rangeText(def.spec));
    const QString t = typed.trimmed();
    const bool integer = def.spec.type == SettingType::Int;
    bool ok = false;
    if (integer)
        t.toLongLong(&ok);
    else
        t.toDouble(&ok);
    if (!ok)
        return tr("%1 must be a %2 %3, got '%4' — kept %5.")
            .arg(label, integer ? tr("whole number") : tr("number"), range, t, kept);
    return tr("%1 must be %2, got %3 — kept %4.").arg(label, range, t, kept);
}

}  // namespace

TrainingSettingsWidget::TrainingSettingsWidget(GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);
    // The settings a user changes most come first, so that a window of ordinary height shows
    // them without scrolling: task and loss, batch size and epochs, optimizer and learning rate;
    // then the schema's other groups in its order.
    std::vector<std::string> groups = {"task", "run", "optimizer"};
    for (const std::string& g : engine::settingGroups())
        if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    for (const std::string& group : groups) {
        auto* box = new QGroupBox(qs(engine::settingGroupTitle(group)), this);
        auto* form = new QFormLayout(box);
        m_groupBoxes.push_back({group, box});
        if (group == "optimizer") m_optimizerBox = box;
        if (group == "dataset") {
            m_dataForm = form;
            m_fashionNote = new QLabel(box);
            m_fashionNote->setWordWrap(true);
            m_fashionNote->setText(tr("60,000 training and 10,000 test images of clothing, "
                                      "28×28 grey, 10 classes, from %1")
                                       .arg(qs(engine::fashionMnistDir())));
        }
        for (const SettingDef& d : engine::allSettings()) {
            if (d.group != group || !d.optionalObject.empty()) continue;
            addRow(form, d);
            if (d.id == "dataset.kind") form->addRow(m_fashionNote);
        }
        // The schedule over the run, redrawn as any setting changes.
        if (group == "schedule") form->addRow(new LrSchedulePreview(doc, box));
        // A batch before and after augmentation, redrawn as its settings change.
        if (group == "augmentation") form->addRow(new AugmentationPreview(doc, box));
        outer->addWidget(box);
        // An optional object of this group: its "same as" checkbox here, its settings in a box
        // of their own below.
        for (const engine::OptionalSettingObject& o : engine::optionalSettingObjects()) {
            if (o.group != group) continue;
            addOptionalObject(form, o);
            auto* objectBox = new QGroupBox(qs(o.label), this);
            auto* objectForm = new QFormLayout(objectBox);
            for (const SettingDef& d : engine::allSettings())
                if (d.optionalObject == o.id) addRow(objectForm, d);
            m_objectBoxes.push_back({o.id, objectBox});
            outer->addWidget(objectBox);
        }
    }
    outer->addStretch(1);

    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Training || c.kind == GraphChange::Kind::Reset) refresh();
    });
    refresh();
}

QWidget* TrainingSettingsWidget::editor(const QString& field) const {
    if (QWidget* w = m_editors.value(field)) return w;
    const SettingDef* d = engine::findSetting(field.toStdString());
    return d ? m_editors.value(qs(d->id)) : nullptr;
}

QWidget* TrainingSettingsWidget::addRow(QFormLayout* form, const SettingDef& def) {
    QWidget* w = nullptr;
    switch (def.spec.type) {
        case SettingType::Int:
            w = addInt(form, def);
            break;
        case SettingType::Real:
            w = addReal(form, def);
            break;
        case SettingType::Bool:
            w = addBool(form, def);
            break;
        case SettingType::Choice:
            w = addChoice(form, def);
            break;
        case SettingType::Text:
            w = addText(form, def);
            break;
        case SettingType::Path:
            w = addPath(form, def);
            break;
    }
    w->setToolTip(qs(def.spec.help));
    m_editors[qs(def.id)] = w;
    if (def.spec.type != SettingType::Path) m_rows.push_back({&def, form, w});  // addPath did
    return w;
}

void TrainingSettingsWidget::addOptionalObject(QFormLayout* form,
                                               const engine::OptionalSettingObject& o) {
    auto* box = new QCheckBox(tr("same as the generator's"), this);
    form->addRow(tr("D optimizer"), box);
    const QString field = qs(o.id);
    m_editors[field] = box;
    m_rows.push_back({nullptr, form, box});
    connect(box, &QCheckBox::toggled, this, [this, field, &o](bool same) {
        apply(field, [&](Config& c) { same ? o.remove(c) : o.createCopy(c); });
    });
    m_refreshers.push_back([this, box, &o] {
        const QSignalBlocker b(box);
        box->setChecked(!o.present(m_doc->training()));
    });
}

void TrainingSettingsWidget::applyValue(const SettingDef& def, const engine::ParamValue& value) {
    apply(qs(def.id), [&](Config& c) {
        if (engine::checkSetting(def.spec, value).empty())
            def.set(c, *engine::coerceSetting(def.spec, value));
        if (def.id != "task") return;
        // Keep the loss meaningful for the task, in the same undo step.
        const engine::TaskDef* task = engine::findTask(c.task);
        const engine::LossInfo* loss = engine::findLoss(c.loss);
        if (task && (!loss || !task->lossProblem(*loss).empty())) c.loss = task->defaultLoss();
    });
}

QString TrainingSettingsWidget::message() const {
    for (const auto& [form, label] : m_refusals)
        if (form->isRowVisible(label)) return label->text();
    return {};
}

void TrainingSettingsWidget::hideRefusals() {
    for (const auto& [form, label] : m_refusals) form->setRowVisible(label, false);
}

void TrainingSettingsWidget::showRefusal(QFormLayout* form, QLabel* where, const QString& text) {
    hideRefusals();
    where->setText(text);
    form->setRowVisible(where, true);
}

QLabel* TrainingSettingsWidget::addRefusalRow(QFormLayout* form) {
    auto* label = new QLabel(this);
    label->setWordWrap(true);
    label->setStyleSheet(QString("color:%1").arg(errorColor().name()));
    form->addRow(label);
    form->setRowVisible(label, false);
    m_refusals.push_back({form, label});
    return label;
}

void TrainingSettingsWidget::apply(const QString& field, const Setter& set) {
    if (m_refreshing) return;
    hideRefusals();
    Config config = m_doc->training();
    set(config);
    if (config == m_doc->training()) return;
    m_doc->undoStack()->push(new SetTrainingCommand(m_doc, config, field));
}

void TrainingSettingsWidget::refresh() {
    m_refreshing = true;
    for (const auto& r : m_refreshers) r();
    m_refreshing = false;
    updateVisibility();
}

void TrainingSettingsWidget::updateVisibility() {
    const Config& c = m_doc->training();
    std::vector<const SettingDef*> shown = settingsOfTask(c);
    const engine::TaskDef* task = engine::findTask(c.task);
    std::vector<std::string> groups = task ? task->settingGroups() : engine::settingGroups();
    groups.push_back("task");
    auto groupShown = [&](const std::string& g) {
        return std::find(groups.begin(), groups.end(), g) != groups.end();
    };
    for (const Row& r : m_rows) {
        const bool on =
            r.def ? std::find(shown.begin(), shown.end(), r.def) != shown.end() : groupShown("gan");
        r.form->setRowVisible(r.editor, on);
    }
    // The augmentation box (with its preview) only where a setting of it applies: image data.
    auto anyShown = [&](const std::string& g) {
        return std::any_of(shown.begin(), shown.end(),
                           [&](const SettingDef* d) { return d->group == g; });
    };
    for (const auto& [group, box] : m_groupBoxes)
        box->setVisible(groupShown(group) && (group != "augmentation" || anyShown(group)));
    for (const auto& [id, box] : m_objectBoxes) {
        bool present = false;
        for (const engine::OptionalSettingObject& o : engine::optionalSettingObjects())
            if (o.id == id) present = o.present(c) && groupShown(o.group);
        box->setVisible(present);
    }
    m_dataForm->setRowVisible(m_fashionNote, c.dataset.kind == "fashion-mnist");
    m_optimizerBox->setTitle(task && task->isMultiNetwork() ? tr("Generator optimizer")
                                                            : tr("Optimizer"));
}

QWidget* TrainingSettingsWidget::addChoice(QFormLayout* form, const SettingDef& def) {
    auto* combo = new QComboBox(this);
    if (def.id == "task") {  // the task registry lists the tasks
        for (const engine::TaskDef* t : engine::allTasks()) {
            combo->addItem(qs(t->displayName()), qs(t->id()));
            combo->setItemData(combo->count() - 1, qs(t->description()), Qt::ToolTipRole);
            // A project with several networks (a GAN) is made from a sample (File ▸ New), so
            // such a task is shown for those projects but not offered to the others.
            if (t->isMultiNetwork())
                if (auto* model = qobject_cast<QStandardItemModel*>(combo->model()))
                    model->item(combo->count() - 1)->setEnabled(false);
        }
    } else {
        for (const std::string& id : def.spec.choices)
            combo->addItem(qs(def.spec.choiceLabel(id)), qs(id));
    }
    // Tooltips from the registries the choices come from.
    for (int i = 0; i < combo->count(); ++i) {
        const std::string id = combo->itemData(i).toString().toStdString();
        if (def.spec.key == "type")
            if (const engine::OptimizerDef* o = engine::findOptimizer(id))
                combo->setItemData(i, qs(o->description()), Qt::ToolTipRole);
        if (def.id == "loss")
            if (const engine::LossInfo* l = engine::findLoss(id))
                combo->setItemData(i, qs(l->description), Qt::ToolTipRole);
    }
    form->addRow(qs(def.spec.label), combo);
    connect(combo, &QComboBox::activated, this, [this, combo, &def](int) {
        applyValue(def, combo->currentData().toString().toStdString());
    });
    m_refreshers.push_back([this, combo, &def] {
        const QSignalBlocker b(combo);
        const QString v = qs(std::get<std::string>(def.get(m_doc->training())));
        int index = combo->findData(v);
        if (index < 0) {  // a value this build does not list (newer file): show it anyway
            combo->addItem(v, v);
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
    });
    return combo;
}

QWidget* TrainingSettingsWidget::addInt(QFormLayout* form, const SettingDef& def) {
    const engine::SettingSpec& s = def.spec;
    auto* box = new ReportingSpinBox<QSpinBox>(this);
    // QSpinBox counts in int: a larger maximum (a seed) shows as INT_MAX.
    const double lo = s.minOpen ? s.min + 1 : s.min, hi = s.maxOpen ? s.max - 1 : s.max;
    box->setRange(static_cast<int>(std::clamp<double>(lo, INT_MIN, INT_MAX)),
                  static_cast<int>(std::clamp<double>(hi, INT_MIN, INT_MAX)));
    box->setKeyboardTracking(false);
    box->setAccelerated(true);
    if (!s.zeroText.empty() && lo == 0) box->setSpecialValueText(qs(s.zeroText));
    if (!s.unit.empty()) box->setSuffix(" " + qs(s.unit));
    form->addRow(qs(s.label), box);
    QLabel* refused = addRefusalRow(form);
    box->onRefused = [this, form, refused, box, &def](const QString& text) {
        showRefusal(form, refused, refusal(def, text, box->valueText()));
    };
    connect(box, &QSpinBox::valueChanged, this,
            [this, &def](int v) { applyValue(def, static_cast<int64_t>(v)); });
    m_refreshers.push_back([this, box, &def] {
        const QSignalBlocker b(box);
        box->setValue(static_cast<int>(
            std::clamp<int64_t>(std::get<int64_t>(def.get(m_doc->training())), INT_MIN, INT_MAX)));
    });
    return box;
}

QWidget* TrainingSettingsWidget::addReal(QFormLayout* form, const SettingDef& def) {
    const engine::SettingSpec& s = def.spec;
    auto* box = new ReportingSpinBox<FloatSpinBox>(this);
    const auto [lo, hi] = spinRange(s);
    box->setRange(lo, hi);
    box->setSingleStep(s.step > 0 ? s.step : std::isfinite(s.max) ? (hi - lo) / 10 : 0.1);
    box->setLogSteps(s.logSteps);
    if (!s.zeroText.empty() && lo == 0) box->setSpecialValueText(qs(s.zeroText));
    form->addRow(qs(s.label), box);
    QLabel* refused = addRefusalRow(form);
    box->onRefused = [this, form, refused, box, &def](const QString& text) {
        showRefusal(form, refused, refusal(def, text, box->valueText()));
    };
    connect(box, &QDoubleSpinBox::valueChanged, this,
            [this, &def](double v) { applyValue(def, v); });
    m_refreshers.push_back([this, box, &def] {
        const QSignalBlocker b(box);
        box->setValue(std::get<double>(def.get(m_doc->training())));
    });
    return box;
}

QWidget* TrainingSettingsWidget::addBool(QFormLayout* form, const SettingDef& def) {
    auto* box = new QCheckBox(this);
    form->addRow(qs(def.spec.label), box);
    connect(box, &QCheckBox::toggled, this, [this, &def](bool v) { applyValue(def, v); });
    m_refreshers.push_back([this, box, &def] {
        const QSignalBlocker b(box);
        box->setChecked(std::get<bool>(def.get(m_doc->training())));
    });
    return box;
}

QWidget* TrainingSettingsWidget::addText(QFormLayout* form, const SettingDef& def) {
    auto* edit = new QLineEdit(this);
    edit->setPlaceholderText(qs(def.spec.zeroText));
    form->addRow(qs(def.spec.label), edit);
    connect(edit, &QLineEdit::editingFinished, this,
            [this, edit, &def] { applyValue(def, edit->text().trimmed().toStdString()); });
    m_refreshers.push_back([this, edit, &def] {
        const QSignalBlocker b(edit);
        edit->setText(qs(std::get<std::string>(def.get(m_doc->training()))));
    });
    return edit;
}

QWidget* TrainingSettingsWidget::addPath(QFormLayout* form, const SettingDef& def) {
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* edit = new QLineEdit(row);
    edit->setPlaceholderText(tr("path"));
    auto* browse = new QToolButton(row);
    browse->setText("…");
    browse->setToolTip(tr("Choose a file"));
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    form->addRow(qs(def.spec.label), row);
    const QString filter = def.spec.key.rfind("csv", 0) == 0
                               ? tr("CSV files (*.csv);;All files (*)")
                               : tr("IDX files (*-ubyte *-ubyte.gz *.idx *.gz);;All files (*)");
    connect(edit, &QLineEdit::editingFinished, this,
            [this, edit, &def] { applyValue(def, edit->text().trimmed().toStdString()); });
    connect(browse, &QToolButton::clicked, this, [this, edit, filter, &def] {
        const QString path =
            QFileDialog::getOpenFileName(this, qs(def.spec.label), edit->text(), filter);
        if (path.isEmpty()) return;
        edit->setText(path);
        emit edit->editingFinished();
    });
    m_refreshers.push_back([this, edit, &def] {
        const QSignalBlocker b(edit);
        edit->setText(qs(std::get<std::string>(def.get(m_doc->training()))));
    });
    // The row (label and button) hides with the editor: register the row widget, but tests and
    // callers edit the line edit.
    m_rows.push_back({&def, form, row});
    return edit;
}

}  // namespace netloom::ui
