#pragma once
// Training settings of the project: task, dataset (Fashion-MNIST, MNIST-format files, CSV,
// synthetic 2-D), loss, optimizer and its parameters, batch size, epochs, validation split,
// seed, initialization, threads; for GAN projects also the adversarial settings and the
// discriminator's own optimizer. Every change is an undo command saved with the project.
#include <QWidget>
#include <functional>
#include <map>
#include <vector>

#include "ui/document/graph_document.h"

class QFormLayout;
class QGroupBox;
class QLabel;
class QStackedWidget;

namespace netloom::ui {

class TrainingSettingsWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingSettingsWidget(GraphDocument* doc, QWidget* parent = nullptr);
    // The editor of a field ("lr", "epochs", "dataset.kind", ...), for tests.
    QWidget* editor(const QString& field) const { return m_editors.value(field); }
    // The refusal shown under a number field whose typed value is out of range or not a
    // number ("Epochs must be between 1 and 100000, got 0 — kept 5."); empty when none.
    QString message() const;

private:
    using Setter = std::function<void(engine::TrainingConfig&)>;
    // Where an optimizer form reads and writes its settings (the generator's or the
    // discriminator's).
    using OptimizerOf = engine::OptimizerConfig& (*)(engine::TrainingConfig&);
    // The optimizer fields, named prefix + "lr", prefix + "beta1", ...
    void addOptimizerFields(QFormLayout* form, const QString& prefix, OptimizerOf of);
    void showOptimizerRows(QFormLayout* form, const QString& prefix, const std::string& type);
    void apply(const QString& field, const Setter& set);
    void refresh();
    void updateVisibility();
    QLabel* addRefusalRow(QFormLayout* form);
    void hideRefusals();
    void showRefusal(QFormLayout* form, QLabel* where, const QString& text);

    QWidget* addChoice(QFormLayout* form, const QString& label, const QString& field,
                       const std::vector<std::pair<QString, QString>>& items,  // id, text
                       std::function<std::string(const engine::TrainingConfig&)> get,
                       std::function<void(engine::TrainingConfig&, const std::string&)> set);
    QWidget* addInt(QFormLayout* form, const QString& label, const QString& field, int min, int max,
                    std::function<int64_t(const engine::TrainingConfig&)> get,
                    std::function<void(engine::TrainingConfig&, int64_t)> set);
    QWidget* addReal(QFormLayout* form, const QString& label, const QString& field, double min,
                     double max, double step, bool log,
                     std::function<double(const engine::TrainingConfig&)> get,
                     std::function<void(engine::TrainingConfig&, double)> set);
    QWidget* addBool(QFormLayout* form, const QString& label, const QString& field,
                     std::function<bool(const engine::TrainingConfig&)> get,
                     std::function<void(engine::TrainingConfig&, bool)> set);
    QWidget* addFile(QFormLayout* form, const QString& label, const QString& field,
                     const QString& filter,
                     std::function<std::string(const engine::TrainingConfig&)> get,
                     std::function<void(engine::TrainingConfig&, const std::string&)> set);
    QWidget* addText(QFormLayout* form, const QString& label, const QString& field,
                     const QString& placeholder,
                     std::function<std::string(const engine::TrainingConfig&)> get,
                     std::function<void(engine::TrainingConfig&, const std::string&)> set);

    GraphDocument* m_doc;
    QMap<QString, QWidget*> m_editors;
    std::vector<std::function<void()>> m_refreshers;
    QStackedWidget* m_datasetPages = nullptr;
    QGroupBox* m_optimizerBox = nullptr;
    QFormLayout* m_optimizerForm = nullptr;
    QGroupBox* m_ganBox = nullptr;  // GAN projects only, like the discriminator's optimizer
    QGroupBox* m_discriminatorBox = nullptr;
    QFormLayout* m_runForm = nullptr;
    QFormLayout* m_discriminatorForm = nullptr;
    std::vector<std::pair<QFormLayout*, QLabel*>>
        m_refusals;  // one hidden row under each number field
    bool m_refreshing = false;
};

}  // namespace netloom::ui
