#pragma once
#include <string>
#include <vector>

#include "engine/project/network_roles.h"
#include "engine/tasks/task.h"

namespace netloom::engine {

struct TrainingConfig;

// Every task kind, in the order the settings combo lists them.
const std::vector<const TaskDef*>& allTasks();
// nullptr when unknown.
const TaskDef* findTask(const std::string& id);
// The config's task; throws Error listing the known tasks when its id is unknown.
const TaskDef& taskFor(const TrainingConfig& config);
const TaskDef& taskById(const std::string& id);  // throws like taskFor

// Whether the networks suit the task's roles (TaskDef::networkRoles()); an unknown task has no
// role rule here (the reader refuses it by name).
std::optional<RoleProblem> checkNetworkRoles(const std::vector<Network>& networks,
                                             const std::string& taskId);

}  // namespace netloom::engine
