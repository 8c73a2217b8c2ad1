#pragma once
// Drag data of layers taken from a second, read-only project (the "Project beside" dock,
// ui/window/beside_project_view.h) onto the canvas: the source file, its network and the chosen
// layer ids. The drop reads the file again and imports through the same planning as File ▸
// Import Layers from Project… (engine/project/layer_import.h), so both ways check the same.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <optional>
#include <string>
#include <vector>

namespace netloom::ui {

inline constexpr const char* kProjectLayersMimeType = "application/x-netloom-project-layers";

struct ProjectLayersDrag {
    QString path;     // the source project file
    int network = 0;  // index into its networks
    std::vector<std::string> nodeIds;
};

inline void setProjectLayersMime(QMimeData* mime, const ProjectLayersDrag& drag) {
    QJsonArray ids;
    for (const std::string& id : drag.nodeIds) ids.append(QString::fromStdString(id));
    const QJsonObject o{{"path", drag.path}, {"network", drag.network}, {"nodes", ids}};
    mime->setData(kProjectLayersMimeType, QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// Nothing when the mime data carries none (or is malformed: a drag from another program).
inline std::optional<ProjectLayersDrag> projectLayersFromMime(const QMimeData* mime) {
    if (!mime || !mime->hasFormat(kProjectLayersMimeType)) return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(mime->data(kProjectLayersMimeType));
    if (!doc.isObject()) return std::nullopt;
    const QJsonObject o = doc.object();
    ProjectLayersDrag drag;
    drag.path = o.value("path").toString();
    drag.network = o.value("network").toInt(-1);
    for (const QJsonValue& v : o.value("nodes").toArray())
        drag.nodeIds.push_back(v.toString().toStdString());
    if (drag.path.isEmpty() || drag.network < 0 || drag.nodeIds.empty()) return std::nullopt;
    return drag;
}

}  // namespace netloom::ui
