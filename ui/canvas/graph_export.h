#pragma once
// Export of the drawn graph as a picture: PNG (at 2× for sharp text) or SVG (QSvgGenerator).
#include <QString>

namespace netloom::ui {

class GraphScene;

// Throw netloom::Error when the file cannot be written.
void exportGraphPng(GraphScene* scene, const QString& path);
void exportGraphSvg(GraphScene* scene, const QString& path, const QString& title);

}  // namespace netloom::ui
