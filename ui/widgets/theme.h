#pragma once
// Light and dark colour schemes. View ▸ Theme picks System, Light or Dark (remembered in
// QSettings "view/colorScheme"). System uses the platform palette as it is and follows its
// changes; Light uses it while it is light and Fusion's light palette when the platform is dark;
// Dark uses Fusion with a dark palette. Everything that paints reads the application palette
// (canvas, cards, edges, panels), so only Qt Charts, which keep a theme of their own, are
// re-themed here. Qt 6.4 has no QStyleHints::colorScheme: "dark" means a dark Window colour.
#include <QObject>
#include <QPalette>

class QWidget;

namespace netloom::ui {

enum class ColorScheme { System, Light, Dark };

ColorScheme savedColorScheme();
// Remembers the scheme and applies it to the whole application.
void setColorScheme(ColorScheme scheme);
// Applies without remembering. System after another scheme returns to the platform palette;
// System at start touches nothing.
void applyColorScheme(ColorScheme scheme);
// The scheme last applied (System before any).
ColorScheme currentColorScheme();

QPalette darkPalette();
QPalette lightPalette();

// The application (or platform) palette changed: keeps Light light and re-themes the charts of
// every window. PaletteWatcher calls it for QEvent::ApplicationPaletteChange; windows for
// QEvent::ThemeChange.
void followPaletteChange();
// Gives every chart under `root` the palette's background and text and a matching chart theme,
// keeping the series colours the panels chose.
void themeCharts(QWidget* root);

// Watches the application for palette changes (QEvent::ApplicationPaletteChange reaches the
// application object and child widgets, not top-level windows) and says when the colours of the
// scheme are in place.
class PaletteWatcher : public QObject {
    Q_OBJECT
public:
    static PaletteWatcher* instance();  // created on first use, owned by the application

signals:
    void changed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using QObject::QObject;
};

}  // namespace netloom::ui
