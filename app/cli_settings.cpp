#include "app/cli_settings.h"

#include <algorithm>
#include <map>

#include "engine/core/error.h"
#include "engine/settings/settings.h"
#include "engine/tasks/registry.h"

namespace netloom::app {

using engine::SettingDef;

namespace {

std::string dashed(std::string s) {
    std::replace(s.begin(), s.end(), '_', '-');
    std::replace(s.begin(), s.end(), '.', '-');
    return s;
}

// The short name of each setting (its alias, else its key) mapped to the settings that have
// it; a named flag exists only where that is one setting.
const std::map<std::string, std::vector<const SettingDef*>>& byShortName() {
    static const auto names = [] {
        std::map<std::string, std::vector<const SettingDef*>> m;
        for (const SettingDef& d : engine::allSettings()) {
            if (!d.optionalObject.empty()) continue;  // the discriminator's: --set only
            m[d.aliases.empty() ? d.spec.key : d.aliases.front()].push_back(&d);
        }
        return m;
    }();
    return names;
}

std::string valueHint(const SettingDef& d) {
    switch (d.spec.type) {
        case engine::SettingType::Int:
            return "N";
        case engine::SettingType::Real:
            return "X";
        case engine::SettingType::Bool:
            return "BOOL";
        case engine::SettingType::Path:
            return "PATH";
        default:
            return "TEXT";
    }
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (size_t i = 0; i < words.size(); ++i)
        out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
    return out;
}

}  // namespace

std::string settingFlag(const SettingDef& setting) {
    for (const auto& [name, defs] : byShortName())
        if (defs.size() == 1 && defs.front() == &setting) return "--" + dashed(name);
    return {};
}

bool SettingOverrides::has(const std::string& id) const {
    for (const Item& i : items)
        if (i.setting->id == id) return true;
    return false;
}

bool readSettingFlag(ArgReader& r, const std::string& arg, SettingOverrides& out) {
    if (arg == "--set") {
        const std::string v = r.value(arg);
        const size_t eq = v.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error("--set needs NAME=VALUE, got '" + v + "'");
        const std::string name = v.substr(0, eq);
        const SettingDef* d = engine::findSetting(name);
        if (!d)
            throw Error("--set: no setting '" + name +
                        "' (netloom train --help lists them; docs/settings.md explains them)");
        out.items.push_back({d, "--set " + name, v.substr(eq + 1)});
        return true;
    }
    if (arg.rfind("--", 0) != 0) return false;
    for (const auto& [name, defs] : byShortName())
        if (defs.size() == 1 && arg == "--" + dashed(name)) {
            out.items.push_back({defs.front(), arg, r.value(arg)});
            return true;
        }
    return false;
}

void SettingOverrides::applyTo(engine::TrainingConfig& target) const {
    engine::TrainingConfig config = target;  // all or nothing
    for (const Item& i : items) {
        const engine::ParamValue value = engine::parseSetting(i.setting->spec, i.text, i.flag);
        const std::string problem = engine::checkSetting(i.setting->spec, value);
        if (!problem.empty()) throw Error(i.flag + " " + problem);
        i.setting->set(config, *engine::coerceSetting(i.setting->spec, value));
    }
    const engine::TaskDef& task = engine::taskFor(config);
    const std::vector<std::string> groups = task.settingGroups();
    for (const Item& i : items) {
        const std::string& group = i.setting->group;
        if (group == "task" || std::find(groups.begin(), groups.end(), group) != groups.end())
            continue;
        std::vector<std::string> users;
        for (const engine::TaskDef* t : engine::allTasks()) {
            const std::vector<std::string> g = t->settingGroups();
            if (std::find(g.begin(), g.end(), group) != g.end()) users.push_back(t->phrase());
        }
        throw Error(i.flag + " is not available for " + task.phrase() +
                    " projects: it applies to " + join(users) + " projects only");
    }
    target = std::move(config);
}

std::string settingFlagsHelp() {
    std::string out =
        "training settings (override the project's for this run; docs/settings.md):\n"
        "  --set NAME=VALUE           any setting by name, e.g. --set optimizer=lion "
        "--set gan.discriminator_optimizer.lr=1e-4\n";
    for (const SettingDef& d : engine::allSettings()) {
        std::string flag = settingFlag(d);
        std::string head = flag.empty() ? "  --set " + d.id + "=" + valueHint(d)
                                        : "  " + flag + " " + valueHint(d);
        if (head.size() < 28) head.resize(28, ' ');
        std::string detail;
        if (d.spec.isNumber()) detail = engine::rangeText(d.spec);
        if (d.spec.type == engine::SettingType::Choice) {
            std::vector<std::string> ids = d.spec.choices;
            if (d.id == "task")
                for (const engine::TaskDef* t : engine::allTasks()) ids.push_back(t->id());
            std::string list;
            for (const std::string& c : ids) list += (list.empty() ? "" : "|") + c;
            detail = list;
        }
        if (!d.spec.zeroText.empty())
            detail += (detail.empty() ? "" : "; ") +
                      std::string(d.spec.isNumber() ? "0 = " : "empty = ") + d.spec.zeroText;
        const std::string def = engine::settingValueText(d.spec.defaultValue);
        detail +=
            (detail.empty() ? "" : "; ") + std::string("default ") + (def.empty() ? "empty" : def);
        out += head + " " + d.spec.label + " [" + d.qualifiedName() + "]: " + detail + "\n";
    }
    return out;
}

}  // namespace netloom::app
