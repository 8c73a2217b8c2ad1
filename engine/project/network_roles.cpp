#include "engine/project/network_roles.h"

namespace netloom::engine {

std::optional<RoleProblem> checkNetworkRoles(const std::vector<Network>& networks,
                                             const std::string& task) {
    if (task != "adversarial") return std::nullopt;
    int generator = -1, discriminator = -1;
    for (size_t i = 0; i < networks.size(); ++i) {
        const std::string& role = networks[i].role;
        const int index = static_cast<int>(i);
        if (role == kGeneratorRole || role == kDiscriminatorRole) {
            int& seen = role == kGeneratorRole ? generator : discriminator;
            if (seen >= 0)
                return RoleProblem{index, "a second \"" + role +
                                              "\" network (the first is "
                                              "network " +
                                              std::to_string(seen) +
                                              "): the adversarial task trains exactly one"};
            seen = index;
        } else {
            return RoleProblem{index,
                               "the adversarial task has networks with roles "
                               "\"generator\" and \"discriminator\" only, got \"" +
                                   role + "\""};
        }
    }
    if (generator < 0 || discriminator < 0)
        return RoleProblem{-1, std::string("the adversarial task needs a network with role \"") +
                                   (generator < 0 ? kGeneratorRole : kDiscriminatorRole) +
                                   "\" beside the \"" +
                                   (generator < 0 ? kDiscriminatorRole : kGeneratorRole) +
                                   "\" (exactly one of each)"};
    return std::nullopt;
}

const Network* findNetwork(const Project& project, const std::string& role) {
    for (const Network& n : project.networks)
        if (n.role == role) return &n;
    return nullptr;
}

Network* findNetwork(Project& project, const std::string& role) {
    for (Network& n : project.networks)
        if (n.role == role) return &n;
    return nullptr;
}

}  // namespace netloom::engine
