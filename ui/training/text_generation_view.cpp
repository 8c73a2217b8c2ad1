#include "ui/training/text_generation_view.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QVBoxLayout>

#include "engine/core/error.h"
#include "engine/data/text_reader.h"
#include "engine/infer/text_sampler.h"
#include "engine/settings/settings.h"
#include "engine/tasks/registry.h"
#include "ui/document/graph_document.h"
#include "ui/training/live_weights.h"
#include "ui/training/metric_chart.h"
#include "ui/training/training_controller.h"

namespace netloom::ui {

namespace {

bool writesText(const GraphDocument* doc) {
    const engine::TaskDef* task = doc ? engine::findTask(doc->training().task) : nullptr;
    return task && task->views().liveText;
}

}  // namespace

TextGenerationView::TextGenerationView(LiveWeights* live, TrainingController* controller,
                                       QWidget* parent)
    : QWidget(parent), m_live(live), m_controller(controller) {
    setObjectName("textGenerationView");
    m_header = new QLabel(tr("Generated text"), this);
    m_header->setObjectName("generatedTextHeader");
    m_header->setWordWrap(true);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName("generatedText");
    m_text->setReadOnly(true);
    QFont mono = m_text->font();
    mono.setFamily("DejaVu Sans Mono");
    mono.setStyleHint(QFont::Monospace);
    m_text->setFont(mono);
    m_temperature = new QSlider(Qt::Horizontal, this);
    m_temperature->setObjectName("temperatureSlider");
    m_temperature->setRange(0, 200);  // hundredths: 0 (likeliest) … 2
    m_temperature->setValue(80);
    m_temperature->setToolTip(
        tr("Low: safer, more common spellings; high: more surprising ones; 0: always the "
           "likeliest next character"));
    m_temperatureValue = new QLabel(this);
    m_prompt = new QLineEdit(this);
    m_prompt->setObjectName("promptBox");
    m_prompt->setPlaceholderText(tr("Prompt: the lines start with it"));
    m_again = new QPushButton(tr("Sample again"), this);
    m_again->setObjectName("sampleAgainButton");
    m_vocabulary = new QLabel(this);
    m_vocabulary->setObjectName("vocabularyLabel");
    m_vocabulary->setWordWrap(true);
    m_vocabulary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    using Axis = MetricChart::Axis;
    m_chart = new MetricChart(
        {tr("Perplexity per character"), tr("batch"), tr("perplexity"), {}},
        {{"perplexity", tr("training"), QColor("#1f77b4"), Axis::Left},
         {"val_perplexity", tr("validation"), QColor("#ff7f0e"), Axis::Left},
         {"unigram_perplexity", tr("unigram baseline"), QColor("#7f7f7f"), Axis::Left}},
        this);
    m_chart->setObjectName("perplexityChart");

    auto* top = new QWidget(this);
    auto* grid = new QGridLayout(top);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_header, 0, 0, 1, 4);
    grid->addWidget(m_text, 1, 0, 1, 4);
    grid->addWidget(new QLabel(tr("Temperature:"), top), 2, 0);
    grid->addWidget(m_temperature, 2, 1);
    grid->addWidget(m_temperatureValue, 2, 2);
    grid->addWidget(m_again, 2, 3);
    grid->addWidget(m_prompt, 3, 0, 1, 4);
    grid->addWidget(m_vocabulary, 4, 0, 1, 4);
    grid->setRowStretch(1, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({1000, 1000});  // text and chart share the height equally
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    auto showTemperature = [this] {
        m_temperatureValue->setText(QString::number(temperature(), 'f', 2));
    };
    showTemperature();
    connect(m_temperature, &QSlider::valueChanged, this, showTemperature);
    connect(m_temperature, &QSlider::sliderReleased, this, [this] { sampleNow(); });
    connect(m_prompt, &QLineEdit::returnPressed, this, [this] { sampleNow(); });
    connect(m_again, &QPushButton::clicked, this, [this] {
        ++m_seed;  // other lines from the same weights
        sampleNow();
    });
    if (live) connect(live, &LiveWeights::changed, this, &TextGenerationView::onWeights);
    if (controller) {
        connect(controller, &RunController::runStarted, this, [this] {
            m_chart->clear();
            m_chart->setLive(true);
            m_lastEpoch = -1;
        });
        connect(controller, &RunController::stepsArrived, this,
                [this](const QVector<RunPoint>& points) { m_chart->addPoints(points); });
        // Validation and the baseline come once per epoch, at the epoch's last step.
        connect(controller, &RunController::epochFinished, this,
                [this](const engine::EpochRecord& r) {
                    RunPoint p;
                    p.step = m_controller ? m_controller->lastProgress().step : 0;
                    p.epoch = r.epoch;
                    for (const char* name : {"val_perplexity", "unigram_perplexity"})
                        if (auto it = r.metrics.find(name); it != r.metrics.end())
                            p.metrics.set(name, it->second);
                    m_chart->addPoints({p});
                });
        auto stopLive = [this] {
            m_chart->setLive(false);
            m_chart->refresh();
        };
        connect(controller, &RunController::finished, this, stopLive);
        connect(controller, &RunController::failed, this, stopLive);
    }
    onWeights();
}

double TextGenerationView::temperature() const {
    return m_temperature->value() / 100.0;
}

void TextGenerationView::setTemperature(double t) {
    m_temperature->setValue(static_cast<int>(std::lround(t * 100)));
}

void TextGenerationView::setPrompt(const QString& prompt) {
    m_prompt->setText(prompt);
}

QString TextGenerationView::vocabularyText() const {
    return m_vocabulary->property("tokens").toString();
}

// New weights: an epoch's (sample now), a snapshot within an epoch (at most every
// kRefreshMs), or the document's after a run, a reset or another project.
void TextGenerationView::onWeights() {
    if (!m_live || !writesText(m_live->document())) return;
    const bool running = m_controller && m_controller->isActive();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool newEpoch = m_live->epoch() != m_lastEpoch;
    if (running && !newEpoch && now - m_lastAuto < kRefreshMs) return;
    m_lastAuto = now;
    m_lastEpoch = m_live->epoch();
    sampleNow();
}

bool TextGenerationView::loadVocabulary(QString& problem) {
    const engine::TrainingConfig& c = m_live->document()->training();
    const std::string key = engine::dataKey(c);
    if (key == m_vocabularyKey && !m_vocabularyTokens.empty()) return true;
    try {
        m_vocabularyTokens = engine::readTextDataset(c.dataset).vocabulary;
        m_vocabularyKey = key;
    } catch (const std::exception& e) {
        m_vocabularyTokens.clear();
        m_vocabularyKey.clear();
        problem = QString::fromUtf8(e.what());
        m_vocabulary->clear();
        return false;
    }
    QStringList shown;
    for (const std::string& t : m_vocabularyTokens) shown << QString::fromStdString(t);
    const QString tokens = shown.join(' ');
    m_vocabulary->setProperty("tokens", tokens);
    m_vocabulary->setText(tr("Vocabulary (%1 tokens): %2").arg(shown.size()).arg(tokens));
    return true;
}

bool TextGenerationView::sampleNow() {
    m_error.clear();
    if (!m_live || !writesText(m_live->document())) {
        m_error = tr("This project's task does not write text.");
        return false;
    }
    if (!loadVocabulary(m_error)) {
        show(tr("No vocabulary: %1").arg(m_error));
        return false;
    }
    engine::TargetKind target = engine::TargetKind::NextToken;
    Predictor* predictor = m_slot.update(m_live->document()->graph(), m_live->weights(), target);
    if (!predictor) {
        m_error = QString::fromStdString(m_slot.error());
        show(m_error);
        return false;
    }
    engine::SamplingOptions o;
    o.count = kLines;
    o.temperature = temperature();
    o.prompt = m_prompt->text().toStdString();
    o.seed = m_seed;
    try {
        const std::vector<std::string> lines =
            engine::sampleLines(*predictor, m_vocabularyTokens, o);
        m_lines.clear();
        for (const std::string& l : lines) m_lines << QString::fromStdString(l);
    } catch (const std::exception& e) {
        m_error = QString::fromUtf8(e.what());
        show(m_error);
        return false;
    }
    ++m_draws;
    const qint64 epoch = m_live->epoch();
    m_text->setPlainText(m_lines.join('\n'));
    show(epoch > 0 ? tr("Generated text: the weights of epoch %1 (temperature %2)")
                         .arg(epoch)
                         .arg(temperature(), 0, 'f', 2)
                   : tr("Generated text: the trained weights (temperature %1)")
                         .arg(temperature(), 0, 'f', 2));
    return true;
}

void TextGenerationView::show(const QString& header) {
    m_header->setText(header);
}

}  // namespace netloom::ui
