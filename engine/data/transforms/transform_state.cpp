// TransformChain's generator states for checkpoints (transform.h). A state is the transform's
// name, a space and its std::mt19937_64 state as the standard library prints it; the name lets
// a resumed run refuse states of another chain (an augmentation setting changed since).
#include <sstream>

#include "engine/core/error.h"
#include "engine/data/transforms/transform.h"

namespace netloom::engine {

std::vector<std::string> TransformChain::generatorStates() const {
    std::vector<std::string> states;
    for (const auto& t : m_transforms) {
        std::ostringstream out;
        out << t->name();
        if (Rng* rng = t->generator()) out << ' ' << rng->generator();
        states.push_back(out.str());
    }
    return states;
}

void TransformChain::restoreGeneratorStates(const std::vector<std::string>& states) {
    if (states.size() != m_transforms.size())
        throw Error("the checkpoint's augmentation has " + std::to_string(states.size()) +
                    " transforms, this run has " + std::to_string(m_transforms.size()) +
                    ": the augmentation settings changed since it was taken");
    for (size_t i = 0; i < states.size(); ++i) {
        BatchTransform& t = *m_transforms[i];
        std::istringstream in(states[i]);
        std::string name;
        in >> name;
        if (name != t.name())
            throw Error("the checkpoint's transform " + std::to_string(i + 1) + " is '" + name +
                        "', this run's is '" + t.name() +
                        "': the augmentation settings changed since it was taken");
        if (Rng* rng = t.generator()) {
            std::mt19937_64 g;
            in >> g;
            if (!in) throw Error("the checkpoint's generator state of '" + name + "' is damaged");
            rng->generator() = g;
        }
    }
}

}  // namespace netloom::engine
