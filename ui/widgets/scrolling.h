#pragma once
// Content taller or wider than a small screen allows scrolls inside its dock or tab instead of
// pushing the window beyond the screen (1366×768 laptops).
#include <QFrame>
#include <QScrollArea>
#include <QVBoxLayout>

namespace netloom::ui {

inline QScrollArea* scrolling(QWidget* content) {
    auto* area = new QScrollArea;
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

// A layout that never reports height-for-width, for the holder below.
class NoHeightForWidthLayout : public QVBoxLayout {
public:
    using QVBoxLayout::QVBoxLayout;
    bool hasHeightForWidth() const override { return false; }
};

// As scrolling(), but the content scrolls only below its minimum size. A word-wrapped label
// makes a layout height-for-width, and QScrollArea then sizes its content by heightForWidth,
// which counts every child at its preferred height (and every page of a stack, hidden or not):
// a panel that fits its dock would scroll anyway.
inline QScrollArea* scrollingBelowMinimum(QWidget* content) {
    auto* holder = new QWidget;
    auto* layout = new NoHeightForWidthLayout(holder);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(content);
    return scrolling(holder);
}

}  // namespace netloom::ui
