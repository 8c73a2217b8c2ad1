#include "ui/evaluation/eval_panel.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include "engine/core/error.h"
#include "engine/evaluation/default_scorer.h"
#include "ui/evaluation/eval_context.h"
#include "ui/training/data_cache.h"
#include "ui/document/graph_document.h"
#include "ui/widgets/prompter.h"
#include "ui/document/samples.h"
#include "ui/widgets/style.h"

namespace netloom::ui {

namespace {

// The default scoring classifier `netloom eval` and this panel train and cache, if it exists.
QString cachedClassifier() {
    try {
        const QString path = QString::fromStdString(engine::defaultScorerPath());
        return QFileInfo::exists(path) ? path : QString();
    } catch (const std::exception&) {
        return {};
    }
}

// Where the default classifier would go and the project it is trained from (`sample`, else the
// fashion-cnn sample); empty when either is unavailable.
std::pair<std::string, std::string> scorerToTrain(const std::optional<QString>& sample) {
    QString from = sample.value_or(QString());
    if (!sample)
        for (const QFileInfo& f : findSamples())
            if (f.fileName() == "fashion-cnn.netloom") from = f.absoluteFilePath();
    if (from.isEmpty()) return {};
    try {
        return {engine::defaultScorerPath(), from.toStdString()};
    } catch (const std::exception&) {  // no cache folder
        return {};
    }
}

QString classShares(const engine::ClassifierScore& s) {
    QStringList parts;
    for (double v : s.classShare) parts << QString::number(v * 100, 'f', 0);
    return parts.join(" / ");
}

}  // namespace

EvalPanel::EvalPanel(GraphDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    setObjectName("evalPanel");
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_run = new QPushButton(tr("Evaluate"), this);
    m_classifierRow = new QWidget(this);
    m_classifier = new QLineEdit(cachedClassifier(), m_classifierRow);
    m_classifier->setPlaceholderText(tr("A trained fashion-cnn project (*.netloom)"));
    auto* browse = new QPushButton(tr("Choose…"), m_classifierRow);
    auto* row = new QHBoxLayout(m_classifierRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(new QLabel(tr("Classifier:"), m_classifierRow));
    row->addWidget(m_classifier, 1);
    row->addWidget(browse);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_classifierRow);
    layout->addWidget(m_run, 0, Qt::AlignLeft);
    layout->addWidget(m_result, 1);
    connect(m_run, &QPushButton::clicked, this, &EvalPanel::evaluate);
    connect(browse, &QPushButton::clicked, this, &EvalPanel::chooseClassifier);
    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Reset || c.kind == GraphChange::Kind::Training) showTask();
    });
    showTask();
}

EvalPanel::~EvalPanel() {
    m_closing = true;
    if (m_worker.joinable()) m_worker.join();
}

QString EvalPanel::resultText() const {
    return m_result->text();
}

void EvalPanel::showTask() {
    using Evaluation = engine::TaskViews::Evaluation;
    const Evaluation evaluation =
        m_doc ? taskViews(m_doc->training()).evaluation : Evaluation::None;
    m_classifierRow->setVisible(evaluation == Evaluation::ClassifierScore);
    if (evaluation == Evaluation::ReconstructionScores)
        m_intro->setText(
            tr("Test-set reconstruction error of the trained weights (mean squared "
               "error and binary cross-entropy per value), as `netloom eval` "
               "reports it."));
    else if (evaluation == Evaluation::ClassifierScore)
        m_intro->setText(
            tr("Classifier score of 1,000 generated samples beside 1,000 real test "
               "images: exp E[KL(p(y|x) ‖ p(y))] by a trained classifier (high when "
               "samples are recognisable and varied; at most 10), and the classes "
               "the samples cover."));
    else
        m_intro->setText(
            tr("The evaluation panel scores autoencoders and GANs; this project's "
               "test figures show in the charts and the Runs tab."));
    m_run->setEnabled(!isRunning() && evaluation != Evaluation::None);
}

void EvalPanel::chooseClassifier() {
    const QString path =
        prompter().askOpenFile(this, tr("Choose a trained classifier"), m_classifier->text(),
                               tr("NetLoom projects (*.netloom)"));
    if (!path.isEmpty()) m_classifier->setText(path);
}

void EvalPanel::setResult(const QString& text, bool error) {
    m_result->setText(text);
    m_result->setStyleSheet(error ? QString("color:%1").arg(errorColor().name()) : QString());
}

bool EvalPanel::evaluate() {
    if (!m_doc || isRunning()) return false;
    const engine::Project project = m_doc->project();
    using Evaluation = engine::TaskViews::Evaluation;
    const Evaluation evaluation = taskViews(project.training).evaluation;
    const bool scoresSamples = evaluation == Evaluation::ClassifierScore;
    const std::string classifier = m_classifier->text().trimmed().toStdString();
    m_reconstruction.reset();
    m_gan.reset();
    bool trained = false;
    for (const engine::Network& n : project.networks)
        trained = trained || (!n.weights.empty() && n.role != "discriminator");
    if (evaluation == Evaluation::None) {
        setResult(tr("Only autoencoders and GANs are evaluated here."), true);
        return false;
    }
    if (!trained) {
        setResult(tr("The network has no trained weights yet: press Train first."), true);
        return false;
    }
    // Without a classifier, train the default one first (once; then it is cached).
    const auto [scorerPath, scorerSample] = scoresSamples && classifier.empty()
                                                ? scorerToTrain(m_scorerSample)
                                                : std::pair<std::string, std::string>{};
    if (scoresSamples && classifier.empty() && scorerPath.empty()) {
        setResult(tr("Choose a trained classifier project (fashion-cnn with trained weights) "
                     "to score the samples."),
                  true);
        return false;
    }
    m_workerReconstruction.reset();
    m_workerGan.reset();
    m_workerError.clear();
    m_run->setEnabled(false);
    setResult(scorerPath.empty()
                  ? tr("Evaluating…")
                  : tr("No scoring classifier yet: training fashion-cnn once until its "
                       "validation loss stops falling (a minute or two; then it is cached for "
                       "every GAN)…"));
    m_worker = std::thread([this, project, classifier, scorerPath, scorerSample, evaluation] {
        try {
            const engine::TrainingConfig& c = project.training;
            if (evaluation == Evaluation::ReconstructionScores) {
                auto data = DataCache::instance().load(c.dataset, 0.0, c.seed);
                m_workerReconstruction = engine::evaluateReconstruction(project.model(), c, data);
            } else {
                if (!scorerPath.empty()) trainScorer(scorerSample, scorerPath);
                engine::ScoreClassifier clf =
                    engine::loadScoreClassifier(scorerPath.empty() ? classifier : scorerPath);
                m_workerGan = engine::evaluateGan(project, clf);
            }
        } catch (const std::exception& e) {
            m_workerError = e.what();
            if (m_workerError.empty()) m_workerError = "unknown error";
        }
        QMetaObject::invokeMethod(this, &EvalPanel::done, Qt::QueuedConnection);
    });
    return true;
}

// On the worker thread: trains the default classifier, showing its epochs as they finish.
void EvalPanel::trainScorer(const std::string& sample, const std::string& path) {
    engine::trainDefaultScorer(
        sample, path, 0,
        [this](const engine::RunEvent& ev) {
            if (ev.kind != engine::RunEvent::Kind::Epoch) return;
            const QString text =
                tr("Training the scoring classifier (fashion-cnn, once): epoch %1, validation "
                   "loss %2, accuracy %3 %…")
                    .arg(ev.epoch)
                    .arg(ev.validation.loss, 0, 'f', 4)
                    .arg(ev.validation.accuracy * 100, 0, 'f', 1);
            QMetaObject::invokeMethod(
                this, [this, text] { setResult(text); }, Qt::QueuedConnection);
        },
        [this] { return !m_closing.load(); });
}

void EvalPanel::done() {
    if (m_worker.joinable()) m_worker.join();
    if (m_classifier->text().trimmed().isEmpty()) m_classifier->setText(cachedClassifier());
    showTask();
    if (!m_workerError.empty()) {
        setResult(tr("Evaluation failed: %1").arg(QString::fromStdString(m_workerError)), true);
        emit finished(false);
        return;
    }
    if (m_workerReconstruction) {
        m_reconstruction = m_workerReconstruction;
        setResult(tr("Test set (%1 images):\nMSE %2\nBCE %3")
                      .arg(m_reconstruction->samples)
                      .arg(m_reconstruction->mse, 0, 'f', 5)
                      .arg(m_reconstruction->bce, 0, 'f', 5));
    } else if (m_workerGan) {
        m_gan = m_workerGan;
        const engine::GanScores& s = *m_gan;
        setResult(tr("Classifier score\n"
                     "  generated  %1  (%2 samples, %3 of 10 classes covered)\n"
                     "  real       %4  (%5 test images, %6 of 10 classes covered)\n"
                     "  ratio      %7\n"
                     "Generated class shares (%): %8")
                      .arg(s.generated.score, 0, 'f', 3)
                      .arg(s.generatedSamples)
                      .arg(s.generated.classesCovered)
                      .arg(s.real.score, 0, 'f', 3)
                      .arg(s.realSamples)
                      .arg(s.real.classesCovered)
                      .arg(s.ratio, 0, 'f', 4)
                      .arg(classShares(s.generated)));
    }
    emit finished(true);
}

}  // namespace netloom::ui
