#pragma once
// Trains an adversarial (GAN) project for the window: RunController runs the task's recipe on
// its worker thread, turns its events into signals (steps with "d_loss", "g_loss",
// "d_real_accuracy", "d_fake_accuracy"; sample grids; epochs) and puts both networks' weights
// into the document; this class only checks that the project is a trainable GAN.
#include <string>

#include "engine/project/project.h"
#include "ui/training/run_controller.h"

namespace netloom::ui {

class GraphDocument;

// State, the run's signals, pause(), resume() and stop() come from RunController.
class GanTrainingController : public RunController {
    Q_OBJECT
public:
    explicit GanTrainingController(GraphDocument* doc, QObject* parent = nullptr);
    ~GanTrainingController() override;  // stops a run and joins its thread

    // Starts a run from the document's weights of both networks; false (and failed()) when the
    // project is not a trainable GAN or a run is already active.
    bool start();
    // resetWeights() forgets both networks' trained weights.
};

// Index of the network with this role in project.networks, or -1.
int networkIndex(const engine::Project& project, const std::string& role);

}  // namespace netloom::ui
