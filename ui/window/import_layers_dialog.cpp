#include "ui/window/import_layers_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "engine/graph/analysis.h"
#include "engine/io/project_io.h"
#include "engine/layers/registry.h"
#include "ui/commands/transfer_commands.h"
#include "ui/widgets/prompter.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
constexpr int kIdRole = Qt::UserRole + 1;
}  // namespace

ImportLayersDialog::ImportLayersDialog(GraphDocument* doc, engine::Project source,
                                       const QString& sourceName, QPointF at, QWidget* parent)
    : QDialog(parent), m_doc(doc), m_source(std::move(source)), m_sourceName(sourceName), m_at(at) {
    setObjectName("importLayersDialog");
    setWindowTitle(tr("Import layers from %1").arg(sourceName));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("Tick the layers to copy into this network. They keep their trained weights; freeze "
           "them with the lock on their cards to train only the layers after them."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_network = new QComboBox(this);
    for (int i = 0; i < int(m_source.networks.size()); ++i)
        m_network->addItem(qs(m_source.networks[size_t(i)].role));
    form->addRow(tr("Network"), m_network);
    layout->addLayout(form);
    m_network->setVisible(m_source.networks.size() > 1);
    form->labelForField(m_network)->setVisible(m_source.networks.size() > 1);

    m_layers = new QListWidget(this);
    m_layers->setObjectName("layerList");
    m_layers->setMinimumHeight(220);
    layout->addWidget(m_layers);

    auto* attachForm = new QFormLayout;
    m_attach = new QComboBox(this);
    m_attach->setObjectName("attachTo");
    m_attach->addItem(tr("(nothing: wire them by hand)"), QString());
    for (const engine::Node& n : doc->graph().nodes()) m_attach->addItem(qs(n.name), qs(n.id));
    m_attach->setToolTip(
        tr("A layer of this network whose output feeds the copied layers; they are refused if "
           "their trained weights do not fit what it gives."));
    attachForm->addRow(tr("Fed by"), m_attach);
    layout->addLayout(attachForm);

    m_problem = new QLabel(this);
    m_problem->setObjectName("importProblem");
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QString("color:%1").arg(errorColor().name()));
    m_problem->hide();
    layout->addWidget(m_problem);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { tryImport(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_network, &QComboBox::currentIndexChanged, this, [this] { fillLayers(); });
    fillLayers();
}

void ImportLayersDialog::fillLayers() {
    m_layers->clear();
    const int index = std::max(0, m_network->currentIndex());
    const engine::Network& net = m_source.networks[size_t(index)];
    const engine::GraphAnalysis a = engine::analyzeGraph(net.graph);
    for (const engine::Node& n : net.graph.nodes()) {
        const engine::LayerDef* def = engine::findLayerDef(n.type);
        QString text = qs(n.name) + "  —  " + qs(def ? def->displayName() : n.type);
        auto na = a.nodes.find(n.id);
        if (na != a.nodes.end() && na->second.ok) {
            text += "  " + qs(na->second.output.toString());
            if (na->second.parameters > 0)
                text += net.weights.count(n.id) ? tr("  (trained weights)") : tr("  (untrained)");
        }
        auto* item = new QListWidgetItem(text, m_layers);
        item->setData(kIdRole, qs(n.id));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
}

void ImportLayersDialog::setNetwork(int index) {
    m_network->setCurrentIndex(index);
}

void ImportLayersDialog::setChosenLayers(const std::vector<std::string>& names) {
    const engine::Network& net = m_source.networks[size_t(std::max(0, m_network->currentIndex()))];
    for (int i = 0; i < m_layers->count(); ++i) {
        QListWidgetItem* item = m_layers->item(i);
        const engine::Node* n = net.graph.findNode(item->data(kIdRole).toString().toStdString());
        const bool chosen = n && std::find(names.begin(), names.end(), n->name) != names.end();
        item->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
    }
}

void ImportLayersDialog::setAttachTo(const std::string& nodeName) {
    if (nodeName.empty()) {
        m_attach->setCurrentIndex(0);
        return;
    }
    const int i = m_attach->findText(qs(nodeName));
    if (i >= 0) m_attach->setCurrentIndex(i);
}

std::vector<std::string> ImportLayersDialog::chosenIds() const {
    std::vector<std::string> ids;
    for (int i = 0; i < m_layers->count(); ++i)
        if (m_layers->item(i)->checkState() == Qt::Checked)
            ids.push_back(m_layers->item(i)->data(kIdRole).toString().toStdString());
    return ids;
}

bool ImportLayersDialog::tryImport() {
    const QString error =
        importLayersInto(m_doc, m_source, m_sourceName, std::max(0, m_network->currentIndex()),
                         chosenIds(), m_attach->currentData().toString().toStdString(), m_at);
    m_problem->setText(error.isEmpty() ? QString() : tr("Not imported: %1").arg(error));
    m_problem->setVisible(!error.isEmpty());
    if (!error.isEmpty()) return false;
    accept();
    return true;
}

QString ImportLayersDialog::problem() const {
    return m_problem->text();
}

ImportLayersDialog* openImportLayersDialog(QWidget* parent, GraphDocument* doc,
                                           const QRectF& graphBounds, const QString& path) {
    engine::Project source;
    try {
        source = engine::loadProject(path.toStdString());
    } catch (const std::exception& e) {
        prompter().showError(parent, QObject::tr("Cannot import layers"),
                             QString::fromStdString(e.what()));
        return nullptr;
    }
    const QPointF at(std::round(graphBounds.right() + 80), std::round(graphBounds.top()));
    auto* dialog =
        new ImportLayersDialog(doc, std::move(source), QFileInfo(path).fileName(), at, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

}  // namespace netloom::ui
