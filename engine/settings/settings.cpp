// The list of training settings, in project-file order. Each entry is the one place that names
// a setting's key, range, default, label, help and group.
#include "engine/settings/settings.h"

#include <algorithm>
#include <climits>
#include <map>
#include <sstream>

#include "engine/core/error.h"
#include "engine/losses/loss.h"

namespace netloom::engine {
namespace {

using Get = std::function<ParamValue(const TrainingConfig&)>;
using Set = std::function<void(TrainingConfig&, const ParamValue&)>;
constexpr int64_t kIntMax = INT_MAX;  // counts the settings widget's spin boxes can show

// Accessors for plain fields of TrainingConfig (and its nested structs) by member pointer.
template <class T, class Owner, class Of>
std::pair<Get, Set> field(T Owner::*member, Of of) {
    return {[member, of](const TrainingConfig& c) -> ParamValue {
                const Owner& o = of(const_cast<TrainingConfig&>(c));
                if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
                              std::is_same_v<T, double>)
                    return o.*member;
                else
                    return static_cast<int64_t>(o.*member);
            },
            [member, of](TrainingConfig& c, const ParamValue& v) {
                Owner& o = of(c);
                if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
                              std::is_same_v<T, double>)
                    o.*member = std::get<T>(v);
                else
                    o.*member = static_cast<T>(std::get<int64_t>(v));
            }};
}

TrainingConfig& self(TrainingConfig& c) {
    return c;
}
GanConfig& gan(TrainingConfig& c) {
    return c.gan;
}
DatasetConfig& dataset(TrainingConfig& c) {
    return c.dataset;
}
LrScheduleConfig& schedule(TrainingConfig& c) {
    return c.schedule;
}
CheckpointConfig& checkpoints(TrainingConfig& c) {
    return c.checkpoints;
}
AugmentationConfig& augmentation(TrainingConfig& c) {
    return c.augmentation;
}

struct Builder {
    std::vector<SettingDef> list;

    template <class T, class Owner, class Of>
    SettingDef& add(std::string section, std::vector<std::string> path, std::string group,
                    SettingSpec spec, T Owner::*member, Of of) {
        auto [get, set] = field(member, of);
        return add(std::move(section), std::move(path), std::move(group), std::move(spec),
                   std::move(get), std::move(set));
    }
    SettingDef& add(std::string section, std::vector<std::string> path, std::string group,
                    SettingSpec spec, Get get, Set set) {
        SettingDef d;
        d.spec = std::move(spec);
        d.section = std::move(section);
        d.path = std::move(path);
        d.path.push_back(d.spec.key);
        for (const std::string& p : d.path) d.id += (d.id.empty() ? "" : ".") + p;
        if (d.section == "dataset") d.id = "dataset." + d.id;
        d.group = std::move(group);
        d.get = std::move(get);
        d.set = std::move(set);
        list.push_back(std::move(d));
        return list.back();
    }

    // The optimizer's settings under `path`, read and written through `of`.
    void addOptimizer(const std::vector<std::string>& path, const std::string& group,
                      std::function<OptimizerConfig(const TrainingConfig&)> read,
                      std::function<OptimizerConfig&(TrainingConfig&)> write,
                      const std::string& optionalObject, bool aliases) {
        for (const OptimizerSetting& s : optimizerSettings()) {
            SettingDef& d = add(
                "training", path, group, s.spec,
                [read, get = s.get](const TrainingConfig& c) { return get(read(c)); },
                [write, set = s.set](TrainingConfig& c, const ParamValue& v) { set(write(c), v); });
            d.optionalObject = optionalObject;
            d.applies = [read, optionalObject, s](const TrainingConfig& c) {
                if (!optionalObject.empty() && !c.gan.discriminatorOptimizer) return false;
                return s.usedBy(read(c).type);
            };
            if (aliases) d.aliases = {s.spec.key == "type" ? "optimizer" : s.spec.key};
            if (!s.owner.empty())
                d.stored = [read, key = s.spec.key](const TrainingConfig& c) {
                    return read(c).extra.count(key) != 0;
                };
        }
    }
};

// The learning-rate schedule (optim/lr_schedule.h): written to the file only when it does
// something, so that older files round-trip exactly.
void addSchedule(Builder& b) {
    const std::string T = "training";
    auto typeIn = [](std::vector<std::string> types) {
        return [types](const TrainingConfig& c) {
            return std::find(types.begin(), types.end(), c.schedule.type) != types.end();
        };
    };
    // Short names (--set NAME, flags) where the key alone would not say it is the schedule's.
    const std::map<std::string, std::string> alias = {{"type", "schedule"},
                                                      {"period", "schedule_period"}};
    auto add = [&](SettingSpec spec, auto member,
                   std::function<bool(const TrainingConfig&)> applies) {
        SettingDef& d = b.add(T, {"schedule"}, "schedule", std::move(spec), member, schedule);
        if (auto a = alias.find(d.spec.key); a != alias.end()) d.aliases = {a->second};
        d.stored = [get = d.get, def = d.spec.defaultValue](const TrainingConfig& c) {
            return c.schedule.active() || get(c) != def;
        };
        d.applies = std::move(applies);
    };
    add(SettingSpec::choice(
            "type", "Schedule", {"constant", "step", "exponential", "cosine", "one_cycle"},
            {"Constant", "Step decay", "Exponential decay", "Cosine (with restarts)", "One-cycle"},
            "constant", "How the learning rate changes over the run"),
        &LrScheduleConfig::type, nullptr);
    add(SettingSpec::integer("step_size", "Step size", 10, 1, 100000,
                             "Epochs between two decays (PyTorch's StepLR step_size)")
            .withUnit("epochs"),
        &LrScheduleConfig::stepSize, typeIn({"step"}));
    add(SettingSpec::real("gamma", "Gamma", 0.1, 0, 1,
                          "Factor the rate is multiplied by at each decay (step: every step "
                          "size; exponential: every epoch)")
            .openMin()
            .withStep(0.05),
        &LrScheduleConfig::gamma, typeIn({"step", "exponential"}));
    add(SettingSpec::integer("period", "Period", 0, 0, 100000,
                             "Epochs of the first cosine cycle before a restart (T_0)")
            .zero("the whole run, no restarts")
            .withUnit("epochs"),
        &LrScheduleConfig::period, typeIn({"cosine"}));
    add(SettingSpec::integer("period_multiplier", "Period multiplier", 1, 1, 100,
                             "Each cycle after a restart is this many times longer (T_mult)"),
        &LrScheduleConfig::periodMultiplier, typeIn({"cosine"}));
    add(SettingSpec::real("min_lr", "Minimum rate", 0.0, 0, 10,
                          "The rate at the end of each cosine cycle (eta_min); below the "
                          "optimizer's learning rate")
            .logarithmic(),
        &LrScheduleConfig::minLr, typeIn({"cosine"}));
    add(SettingSpec::real("max_lr", "Peak rate", 0.0, 0, 10,
                          "The one-cycle schedule's highest rate")
            .zero("the optimizer's learning rate")
            .logarithmic(),
        &LrScheduleConfig::maxLr, typeIn({"one_cycle"}));
    add(SettingSpec::real("pct_start", "Rising fraction", 0.3, 0, 1,
                          "Fraction of the schedule's steps spent rising to the peak")
            .openMin()
            .openMax()
            .withStep(0.05),
        &LrScheduleConfig::pctStart, typeIn({"one_cycle"}));
    add(SettingSpec::real("div_factor", "Start divisor", 25.0, 1, 1e6,
                          "The one-cycle schedule starts at the peak divided by this"),
        &LrScheduleConfig::divFactor, typeIn({"one_cycle"}));
    add(SettingSpec::real("final_div_factor", "End divisor", 1e4, 1, 1e9,
                          "It ends at its start rate divided by this"),
        &LrScheduleConfig::finalDivFactor, typeIn({"one_cycle"}));
    add(SettingSpec::integer("warmup", "Warm-up", 0, 0, kIntMax,
                             "Rise linearly to the schedule's first rate over this long, in "
                             "front of any schedule")
            .zero("off"),
        &LrScheduleConfig::warmup, nullptr);
    add(SettingSpec::choice("warmup_unit", "Warm-up in", {"epochs", "steps"},
                            {"epochs", "steps (batches)"}, "epochs",
                            "What the warm-up length counts"),
        &LrScheduleConfig::warmupUnit,
        [](const TrainingConfig& c) { return c.schedule.warmup > 0; });
    add(SettingSpec::real("warmup_start_factor", "Warm-up start", 0.1, 0, 1,
                          "The warm-up starts at this fraction of the rate (LinearLR's "
                          "start_factor)")
            .openMin()
            .withStep(0.05),
        &LrScheduleConfig::warmupStartFactor,
        [](const TrainingConfig& c) { return c.schedule.warmup > 0; });
}

// Checkpoints (train/checkpoint_hook.h): written only when on.
void addCheckpoints(Builder& b) {
    auto stored = [](const SettingDef& d) {
        return [get = d.get, def = d.spec.defaultValue](const TrainingConfig& c) {
            return c.checkpoints.active() || get(c) != def;
        };
    };
    SettingDef* d = &b.add("training", {"checkpoints"}, "checkpoints",
                           SettingSpec::integer("every", "Checkpoint every", 0, 0, 100000,
                                                "Save weights, optimizer state and the run so "
                                                "far every N epochs, so that a killed run can be "
                                                "resumed (netloom train --resume)")
                               .zero("off")
                               .withUnit("epochs"),
                           &CheckpointConfig::every, checkpoints);
    d->aliases = {"checkpoint_every"};
    d->stored = stored(*d);
    d = &b.add("training", {"checkpoints"}, "checkpoints",
               SettingSpec::integer("keep", "Checkpoints kept", 3, 1, 1000,
                                    "How many of the newest checkpoints stay on disk"),
               &CheckpointConfig::keep, checkpoints);
    d->aliases = {"checkpoints_kept"};
    d->stored = stored(*d);
    d->applies = [](const TrainingConfig& c) { return c.checkpoints.every > 0; };
    d = &b.add("training", {"checkpoints"}, "checkpoints",
               SettingSpec::choice(
                   "best", "Keep best by", {"none", "val_loss", "val_accuracy"},
                   {"(off)", "lowest validation loss", "highest validation accuracy"}, "none",
                   "Also keep the checkpoint of the best epoch by this "
                   "validation figure"),
               &CheckpointConfig::best, checkpoints);
    d->aliases = {"checkpoint_best"};
    d->stored = stored(*d);
}

// Augmentation of image training batches (train/training_transforms.h): written to the file
// only when on, so that older files round-trip exactly; shown for image datasets only.
void addAugmentation(Builder& b) {
    auto images = [](const TrainingConfig& c) {
        return c.dataset.kind == "fashion-mnist" || c.dataset.kind == "idx";
    };
    auto add = [&](SettingSpec spec, auto member, std::function<bool(const TrainingConfig&)> on) {
        SettingDef& d = b.add("training", {"augmentation"}, "augmentation", std::move(spec), member,
                              augmentation);
        d.stored = [get = d.get, def = d.spec.defaultValue](const TrainingConfig& c) {
            return c.augmentation.active() || get(c) != def;
        };
        d.applies = [images, on](const TrainingConfig& c) { return images(c) && (!on || on(c)); };
        return &d;
    };
    add(SettingSpec::integer("crop_padding", "Random crop", 0, 0, 16,
                             "Pad each training image by this many background pixels per side "
                             "and cut a window of its size at a random offset (a random shift)")
            .zero("off")
            .withUnit("pixels"),
        &AugmentationConfig::cropPadding, nullptr);
    add(SettingSpec::boolean("flip", "Horizontal flip", false,
                             "Mirror half of the training images left–right (right for clothing, "
                             "wrong for digits and letters)"),
        &AugmentationConfig::flip, nullptr);
    add(SettingSpec::real("rotation", "Rotation", 0.0, 0, 45,
                          "Rotate each training image by a random angle in ± this many degrees "
                          "(bilinear)")
            .zero("off")
            .withUnit("degrees")
            .withStep(1),
        &AugmentationConfig::rotation, nullptr);
    add(SettingSpec::real("zoom", "Zoom", 0.0, 0, 0.5,
                          "Scale each training image by a random factor in [1 − zoom, 1 + zoom]")
            .zero("off")
            .withStep(0.05),
        &AugmentationConfig::zoom, nullptr);
    add(SettingSpec::real("erasing", "Random erasing", 0.0, 0, 1,
                          "Probability that a training image gets one rectangle of random values "
                          "(Zhong et al. 2017 use 0.5)")
            .zero("off")
            .withStep(0.05),
        &AugmentationConfig::erasing, nullptr);
    auto erasing = [](const TrainingConfig& c) { return c.augmentation.erasing > 0; };
    add(SettingSpec::real("erasing_area_min", "Erased area from", 0.02, 0.001, 1,
                          "Smallest erased fraction of the image")
            .withStep(0.01),
        &AugmentationConfig::erasingAreaMin, erasing);
    add(SettingSpec::real("erasing_area_max", "Erased area to", 0.4, 0.001, 1,
                          "Largest erased fraction of the image")
            .withStep(0.01),
        &AugmentationConfig::erasingAreaMax, erasing);
    add(SettingSpec::real("erasing_aspect_min", "Aspect from", 0.3, 0.01, 100,
                          "Smallest height / width of the erased rectangle")
            .withStep(0.1),
        &AugmentationConfig::erasingAspectMin, erasing);
    add(SettingSpec::real("erasing_aspect_max", "Aspect to", 3.3, 0.01, 100,
                          "Largest height / width of the erased rectangle")
            .withStep(0.1),
        &AugmentationConfig::erasingAspectMax, erasing);
    add(SettingSpec::real("noise", "Pixel noise", 0.0, 0, 1,
                          "Std of Gaussian noise added to the training images' pixels")
            .zero("off")
            .withStep(0.05),
        &AugmentationConfig::noise, nullptr)
        ->aliases = {"augment_noise"};
}

std::vector<SettingDef> build() {
    Builder b;
    const std::string T = "training";

    std::vector<std::string> lossIds, lossNames;
    for (const LossInfo& l : allLosses()) {
        lossIds.push_back(l.id);
        lossNames.push_back(l.displayName);
    }
    // The task's choices come from the task registry (tasks/), which sits above this folder.
    b.add(T, {}, "task",
          SettingSpec::choice("task", "Task", {}, {}, "classification",
                              "What the project trains for (see tasks/)"),
          &TrainingConfig::task, self);
    b.add(T, {}, "task",
          SettingSpec::choice("loss", "Loss", lossIds, lossNames, "cross_entropy",
                              "What training minimises"),
          &TrainingConfig::loss, self);

    b.addOptimizer(
        {"optimizer"}, "optimizer", [](const TrainingConfig& c) { return c.optimizer; },
        [](TrainingConfig& c) -> OptimizerConfig& { return c.optimizer; }, "", true);

    b.add(
        T, {}, "run",
        SettingSpec::integer("batch_size", "Batch size", 64, 1, 65536, "Samples per training step"),
        &TrainingConfig::batchSize, self);
    b.add(T, {}, "run",
          SettingSpec::integer("epochs", "Epochs", 5, 1, 100000, "Passes over the training data"),
          &TrainingConfig::epochs, self);
    b.add(T, {}, "validation",
          SettingSpec::real("validation_split", "Validation split", 0.0, 0, 0.9,
                            "Fraction of the training data held out for validation (0: "
                            "validate on the test set)")
              .openMax()
              .withStep(0.05),
          &TrainingConfig::validationSplit, self);
    b.add(T, {}, "validation",
          SettingSpec::integer("early_stopping", "Early stopping", 0, 0, 100000,
                               "Stop once the validation loss has not fallen for this many "
                               "epochs and keep the weights of the epoch where it was lowest")
              .zero("off")
              .withUnit("epochs without progress"),
          &TrainingConfig::earlyStopping, self);
    b.add(T, {}, "run",
          SettingSpec::integer("seed", "Seed", 1, 0, INT64_MAX,
                               "Seeds weight initialisation, shuffling and the data split"),
          &TrainingConfig::seed, self);
    b.add(T, {}, "run",
          SettingSpec::choice("init", "Initialization", {"default", "he", "xavier"},
                              {"Default (as PyTorch)", "He", "Xavier"}, "default",
                              "How the weights start"),
          &TrainingConfig::init, self);
    b.add(T, {}, "run",
          SettingSpec::integer("threads", "Threads", 0, 0, 256,
                               "Threads the training uses (0 = automatic)")
              .zero("automatic"),
          &TrainingConfig::threads, self);
    b.add(T, {}, "denoising",
          SettingSpec::real("input_noise", "Input noise", 0.0, 0, 1,
                            "Std of Gaussian noise added to the training inputs, never to the "
                            "target (denoising autoencoder)")
              .zero("off")
              .withStep(0.05),
          &TrainingConfig::inputNoise, self);
    addAugmentation(b);
    addSchedule(b);
    addCheckpoints(b);

    b.add(T, {"gan"}, "gan",
          SettingSpec::integer("d_steps", "D steps per G step", 1, 1, 1000,
                               "Discriminator steps per generator step (k)"),
          &GanConfig::discriminatorSteps, gan);
    b.add(T, {"gan"}, "gan",
          SettingSpec::integer("sample_every", "Samples every", 200, 0, kIntMax,
                               "Iterations between sample grids")
              .zero("epoch ends only")
              .withUnit("iterations"),
          &GanConfig::sampleEvery, gan);
    b.add(T, {"gan"}, "gan",
          SettingSpec::integer("sample_count", "Grid samples", 64, 1, 4096,
                               "Size of the fixed noise batch the sample grids show"),
          &GanConfig::sampleCount, gan);
    b.add(T, {"gan"}, "gan",
          SettingSpec::integer("iterations_per_epoch", "Iterations per epoch", 0, 0, kIntMax,
                               "Generator steps per epoch")
              .zero("one pass over the data"),
          &GanConfig::iterationsPerEpoch, gan);
    b.add(T, {"gan"}, "gan",
          SettingSpec::real("generator_average", "Generator average", 0.0, 0, 1,
                            "Keep a moving average of the generator's weights with this decay "
                            "(0.999 averages about the last 1,000 iterations); samples, the "
                            "saved generator and its score use it, training is unchanged")
              .openMax()
              .zero("off")
              .withStep(0.001),
          &GanConfig::generatorAverage, gan);
    b.addOptimizer(
        {"gan", "discriminator_optimizer"}, "gan",
        [](const TrainingConfig& c) { return c.gan.discriminatorOptimizer.value_or(c.optimizer); },
        [](TrainingConfig& c) -> OptimizerConfig& {
            if (!c.gan.discriminatorOptimizer) c.gan.discriminatorOptimizer = c.optimizer;
            return *c.gan.discriminatorOptimizer;
        },
        "gan.discriminator_optimizer", false);

    const std::string D = "dataset";
    b.add(D, {}, "dataset",
          SettingSpec::choice("kind", "Dataset",
                              {"fashion-mnist", "idx", "csv", "synthetic", "text", "sines"},
                              {"Fashion-MNIST", "MNIST-format files", "CSV file", "Synthetic 2-D",
                               "Text file (characters)", "Synthetic sines (series)"},
                              "fashion-mnist", "Where the samples come from"),
          &DatasetConfig::kind, dataset);
    auto onlyFor = [](const char* kind) {
        return [kind](const TrainingConfig& c) { return c.dataset.kind == kind; };
    };
    auto onlyForAny = [](std::vector<std::string> kinds) {
        return [kinds](const TrainingConfig& c) {
            for (const std::string& k : kinds)
                if (c.dataset.kind == k) return true;
            return false;
        };
    };
    const char* idxHelp = "MNIST-format (IDX) file, plain or .gz";
    b.add(D, {}, "dataset", SettingSpec::path("train_images", "Training images", idxHelp),
          &DatasetConfig::trainImages, dataset)
        .applies = onlyFor("idx");
    b.add(D, {}, "dataset", SettingSpec::path("train_labels", "Training labels", idxHelp),
          &DatasetConfig::trainLabels, dataset)
        .applies = onlyFor("idx");
    b.add(D, {}, "dataset", SettingSpec::path("test_images", "Test images", idxHelp),
          &DatasetConfig::testImages, dataset)
        .applies = onlyFor("idx");
    b.add(D, {}, "dataset", SettingSpec::path("test_labels", "Test labels", idxHelp),
          &DatasetConfig::testLabels, dataset)
        .applies = onlyFor("idx");
    b.add(D, {}, "dataset",
          SettingSpec::path("csv_path", "CSV file",
                            "One file of numeric columns plus a target column"),
          &DatasetConfig::csvPath, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::text("csv_target", "Target column", "", "Name of the label/target column")
              .zero("the last column"),
          &DatasetConfig::csvTarget, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::choice("csv_header", "Header line", {"names", "sklearn"},
                              {"column names", "scikit-learn (n_samples,n_features,classes)"},
                              "names",
                              "What the first line holds: the column names, or scikit-learn's "
                              "data-file header (iris.csv, wine_data.csv): columns become "
                              "'feature 1'.. and 'target', classes take the header's names"),
          &DatasetConfig::csvHeader, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::text("csv_features", "Feature columns", "",
                            "Comma-separated names of the columns the network reads")
              .zero("every column but the target"),
          &DatasetConfig::csvFeatures, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::text("csv_categorical", "One-hot columns", "",
                            "Comma-separated text-category columns, each one-hot encoded "
                            "(categories from the training split; an unseen one becomes all "
                            "zeros and is reported)")
              .zero("none"),
          &DatasetConfig::csvCategorical, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::choice("csv_missing", "Missing values",
                              {"error", "drop", "mean", "median", "most_frequent"},
                              {"refuse", "drop the row", "fill with the mean",
                               "fill with the median", "fill with the most frequent"},
                              "error",
                              "What an empty, NA, NaN, null or ? value becomes; fill values come "
                              "from the training split (categories: most frequent)"),
          &DatasetConfig::csvMissing, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::text("csv_missing_columns", "Missing values per column", "",
                            "Overrides by column: COLUMN=STRATEGY, comma-separated "
                            "(age=median,color=most_frequent)")
              .zero("none"),
          &DatasetConfig::csvMissingColumns, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::choice("csv_scaling", "Feature scaling", {"none", "standardize", "minmax"},
                              {"none", "standardise (mean 0, std 1)", "min-max to [0, 1]"}, "none",
                              "Numeric feature columns only; statistics from the training "
                              "split, saved with the run"),
          &DatasetConfig::csvScaling, dataset)
        .applies = onlyFor("csv");
    b.add(D, {}, "dataset",
          SettingSpec::path("text_path", "Text file",
                            "UTF-8 text, one sample per line (e.g. /usr/share/dict/words); "
                            "binary files are refused"),
          &DatasetConfig::textPath, dataset)
        .applies = onlyFor("text");
    b.add(D, {}, "dataset",
          SettingSpec::integer("text_max_line", "Longest line", 32, 1, 1024,
                               "Characters per line at most; a longer line is refused. The "
                               "network's input has this many steps plus one")
              .withUnit("characters"),
          &DatasetConfig::textMaxLine, dataset)
        .applies = onlyFor("text");
    b.add(D, {}, "dataset",
          SettingSpec::integer("text_max_vocabulary", "Largest vocabulary", 256, 4, 65536,
                               "Tokens at most: the file's distinct characters plus 3 special "
                               "tokens (padding, start and end of line); more are refused"),
          &DatasetConfig::textMaxVocabulary, dataset)
        .applies = onlyFor("text");
    b.add(D, {}, "dataset",
          SettingSpec::integer("sines_window", "Window", 32, 2, 4096,
                               "Steps of the series the network reads")
              .withUnit("steps"),
          &DatasetConfig::sinesWindow, dataset)
        .applies = onlyFor("sines");
    b.add(D, {}, "dataset",
          SettingSpec::integer("sines_horizon", "Horizon", 1, 1, 1024,
                               "Values after the window the network predicts")
              .withUnit("steps"),
          &DatasetConfig::sinesHorizon, dataset)
        .applies = onlyFor("sines");
    b.add(D, {}, "dataset",
          SettingSpec::real("test_fraction", "Test fraction", 0.2, 0.01, 0.9,
                            "Fraction of the samples kept for testing")
              .withStep(0.05),
          &DatasetConfig::testFraction, dataset)
        .applies = onlyForAny({"csv", "synthetic", "text", "sines"});
    b.add(D, {}, "dataset",
          SettingSpec::choice("synthetic", "Kind", {"spiral", "circles", "xor", "gaussians"},
                              {"spiral", "circles", "XOR", "Gaussian blobs"}, "spiral",
                              "Which 2-D toy set"),
          &DatasetConfig::synthetic, dataset)
        .applies = onlyFor("synthetic");
    b.add(D, {}, "dataset",
          SettingSpec::integer("synthetic_samples", "Samples", 1000, 10, 1000000,
                               "Points (2-D sets) or series windows (sines) generated"),
          &DatasetConfig::syntheticSamples, dataset)
        .applies = onlyForAny({"synthetic", "sines"});
    b.add(D, {}, "dataset",
          SettingSpec::real("synthetic_noise", "Noise", 0.1, 0, 5,
                            "Std of the noise on the points (2-D sets) or values (sines)")
              .withStep(0.05),
          &DatasetConfig::syntheticNoise, dataset)
        .applies = onlyForAny({"synthetic", "sines"});
    b.add(D, {}, "dataset",
          SettingSpec::integer("limit_train", "Training samples", 0, 0, kIntMax,
                               "Use only the first N training samples (0 = all): quick "
                               "experiments")
              .zero("all"),
          &DatasetConfig::limitTrain, dataset);
    b.add(D, {}, "dataset",
          SettingSpec::integer("limit_test", "Test samples", 0, 0, kIntMax,
                               "Use only the first N test samples (0 = all)")
              .zero("all"),
          &DatasetConfig::limitTest, dataset);
    b.add(D, {}, "dataset",
          SettingSpec::choice("scaling", "Pixel scaling", {"unit", "signed"}, {"[0, 1]", "[−1, 1]"},
                              "unit", "Images only: x/255 in [0, 1], or [−1, 1] (GANs)"),
          &DatasetConfig::scaling, dataset);
    return std::move(b.list);
}

}  // namespace

std::string SettingDef::qualifiedName() const {
    return section == "training" ? "training." + id : id;
}

const std::vector<SettingDef>& allSettings() {
    static const std::vector<SettingDef> list = build();
    return list;
}

const std::vector<OptionalSettingObject>& optionalSettingObjects() {
    static const std::vector<OptionalSettingObject> list = {
        {"gan.discriminator_optimizer", "Discriminator optimizer", "gan",
         [](const TrainingConfig& c) { return c.gan.discriminatorOptimizer.has_value(); },
         [](TrainingConfig& c) { c.gan.discriminatorOptimizer = OptimizerConfig{}; },
         [](TrainingConfig& c) { c.gan.discriminatorOptimizer = c.optimizer; },
         [](TrainingConfig& c) { c.gan.discriminatorOptimizer.reset(); }},
    };
    return list;
}

const SettingDef* findSetting(const std::string& name) {
    for (const SettingDef& d : allSettings())
        if (d.id == name || d.qualifiedName() == name) return &d;
    for (const SettingDef& d : allSettings())
        for (const std::string& a : d.aliases)
            if (a == name) return &d;
    return nullptr;
}

const std::vector<std::string>& settingGroups() {
    static const std::vector<std::string> groups = {
        "task",      "dataset",  "augmentation", "validation", "denoising",
        "optimizer", "schedule", "gan",          "run",        "checkpoints"};
    return groups;
}

std::string settingGroupTitle(const std::string& group) {
    if (group == "task") return "Task";
    if (group == "dataset") return "Data";
    if (group == "validation") return "Validation";
    if (group == "denoising") return "Denoising";
    if (group == "augmentation") return "Augmentation";
    if (group == "optimizer") return "Optimizer";
    if (group == "gan") return "Adversarial training";
    if (group == "run") return "Run";
    if (group == "schedule") return "Learning-rate schedule";
    if (group == "checkpoints") return "Checkpoints";
    return group;
}

void setSetting(TrainingConfig& config, const SettingDef& def, const ParamValue& value) {
    const std::string problem = checkSetting(def.spec, value);
    if (!problem.empty()) throw Error(def.qualifiedName() + " " + problem);
    def.set(config, *coerceSetting(def.spec, value));
}

void setSettingFromText(TrainingConfig& config, const SettingDef& def, const std::string& text) {
    setSetting(config, def, parseSetting(def.spec, text, def.qualifiedName()));
}

void validateTrainingConfig(const TrainingConfig& config) {
    for (const SettingDef& d : allSettings()) {
        if (!d.appliesTo(config)) continue;
        const std::string problem = checkSetting(d.spec, d.get(config));
        if (!problem.empty()) throw Error(d.qualifiedName() + " " + problem);
    }
    // The optimizers' rules across settings (SGD's Nesterov needs momentum), named alike.
    validateOptimizerConfig(config.optimizer, "training.optimizer");
    // Ranges of two settings each: the upper end's setting is named.
    const AugmentationConfig& a = config.augmentation;
    if (a.erasing > 0 && a.erasingAreaMin > a.erasingAreaMax)
        throw Error("training.augmentation.erasing_area_max must be at least erasing_area_min (" +
                    settingValueText(a.erasingAreaMin) + "), got " +
                    settingValueText(a.erasingAreaMax));
    if (a.erasing > 0 && a.erasingAspectMin > a.erasingAspectMax)
        throw Error(
            "training.augmentation.erasing_aspect_max must be at least "
            "erasing_aspect_min (" +
            settingValueText(a.erasingAspectMin) + "), got " +
            settingValueText(a.erasingAspectMax));
    // The schedule against the run's length (what needs the steps per epoch, the schedule hook
    // checks once the data is loaded).
    if (const std::string problem = lrScheduleProblem(config.schedule, config.optimizer.lr,
                                                      config.epochs, 0, "training.schedule");
        !problem.empty())
        throw Error(problem);
    if (config.gan.discriminatorOptimizer)
        validateOptimizerConfig(*config.gan.discriminatorOptimizer,
                                "training.gan.discriminator_optimizer");
}

std::vector<const SettingDef*> dataSettings() {
    std::vector<const SettingDef*> out;
    for (const SettingDef& d : allSettings())
        if (d.group == "dataset" || d.id == "validation_split" || d.id == "seed") out.push_back(&d);
    return out;
}

std::string dataKey(const TrainingConfig& config) {
    std::string key;
    for (const SettingDef* d : dataSettings()) {
        const std::string v = settingValueText(d->get(config));
        // Lengths keep "a|b" in one value apart from two values.
        key += d->id + "=" + std::to_string(v.size()) + ":" + v + "|";
    }
    return key;
}

std::string settingsMarkdown() {
    std::ostringstream md;
    md << "# Training settings\n\n"
          "<!-- Generated from engine/settings (settingsMarkdown()); tests/engine/"
          "test_settings.cpp\n     checks that this file is up to date and rewrites it with "
          "NETLOOM_UPDATE_DOCS=1. -->\n\n"
          "Every setting of a project's `\"training\"` and `\"dataset\"` sections. The name is "
          "its path in\nthe project file and the name `netloom train --set NAME=VALUE` takes; "
          "values outside the\nrange are refused everywhere (file, command line, settings "
          "panel). The group decides for\nwhich tasks the settings panel shows it.\n\n";
    md << "| Setting | Group | Type | Default | Range | Meaning |\n"
          "|---|---|---|---|---|---|\n";
    for (const SettingDef& d : allSettings()) {
        std::string range;
        if (d.spec.isNumber()) range = rangeText(d.spec);
        if (d.spec.type == SettingType::Choice) {
            for (const std::string& c : d.spec.choices)
                range += (range.empty() ? "" : ", ") + ("`" + c + "`");
            if (d.id == "task") range = "a task id: engine/tasks";
        }
        if (!d.spec.zeroText.empty())
            range += std::string(range.empty() ? "" : "; ") +
                     (d.spec.isNumber() ? "0 = " : "empty = ") + d.spec.zeroText;
        std::string name = "`" + d.qualifiedName() + "`";
        for (const std::string& a : d.aliases) name += " (`" + a + "`)";
        std::string help = d.spec.help;
        if (!d.optionalObject.empty())
            help += " — the discriminator's own; absent: the generator's";
        if (d.applies && d.optionalObject.empty() && d.group == "optimizer") {
            std::string users;
            for (const OptimizerSetting& s : optimizerSettings())
                if (s.spec.key == d.spec.key)
                    for (const std::string& t : optimizerTypes())
                        if (s.usedBy(t)) users += (users.empty() ? "" : ", ") + t;
            help += " (" + users + ")";
        }
        md << "| " << name << " | " << d.group << " | " << settingTypeName(d.spec.type) << " | "
           << (d.spec.type == SettingType::Path || d.spec.type == SettingType::Text
                   ? (std::get<std::string>(d.spec.defaultValue).empty()
                          ? std::string("empty")
                          : "`" + std::get<std::string>(d.spec.defaultValue) + "`")
                   : "`" + settingValueText(d.spec.defaultValue) + "`")
           << " | " << range << " | " << help << " |\n";
    }
    md << "\n## Optimizers\n\n| Id | Name | Reads | Description |\n|---|---|---|---|\n";
    for (const OptimizerDef* o : allOptimizers()) {
        std::string reads = "lr, l1, l2, clip_norm";
        for (const std::string& u : o->uses()) reads += ", " + u;
        for (const SettingSpec& s : o->ownSettings()) reads += ", " + s.key;
        md << "| `" << o->id() << "` | " << o->displayName() << " | " << reads << " | "
           << o->description() << " |\n";
    }
    md << "\n## Losses\n\n| Id | Name | Description |\n|---|---|---|\n";
    for (const LossInfo& l : allLosses())
        md << "| `" << l.id << "` | " << l.displayName << " | " << l.description << " |\n";
    return md.str();
}

}  // namespace netloom::engine
