#include "engine/tasks/registry.h"

#include "engine/core/error.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

// The one list of tasks. Adding a task: write tasks/<name>.cpp defining
// `const TaskDef& <name>TaskDef()`, then add one X(<name>) line here.
#define NETLOOM_TASKS(X) \
    X(classification)    \
    X(regression)        \
    X(reconstruction)    \
    X(adversarial)       \
    X(sequenceGeneration)

#define NETLOOM_DECLARE(name) const TaskDef& name##TaskDef();
NETLOOM_TASKS(NETLOOM_DECLARE)
#undef NETLOOM_DECLARE

const std::vector<const TaskDef*>& allTasks() {
#define NETLOOM_ENTRY(name) &name##TaskDef(),
    static const std::vector<const TaskDef*> tasks{NETLOOM_TASKS(NETLOOM_ENTRY)};
#undef NETLOOM_ENTRY
    return tasks;
}

const TaskDef* findTask(const std::string& id) {
    for (const TaskDef* t : allTasks())
        if (t->id() == id) return t;
    return nullptr;
}

const TaskDef& taskById(const std::string& id) {
    if (const TaskDef* t = findTask(id)) return *t;
    std::string known;
    for (const TaskDef* t : allTasks()) known += (known.empty() ? "" : ", ") + t->id();
    throw Error("unknown task '" + id + "'; known tasks: " + known);
}

const TaskDef& taskFor(const TrainingConfig& config) {
    return taskById(config.task);
}

std::optional<RoleProblem> checkNetworkRoles(const std::vector<Network>& networks,
                                             const std::string& taskId) {
    const TaskDef* task = findTask(taskId);
    if (!task) return std::nullopt;
    return checkNetworkRoles(networks, task->networkRoles(), taskId);
}

}  // namespace netloom::engine
