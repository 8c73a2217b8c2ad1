#pragma once
// What `netloom train` prints while and after a run, per kind of task: the supervised tasks'
// loss/accuracy lines and test figures, or a GAN's D/G figures (and, with --score-with, the
// classifier score of the generator after every epoch). Text lines, or JSON lines with --json.
// Progress goes to stderr on a terminal, a few times per second.
#include <cstdint>
#include <memory>
#include <string>

#include "engine/project/project.h"
#include "engine/tasks/task.h"
#include "engine/train/run_event.h"

namespace netloom::app {

class TrainOutput {
public:
    virtual ~TrainOutput() = default;
    virtual void onEvent(const engine::RunEvent& ev) = 0;
    // After a finished or stopped run: the closing lines.
    virtual void onEnd(const engine::RunRecord& record, const engine::TrainingConfig& config) = 0;
    int64_t steps() const { return m_steps; }

protected:
    int64_t m_steps = 0;  // steps done (the last event's count)
};

// The output for this task's figures; throws Error when the scoring classifier cannot be
// loaded.
std::unique_ptr<TrainOutput> makeTrainOutput(const engine::TaskDef& task,
                                             const engine::Project& project, bool json,
                                             const std::string& scoreWith);

}  // namespace netloom::app
