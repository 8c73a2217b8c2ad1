#pragma once
// Resuming a killed or stopped run from the window: when a project opens whose checkpoint
// folder (engine/io/checkpoint_store.h) holds a checkpoint of a run that did not finish, the
// window asks "Resume from checkpoint (epoch k)?", and the Train menu keeps an action of that
// name while one is there.
#include <functional>

class QAction;

namespace netloom::ui {

class MainWindow;
class TrainingController;
class TrainingPanel;

// Installs the question and the Train menu action; showDock brings the training panel up.
// Returns the action (objectName "resumeCheckpoint").
QAction* installCheckpointOffer(MainWindow* window, TrainingPanel* panel,
                                TrainingController* controller, std::function<void()> showDock);

}  // namespace netloom::ui
