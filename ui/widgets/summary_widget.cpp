#include "ui/widgets/summary_widget.h"

#include <algorithm>

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "engine/layers/registry.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

MemoryEstimate estimateMemory(const engine::GraphAnalysis& a, int64_t batchSize) {
    MemoryEstimate m;
    int64_t activations = 0;
    for (const auto& [id, na] : a.nodes)
        if (na.ok) activations += na.output.elements();
    m.parameterBytes = a.totalParameters * 4;
    m.activationBytes = activations * std::max<int64_t>(1, batchSize) * 4;
    m.trainingBytes = m.parameterBytes * 4 + m.activationBytes * 2;
    return m;
}

SummaryWidget::SummaryWidget(GraphDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    m_table = new QTreeWidget(this);
    m_table->setColumnCount(4);
    m_table->setHeaderLabels({tr("Layer"), tr("Output"), tr("Params"), tr("FLOPs")});
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setAlternatingRowColors(true);
    m_table->header()->setStretchLastSection(false);
    m_table->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 4; ++c)
        m_table->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_totals = new QLabel(this);
    m_totals->setWordWrap(true);
    m_totals->setTextFormat(Qt::RichText);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_totals);
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind != GraphChange::Kind::Layout) refresh();
    });
    connect(m_table, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        emit nodeActivated(item->data(0, Qt::UserRole).toString());
    });
    refresh();
}

QString SummaryWidget::totalsText() const {
    return m_totals->text();
}

void SummaryWidget::refresh() {
    const engine::GraphAnalysis& a = m_doc->analysis();
    const engine::Graph& g = m_doc->graph();
    m_table->clear();
    // Topological order when there is one, so the table reads like the network.
    std::vector<std::string> order = a.order;
    if (order.size() != g.nodes().size()) {
        order.clear();
        for (const auto& n : g.nodes()) order.push_back(n.id);
    }
    QList<QTreeWidgetItem*> rows;
    for (const std::string& id : order) {
        const engine::Node* n = g.findNode(id);
        if (!n) continue;
        auto it = a.nodes.find(id);
        const engine::NodeAnalysis* na = it == a.nodes.end() ? nullptr : &it->second;
        const engine::LayerDef* def = engine::findLayerDef(n->type);
        auto* row = new QTreeWidgetItem;
        row->setText(0, QString::fromStdString(n->name));
        row->setToolTip(0, QString::fromStdString(def ? def->displayName() : n->type));
        row->setIcon(0, categoryIcon(QString::fromStdString(def ? def->category() : "Other")));
        row->setData(0, Qt::UserRole, QString::fromStdString(id));
        if (na && na->ok) {
            row->setText(1, QString::fromStdString(na->output.toString()));
            row->setText(2, QString::number(na->parameters));
            row->setText(3, humanCount(na->flops));
        } else {
            row->setText(1, na && !na->error.empty() ? tr("error") : "?");
            if (na && !na->error.empty()) {
                row->setForeground(1, errorColor());
                row->setToolTip(1, QString::fromStdString(na->error));
            }
        }
        for (int c = 2; c < 4; ++c) row->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        rows << row;
    }
    m_table->addTopLevelItems(rows);

    const MemoryEstimate mem = estimateMemory(a, m_doc->training().batchSize);
    QString text = tr("<b>%1</b> layers · <b>%2</b> parameters (%3) · <b>%4</b> FLOPs per sample")
                       .arg(g.nodes().size())
                       .arg(QLocale().toString(static_cast<qlonglong>(a.totalParameters)))
                       .arg(humanBytes(mem.parameterBytes))
                       .arg(humanCount(a.totalFlops));
    text += "<br>" + tr("Activations for a batch of %1: %2 · training needs about %3")
                         .arg(m_doc->training().batchSize)
                         .arg(humanBytes(mem.activationBytes), humanBytes(mem.trainingBytes));
    // Only layers without a shape leave the totals short (a mismatch with the data does not).
    const bool someUnknown = std::any_of(a.nodes.begin(), a.nodes.end(),
                                         [](const auto& entry) { return !entry.second.ok; });
    if (someUnknown)
        text += "<br><span style='color:" + errorColor().name() + "'>" +
                tr("Totals cover the valid layers only.") + "</span>";
    m_totals->setText(text);
}

}  // namespace netloom::ui
