#pragma once
// The schema of every training setting: one SettingDef per field of TrainingConfig, its
// optimizer (and a GAN's discriminator optimizer), GanConfig and DatasetConfig. The project
// file's "training"/"dataset" sections (io/settings_json.h), validation, the CLI's flags, the
// settings widget's rows, the undo labels, the run-history summary, the data-cache key and
// docs/settings.md are derived from this list; nothing repeats a range or a label.
#include <functional>
#include <string>
#include <vector>

#include "engine/optim/setting_spec.h"
#include "engine/project/training_config.h"

namespace netloom::engine {

struct SettingDef {
    SettingSpec spec;  // spec.key: the name in its project-file object ("lr")
    // Unique dotted path from its section, which is also the --set name: "batch_size",
    // "optimizer.lr", "gan.discriminator_optimizer.lr", "dataset.kind".
    std::string id;
    std::string section;            // project-file object: "training" or "dataset"
    std::vector<std::string> path;  // JSON path inside the section: {"optimizer", "lr"}
    // "task" (task and loss, shown for every task), "run", "optimizer", "validation",
    // "denoising", "gan" (incl. the discriminator's optimizer), "dataset": the names
    // TaskDef::settingGroups() uses.
    std::string group;
    std::vector<std::string> aliases;  // short --set names: "lr", "optimizer"
    // Non-empty for a setting inside an object that may be absent (optionalSettingObjects()).
    std::string optionalObject;
    std::function<ParamValue(const TrainingConfig&)> get;
    // Takes a value already coerced to the spec's type (coerceSetting); does not validate.
    std::function<void(TrainingConfig&, const ParamValue&)> set;
    // Whether the file holds it; null: always. (An optimizer's own hyperparameter is written
    // only once set, so that files round-trip exactly.)
    std::function<bool(const TrainingConfig&)> stored;
    // Whether the setting means something for this config (an optimizer setting the chosen
    // optimizer does not read does not); null: always.
    std::function<bool(const TrainingConfig&)> applies;

    // "training.batch_size", "training.optimizer.lr", "dataset.kind": how errors name it.
    std::string qualifiedName() const;
    bool appliesTo(const TrainingConfig& c) const { return !applies || applies(c); }
};

// An object of settings that a config may or may not have: a GAN's discriminator optimizer
// ("the same as the generator's" when absent).
struct OptionalSettingObject {
    std::string id;     // "gan.discriminator_optimizer", the prefix of its settings' ids
    std::string label;  // "Discriminator optimizer"
    std::string group;  // "gan"
    std::function<bool(const TrainingConfig&)> present;
    // Makes it present with its defaults (as a file that names it: fresh), or as a copy of
    // what it stands for when absent (as the settings widget starts it).
    std::function<void(TrainingConfig&)> createDefault, createCopy;
    std::function<void(TrainingConfig&)> remove;
};

// In project-file order: the "training" section, then the "dataset" section.
const std::vector<SettingDef>& allSettings();
const std::vector<OptionalSettingObject>& optionalSettingObjects();
// By id, qualified name ("training.epochs") or alias; nullptr when unknown.
const SettingDef* findSetting(const std::string& name);
// The groups in the order the settings widget shows them, and their titles.
const std::vector<std::string>& settingGroups();
std::string settingGroupTitle(const std::string& group);

// Sets one setting from a value of a compatible type after checking it against the spec;
// throws Error "training.batch_size must be between 1 and 65536, got 0".
void setSetting(TrainingConfig& config, const SettingDef& def, const ParamValue& value);
// Parses text as typed on a command line, then setSetting().
void setSettingFromText(TrainingConfig& config, const SettingDef& def, const std::string& text);

// Checks every setting that applies (and each optimizer's rules across settings); throws
// Error naming the first invalid one: "training.optimizer.lr must be > 0, got 0". The task id
// is checked by the task registry (tasks/registry.h), which sits above this folder.
void validateTrainingConfig(const TrainingConfig& config);

// The settings whose values decide which samples a run loads (the dataset group plus the
// validation split and the seed that splits it): the data cache keys on them.
std::vector<const SettingDef*> dataSettings();
// "kind=fashion-mnist|train_images=|...|validation_split=0.1|seed=1": equal exactly when every
// data setting is equal.
std::string dataKey(const TrainingConfig& config);

// A Markdown reference of every setting (docs/settings.md is this text).
std::string settingsMarkdown();

}  // namespace netloom::engine
