#include "engine/project/network_roles.h"

namespace netloom::engine {

namespace {

// "\"generator\" and \"discriminator\"", "\"a\", \"b\" and \"c\"".
std::string quotedList(const std::vector<std::string>& names) {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i)
        s += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + ("\"" + names[i] + "\"");
    return s;
}

}  // namespace

std::optional<RoleProblem> checkNetworkRoles(const std::vector<Network>& networks,
                                             const std::vector<std::string>& roles,
                                             const std::string& taskId) {
    if (roles.size() < 2) return std::nullopt;  // one network: networks[0] trains
    std::vector<int> seen(roles.size(), -1);
    for (size_t i = 0; i < networks.size(); ++i) {
        const std::string& role = networks[i].role;
        const int index = static_cast<int>(i);
        size_t r = 0;
        while (r < roles.size() && roles[r] != role) ++r;
        if (r == roles.size())
            return RoleProblem{index, "the " + taskId + " task has networks with roles " +
                                          quotedList(roles) + " only, got \"" + role + "\""};
        if (seen[r] >= 0)
            return RoleProblem{index, "a second \"" + role + "\" network (the first is network " +
                                          std::to_string(seen[r]) + "): the " + taskId +
                                          " task trains exactly one"};
        seen[r] = index;
    }
    for (size_t r = 0; r < roles.size(); ++r) {
        if (seen[r] >= 0) continue;
        std::vector<std::string> others;
        for (size_t o = 0; o < roles.size(); ++o)
            if (o != r) others.push_back(roles[o]);
        return RoleProblem{-1, "the " + taskId + " task needs a network with role \"" + roles[r] +
                                   "\" beside the " + quotedList(others) +
                                   " (exactly one of each)"};
    }
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
