#pragma once
// "Try it yourself": for 28×28 image classifiers, a draw pad and "pick a test image", with the
// model's class probabilities as a bar chart, recomputed by the engine's forward pass on every
// stroke and after every epoch; for classifiers of 2-D points, the decision regions over the
// data. Other networks get a short explanation.
#include <QWidget>
#include <cstdint>
#include <vector>

class QLabel;
class QPushButton;
class QSlider;
class QStackedWidget;

namespace netloom::ui {

class DecisionRegions;
class DrawPad;
class EvalContext;
class LiveWeights;
class ProbabilityBars;

class TryItPanel : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Message, DrawPad, Regions };

    explicit TryItPanel(LiveWeights* live, QWidget* parent = nullptr);

    Mode mode() const { return m_mode; }
    DrawPad* pad() const { return m_pad; }
    ProbabilityBars* bars() const { return m_bars; }
    DecisionRegions* regions() const { return m_regions; }
    QPushButton* clearButton() const { return m_clear; }
    QPushButton* pickButton() const { return m_pick; }
    QSlider* brushSlider() const { return m_brush; }  // tenths of an image pixel
    EvalContext* context() const { return m_ctx; }
    QString message() const;

    // Shows test image `index` in the pad (false when the test data is not loaded yet or the
    // index is out of range); -1 picks one at random.
    bool pickTestImage(int64_t index = -1);
    int64_t pickedIndex() const { return m_picked; }  // -1 once drawn over or cleared

private:
    void refresh();  // the model, the data or the settings changed
    void predict();  // the pad's pixels through the network
    Mode modeFor() const;

    EvalContext* m_ctx;
    LiveWeights* m_live;
    Mode m_mode = Mode::Message;
    QStackedWidget* m_stack;
    QLabel* m_message;
    QLabel* m_caption;
    QLabel* m_source;
    DrawPad* m_pad;
    ProbabilityBars* m_bars;
    QPushButton* m_clear;
    QPushButton* m_pick;
    QSlider* m_brush;
    DecisionRegions* m_regions;
    int64_t m_picked = -1;
    int m_pickedClass = -1;
    bool m_settingPixels = false;
};

}  // namespace netloom::ui
