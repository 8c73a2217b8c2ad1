#include "engine/tasks/trainer_for.h"
#include "engine/evaluation/default_scorer.h"

#include <cstdlib>
#include <filesystem>

#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "engine/train/trainer.h"

namespace netloom::engine {

std::string defaultScorerPath() {
    namespace fs = std::filesystem;
    fs::path dir;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        dir = fs::path(x) / "netloom";
    else if (const char* h = std::getenv("HOME"); h && *h)
        dir = fs::path(h) / ".cache" / "netloom";
    else
        throw Error(
            "neither XDG_CACHE_HOME nor HOME is set to cache the scoring classifier in: choose "
            "a trained fashion-cnn project instead");
    return (dir / ScorerTrainingRule::cacheName).string();
}

void trainDefaultScorer(const std::string& samplePath, const std::string& path, int threads,
                        const std::function<void(const RunEvent&)>& onEvent,
                        const std::function<bool()>& keepGoing) {
    using Rule = ScorerTrainingRule;
    Project p = loadProject(samplePath);
    if (threads > 0) p.training.threads = threads;
    p.training.epochs = Rule::maxEpochs;
    p.training.validationSplit = Rule::validationSplit;
    p.training.earlyStopping = Rule::patience;
    Trainer trainer = trainerFor(p.model().graph, p.training);
    std::string failure;
    RunRecord r = trainer.run([&](const RunEvent& ev) {
        if (ev.kind == RunEvent::Kind::Failed) failure = ev.message;
        if (ev.kind == RunEvent::Kind::Stopped) failure = "stopped";
        if (keepGoing && !keepGoing()) trainer.stop();
        onEvent(ev);
    });
    if (r.status != "finished")
        throw Error(samplePath + ": training the scoring classifier failed: " + failure);
    p.model().weights = trainer.weights();
    p.history.push_back(r);
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec) throw Error(fs::path(path).parent_path().string() + ": cannot create: " + ec.message());
    saveProject(p, path);
}

}  // namespace netloom::engine
