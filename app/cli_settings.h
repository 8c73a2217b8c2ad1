#pragma once
// Command-line flags for training settings, derived from the settings schema
// (engine/settings): `--set NAME=VALUE` for any setting (NAME as in docs/settings.md: "lr",
// "optimizer", "optimizer.beta2", "gan.d_steps", "dataset.limit_train", ...) and a named flag
// for each setting whose short name is unique ("--epochs 3", "--batch-size 32", "--lr 1e-4",
// "--optimizer lion", "--limit-train 1000"). Ranges and messages are the schema's.
#include <string>
#include <utility>
#include <vector>

#include "app/cli.h"

namespace netloom::engine {
struct SettingDef;
struct TrainingConfig;
}  // namespace netloom::engine

namespace netloom::app {

struct SettingOverrides {
    // In the order given; `flag` is how the user wrote it ("--lr", "--set lr"), for messages.
    struct Item {
        const engine::SettingDef* setting;
        std::string flag, text;
    };
    std::vector<Item> items;

    bool has(const std::string& id) const;  // a setting id: "early_stopping"
    // Applies every override in order, then checks that each applies to the config's task.
    // Throws Error naming the flag: "--lr must be > 0, got 0", "--early-stopping is not
    // available for adversarial (GAN) projects: it applies to classification, ... only".
    void applyTo(engine::TrainingConfig& config) const;
};

// The named flag of a setting ("--batch-size"), or "" when it has only --set.
std::string settingFlag(const engine::SettingDef& setting);
// When `arg` is a settings flag (`--set`, or a named one), reads its value from `r` into `out`
// and returns true; throws Error for an unknown --set name or a missing value.
bool readSettingFlag(ArgReader& r, const std::string& arg, SettingOverrides& out);
// The part of `netloom train --help` that lists the settings, one line each:
//   --batch-size N          Batch size: samples per training step (1..65536; default 64)
std::string settingFlagsHelp();

}  // namespace netloom::app
