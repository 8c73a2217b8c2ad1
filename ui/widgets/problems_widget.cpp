#include "ui/widgets/problems_widget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/commands/node_commands.h"
#include "ui/widgets/prompter.h"

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
        // Training too: the task, the loss and the data decide what the output must be.
        if (c.kind != GraphChange::Kind::Layout) refresh();
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

QList<QPushButton*> ProblemsWidget::fixButtons() const {
    QList<QPushButton*> buttons;
    for (int i = 0; i < m_list->count(); ++i)
        if (QWidget* row = m_list->itemWidget(m_list->item(i)))
            if (auto* b = row->findChild<QPushButton*>("fixButton")) buttons << b;
    return buttons;
}

void ProblemsWidget::applyFix(const engine::ParamFix& fix) {
    try {
        m_doc->undoStack()->push(new SetParamCommand(m_doc, fix.nodeId, fix.key, fix.value));
    } catch (const std::exception& e) {  // the node changed since: say so, change nothing
        prompter().showError(this, tr("Cannot apply the fix"), QString::fromUtf8(e.what()));
    }
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
        if (!p.fix) continue;
        // The remedy beside the message: one click, one undo step.
        auto* row = new QWidget(m_list);
        auto* label = new QLabel(item->text(), row);
        label->setWordWrap(true);
        label->setAttribute(Qt::WA_TransparentForMouseEvents);  // clicks select the item
        auto* button = new QPushButton(QString::fromStdString(p.fix->label), row);
        button->setObjectName("fixButton");
        button->setToolTip(tr("Apply this fix (one undo step)"));
        const engine::ParamFix fix = *p.fix;
        connect(button, &QPushButton::clicked, this, [this, fix] { applyFix(fix); });
        auto* layout = new QHBoxLayout(row);
        layout->setContentsMargins(m_list->iconSize().width() + 8, 2, 4, 2);
        layout->addWidget(label, 1);
        layout->addWidget(button, 0, Qt::AlignVCenter);
        row->setAutoFillBackground(true);  // covers the item's own text, kept for text()
        item->setSizeHint(row->sizeHint());
        m_list->setItemWidget(item, row);
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
