#pragma once
// Which networks a task needs, by role (TaskDef::networkRoles()). A task with several roles
// (the adversarial task: "generator" and "discriminator") needs exactly one network of each;
// a task with one role trains networks[0]. The project reader and writer both check this
// (through checkNetworkRoles(networks, taskId) in tasks/registry.h), so a GAN file always
// names both.
#include <optional>
#include <string>
#include <vector>

#include "engine/project/project.h"

namespace netloom::engine {

inline constexpr const char* kGeneratorRole = "generator";
inline constexpr const char* kDiscriminatorRole = "discriminator";

struct RoleProblem {
    int network = -1;  // index of the offending network's "role", or -1 for the list as a whole
    std::string message;
};

// Nothing when the networks suit a task with these roles, else the first problem; taskId names
// the task in messages ("the adversarial task needs ...").
std::optional<RoleProblem> checkNetworkRoles(const std::vector<Network>& networks,
                                             const std::vector<std::string>& roles,
                                             const std::string& taskId);

// The network with this role, or nullptr.
const Network* findNetwork(const Project& project, const std::string& role);
Network* findNetwork(Project& project, const std::string& role);

}  // namespace netloom::engine
