#include "engine/io/project_migrate.h"

#include <functional>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"

namespace netloom::engine {
namespace {

using Step = std::function<void(nlohmann::json&)>;

// kSteps[i] upgrades a document from version kOldestProjectVersion + i to the next one.
// When the format changes: bump kProjectVersion, append one step here, add a test fixture.
const std::vector<Step>& steps() {
    static const std::vector<Step> kSteps{
        // 1 → 2: nodes may carry "frozen" and "lr_multiplier" (transfer learning; a version 1
        // node has neither, which reads as trainable at the run's rate, and the bump makes a
        // version-1 reader refuse a file whose frozen layers it would silently train), and
        // networks carry the editor's "groups" (a version 1 network has none).
        [](nlohmann::json& doc) {
            auto it = doc.find("networks");
            if (it == doc.end() || !it->is_array()) return;  // the reader names what is missing
            for (nlohmann::json& net : *it)
                if (net.is_object() && !net.contains("groups"))
                    net["groups"] = nlohmann::json::array();
        },
        // 2 → 3: a project may keep its hyperparameter search ("search"; a version 2 file has
        // none, which reads as none). Nothing to rewrite: the bump makes a version-2 reader
        // refuse a file whose search section it would silently drop on saving.
        [](nlohmann::json&) {},
    };
    return kSteps;
}

}  // namespace

void migrateProject(nlohmann::json& doc, int64_t fromVersion) {
    static_assert(kProjectVersion >= kOldestProjectVersion);
    if (fromVersion > kProjectVersion)
        throw Error("was saved by a newer NetLoom (format version " + std::to_string(fromVersion) +
                    "); this version reads up to " + std::to_string(kProjectVersion));
    if (fromVersion < kOldestProjectVersion)
        throw Error("format version " + std::to_string(fromVersion) +
                    " is not a NetLoom project version (versions " +
                    std::to_string(kOldestProjectVersion) + " to " +
                    std::to_string(kProjectVersion) + " can be read)");
    if (steps().size() != static_cast<size_t>(kProjectVersion - kOldestProjectVersion))
        throw Error("internal error: missing migration steps for format version " +
                    std::to_string(kProjectVersion));
    for (int64_t v = fromVersion; v < kProjectVersion; ++v)
        steps()[static_cast<size_t>(v - kOldestProjectVersion)](doc);
}

}  // namespace netloom::engine
