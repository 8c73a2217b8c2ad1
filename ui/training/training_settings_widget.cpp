#include "ui/training/training_settings_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <climits>

#include "engine/data/dataset.h"
#include "engine/losses/loss.h"
#include "engine/optim/optimizer.h"
#include "ui/widgets/float_spin_box.h"
#include "ui/widgets/reporting_spin_box.h"
#include "ui/widgets/style.h"
#include "ui/commands/training_command.h"

namespace netloom::ui {

namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
using Config = engine::TrainingConfig;
using engine::OptimizerConfig;

OptimizerConfig& generatorOptimizer(Config& c) {
    return c.optimizer;
}
// A GAN's discriminator optimizer; editing it while it is "the same as the generator's" starts
// it as a copy of the generator's.
OptimizerConfig& discriminatorOptimizer(Config& c) {
    if (!c.gan.discriminatorOptimizer) c.gan.discriminatorOptimizer = c.optimizer;
    return *c.gan.discriminatorOptimizer;
}

}  // namespace

TrainingSettingsWidget::TrainingSettingsWidget(GraphDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);

    // Task and loss.
    auto* taskBox = new QGroupBox(tr("Task"), this);
    auto* taskForm = new QFormLayout(taskBox);
    addChoice(
        taskForm, tr("Task"), "task",
        {{"classification", tr("Classification")},
         {"regression", tr("Regression")},
         {"reconstruction", tr("Reconstruction (autoencoder)")},
         {"adversarial", tr("Adversarial (GAN)")}},
        [](const Config& c) { return c.task; },
        [](Config& c, const std::string& v) {
            c.task = v;
            // Keep the loss meaningful for the task, in the same undo step.
            const engine::LossInfo* loss = engine::findLoss(c.loss);
            const bool labels = v == "classification";
            if (!loss || loss->classLabels != labels) c.loss = labels ? "cross_entropy" : "mse";
        });
    // A GAN is a project with a generator and a discriminator (File ▸ New ▸ a GAN sample), so
    // the task list shows "Adversarial" for such projects but does not offer it to the others.
    if (auto* combo = qobject_cast<QComboBox*>(m_editors.value("task")))
        if (auto* model = qobject_cast<QStandardItemModel*>(combo->model()))
            if (QStandardItem* item = model->item(combo->findData("adversarial")))
                item->setEnabled(false);
    std::vector<std::pair<QString, QString>> losses;
    for (const auto& l : engine::allLosses()) losses.push_back({qs(l.id), qs(l.displayName)});
    QWidget* lossBox = addChoice(
        taskForm, tr("Loss"), "loss", losses, [](const Config& c) { return c.loss; },
        [](Config& c, const std::string& v) { c.loss = v; });
    if (auto* combo = qobject_cast<QComboBox*>(lossBox))
        for (int i = 0; i < combo->count() && i < int(engine::allLosses().size()); ++i)
            combo->setItemData(i, qs(engine::allLosses()[size_t(i)].description), Qt::ToolTipRole);
    outer->addWidget(taskBox);

    // Data.
    auto* dataBox = new QGroupBox(tr("Data"), this);
    auto* dataLayout = new QVBoxLayout(dataBox);
    auto* kindForm = new QFormLayout;
    addChoice(
        kindForm, tr("Dataset"), "dataset.kind",
        {{"fashion-mnist", tr("Fashion-MNIST (built in)")},
         {"idx", tr("MNIST-format files")},
         {"csv", tr("CSV file")},
         {"synthetic", tr("Synthetic 2-D")}},
        [](const Config& c) { return c.dataset.kind; },
        [](Config& c, const std::string& v) { c.dataset.kind = v; });
    dataLayout->addLayout(kindForm);
    m_datasetPages = new QStackedWidget(dataBox);
    {
        auto* page = new QWidget;
        auto* form = new QFormLayout(page);
        form->setContentsMargins(0, 0, 0, 0);
        auto* where = new QLabel(page);
        where->setWordWrap(true);
        where->setText(tr("60,000 training and 10,000 test images of clothing, 28×28 grey, "
                          "10 classes, from %1")
                           .arg(qs(engine::fashionMnistDir())));
        form->addRow(where);
        m_datasetPages->addWidget(page);
    }
    {
        auto* page = new QWidget;
        auto* form = new QFormLayout(page);
        form->setContentsMargins(0, 0, 0, 0);
        const QString filter = tr("IDX files (*-ubyte *-ubyte.gz *.idx *.gz);;All files (*)");
        addFile(
            form, tr("Train images"), "dataset.trainImages", filter,
            [](const Config& c) { return c.dataset.trainImages; },
            [](Config& c, const std::string& v) { c.dataset.trainImages = v; });
        addFile(
            form, tr("Train labels"), "dataset.trainLabels", filter,
            [](const Config& c) { return c.dataset.trainLabels; },
            [](Config& c, const std::string& v) { c.dataset.trainLabels = v; });
        addFile(
            form, tr("Test images"), "dataset.testImages", filter,
            [](const Config& c) { return c.dataset.testImages; },
            [](Config& c, const std::string& v) { c.dataset.testImages = v; });
        addFile(
            form, tr("Test labels"), "dataset.testLabels", filter,
            [](const Config& c) { return c.dataset.testLabels; },
            [](Config& c, const std::string& v) { c.dataset.testLabels = v; });
        m_datasetPages->addWidget(page);
    }
    {
        auto* page = new QWidget;
        auto* form = new QFormLayout(page);
        form->setContentsMargins(0, 0, 0, 0);
        addFile(
            form, tr("CSV file"), "dataset.csvPath", tr("CSV files (*.csv);;All files (*)"),
            [](const Config& c) { return c.dataset.csvPath; },
            [](Config& c, const std::string& v) { c.dataset.csvPath = v; });
        addText(
            form, tr("Target column"), "dataset.csvTarget", tr("last column"),
            [](const Config& c) { return c.dataset.csvTarget; },
            [](Config& c, const std::string& v) { c.dataset.csvTarget = v; });
        addReal(
            form, tr("Test fraction"), "dataset.testFraction", 0.01, 0.9, 0.05, false,
            [](const Config& c) { return c.dataset.testFraction; },
            [](Config& c, double v) { c.dataset.testFraction = v; });
        m_datasetPages->addWidget(page);
    }
    {
        auto* page = new QWidget;
        auto* form = new QFormLayout(page);
        form->setContentsMargins(0, 0, 0, 0);
        addChoice(
            form, tr("Kind"), "dataset.synthetic",
            {{"spiral", tr("Spiral")},
             {"circles", tr("Circles")},
             {"xor", tr("XOR")},
             {"gaussians", tr("Gaussian blobs")}},
            [](const Config& c) { return c.dataset.synthetic; },
            [](Config& c, const std::string& v) { c.dataset.synthetic = v; });
        addInt(
            form, tr("Samples"), "dataset.syntheticSamples", 10, 1000000,
            [](const Config& c) { return c.dataset.syntheticSamples; },
            [](Config& c, int64_t v) { c.dataset.syntheticSamples = v; });
        addReal(
            form, tr("Noise"), "dataset.syntheticNoise", 0, 5, 0.05, false,
            [](const Config& c) { return c.dataset.syntheticNoise; },
            [](Config& c, double v) { c.dataset.syntheticNoise = v; });
        addReal(
            form, tr("Test fraction"), "dataset.testFraction.synthetic", 0.01, 0.9, 0.05, false,
            [](const Config& c) { return c.dataset.testFraction; },
            [](Config& c, double v) { c.dataset.testFraction = v; });
        m_datasetPages->addWidget(page);
    }
    dataLayout->addWidget(m_datasetPages);
    auto* limits = new QFormLayout;
    addInt(
        limits, tr("Training samples"), "dataset.limitTrain", 0, INT_MAX,
        [](const Config& c) { return c.dataset.limitTrain; },
        [](Config& c, int64_t v) { c.dataset.limitTrain = v; });
    addInt(
        limits, tr("Test samples"), "dataset.limitTest", 0, INT_MAX,
        [](const Config& c) { return c.dataset.limitTest; },
        [](Config& c, int64_t v) { c.dataset.limitTest = v; });
    for (const char* f : {"dataset.limitTrain", "dataset.limitTest"}) {
        auto* box = static_cast<QSpinBox*>(m_editors.value(f));
        box->setSpecialValueText(tr("all"));
        box->setToolTip(tr("Use only the first N samples (0 = all): quick experiments"));
    }
    addChoice(
        limits, tr("Pixel scaling"), "dataset.scaling",
        {{"unit", tr("x / 255, in [0, 1]")}, {"signed", tr("in [−1, 1] (GANs)")}},
        [](const Config& c) { return c.dataset.scaling; },
        [](Config& c, const std::string& v) { c.dataset.scaling = v; });
    addReal(
        limits, tr("Validation split"), "validationSplit", 0, 0.9, 0.05, false,
        [](const Config& c) { return c.validationSplit; },
        [](Config& c, double v) { c.validationSplit = v; });
    m_editors.value("validationSplit")
        ->setToolTip(tr("Fraction of the training data held out for validation "
                        "(0: validate on the test set)"));
    dataLayout->addLayout(limits);
    outer->addWidget(dataBox);

    // Optimizer (for a GAN: the generator's).
    m_optimizerBox = new QGroupBox(tr("Optimizer"), this);
    m_optimizerForm = new QFormLayout(m_optimizerBox);
    addOptimizerFields(m_optimizerForm, QString(), &generatorOptimizer);
    outer->addWidget(m_optimizerBox);

    // Adversarial training (GAN projects only).
    m_ganBox = new QGroupBox(tr("Adversarial training"), this);
    auto* ganForm = new QFormLayout(m_ganBox);
    addInt(
        ganForm, tr("D steps per G step"), "gan.discriminatorSteps", 1, 1000,
        [](const Config& c) { return c.gan.discriminatorSteps; },
        [](Config& c, int64_t v) { c.gan.discriminatorSteps = v; });
    addInt(
        ganForm, tr("Samples every"), "gan.sampleEvery", 0, INT_MAX,
        [](const Config& c) { return c.gan.sampleEvery; },
        [](Config& c, int64_t v) { c.gan.sampleEvery = v; });
    static_cast<QSpinBox*>(m_editors.value("gan.sampleEvery"))
        ->setSpecialValueText(tr("epoch ends only"));
    static_cast<QSpinBox*>(m_editors.value("gan.sampleEvery"))->setSuffix(tr(" iterations"));
    addInt(
        ganForm, tr("Grid samples"), "gan.sampleCount", 1, 4096,
        [](const Config& c) { return c.gan.sampleCount; },
        [](Config& c, int64_t v) { c.gan.sampleCount = v; });
    addInt(
        ganForm, tr("Iterations per epoch"), "gan.iterationsPerEpoch", 0, INT_MAX,
        [](const Config& c) { return c.gan.iterationsPerEpoch; },
        [](Config& c, int64_t v) { c.gan.iterationsPerEpoch = v; });
    static_cast<QSpinBox*>(m_editors.value("gan.iterationsPerEpoch"))
        ->setSpecialValueText(tr("one pass over the data"));
    addReal(
        ganForm, tr("Generator average"), "gan.generatorAverage", 0, 0.9999, 0.001, false,
        [](const Config& c) { return c.gan.generatorAverage; },
        [](Config& c, double v) { c.gan.generatorAverage = v; });
    m_editors.value("gan.generatorAverage")
        ->setToolTip(tr("Keep a moving average of the generator's weights with this decay "
                        "(0.999 averages about the last 1,000 iterations; 0 = off). Samples, "
                        "the saved generator and its score use the average; training is "
                        "unchanged."));
    addBool(
        ganForm, tr("D optimizer"), "discriminator.same",
        [](const Config& c) { return !c.gan.discriminatorOptimizer; },
        [](Config& c, bool same) {
            if (same)
                c.gan.discriminatorOptimizer.reset();
            else
                c.gan.discriminatorOptimizer = c.optimizer;
        });
    static_cast<QCheckBox*>(m_editors.value("discriminator.same"))
        ->setText(tr("same as the generator's"));
    outer->addWidget(m_ganBox);
    m_discriminatorBox = new QGroupBox(tr("Discriminator optimizer"), this);
    m_discriminatorForm = new QFormLayout(m_discriminatorBox);
    addOptimizerFields(m_discriminatorForm, "discriminator.", &discriminatorOptimizer);
    outer->addWidget(m_discriminatorBox);

    // Run.
    auto* runBox = new QGroupBox(tr("Run"), this);
    auto* runForm = new QFormLayout(runBox);
    addInt(
        runForm, tr("Batch size"), "batchSize", 1, 65536,
        [](const Config& c) { return c.batchSize; }, [](Config& c, int64_t v) { c.batchSize = v; });
    addInt(
        runForm, tr("Epochs"), "epochs", 1, 100000, [](const Config& c) { return c.epochs; },
        [](Config& c, int64_t v) { c.epochs = v; });
    addInt(
        runForm, tr("Early stopping"), "earlyStopping", 0, 100000,
        [](const Config& c) { return c.earlyStopping; },
        [](Config& c, int64_t v) { c.earlyStopping = v; });
    {
        auto* box = static_cast<QSpinBox*>(m_editors.value("earlyStopping"));
        box->setSpecialValueText(tr("off"));
        box->setSuffix(tr(" epochs without progress"));
        box->setToolTip(
            tr("Stop once the validation loss has not fallen for this many epochs "
               "and keep the weights of the epoch where it was lowest (0 = off)"));
        m_runForm = runForm;
    }
    addInt(
        runForm, tr("Seed"), "seed", 0, INT_MAX,
        [](const Config& c) { return static_cast<int64_t>(c.seed); },
        [](Config& c, int64_t v) { c.seed = static_cast<uint64_t>(v); });
    addChoice(
        runForm, tr("Initialization"), "init",
        {{"default", tr("Default (as PyTorch)")}, {"he", tr("He")}, {"xavier", tr("Xavier")}},
        [](const Config& c) { return c.init; },
        [](Config& c, const std::string& v) { c.init = v; });
    addInt(
        runForm, tr("Threads"), "threads", 0, 256,
        [](const Config& c) { return static_cast<int64_t>(c.threads); },
        [](Config& c, int64_t v) { c.threads = static_cast<int>(v); });
    static_cast<QSpinBox*>(m_editors.value("threads"))->setSpecialValueText(tr("automatic"));
    outer->addWidget(runBox);
    outer->addStretch(1);

    connect(doc, &GraphDocument::changed, this, [this](const GraphChange& c) {
        if (c.kind == GraphChange::Kind::Training || c.kind == GraphChange::Kind::Reset) refresh();
    });
    refresh();
}

void TrainingSettingsWidget::addOptimizerFields(QFormLayout* form, const QString& prefix,
                                                OptimizerOf of) {
    // Reads go through a copy, so showing the discriminator's "same as the generator's"
    // optimizer does not create one.
    auto get = [of](const Config& c) {
        Config copy = c;
        return of(copy);
    };
    std::vector<std::pair<QString, QString>> optimizers;
    for (const auto& t : engine::optimizerTypes()) optimizers.push_back({qs(t), optimizerName(t)});
    addChoice(
        form, tr("Optimizer"), prefix + "optimizer", optimizers,
        [get](const Config& c) { return get(c).type; },
        [of](Config& c, const std::string& v) { of(c).type = v; });
    struct RealField {
        const char* field;
        QString label;
        double min, max, step;
        bool log;
        double OptimizerConfig::*member;
    };
    const RealField reals[] = {
        {"lr", tr("Learning rate"), 1e-7, 10, 1e-4, true, &OptimizerConfig::lr},
        {"momentum", tr("Momentum"), 0, 0.999, 0.05, false, &OptimizerConfig::momentum},
        {"dampening", tr("Dampening"), 0, 1, 0.05, false, &OptimizerConfig::dampening},
        {"beta1", tr("β₁"), 0, 0.9999, 0.01, false, &OptimizerConfig::beta1},
        {"beta2", tr("β₂"), 0, 0.99999, 0.001, false, &OptimizerConfig::beta2},
        {"alpha", tr("Alpha"), 0, 0.9999, 0.01, false, &OptimizerConfig::alpha},
        {"eps", tr("Epsilon"), 1e-12, 1, 1e-8, true, &OptimizerConfig::eps},
        {"weightDecay", tr("Weight decay"), 0, 1, 1e-4, false, &OptimizerConfig::weightDecay},
        {"l1", tr("L1"), 0, 1, 1e-5, false, &OptimizerConfig::l1},
        {"l2", tr("L2"), 0, 1, 1e-5, false, &OptimizerConfig::l2},
        {"clipNorm", tr("Clip gradient norm"), 0, 1000, 0.5, false, &OptimizerConfig::clipNorm},
    };
    for (const RealField& f : reals) {
        if (QString(f.field) == "beta1")  // Nesterov sits with SGD's fields, before Adam's
            addBool(
                form, tr("Nesterov"), prefix + "nesterov",
                [get](const Config& c) { return get(c).nesterov; },
                [of](Config& c, bool v) { of(c).nesterov = v; });
        const auto member = f.member;
        addReal(
            form, f.label, prefix + f.field, f.min, f.max, f.step, f.log,
            [get, member](const Config& c) { return get(c).*member; },
            [of, member](Config& c, double v) { of(c).*member = v; });
    }
    m_editors.value(prefix + "clipNorm")->setToolTip(tr("0 = no clipping"));
}

QString TrainingSettingsWidget::message() const {
    for (const auto& [form, label] : m_refusals)
        if (form->isRowVisible(label)) return label->text();
    return {};
}

void TrainingSettingsWidget::hideRefusals() {
    for (const auto& [form, label] : m_refusals) form->setRowVisible(label, false);
}

void TrainingSettingsWidget::showRefusal(QFormLayout* form, QLabel* where, const QString& text) {
    hideRefusals();
    where->setText(text);
    form->setRowVisible(where, true);
}

QLabel* TrainingSettingsWidget::addRefusalRow(QFormLayout* form) {
    auto* label = new QLabel(this);
    label->setWordWrap(true);
    label->setStyleSheet(QString("color:%1").arg(errorColor().name()));
    form->addRow(label);
    form->setRowVisible(label, false);
    m_refusals.push_back({form, label});
    return label;
}

void TrainingSettingsWidget::apply(const QString& field, const Setter& set) {
    if (m_refreshing) return;
    hideRefusals();
    Config config = m_doc->training();
    set(config);
    if (config == m_doc->training()) return;
    m_doc->undoStack()->push(new SetTrainingCommand(m_doc, config, field));
}

void TrainingSettingsWidget::refresh() {
    m_refreshing = true;
    for (const auto& r : m_refreshers) r();
    m_refreshing = false;
    updateVisibility();
}

void TrainingSettingsWidget::updateVisibility() {
    const Config& c = m_doc->training();
    const std::string& k = c.dataset.kind;
    m_datasetPages->setCurrentIndex(k == "idx" ? 1 : k == "csv" ? 2 : k == "synthetic" ? 3 : 0);
    const bool gan = c.task == "adversarial";
    m_optimizerBox->setTitle(gan ? tr("Generator optimizer") : tr("Optimizer"));
    m_ganBox->setVisible(gan);
    m_runForm->setRowVisible(m_editors.value("earlyStopping"), !gan);  // GANs have no validation
    m_discriminatorBox->setVisible(gan && c.gan.discriminatorOptimizer.has_value());
    showOptimizerRows(m_optimizerForm, QString(), c.optimizer.type);
    if (c.gan.discriminatorOptimizer)
        showOptimizerRows(m_discriminatorForm, "discriminator.",
                          c.gan.discriminatorOptimizer->type);
}

// Only the fields the optimizer type uses.
void TrainingSettingsWidget::showOptimizerRows(QFormLayout* form, const QString& prefix,
                                               const std::string& t) {
    const bool sgd = t == "sgd", adam = t == "adam" || t == "adamw", rms = t == "rmsprop";
    auto show = [&](const char* field, bool on) {
        if (QWidget* w = m_editors.value(prefix + field)) form->setRowVisible(w, on);
    };
    show("momentum", sgd || rms);
    show("dampening", sgd);
    show("nesterov", sgd);
    show("beta1", adam);
    show("beta2", adam);
    show("alpha", rms);
    show("eps", adam || rms);
}

QWidget* TrainingSettingsWidget::addChoice(QFormLayout* form, const QString& label,
                                           const QString& field,
                                           const std::vector<std::pair<QString, QString>>& items,
                                           std::function<std::string(const Config&)> get,
                                           std::function<void(Config&, const std::string&)> set) {
    auto* combo = new QComboBox(this);
    for (const auto& [id, text] : items) combo->addItem(text, id);
    form->addRow(label, combo);
    m_editors[field] = combo;
    connect(combo, &QComboBox::activated, this, [this, combo, field, set](int) {
        const std::string v = combo->currentData().toString().toStdString();
        apply(field, [&](Config& c) { set(c, v); });
    });
    m_refreshers.push_back([this, combo, get] {
        const QSignalBlocker b(combo);
        const QString v = qs(get(m_doc->training()));
        int index = combo->findData(v);
        if (index < 0) {  // a value this build does not list (newer file): show it anyway
            combo->addItem(v, v);
            index = combo->count() - 1;
        }
        combo->setCurrentIndex(index);
    });
    return combo;
}

QWidget* TrainingSettingsWidget::addInt(QFormLayout* form, const QString& label,
                                        const QString& field, int min, int max,
                                        std::function<int64_t(const Config&)> get,
                                        std::function<void(Config&, int64_t)> set) {
    auto* box = new ReportingSpinBox<QSpinBox>(this);
    box->setRange(min, max);
    box->setKeyboardTracking(false);
    box->setAccelerated(true);
    form->addRow(label, box);
    m_editors[field] = box;
    QLabel* refusal = addRefusalRow(form);
    box->onRefused = [this, form, refusal, label, box](const QString& text) {
        showRefusal(
            form, refusal,
            rangeRefusal(label, true, box->minimum(), box->maximum(), text, box->valueText()));
    };
    connect(box, &QSpinBox::valueChanged, this,
            [this, field, set](int v) { apply(field, [&](Config& c) { set(c, v); }); });
    m_refreshers.push_back([this, box, get] {
        const QSignalBlocker b(box);
        box->setValue(
            static_cast<int>(std::clamp<int64_t>(get(m_doc->training()), INT_MIN, INT_MAX)));
    });
    return box;
}

QWidget* TrainingSettingsWidget::addReal(QFormLayout* form, const QString& label,
                                         const QString& field, double min, double max, double step,
                                         bool log, std::function<double(const Config&)> get,
                                         std::function<void(Config&, double)> set) {
    auto* box = new ReportingSpinBox<FloatSpinBox>(this);
    box->setRange(min, max);
    box->setSingleStep(step);
    box->setLogSteps(log);
    form->addRow(label, box);
    m_editors[field] = box;
    QLabel* refusal = addRefusalRow(form);
    box->onRefused = [this, form, refusal, label, box](const QString& text) {
        showRefusal(
            form, refusal,
            rangeRefusal(label, false, box->minimum(), box->maximum(), text, box->valueText()));
    };
    connect(box, &QDoubleSpinBox::valueChanged, this,
            [this, field, set](double v) { apply(field, [&](Config& c) { set(c, v); }); });
    m_refreshers.push_back([this, box, get] {
        const QSignalBlocker b(box);
        box->setValue(get(m_doc->training()));
    });
    return box;
}

QWidget* TrainingSettingsWidget::addBool(QFormLayout* form, const QString& label,
                                         const QString& field,
                                         std::function<bool(const Config&)> get,
                                         std::function<void(Config&, bool)> set) {
    auto* box = new QCheckBox(this);
    form->addRow(label, box);
    m_editors[field] = box;
    connect(box, &QCheckBox::toggled, this,
            [this, field, set](bool v) { apply(field, [&](Config& c) { set(c, v); }); });
    m_refreshers.push_back([this, box, get] {
        const QSignalBlocker b(box);
        box->setChecked(get(m_doc->training()));
    });
    return box;
}

QWidget* TrainingSettingsWidget::addText(QFormLayout* form, const QString& label,
                                         const QString& field, const QString& placeholder,
                                         std::function<std::string(const Config&)> get,
                                         std::function<void(Config&, const std::string&)> set) {
    auto* edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    form->addRow(label, edit);
    m_editors[field] = edit;
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, field, set] {
        const std::string v = edit->text().trimmed().toStdString();
        apply(field, [&](Config& c) { set(c, v); });
    });
    m_refreshers.push_back([this, edit, get] {
        const QSignalBlocker b(edit);
        edit->setText(qs(get(m_doc->training())));
    });
    return edit;
}

QWidget* TrainingSettingsWidget::addFile(QFormLayout* form, const QString& label,
                                         const QString& field, const QString& filter,
                                         std::function<std::string(const Config&)> get,
                                         std::function<void(Config&, const std::string&)> set) {
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* edit = new QLineEdit(row);
    edit->setPlaceholderText(tr("path"));
    auto* browse = new QToolButton(row);
    browse->setText("…");
    browse->setToolTip(tr("Choose a file"));
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    form->addRow(label, row);
    m_editors[field] = edit;
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, field, set] {
        const std::string v = edit->text().trimmed().toStdString();
        apply(field, [&](Config& c) { set(c, v); });
    });
    connect(browse, &QToolButton::clicked, this, [this, edit, label, filter] {
        const QString path = QFileDialog::getOpenFileName(this, label, edit->text(), filter);
        if (path.isEmpty()) return;
        edit->setText(path);
        emit edit->editingFinished();
    });
    m_refreshers.push_back([this, edit, get] {
        const QSignalBlocker b(edit);
        edit->setText(qs(get(m_doc->training())));
    });
    return edit;
}

}  // namespace netloom::ui
