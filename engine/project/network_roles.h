#pragma once
// Which networks a task needs, by role. The adversarial task (GAN) needs exactly one network
// with role "generator" and one with role "discriminator"; the other tasks train networks[0].
// The project reader and writer both check this, so a GAN file always names both.
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

// Nothing when the networks suit the task, else the first problem.
std::optional<RoleProblem> checkNetworkRoles(const std::vector<Network>& networks,
                                             const std::string& task);

// The network with this role, or nullptr.
const Network* findNetwork(const Project& project, const std::string& role);
Network* findNetwork(Project& project, const std::string& role);

}  // namespace netloom::engine
