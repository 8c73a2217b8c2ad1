#include "ui/widgets/problems_widget.h"

#include <QListWidget>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/widgets/style.h"

namespace netloom::ui {

ProblemsWidget::ProblemsWidget(GraphDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    m_list = new QListWidget(this);
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_list);
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Graph || c.kind == GraphChange::Kind::Reset) refresh();
    });
    auto activate = [this](QListWidgetItem* item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (!id.isEmpty()) emit nodeActivated(id);
    };
    connect(m_list, &QListWidget::itemClicked, this, activate);
    connect(m_list, &QListWidget::itemActivated, this, activate);
    refresh();
}

int ProblemsWidget::count() const {
    int n = 0;
    for (int i = 0; i < m_list->count(); ++i) n += m_list->item(i)->data(Qt::UserRole + 1).toBool();
    return n;
}

void ProblemsWidget::refresh() {
    m_list->clear();
    const engine::GraphAnalysis& a = m_doc->analysis();
    const QIcon icon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const engine::Problem& p : a.problems) {
        auto* item = new QListWidgetItem(icon, QString::fromStdString(p.message), m_list);
        item->setData(Qt::UserRole, QString::fromStdString(p.nodeId));
        item->setData(Qt::UserRole + 1, true);
        item->setToolTip(p.nodeId.empty() ? tr("Problem with the whole network")
                                          : tr("Click to select the layer"));
    }
    if (a.problems.empty()) {
        auto* item =
            new QListWidgetItem(style()->standardIcon(QStyle::SP_DialogApplyButton),
                                tr("No problems: the network is ready to train (%1 parameters).")
                                    .arg(humanCount(a.totalParameters)),
                                m_list);
        item->setFlags(Qt::ItemIsEnabled);
    }
    emit countChanged(static_cast<int>(a.problems.size()));
}

}  // namespace netloom::ui
