// `netloom train FILE [--save OUT] [--json] [--profile] [--fresh] [--resume] [--score-with CNN]
//  [settings: --epochs N, --seed N, --set NAME=VALUE, ... (app/cli_settings.h)]`: trains a
// project headless, whatever its task, through the task's recipe on the one run skeleton
// (engine/train/run_loop.h). The lines it prints are the task's figures (cli_train_output.cpp);
// --save keeps every network's weights and the run in the history. With checkpoints on
// (training.checkpoints.*) they go to FILE.checkpoints/ (engine/io/checkpoint_store.h), and
// --resume continues the latest one of an unfinished run. `netloom train --help` lists every
// setting flag.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "app/cli.h"
#include "app/cli_settings.h"
#include "app/cli_train_output.h"
#include "engine/core/error.h"
#include "engine/io/checkpoint_store.h"
#include "engine/io/project_io.h"
#include "engine/project/network_roles.h"
#include "engine/project/project.h"
#include "engine/tasks/recipe_inputs.h"
#include "engine/tasks/registry.h"
#include "engine/train/checkpoint_hook.h"
#include "engine/train/run_loop.h"
#include "engine/train/standard_hooks.h"

namespace netloom::app {

using namespace netloom::engine;

namespace {

struct TrainOptions {
    std::string file, saveTo, scoreWith;
    SettingOverrides settings;  // --epochs, --seed, --set lr=..., ...
    bool json = false, profile = false, fresh = false, resume = false, help = false;
};

TrainOptions parseTrainOptions(const std::vector<std::string>& args) {
    TrainOptions o;
    ArgReader r{args};
    while (!r.done()) {
        std::string a = r.next();
        if (a == "--help" || a == "-h")
            o.help = true;
        else if (a == "--save")
            o.saveTo = r.value(a);
        else if (a == "--json")
            o.json = true;
        else if (a == "--score-with")
            o.scoreWith = r.value(a);
        else if (a == "--profile")
            o.profile = true;
        else if (a == "--fresh")
            o.fresh = true;
        else if (a == "--resume")
            o.resume = true;
        else if (!readSettingFlag(r, a, o.settings))
            ArgReader::positional(a, o.file);
    }
    if (o.file.empty() && !o.help)
        throw Error(
            "usage: netloom train FILE [--save OUT] [--json] [--profile] [--fresh] [--resume] "
            "[--score-with CNN.netloom (GAN: classifier score after every epoch)] [--epochs N] "
            "[--set NAME=VALUE] ... ('netloom train --help' lists every setting)");
    return o;
}

void printProfile(const std::vector<Model::LayerTiming>& timings, int64_t steps) {
    double totalF = 0, totalB = 0;
    for (const auto& t : timings) totalF += t.forwardMs, totalB += t.backwardMs;
    std::printf("\nper-layer time per training step (ms; evaluation not included)\n");
    std::printf("%-16s %-14s %10s %10s %8s\n", "layer", "type", "forward", "backward", "share");
    for (const auto& t : timings) {
        const double calls = static_cast<double>(std::max<int64_t>(t.calls, 1));
        const double share = 100.0 * (t.forwardMs + t.backwardMs) / std::max(totalF + totalB, 1e-9);
        std::printf("%-16s %-14s %10.3f %10.3f %7.1f%%\n", t.name.c_str(), t.type.c_str(),
                    t.forwardMs / calls, t.backwardMs / std::max<double>(steps, 1), share);
    }
    std::printf("%-31s %10.0f %10.0f ms in all\n", "total", totalF, totalB);
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
    TrainOptions o;
    try {
        o = parseTrainOptions(args);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (o.help) {
        std::printf(
            "usage: netloom train FILE [options]\n"
            "  --save OUT                 save the trained project (weights + run history)\n"
            "  --json                     one JSON line per epoch\n"
            "  --profile                  per-layer timings\n"
            "  --fresh                    start from new weights, not the project's\n"
            "  --resume                   continue the latest checkpoint of an unfinished run\n"
            "                             (FILE.checkpoints/; see training.checkpoints.*)\n"
            "  --score-with CNN.netloom   GAN: classifier score after every epoch\n\n%s",
            settingFlagsHelp().c_str());
        return 0;
    }
    Project project;
    try {
        project = loadProject(o.file);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    TrainingConfig config = project.training;
    try {
        o.settings.applyTo(config);  // refuses settings the project's task does not use
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    const TaskDef* task = findTask(config.task);
    if (!task) return fail(o.file + ": unknown task '" + config.task + "'");
    if (task->isMultiNetwork() && o.profile)
        return fail("--profile is not available for GAN projects yet");
    if (!o.scoreWith.empty() && task->views().evaluation != TaskViews::Evaluation::ClassifierScore)
        return fail("--score-with scores GAN projects only");

    std::unique_ptr<TrainOutput> out;
    try {
        out = makeTrainOutput(*task, project, o.json, o.scoreWith);
    } catch (const std::exception& e) {  // the scoring classifier could not be loaded
        return fail(e.what());
    }
    std::unique_ptr<TrainingRecipe> recipe;
    try {
        RecipeInputs in = recipeInputsFor(project);
        in.config = config;
        if (o.fresh) in.weights.clear();
        in.profiling = o.profile;
        recipe = task->makeRecipe(std::move(in));
    } catch (const std::exception& e) {
        return fail(o.file + ": " + e.what());
    }
    // Checkpoints next to the project file; a new run forgets the previous run's.
    CheckpointStore store(CheckpointStore::folderFor(o.file), config.checkpoints.keep);
    RunOptions options;
    std::shared_ptr<Checkpoint> resumed;
    if (o.resume) {
        const std::optional<CheckpointStore::Entry> latest = store.resumable();
        if (!latest)
            return fail(o.file + ": nothing to resume: no checkpoint of an unfinished run in " +
                        store.folder());
        try {
            resumed = std::make_shared<Checkpoint>(readCheckpoint(latest->path));
        } catch (const std::exception& e) {
            return fail(e.what());
        }
        options.resumeFrom = resumed;
        if (!o.json)
            std::printf("resuming after epoch %lld from %s\n",
                        static_cast<long long>(resumed->epoch), latest->path.c_str());
    }
    std::vector<std::shared_ptr<RunHook>> hooks = hooksFromSettings(*recipe);
    if (config.checkpoints.active()) {
        if (!resumed) store.clear();
        hooks.push_back(std::make_shared<CheckpointHook>(
            config.checkpoints, [&store](const Checkpoint& c) { store.save(c); }, resumed.get()));
    }
    std::map<std::string, WeightSet> kept;
    std::string failure;
    RunControl control;
    const RunRecord record = runTraining(
        *recipe, control, hooks,
        [&](const RunEvent& ev) {
            if (ev.kind == RunEvent::Kind::Failed) failure = ev.message;
            out->onEvent(ev);
        },
        options, [&](std::map<std::string, WeightSet>&& w) { kept = std::move(w); });
    if (record.status == "failed") return fail(o.file + ": " + failure);
    if (record.status == "finished") store.markEnded();
    out->onEnd(record, config);
    if (o.profile) printProfile(recipe->timings(), out->steps());
    if (!o.saveTo.empty()) {
        try {
            const std::vector<std::string> roles = task->networkRoles();
            for (const std::string& role : roles) {
                Network* n =
                    roles.size() == 1 ? &project.networks.front() : findNetwork(project, role);
                if (n) n->weights = std::move(kept[role]);
            }
            project.history.push_back(record);
            saveProject(project, o.saveTo);
            if (!o.json) std::printf("saved %s\n", o.saveTo.c_str());
        } catch (const std::exception& e) {
            return fail(e.what());
        }
    }
    return 0;
}

}  // namespace netloom::app
