#pragma once
// The MIME types the editor exchanges by drag and drop and through the clipboard.
#include <QMimeData>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <string>

namespace netloom::ui {

// A palette entry being dragged: the payload is the layer type ("Dense"), UTF-8.
inline constexpr const char* kLayerMimeType = "application/x-netloom-layer";

inline QMimeData* createLayerMimeData(const std::string& type) {
    auto* mime = new QMimeData;
    mime->setData(kLayerMimeType, QByteArray::fromStdString(type));
    return mime;
}

inline std::string layerTypeFromMime(const QMimeData* mime) {
    if (!mime || !mime->hasFormat(kLayerMimeType)) return {};
    return mime->data(kLayerMimeType).toStdString();
}

// A palette block being dragged: the payload is the block's id ("residual"), UTF-8.
inline constexpr const char* kBlockMimeType = "application/x-netloom-block";

inline QMimeData* createBlockMimeData(const std::string& id) {
    auto* mime = new QMimeData;
    mime->setData(kBlockMimeType, QByteArray::fromStdString(id));
    return mime;
}

inline std::string blockIdFromMime(const QMimeData* mime) {
    if (!mime || !mime->hasFormat(kBlockMimeType)) return {};
    return mime->data(kBlockMimeType).toStdString();
}

// Local *.netloom files among the dropped URLs.
inline QStringList projectFilesFromMime(const QMimeData* mime) {
    QStringList files;
    if (!mime || !mime->hasUrls()) return files;
    for (const auto& url : mime->urls())
        if (url.isLocalFile() && url.toLocalFile().endsWith(".netloom", Qt::CaseInsensitive))
            files << url.toLocalFile();
    return files;
}

}  // namespace netloom::ui
