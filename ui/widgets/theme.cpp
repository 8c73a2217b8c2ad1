#include "ui/widgets/theme.h"

#include <QApplication>
#include <QPointer>
#include <QScopedValueRollback>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QXYSeries>
#include <memory>
#include <vector>

#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

constexpr const char* kSettingsKey = "view/colorScheme";

ColorScheme g_scheme = ColorScheme::System;
bool g_touched = false;  // a scheme other than System has changed the application palette
bool g_applying = false;
QString g_nativeStyle;  // the style before Dark/Light switched to Fusion ("" = not switched)

QString schemeName(ColorScheme s) {
    switch (s) {
        case ColorScheme::Light:
            return "light";
        case ColorScheme::Dark:
            return "dark";
        case ColorScheme::System:
            break;
    }
    return "system";
}

// Palettes only take full effect with Fusion (native styles may paint from the system theme).
void useFusion() {
    if (QApplication::style()->name().compare("fusion", Qt::CaseInsensitive) == 0) return;
    g_nativeStyle = QApplication::style()->name();
    QApplication::setStyle(QStyleFactory::create("Fusion"));
}

void restoreNativeStyle() {
    if (g_nativeStyle.isEmpty()) return;
    if (QStyle* style = QStyleFactory::create(g_nativeStyle)) QApplication::setStyle(style);
    g_nativeStyle.clear();
}

}  // namespace

ColorScheme savedColorScheme() {
    const QString name = QSettings().value(kSettingsKey).toString();
    if (name == "light") return ColorScheme::Light;
    if (name == "dark") return ColorScheme::Dark;
    return ColorScheme::System;
}

ColorScheme currentColorScheme() {
    return g_scheme;
}

void setColorScheme(ColorScheme scheme) {
    QSettings().setValue(kSettingsKey, schemeName(scheme));
    applyColorScheme(scheme);
}

QPalette darkPalette() {
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
    const QColor disabledText(0x7a, 0x7e, 0x85);
    QPalette p(text, window, window.lighter(150), window.darker(160), window.lighter(120), text,
               QColor(Qt::white), base, window);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x44));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x90, 0x96));
    p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x58, 0x9d, 0xf6));
    p.setColor(QPalette::LinkVisited, QColor(0xa0, 0x7c, 0xf0));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

QPalette lightPalette() {
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create("Fusion"));
    return fusion ? fusion->standardPalette() : QPalette(Qt::white);
}

void applyColorScheme(ColorScheme scheme) {
    const QScopedValueRollback guard(g_applying, true);
    g_scheme = scheme;
    switch (scheme) {
        case ColorScheme::System:
            if (!g_touched) break;  // the platform palette is in use already
            restoreNativeStyle();
            QApplication::setPalette(QPalette());  // back to the platform's
            g_touched = false;
            break;
        case ColorScheme::Light:
            g_touched = true;
            restoreNativeStyle();
            QApplication::setPalette(QPalette());
            if (isDarkPalette(QApplication::palette())) {
                useFusion();
                QApplication::setPalette(lightPalette());
            }
            break;
        case ColorScheme::Dark:
            g_touched = true;
            useFusion();
            QApplication::setPalette(darkPalette());
            break;
    }
    for (QWidget* top : QApplication::topLevelWidgets()) themeCharts(top);
    emit PaletteWatcher::instance()->changed();
}

void followPaletteChange() {
    if (g_applying) return;  // our own palette change, handled by applyColorScheme
    // Light while the platform turned dark: back to a light palette.
    if (g_scheme == ColorScheme::Light && isDarkPalette(QApplication::palette())) {
        applyColorScheme(ColorScheme::Light);
        return;
    }
    for (QWidget* top : QApplication::topLevelWidgets()) themeCharts(top);
    emit PaletteWatcher::instance()->changed();
}

PaletteWatcher* PaletteWatcher::instance() {
    static QPointer<PaletteWatcher> watcher;
    if (!watcher && qApp) {
        watcher = new PaletteWatcher(qApp);
        qApp->installEventFilter(watcher);
    }
    return watcher;
}

bool PaletteWatcher::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ApplicationPaletteChange && watched == qApp) followPaletteChange();
    return false;
}

void themeCharts(QWidget* root) {
    if (!root) return;
    const QPalette pal = QApplication::palette();
    const bool dark = isDarkPalette(pal);
    const QColor text = pal.color(QPalette::Text);
    for (QChartView* view : root->findChildren<QChartView*>()) {
        QChart* chart = view->chart();
        if (!chart) continue;
        if (chart->property("netloomDark").toBool() != dark) {
            // setTheme repaints every series in the theme's colours: keep the chosen ones.
            struct Kept {
                QAbstractSeries* series;
                QPen pen;
                QBrush brush;
            };
            std::vector<Kept> kept;
            for (QAbstractSeries* s : chart->series()) {
                if (auto* xy = qobject_cast<QXYSeries*>(s))
                    kept.push_back({s, xy->pen(), xy->brush()});
                else if (auto* area = qobject_cast<QAreaSeries*>(s))
                    kept.push_back({s, area->pen(), area->brush()});
            }
            chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
            for (const Kept& k : kept) {
                if (auto* xy = qobject_cast<QXYSeries*>(k.series)) {
                    xy->setPen(k.pen);
                    xy->setBrush(k.brush);
                } else if (auto* area = qobject_cast<QAreaSeries*>(k.series)) {
                    area->setPen(k.pen);
                    area->setBrush(k.brush);
                }
            }
            chart->setProperty("netloomDark", dark);
        }
        // The window's own colours rather than the theme's.
        chart->setBackgroundBrush(pal.brush(QPalette::Base));
        chart->setBackgroundPen(QPen(pal.color(QPalette::Mid), 0.5));
        chart->setTitleBrush(text);
        chart->legend()->setLabelColor(text);
        for (QAbstractAxis* axis : chart->axes()) {
            axis->setLabelsColor(text);
            axis->setTitleBrush(text);
        }
        view->setBackgroundBrush(pal.brush(QPalette::Window));
    }
}

}  // namespace netloom::ui
