#pragma once
// The canvas's right-click menu: on a layer (rename, duplicate, copy, delete), on a connection
// (insert a layer there, delete it), on empty canvas (add any layer here, paste, auto-layout,
// fit). Everything a drag can do is also reachable this way.
#include <QPointF>

class QMenu;

namespace netloom::ui {

class GraphView;

void populateCanvasMenu(QMenu& menu, GraphView& view, QPointF scenePos);

}  // namespace netloom::ui
