#include "ui/widgets/style.h"

#include <QFile>
#include <QGuiApplication>
#include <QHash>

// The resources live in a static library: make sure they are registered before first use.
static void initResources() {
    Q_INIT_RESOURCE(netloom);
}

namespace netloom::ui {

namespace {
void ensureResources() {
    static const bool once = (initResources(), true);
    (void)once;
}
}  // namespace

QColor categoryColor(const QString& category) {
    static const QHash<QString, QColor> colors{
        {"Input", QColor(0x2a, 0x9d, 0x8f)},         {"Core", QColor(0x44, 0x72, 0xc4)},
        {"Convolution", QColor(0x8e, 0x5c, 0xcf)},   {"Pooling", QColor(0xc7, 0x7d, 0x2a)},
        {"Normalization", QColor(0x3f, 0x9d, 0x55)}, {"Activation", QColor(0xc9, 0x9a, 0x12)},
        {"Merge", QColor(0xc0, 0x50, 0x7a)},         {"Recurrent", QColor(0x2f, 0x8f, 0xb8)},
        {"Attention", QColor(0xb8, 0x4a, 0x3e)},
    };
    auto it = colors.find(category);
    if (it != colors.end()) return *it;
    // Unknown categories still get a stable, distinct hue.
    return QColor::fromHsv(static_cast<int>(qHash(category) % 360), 110, 170);
}

static QString iconPath(const QString& name) {
    ensureResources();
    return ":/icons/" + name + ".svg";
}

QIcon categoryIcon(const QString& category) {
    const QString path = iconPath("category-" + category.toLower());
    return QIcon(QFile::exists(path) ? path : iconPath("category-other"));
}

QIcon actionIcon(const QString& name) {
    const QString path = iconPath(name);
    return QFile::exists(path) ? QIcon(path) : QIcon();
}

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}
bool isDarkPalette() {
    return isDarkPalette(QGuiApplication::palette());
}

QColor errorColor() {
    return isDarkPalette() ? QColor(0xf8, 0x6a, 0x66) : QColor(0xd6, 0x3a, 0x3a);
}
QColor validColor() {
    return isDarkPalette() ? QColor(0x3f, 0xb9, 0x50) : QColor(0x2e, 0xa0, 0x43);
}

QString humanCount(qint64 n) {
    const double v = static_cast<double>(n);
    if (n >= 1'000'000'000) return QString::number(v / 1e9, 'f', 2) + " G";
    if (n >= 1'000'000) return QString::number(v / 1e6, 'f', 2) + " M";
    if (n >= 10'000) return QString::number(v / 1e3, 'f', 1) + " k";
    return QString::number(n);
}

QString humanBytes(qint64 bytes) {
    const double v = static_cast<double>(bytes);
    if (bytes >= (1ll << 30)) return QString::number(v / (1ll << 30), 'f', 2) + " GB";
    if (bytes >= (1ll << 20)) return QString::number(v / (1ll << 20), 'f', 1) + " MB";
    if (bytes >= (1ll << 10)) return QString::number(v / (1ll << 10), 'f', 1) + " KB";
    return QString::number(bytes) + " B";
}

}  // namespace netloom::ui
