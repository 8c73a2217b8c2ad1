#pragma once
// Colours and icons shared by the palette, the canvas and the panels. Category colours are mid
// tones chosen to read on both the light and the dark system palette.
#include <QColor>
#include <QIcon>
#include <QPalette>
#include <QString>

namespace netloom::ui {

QColor categoryColor(const QString& category);
QIcon categoryIcon(const QString& category);
// An icon from resources/icons by base name ("save", "undo"), or an empty icon.
QIcon actionIcon(const QString& name);

// True when the palette's Window colour is dark (a dark platform theme, or View ▸ Theme ▸ Dark).
bool isDarkPalette(const QPalette& palette);
bool isDarkPalette();  // of the application palette

// Red and green for errors and valid states, lighter on a dark palette to keep their contrast.
QColor errorColor();
QColor validColor();

// "1.2 M", "35.6 k", "812"
QString humanCount(qint64 n);
// "3.4 MB"
QString humanBytes(qint64 bytes);

}  // namespace netloom::ui
