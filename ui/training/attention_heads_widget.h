#pragma once
// The live attention view's pictures, one per head, each with a caption, in as many columns as
// fit; pictures keep their aspect ratio and scale smoothly (token labels stay readable).
#include <QImage>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace netloom::ui {

class AttentionHeadsWidget : public QWidget {
    Q_OBJECT
public:
    explicit AttentionHeadsWidget(QWidget* parent = nullptr);

    void setPictures(std::vector<QImage> pictures, QStringList captions);
    const std::vector<QImage>& pictures() const { return m_pictures; }
    const QStringList& captions() const { return m_captions; }
    // Shown instead of the pictures while there are none ("Train to see ...").
    void setMessage(const QString& message);
    QString message() const { return m_message; }

    QSize sizeHint() const override { return {360, 360}; }
    QSize minimumSizeHint() const override { return {160, 160}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<QImage> m_pictures;
    QStringList m_captions;
    QString m_message;
};

}  // namespace netloom::ui
