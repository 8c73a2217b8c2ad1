#include "ui/experiments/space_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "engine/core/error.h"
#include "engine/search/project_search.h"
#include "engine/settings/settings.h"
#include "ui/document/graph_document.h"
#include "ui/experiments/search_command.h"

namespace netloom::ui {

using namespace netloom::engine;

namespace {

enum Column { kName, kType, kLow, kHigh, kLog, kChoices, kColumns };

// "2" → int, "0.5" → double, "true"/"false" → bool, anything else → text: how a value typed in a
// cell reads (the validation then checks it against the setting or parameter).
ParamValue valueFromText(const QString& text) {
    const QString t = text.trimmed();
    bool ok = false;
    if (const qlonglong i = t.toLongLong(&ok); ok) return static_cast<int64_t>(i);
    if (const double d = t.toDouble(&ok); ok) return d;
    if (t == "true" || t == "false") return t == "true";
    return t.toStdString();
}

QString valueText(const ParamValue& v) {
    return QString::fromStdString(paramValueToString(v));
}

QString numberText(double x) {
    return QString::number(x, 'g', 12);
}

double numberFrom(const QString& text, const QString& row, const char* what) {
    bool ok = false;
    const double d = text.trimmed().toDouble(&ok);
    if (!ok)
        throw Error("search parameter '" + row.toStdString() + "': " + what + " '" +
                    text.toStdString() + "' is not a number");
    return d;
}

}  // namespace

SpaceEditor::SpaceEditor(GraphDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    setObjectName("spaceEditor");
    m_table = new QTableWidget(0, kColumns);
    m_table->setObjectName("searchSpaceTable");
    m_table->setHorizontalHeaderLabels(
        {tr("Parameter"), tr("Type"), tr("Low"), tr("High"), tr("Log"), tr("Choices")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(
        tr("A setting (optimizer.lr, batch_size: docs/settings.md) or a layer's "
           "parameter as layer.param (fc1.units)"));
    m_metric = new QComboBox;
    m_metric->setObjectName("searchMetric");
    m_metric->setEditable(true);  // a task may report other figures
    m_metric->addItems({"val_accuracy", "val_loss", "accuracy", "loss"});
    m_direction = new QComboBox;
    m_direction->setObjectName("searchDirection");
    m_direction->addItem(tr("maximize"), true);
    m_direction->addItem(tr("minimize"), false);
    m_pruner = new QComboBox;
    m_pruner->setObjectName("searchPruner");
    m_pruner->addItems({"median", "none"});
    m_fixed = new QLineEdit;
    m_fixed->setObjectName("searchFixed");
    m_fixed->setPlaceholderText(tr("epochs=2, dataset.limit_train=8000"));
    m_fixed->setToolTip(tr("Settings every trial uses besides the searched ones (short trials)"));
    m_add = new QPushButton(tr("Add parameter"));
    m_remove = new QPushButton(tr("Remove"));
    m_store = new QPushButton(tr("Store in project"));
    m_store->setObjectName("storeSearch");

    auto* form = new QHBoxLayout;
    form->addWidget(m_metric);
    form->addWidget(m_direction);
    form->addWidget(m_pruner);
    form->addWidget(m_fixed, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_store);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(form);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, [this] { addRow("optimizer.lr", "float"); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_table->currentRow() >= 0) m_table->removeRow(m_table->currentRow());
    });
    connect(m_store, &QPushButton::clicked, this, &SpaceEditor::storeRequested);
}

void SpaceEditor::addRow(const QString& name, const QString& type, const QString& low,
                         const QString& high, bool log, const QString& choices) {
    const int r = m_table->rowCount();
    m_table->insertRow(r);
    m_table->setItem(r, kName, new QTableWidgetItem(name));
    auto* kind = new QComboBox;
    kind->addItems({"float", "int", "categorical"});
    kind->setCurrentText(type);
    m_table->setCellWidget(r, kType, kind);
    m_table->setItem(r, kLow, new QTableWidgetItem(low));
    m_table->setItem(r, kHigh, new QTableWidgetItem(high));
    auto* logItem = new QTableWidgetItem;
    logItem->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    logItem->setCheckState(log ? Qt::Checked : Qt::Unchecked);
    m_table->setItem(r, kLog, logItem);
    m_table->setItem(r, kChoices, new QTableWidgetItem(choices));
}

void SpaceEditor::showSpace(const SearchSpace& space) {
    m_shown = space;
    m_table->setRowCount(0);
    for (const SearchDimension& d : space.dimensions) {
        QStringList choices;
        for (const ParamValue& v : d.choices) choices << valueText(v);
        const bool numeric = d.kind != SearchDimension::Kind::Categorical;
        const char* type = d.kind == SearchDimension::Kind::Float ? "float"
                           : d.kind == SearchDimension::Kind::Int ? "int"
                                                                  : "categorical";
        addRow(QString::fromStdString(d.name()), type, numeric ? numberText(d.low) : QString(),
               numeric ? numberText(d.high) : QString(), d.log, choices.join(", "));
    }
    m_metric->setCurrentText(QString::fromStdString(space.metric));
    m_direction->setCurrentIndex(space.maximize ? 0 : 1);
    m_pruner->setCurrentText(QString::fromStdString(space.pruner.type));
    QStringList fixed;
    for (const auto& [name, v] : space.fixed)
        fixed << QString::fromStdString(name) + "=" + valueText(v);
    m_fixed->setText(fixed.join(", "));
}

SearchSpace SpaceEditor::space() const {
    SearchSpace s = m_shown;
    s.dimensions.clear();
    s.fixed.clear();
    s.metric = m_metric->currentText().trimmed().toStdString();
    s.maximize = m_direction->currentData().toBool();
    s.pruner.type = m_pruner->currentText().toStdString();
    for (const QString& part : m_fixed->text().split(',', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            throw Error("search space: fixed setting '" + part.trimmed().toStdString() +
                        "' needs NAME=VALUE");
        s.fixed[part.left(eq).trimmed().toStdString()] = valueFromText(part.mid(eq + 1));
    }
    for (int r = 0; r < m_table->rowCount(); ++r) {
        auto text = [&](int c) {
            return m_table->item(r, c) ? m_table->item(r, c)->text() : QString();
        };
        SearchDimension d;
        const QString name = text(kName).trimmed();
        // A setting by its schema name; otherwise "layer.param" (split at the last dot).
        if (findSetting(name.toStdString()) || !name.contains('.')) {
            d.setting = name.toStdString();
        } else {
            d.node = name.left(name.lastIndexOf('.')).toStdString();
            d.param = name.mid(name.lastIndexOf('.') + 1).toStdString();
        }
        const QString type = static_cast<QComboBox*>(m_table->cellWidget(r, kType))->currentText();
        if (type == "categorical") {
            d.kind = SearchDimension::Kind::Categorical;
            for (const QString& c : text(kChoices).split(',', Qt::SkipEmptyParts))
                d.choices.push_back(valueFromText(c));
        } else {
            d.kind = type == "int" ? SearchDimension::Kind::Int : SearchDimension::Kind::Float;
            d.low = numberFrom(text(kLow), name, "low");
            d.high = numberFrom(text(kHigh), name, "high");
            d.log = m_table->item(r, kLog) && m_table->item(r, kLog)->checkState() == Qt::Checked;
        }
        s.dimensions.push_back(std::move(d));
    }
    return s;
}

QString SpaceEditor::store(const std::string& strategy, int64_t trials, double seconds) {
    try {
        ProjectSearch search;
        search.space = space();
        search.strategy = strategy;
        search.trials = trials;
        search.seconds = seconds;
        Project checked = m_doc->project();
        checked.search = search;
        validateProjectSearch(checked);  // the refusals of `netloom search`, parameter named
        if (m_doc->project().search && *m_doc->project().search == search) return {};
        m_doc->undoStack()->push(new SetSearchCommand(m_doc, search));
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

}  // namespace netloom::ui
