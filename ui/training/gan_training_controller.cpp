#include "ui/training/gan_training_controller.h"

#include "engine/core/error.h"
#include "engine/project/network_roles.h"
#include "engine/tasks/registry.h"
#include "engine/train/gan.h"
#include "ui/document/graph_document.h"

namespace netloom::ui {

int networkIndex(const engine::Project& project, const std::string& role) {
    for (size_t i = 0; i < project.networks.size(); ++i)
        if (project.networks[i].role == role) return static_cast<int>(i);
    return -1;
}

GanTrainingController::GanTrainingController(GraphDocument* doc, QObject* parent)
    : RunController(doc, parent) {}

GanTrainingController::~GanTrainingController() {
    stopAndJoin();
}

bool GanTrainingController::start() {
    if (isActive()) return false;
    const engine::TrainingConfig& config = m_doc->training();
    try {
        if (!engine::taskFor(config).views().generatedSamples)
            throw netloom::Error("the training task is \"" + config.task +
                                 "\": GAN training needs the task \"adversarial\"");
        const engine::GanNetworks nets = engine::ganNetworks(m_doc->project());
        engine::checkGanGraphs(nets.generator->graph, nets.discriminator->graph);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    return startRun({}, {}, 0);
}

}  // namespace netloom::ui
