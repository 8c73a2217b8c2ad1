#include "ui/canvas/graph_export.h"

#include <QApplication>
#include <QFileInfo>
#include <QGraphicsItem>
#include <QImage>
#include <QPainter>
#include <QPalette>
#include <QSvgGenerator>

#include "engine/core/error.h"
#include "ui/canvas/graph_scene.h"

namespace netloom::ui {

namespace {

// Renders without selection outlines; restores the selection afterwards.
template <typename Paint>
void renderClean(GraphScene* scene, Paint paint) {
    const QList<QGraphicsItem*> selected = scene->selectedItems();
    scene->clearSelection();
    scene->setPlainBackground(true);
    try {
        paint(scene->graphBounds().adjusted(-24, -24, 24, 24));
    } catch (...) {
        scene->setPlainBackground(false);
        throw;
    }
    scene->setPlainBackground(false);
    for (QGraphicsItem* item : selected) item->setSelected(true);
}

}  // namespace

void exportGraphPng(GraphScene* scene, const QString& path) {
    renderClean(scene, [&](const QRectF& source) {
        const qreal scale = 2.0;
        QImage image((source.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(QApplication::palette().color(QPalette::Base));
        QPainter p(&image);
        p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        scene->render(&p, QRectF(QPointF(0, 0), source.size() * scale), source);
        p.end();
        if (!image.save(path, "PNG"))
            throw netloom::Error("could not write the image " + path.toStdString());
    });
}

void exportGraphSvg(GraphScene* scene, const QString& path, const QString& title) {
    if (!QFileInfo(QFileInfo(path).absolutePath()).isWritable())
        throw netloom::Error("cannot write to the folder of " + path.toStdString());
    renderClean(scene, [&](const QRectF& source) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setTitle(title);
        svg.setDescription("Network drawn by NetLoom");
        svg.setSize(source.size().toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), source.size()));
        QPainter p;
        if (!p.begin(&svg)) throw netloom::Error("could not write " + path.toStdString());
        p.fillRect(QRectF(QPointF(0, 0), source.size()),
                   QApplication::palette().color(QPalette::Base));
        scene->render(&p, QRectF(QPointF(0, 0), source.size()), source);
        p.end();
    });
}

}  // namespace netloom::ui
