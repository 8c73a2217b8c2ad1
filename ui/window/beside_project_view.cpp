#include "ui/window/beside_project_view.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QVBoxLayout>

#include "engine/io/project_io.h"
#include "ui/canvas/project_layers_mime.h"

namespace netloom::ui {

namespace {

constexpr int kIdRole = Qt::UserRole + 1;

// "784×256, 256": the shapes of a layer's trained tensors; empty when it has none.
QString weightShapes(const engine::Network& net, const std::string& id) {
    auto it = net.weights.find(id);
    if (it == net.weights.end()) return {};
    QStringList shapes;
    for (const auto& [name, t] : it->second) {
        QStringList dims;
        for (int64_t d : t.dims()) dims << QString::number(d);
        shapes << dims.join("×");
    }
    return shapes.join(", ");
}

}  // namespace

ProjectLayerList::ProjectLayerList(QWidget* parent) : QListWidget(parent) {
    setObjectName("besideLayers");
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setDefaultDropAction(Qt::CopyAction);
}

QStringList ProjectLayerList::mimeTypes() const {
    return {kProjectLayersMimeType};
}

QMimeData* ProjectLayerList::mimeData(const QList<QListWidgetItem*>& items) const {
    ProjectLayersDrag drag;
    drag.path = path;
    drag.network = network;
    // In the list's order (the source graph's), whatever order they were clicked in.
    for (int r = 0; r < count(); ++r)
        if (items.contains(item(r)))
            drag.nodeIds.push_back(item(r)->data(kIdRole).toString().toStdString());
    auto* mime = new QMimeData;
    if (!drag.nodeIds.empty()) setProjectLayersMime(mime, drag);
    return mime;
}

BesideProjectView::BesideProjectView(QWidget* parent) : QWidget(parent) {
    setObjectName("besideProjectView");
    m_network = new QComboBox;
    m_network->setObjectName("besideNetwork");
    m_list = new ProjectLayerList;
    m_status =
        new QLabel(tr("File ▸ Open Project Beside… shows another project here, read-only; "
                      "drag its layers onto the canvas to copy them with their weights."));
    m_status->setObjectName("besideStatus");
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_network);
    layout->addWidget(m_list, 1);
    m_network->hide();
    connect(m_network, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0) setNetwork(i);
    });
}

bool BesideProjectView::open(const QString& path) {
    engine::Project project;
    try {
        project = engine::loadProject(path.toStdString());
    } catch (const std::exception& e) {
        m_status->setText(tr("Cannot open %1: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    m_project = std::move(project);
    m_path = QFileInfo(path).absoluteFilePath();
    {
        const QSignalBlocker block(m_network);
        m_network->clear();
        for (const engine::Network& n : m_project.networks)
            m_network->addItem(QString::fromStdString(n.role));
        m_network->setVisible(m_project.networks.size() > 1);
    }
    setNetwork(0);
    return true;
}

void BesideProjectView::setNetwork(int index) {
    if (index < 0 || index >= static_cast<int>(m_project.networks.size())) return;
    {
        const QSignalBlocker block(m_network);
        m_network->setCurrentIndex(index);
    }
    m_list->path = m_path;
    m_list->network = index;
    fillLayers();
}

void BesideProjectView::fillLayers() {
    m_list->clear();
    const engine::Network& net = m_project.networks[static_cast<size_t>(m_list->network)];
    int trained = 0;
    for (const engine::Node& n : net.graph.nodes()) {
        const QString shapes = weightShapes(net, n.id);
        trained += !shapes.isEmpty();
        auto* item = new QListWidgetItem(
            QString::fromStdString(n.name) + "  (" + QString::fromStdString(n.type) + ")" +
            (shapes.isEmpty() ? QString() : tr("  trained %1").arg(shapes)));
        item->setData(kIdRole, QString::fromStdString(n.id));
        item->setData(Qt::UserRole + 2, QString::fromStdString(n.name));
        m_list->addItem(item);
    }
    m_status->setText(tr("%1 (read-only): %2 layers, %3 trained. Drag a selection onto the "
                         "canvas; drop it on a layer to feed the copies from it.")
                          .arg(QFileInfo(m_path).fileName())
                          .arg(net.graph.nodes().size())
                          .arg(trained));
}

void BesideProjectView::selectLayers(const QStringList& names) {
    m_list->clearSelection();
    for (int r = 0; r < m_list->count(); ++r)
        if (names.contains(m_list->item(r)->data(Qt::UserRole + 2).toString()))
            m_list->item(r)->setSelected(true);
}

QMimeData* BesideProjectView::selectionMimeData() const {
    return m_list->mimeData(m_list->selectedItems());
}

QString BesideProjectView::status() const {
    return m_status->text();
}

}  // namespace netloom::ui
