#include "ui/widgets/inspector_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>
#include <climits>
#include <functional>

#include "engine/core/error.h"
#include "engine/core/shape.h"
#include "engine/layers/registry.h"
#include "engine/layers/training_params.h"
#include "ui/canvas/ports.h"
#include "ui/commands/node_commands.h"
#include "ui/commands/transfer_commands.h"
#include "ui/widgets/float_spin_box.h"
#include "ui/widgets/reporting_spin_box.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
int clampInt(double v) {
    return static_cast<int>(std::clamp(v, double(INT_MIN), double(INT_MAX)));
}

}  // namespace

InspectorWidget::InspectorWidget(GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_placeholder = new QLabel(tr("Select a layer on the canvas to edit its settings."), this);
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_placeholder);
    layout->addStretch(1);
    connect(doc, &GraphDocument::changed, this, &InspectorWidget::onDocumentChanged);
}

QWidget* InspectorWidget::editor(const std::string& key) const {
    auto it = m_editors.find(key);
    return it == m_editors.end() ? nullptr : it->second;
}

QString InspectorWidget::message() const {
    return m_message ? m_message->text() : QString();
}

void InspectorWidget::setSelection(const std::vector<std::string>& nodeIds) {
    const std::string id = nodeIds.size() == 1 ? nodeIds.front() : std::string();
    if (nodeIds.size() > 1)
        m_placeholder->setText(
            tr("%1 layers selected. Select one to edit it.").arg(nodeIds.size()));
    else
        m_placeholder->setText(tr("Select a layer on the canvas to edit its settings."));
    if (id == m_nodeId && (m_form != nullptr) == !id.empty()) return;
    m_nodeId = id;
    buildForm();
}

void InspectorWidget::onDocumentChanged(const GraphChange& change) {
    if (m_nodeId.empty()) return;
    if (!m_doc->graph().findNode(m_nodeId)) {
        m_nodeId.clear();
        buildForm();
        return;
    }
    if (change.kind == GraphChange::Kind::Reset) {
        buildForm();  // same id, possibly another node in another project
        return;
    }
    if (change.kind != GraphChange::Kind::Training) refreshValues();
}

void InspectorWidget::buildForm() {
    if (m_form) {
        // The editor that triggered a rebuild may still be on the stack: delete later.
        m_form->hide();
        m_form->deleteLater();
        m_form = nullptr;
    }
    m_editors.clear();
    m_schema.clear();
    m_name = m_comment = nullptr;
    m_frozen = nullptr;
    m_lrMultiplier = nullptr;
    m_formLayout = nullptr;
    m_title = m_description = m_status = m_message = nullptr;
    const engine::Node* node = m_doc->graph().findNode(m_nodeId);
    m_placeholder->setVisible(!node);
    if (!node) return;

    const engine::LayerDef* def = engine::findLayerDef(node->type);
    m_form = new QWidget(this);
    auto* outer = new QVBoxLayout(m_form);
    outer->setContentsMargins(0, 0, 0, 0);
    const QString category = def ? qs(def->category()) : tr("Unknown");
    m_title = new QLabel(m_form);
    m_title->setTextFormat(Qt::RichText);
    m_title->setText(QString("<span style='font-size:large; font-weight:600; color:%1'>%2</span>"
                             " <span style='color:gray'>%3</span>")
                         .arg(categoryColor(category).name(),
                              qs(def ? def->displayName() : node->type).toHtmlEscaped(),
                              category.toHtmlEscaped()));
    outer->addWidget(m_title);
    m_description =
        new QLabel(def ? qs(def->description()) : tr("This layer type is unknown."), m_form);
    m_description->setWordWrap(true);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    outer->addWidget(m_description);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = new QLineEdit(m_form);
    m_name->setMaxLength(64);
    m_name->setToolTip(tr("Unique name of this layer"));
    connect(m_name, &QLineEdit::editingFinished, this, &InspectorWidget::commitName);
    form->addRow(tr("Name"), m_name);
    if (def) {
        m_schema = def->schema();
        for (const auto& spec : m_schema) {
            QWidget* w = createEditor(spec);
            w->setToolTip(qs(spec.help));
            m_editors[spec.key] = w;
            auto* label = new QLabel(qs(spec.label), m_form);
            label->setToolTip(qs(spec.help));
            form->addRow(label, w);
        }
    }
    m_frozen = new QCheckBox(tr("Frozen (locked)"), m_form);
    m_frozen->setToolTip(
        tr("Training leaves this layer's weights as they are: no gradient step and no optimizer "
           "state (for pre-trained layers). Same as the lock on the card."));
    connect(m_frozen, &QCheckBox::toggled, this, &InspectorWidget::commitFrozen);
    form->addRow(tr("Training"), m_frozen);
    auto* mult = new ReportingSpinBox<FloatSpinBox>(m_form);
    mult->setRange(0, 1000);
    mult->setSingleStep(0.1);
    mult->setToolTip(
        tr("This layer learns at the run's learning rate times this (1 = the "
           "run's rate, 0.1 = gently fine-tune pre-trained weights, 0 = frozen)"));
    mult->onRefused = [this, mult](const QString& text) {
        showMessage(rangeRefusal(tr("Learning-rate multiplier"), false, mult->minimum(),
                                 mult->maximum(), text, QString::number(mult->value(), 'g', 6)));
    };
    connect(mult, &QDoubleSpinBox::valueChanged, this, &InspectorWidget::commitLrMultiplier);
    m_lrMultiplier = mult;
    form->addRow(tr("LR multiplier"), m_lrMultiplier);
    m_formLayout = form;
    m_comment = new QLineEdit(m_form);
    m_comment->setPlaceholderText(tr("optional note"));
    connect(m_comment, &QLineEdit::editingFinished, this, &InspectorWidget::commitComment);
    form->addRow(tr("Comment"), m_comment);
    outer->addLayout(form);

    m_message = new QLabel(m_form);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QString("color:%1").arg(errorColor().name()));
    m_message->hide();
    outer->addWidget(m_message);
    m_status = new QLabel(m_form);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    outer->addWidget(m_status);

    static_cast<QVBoxLayout*>(layout())->insertWidget(1, m_form);
    refreshValues();
}

QWidget* InspectorWidget::createEditor(const engine::ParamSpec& spec) {
    const std::string key = spec.key;
    switch (spec.type) {
        case engine::ParamType::Int: {
            auto* box = new ReportingSpinBox<QSpinBox>(m_form);
            box->setRange(clampInt(spec.min), clampInt(spec.max));
            box->setKeyboardTracking(false);
            box->setAccelerated(true);
            // 0 shown as what it stands for: "= pool size" (at the minimum only).
            if (!spec.zeroMeans.empty() && spec.min == 0)
                box->setSpecialValueText("= " + qs(spec.zeroMeans));
            box->onRefused = [this, spec, box](const QString& text) {
                showMessage(rangeRefusal(qs(spec.label), true, box->minimum(), box->maximum(), text,
                                         QString::number(box->value())));
            };
            connect(box, &QSpinBox::valueChanged, this,
                    [this, key](int v) { commitParam(key, int64_t{v}); });
            return box;
        }
        case engine::ParamType::Float: {
            auto* box = new ReportingSpinBox<FloatSpinBox>(m_form);
            box->setRange(spec.min, spec.max);
            const double span = spec.max - spec.min;
            box->setSingleStep(span > 0 && span <= 2 ? 0.05 : 0.1);
            box->onRefused = [this, spec, box](const QString& text) {
                showMessage(rangeRefusal(qs(spec.label), false, box->minimum(), box->maximum(),
                                         text, QString::number(box->value(), 'g', 6)));
            };
            connect(box, &QDoubleSpinBox::valueChanged, this,
                    [this, key](double v) { commitParam(key, v); });
            return box;
        }
        case engine::ParamType::Bool: {
            auto* box = new QCheckBox(m_form);
            connect(box, &QCheckBox::toggled, this, [this, key](bool v) { commitParam(key, v); });
            return box;
        }
        case engine::ParamType::Choice: {
            auto* box = new QComboBox(m_form);
            for (const auto& c : spec.choices) box->addItem(qs(c));
            connect(box, &QComboBox::activated, this,
                    [this, key, box](int) { commitParam(key, box->currentText().toStdString()); });
            return box;
        }
        case engine::ParamType::Shape: {
            auto* edit = new QLineEdit(m_form);
            edit->setPlaceholderText("1,28,28");
            connect(edit, &QLineEdit::editingFinished, this, [this, key, edit] {
                const std::string text = edit->text().trimmed().toStdString();
                try {
                    engine::parseShape(text);
                } catch (const netloom::Error& e) {
                    showMessage(qs(e.what()));
                    refreshValues();
                    return;
                }
                commitParam(key, text);
            });
            return edit;
        }
    }
    return new QWidget(m_form);
}

void InspectorWidget::refreshValues() {
    const engine::Node* node = m_doc->graph().findNode(m_nodeId);
    if (!node || !m_form) return;
    const engine::Params params = effectiveParams(*node);
    {
        const QSignalBlocker b(m_name);
        if (!m_name->hasFocus() || m_name->text() != qs(node->name))
            m_name->setText(qs(node->name));
    }
    {
        const QSignalBlocker b(m_comment);
        m_comment->setText(qs(m_doc->nodeUi(m_nodeId).comment));
    }
    {
        const engine::NodeAnalysis* na = m_doc->nodeAnalysis(m_nodeId);
        const bool frozen = engine::isFrozen(node->params);
        const double multiplier = engine::lrMultiplierOf(node->params);
        const bool trainable = frozen || multiplier != 1.0 || (na && na->ok && na->parameters > 0);
        m_formLayout->setRowVisible(m_frozen, trainable);
        m_formLayout->setRowVisible(m_lrMultiplier, trainable);
        const QSignalBlocker b1(m_frozen), b2(m_lrMultiplier);
        m_frozen->setChecked(frozen);
        m_lrMultiplier->setValue(multiplier);
        m_lrMultiplier->setEnabled(!frozen);
    }
    for (const auto& spec : m_schema) {
        QWidget* w = editor(spec.key);
        if (!w || !params.has(spec.key)) continue;
        const engine::ParamValue& v = params.values().at(spec.key);
        const QSignalBlocker b(w);
        if (auto* box = qobject_cast<QSpinBox*>(w)) {
            if (auto p = std::get_if<int64_t>(&v)) box->setValue(clampInt(double(*p)));
        } else if (auto* fbox = qobject_cast<QDoubleSpinBox*>(w)) {
            if (auto p = std::get_if<double>(&v)) fbox->setValue(*p);
            if (auto p = std::get_if<int64_t>(&v)) fbox->setValue(double(*p));
        } else if (auto* check = qobject_cast<QCheckBox*>(w)) {
            if (auto p = std::get_if<bool>(&v)) check->setChecked(*p);
        } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
            if (auto p = std::get_if<std::string>(&v)) combo->setCurrentText(qs(*p));
        } else if (auto* edit = qobject_cast<QLineEdit*>(w)) {
            if (auto p = std::get_if<std::string>(&v)) edit->setText(qs(*p));
        }
    }
    const engine::NodeAnalysis* na = m_doc->nodeAnalysis(m_nodeId);
    if (na && !na->error.empty()) {
        m_status->setText(QString("<span style='color:%1'>⚠ %2</span>")
                              .arg(errorColor().name(), qs(na->error).toHtmlEscaped()));
    } else if (na && na->ok) {
        m_status->setText(
            tr("Output <b>%1</b> · %2 parameters · %3 FLOPs per sample")
                .arg(qs(na->output.toString()), humanCount(na->parameters), humanCount(na->flops)));
    } else {
        m_status->setText(tr("Output unknown until its inputs are valid."));
    }
}

void InspectorWidget::showMessage(const QString& text) {
    if (!m_message) return;
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void InspectorWidget::commitParam(const std::string& key, const engine::ParamValue& value) {
    const engine::Node* node = m_doc->graph().findNode(m_nodeId);
    if (!node) return;
    const engine::Params current = effectiveParams(*node);
    if (current.has(key) && current.values().at(key) == value && node->params.has(key)) return;
    try {
        m_doc->undoStack()->push(new SetParamCommand(m_doc, m_nodeId, key, value));
        showMessage({});
    } catch (const netloom::Error& e) {
        showMessage(tr("Refused: %1").arg(qs(e.what())));
        refreshValues();
    }
}

void InspectorWidget::commitName() {
    const engine::Node* node = m_doc->graph().findNode(m_nodeId);
    if (!node || !m_name) return;
    const std::string name = m_name->text().trimmed().toStdString();
    if (name == node->name) return;
    try {
        m_doc->undoStack()->push(new RenameCommand(m_doc, m_nodeId, name));
        showMessage({});
    } catch (const netloom::Error& e) {
        showMessage(qs(e.what()));
        const QSignalBlocker b(m_name);
        m_name->setText(qs(node->name));
    }
}

void InspectorWidget::commitFrozen(bool frozen) {
    const engine::Node* node = m_doc->graph().findNode(m_nodeId);
    if (!node || engine::isFrozen(node->params) == frozen) return;
    m_doc->undoStack()->push(new SetFrozenCommand(m_doc, {m_nodeId}, frozen));
    showMessage({});
}

void InspectorWidget::commitLrMultiplier(double multiplier) {
    const engine::Node* node = m_doc->graph().findNode(m_nodeId);
    if (!node || engine::lrMultiplierOf(node->params) == multiplier) return;
    try {
        m_doc->undoStack()->push(new SetLrMultiplierCommand(m_doc, m_nodeId, multiplier));
        showMessage({});
    } catch (const netloom::Error& e) {
        showMessage(tr("Refused: %1").arg(qs(e.what())));
        refreshValues();
    }
}

void InspectorWidget::commitComment() {
    if (!m_comment || !m_doc->graph().findNode(m_nodeId)) return;
    const std::string comment = m_comment->text().toStdString();
    if (comment == m_doc->nodeUi(m_nodeId).comment) return;
    m_doc->undoStack()->push(new SetCommentCommand(m_doc, m_nodeId, comment));
}

}  // namespace netloom::ui
