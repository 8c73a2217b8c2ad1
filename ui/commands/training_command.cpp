#include "ui/commands/training_command.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <functional>
#include <map>

#include "engine/losses/loss.h"
#include "ui/commands/node_commands.h"

namespace netloom::ui {

namespace {

using Config = engine::TrainingConfig;

QString tr(const char* text) {
    return QCoreApplication::translate("Commands", text);
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString number(double v) {
    return QString::number(v, 'g', 6);
}
QString onOff(bool v) {
    return v ? tr("on") : tr("off");
}
QString fileName(const std::string& path) {
    return path.empty() ? tr("none") : QFileInfo(qs(path)).fileName();
}
QString countOrAll(int64_t n) {
    return n == 0 ? tr("all") : QString::number(n);
}
// An id as the settings panel names it; unknown ids (a newer file) as they are.
QString choice(const std::string& id, const std::map<std::string, const char*>& names) {
    auto it = names.find(id);
    return it == names.end() ? qs(id) : tr(it->second);
}

struct Field {
    const char* label;  // lower case: it follows "Set"
    std::function<QString(const Config&)> value;
};

const std::map<QString, Field>& fields() {
    static const std::map<QString, Field> f{
        {"task",
         {"task",
          [](const Config& c) {
              return choice(c.task, {{"classification", "classification"},
                                     {"regression", "regression"},
                                     {"reconstruction", "reconstruction (autoencoder)"},
                                     {"adversarial", "adversarial (GAN)"}});
          }}},
        {"loss",
         {"loss",
          [](const Config& c) {
              const engine::LossInfo* loss = engine::findLoss(c.loss);
              return loss ? qs(loss->displayName) : qs(c.loss);
          }}},
        {"dataset.kind",
         {"dataset",
          [](const Config& c) {
              return choice(c.dataset.kind, {{"fashion-mnist", "Fashion-MNIST"},
                                             {"idx", "MNIST-format files"},
                                             {"csv", "CSV file"},
                                             {"synthetic", "synthetic 2-D"}});
          }}},
        {"dataset.trainImages",
         {"training images", [](const Config& c) { return fileName(c.dataset.trainImages); }}},
        {"dataset.trainLabels",
         {"training labels", [](const Config& c) { return fileName(c.dataset.trainLabels); }}},
        {"dataset.testImages",
         {"test images", [](const Config& c) { return fileName(c.dataset.testImages); }}},
        {"dataset.testLabels",
         {"test labels", [](const Config& c) { return fileName(c.dataset.testLabels); }}},
        {"dataset.csvPath",
         {"CSV file", [](const Config& c) { return fileName(c.dataset.csvPath); }}},
        {"dataset.csvTarget",
         {"target column",
          [](const Config& c) {
              return c.dataset.csvTarget.empty() ? tr("the last column") : qs(c.dataset.csvTarget);
          }}},
        {"dataset.testFraction",
         {"test fraction", [](const Config& c) { return number(c.dataset.testFraction); }}},
        {"dataset.testFraction.synthetic",
         {"test fraction", [](const Config& c) { return number(c.dataset.testFraction); }}},
        {"dataset.synthetic",
         {"synthetic data",
          [](const Config& c) {
              return choice(c.dataset.synthetic, {{"spiral", "spiral"},
                                                  {"circles", "circles"},
                                                  {"xor", "XOR"},
                                                  {"gaussians", "Gaussian blobs"}});
          }}},
        {"dataset.syntheticSamples",
         {"samples", [](const Config& c) { return QString::number(c.dataset.syntheticSamples); }}},
        {"dataset.syntheticNoise",
         {"noise", [](const Config& c) { return number(c.dataset.syntheticNoise); }}},
        {"dataset.limitTrain",
         {"training samples", [](const Config& c) { return countOrAll(c.dataset.limitTrain); }}},
        {"dataset.limitTest",
         {"test samples", [](const Config& c) { return countOrAll(c.dataset.limitTest); }}},
        {"dataset.scaling",
         {"pixel scaling",
          [](const Config& c) {
              return choice(c.dataset.scaling, {{"unit", "[0, 1]"}, {"signed", "[−1, 1]"}});
          }}},
        {"validationSplit",
         {"validation split", [](const Config& c) { return number(c.validationSplit); }}},
        {"optimizer",
         {"optimizer", [](const Config& c) { return optimizerName(c.optimizer.type); }}},
        {"lr", {"learning rate", [](const Config& c) { return number(c.optimizer.lr); }}},
        {"momentum", {"momentum", [](const Config& c) { return number(c.optimizer.momentum); }}},
        {"dampening", {"dampening", [](const Config& c) { return number(c.optimizer.dampening); }}},
        {"nesterov", {"Nesterov", [](const Config& c) { return onOff(c.optimizer.nesterov); }}},
        {"beta1", {"β₁", [](const Config& c) { return number(c.optimizer.beta1); }}},
        {"beta2", {"β₂", [](const Config& c) { return number(c.optimizer.beta2); }}},
        {"alpha", {"alpha", [](const Config& c) { return number(c.optimizer.alpha); }}},
        {"eps", {"epsilon", [](const Config& c) { return number(c.optimizer.eps); }}},
        {"weightDecay",
         {"weight decay", [](const Config& c) { return number(c.optimizer.weightDecay); }}},
        {"l1", {"L1", [](const Config& c) { return number(c.optimizer.l1); }}},
        {"l2", {"L2", [](const Config& c) { return number(c.optimizer.l2); }}},
        {"clipNorm",
         {"gradient clipping",
          [](const Config& c) {
              return c.optimizer.clipNorm > 0 ? number(c.optimizer.clipNorm) : tr("off");
          }}},
        {"batchSize", {"batch size", [](const Config& c) { return QString::number(c.batchSize); }}},
        {"epochs", {"epochs", [](const Config& c) { return QString::number(c.epochs); }}},
        {"earlyStopping",
         {"early stopping",
          [](const Config& c) {
              return c.earlyStopping == 0 ? tr("off")
                                          : tr("%1 epochs without progress").arg(c.earlyStopping);
          }}},
        {"seed", {"seed", [](const Config& c) { return QString::number(c.seed); }}},
        {"init",
         {"initialization",
          [](const Config& c) {
              return choice(c.init, {{"default", "default"}, {"he", "He"}, {"xavier", "Xavier"}});
          }}},
        {"threads",
         {"threads",
          [](const Config& c) {
              return c.threads == 0 ? tr("automatic") : QString::number(c.threads);
          }}},
        {"inputNoise", {"input noise", [](const Config& c) { return number(c.inputNoise); }}},
        {"gan.discriminatorSteps",
         {"D steps per G step",
          [](const Config& c) { return QString::number(c.gan.discriminatorSteps); }}},
        {"gan.sampleEvery",
         {"samples every",
          [](const Config& c) {
              return c.gan.sampleEvery == 0 ? tr("epoch end")
                                            : tr("%1 iterations").arg(c.gan.sampleEvery);
          }}},
        {"gan.sampleCount",
         {"grid samples", [](const Config& c) { return QString::number(c.gan.sampleCount); }}},
        {"gan.iterationsPerEpoch",
         {"iterations per epoch",
          [](const Config& c) {
              return c.gan.iterationsPerEpoch == 0 ? tr("one pass over the data")
                                                   : QString::number(c.gan.iterationsPerEpoch);
          }}},
        {"gan.generatorAverage",
         {"generator average",
          [](const Config& c) {
              return c.gan.generatorAverage > 0 ? number(c.gan.generatorAverage) : tr("off");
          }}},
        {"discriminator.same",
         {"discriminator optimizer",
          [](const Config& c) {
              return c.gan.discriminatorOptimizer ? tr("its own") : tr("the generator's");
          }}},
    };
    return f;
}

// "dataset.limitTrain" → "limit train": a field this file does not know yet still reads as words.
QString words(const QString& field) {
    const QString last = field.section('.', -1);
    QString out;
    for (const QChar ch : last) {
        if (ch.isUpper() && !out.isEmpty()) out += ' ';
        out += ch.toLower();
    }
    return out;
}

}  // namespace

QString optimizerName(const std::string& type) {
    return choice(type,
                  {{"sgd", "SGD"}, {"adam", "Adam"}, {"adamw", "AdamW"}, {"rmsprop", "RMSprop"}});
}

QString trainingChangeText(const QString& field, const Config& config) {
    // The discriminator's optimizer fields read like the generator's, on its optimizer.
    static const QString discriminator = "discriminator.";
    if (field.startsWith(discriminator) && field != "discriminator.same") {
        auto it = fields().find(field.mid(discriminator.size()));
        Config d = config;
        d.optimizer = config.gan.discriminatorOptimizer.value_or(config.optimizer);
        if (it != fields().end())
            return tr("Set the discriminator's %1 to %2")
                .arg(tr(it->second.label), it->second.value(d));
    }
    auto it = fields().find(field);
    if (it == fields().end()) return tr("Change training %1").arg(words(field));
    return tr("Set %1 to %2").arg(tr(it->second.label), it->second.value(config));
}

SetTrainingCommand::SetTrainingCommand(GraphDocument* doc, const engine::TrainingConfig& config,
                                       const QString& field, QUndoCommand* parent)
    : QUndoCommand(parent),
      m_doc(doc),
      m_field(field),
      m_old(doc->training()),
      m_new(config),
      m_time(editClockMs()) {
    setText(trainingChangeText(field, config));
}

bool SetTrainingCommand::mergeWith(const QUndoCommand* other) {
    auto* o = dynamic_cast<const SetTrainingCommand*>(other);
    if (!o || o->m_doc != m_doc || o->m_field != m_field || o->m_time - m_time > kMergeWindowMs)
        return false;
    m_new = o->m_new;
    m_time = o->m_time;
    setObsolete(m_new == m_old);
    setText(o->text());
    return true;
}

}  // namespace netloom::ui
