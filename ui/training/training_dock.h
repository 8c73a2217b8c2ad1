#pragma once
// Puts live training into a MainWindow: a TrainingController on the document, the training
// panel as a bottom dock, Train (menu, toolbar, Ctrl+T) starting a run, progress in the status
// bar, and the graph locked while a run is active (canvas, palette, inspector, settings and
// editing actions disabled, with a banner over the canvas).
namespace netloom::ui {

class MainWindow;
class TrainingPanel;

// Installs everything once; the panel belongs to the window, the controller to its document.
TrainingPanel* installTraining(MainWindow* window);

}  // namespace netloom::ui
