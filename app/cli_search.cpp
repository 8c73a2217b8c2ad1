// `netloom search FILE --strategy tpe|random|grid --trials N [--time SECONDS] [--seed S]
//  [--space SPACE.json] [--pruner median|none] [--fresh] [--apply-best [--save OUT]]`: a
// hyperparameter search over the project (engine/search). Trials go to FILE.search.json after
// each one (engine/search/trial_store.h), so a search killed mid-way continues from there when
// run again; the space is kept there too, so --space is needed only the first time. Prints a
// line per trial, then the table of every trial and the best; --apply-best writes the best
// trial's values into the project (FILE, or OUT with --save).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/cli.h"
#include "app/cli_settings.h"
#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/search/project_search.h"
#include "engine/search/search_runner.h"
#include "engine/search/strategy.h"
#include "engine/search/trial_store.h"

namespace netloom::app {

using namespace netloom::engine;

namespace {

struct SearchOptions {
    std::string file, spaceFile, strategy, pruner, saveTo;
    int64_t trials = -1;  // -1: the project's stored search's, else 20
    double seconds = -1;  // -1: the project's stored search's, else no limit
    int64_t seed = -1;    // -1: the stored search's, else 1
    bool fresh = false, applyBest = false, help = false;
    SettingOverrides settings;
};

const char* kUsage =
    "usage: netloom search FILE [--strategy tpe|random|grid] [--trials N] [--time SECONDS]\n"
    "                           [--seed S] [--space SPACE.json] [--pruner median|none]\n"
    "                           [--fresh] [--apply-best [--save OUT]] [--set NAME=VALUE ...]\n";

SearchOptions parse(const std::vector<std::string>& args) {
    SearchOptions o;
    ArgReader r{args};
    while (!r.done()) {
        const std::string a = r.next();
        if (a == "--help" || a == "-h")
            o.help = true;
        else if (a == "--strategy")
            o.strategy = r.value(a);
        else if (a == "--trials")
            o.trials = r.integer(a, 1, 1000000);
        else if (a == "--time")
            o.seconds = r.real(a, 0, 1e9);
        else if (a == "--seed")
            o.seed = r.integer(a, 0, INT64_MAX);
        else if (a == "--space")
            o.spaceFile = r.value(a);
        else if (a == "--pruner")
            o.pruner = r.value(a);
        else if (a == "--fresh")
            o.fresh = true;
        else if (a == "--apply-best")
            o.applyBest = true;
        else if (a == "--save")
            o.saveTo = r.value(a);
        else if (!readSettingFlag(r, a, o.settings))
            ArgReader::positional(a, o.file);
    }
    if (o.help) return o;
    if (o.file.empty()) throw Error(std::string(kUsage) + "('netloom search --help' for more)");
    if (!o.strategy.empty() && !findStrategy(o.strategy))
        throw Error("--strategy must be one of " + strategyIds() + ", got '" + o.strategy + "'");
    if (!o.pruner.empty() && o.pruner != "median" && o.pruner != "none")
        throw Error("--pruner must be median or none, got '" + o.pruner + "'");
    if (!o.saveTo.empty() && !o.applyBest) throw Error("--save goes with --apply-best");
    return o;
}

std::string valueText(const ParamValue& v) {
    if (const double* x = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", *x);
        return buf;
    }
    return paramValueToString(v);
}

std::string metricText(double v) {
    if (std::isnan(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

// The same spaces as far as trials are concerned (the pruner may change between sessions).
bool sameTrials(const SearchSpace& a, const SearchSpace& b) {
    return a.dimensions == b.dimensions && a.metric == b.metric && a.maximize == b.maximize &&
           a.fixed == b.fixed;
}

void printTrialLine(const SearchSpace& space, const Trial& t) {
    std::string values;
    for (size_t i = 0; i < t.values.size(); ++i)
        values += " " + space.dimensions[i].name() + "=" + valueText(t.values[i]);
    std::printf("trial %3lld  %-8s  %s %s  %6.1f s %s%s\n", static_cast<long long>(t.number),
                trialStateName(t.state).c_str(), space.metric.c_str(),
                metricText(t.value()).c_str(), t.seconds, values.c_str(),
                t.state == TrialState::Failed ? ("  (" + t.message + ")").c_str() : "");
    std::fflush(stdout);
}

void printTable(const SearchRecord& r) {
    const SearchSpace& s = r.space;
    std::vector<std::string> head = {"#", "state", s.metric, "epochs", "seconds"};
    for (const SearchDimension& d : s.dimensions) head.push_back(d.name());
    std::vector<std::vector<std::string>> rows;
    for (const Trial& t : r.trials) {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.1f", t.seconds);
        std::vector<std::string> row = {std::to_string(t.number), trialStateName(t.state),
                                        metricText(t.value()), std::to_string(t.curve.size()),
                                        secs};
        for (const ParamValue& v : t.values) row.push_back(valueText(v));
        rows.push_back(row);
    }
    std::vector<size_t> width(head.size());
    for (size_t c = 0; c < head.size(); ++c) {
        width[c] = head[c].size();
        for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out;
        for (size_t c = 0; c < cells.size(); ++c)
            out += (c ? "  " : "") + cells[c] + std::string(width[c] - cells[c].size(), ' ');
        while (!out.empty() && out.back() == ' ') out.pop_back();
        std::printf("%s\n", out.c_str());
    };
    std::printf("\n");
    line(head);
    for (const auto& row : rows) line(row);
}

void printHelp() {
    std::printf(
        "%s\n"
        "Searches hyperparameters: trains the project once per trial with values from a search\n"
        "space (training settings and layer parameters; docs/search.md) and keeps the trials in\n"
        "FILE.search.json, so an interrupted search continues when run again.\n\n"
        "The space is --space FILE.json, else the one kept in the project (its \"search\"\n"
        "section, edited in the window's Experiments view, which also gives the strategy and\n"
        "budget defaults), else the one in FILE.search.json.\n\n"
        "  --strategy ID      how trials are chosen (default: the project's or the stored\n"
        "                     search's, else tpe):\n",
        kUsage);
    for (const StrategyDef* s : allStrategies())
        std::printf("                       %-7s %s\n", s->id.c_str(), s->description.c_str());
    std::printf(
        "  --trials N         end once the search holds N trials, earlier ones included "
        "(default: the project's, else 20)\n"
        "  --time SECONDS     also end after this much wall time (a running trial is stopped)\n"
        "  --seed S           seed of the strategy's draws (default: the stored search's, else "
        "1)\n"
        "  --space FILE.json  the search space (needed unless the project or FILE.search.json "
        "holds one)\n"
        "  --pruner TYPE      median (stop trials worse than the median at an epoch) or none\n"
        "  --fresh            forget the stored trials and start over\n"
        "  --apply-best       write the best trial's values into FILE (or --save OUT)\n"
        "  --set NAME=VALUE   change a project setting first (also --epochs N, ...; see "
        "'netloom train --help')\n");
}

}  // namespace

int runSearch(const std::vector<std::string>& args) {
    SearchOptions o;
    try {
        o = parse(args);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (o.help) {
        printHelp();
        return 0;
    }
    try {
        const Project original = loadProject(o.file);
        Project project = original;  // --set changes the searched runs, not what is applied
        o.settings.applyTo(project.training);
        const TrialStore store(TrialStore::pathFor(o.file));
        std::optional<SearchRecord> stored = o.fresh ? std::nullopt : store.load();
        SearchRecord record;
        if (!o.spaceFile.empty()) {
            record.space = readSearchSpace(o.spaceFile);
            if (stored && !sameTrials(stored->space, record.space))
                throw Error(store.path() + " holds " + std::to_string(stored->trials.size()) +
                            " trials of another search space than " + o.spaceFile +
                            "; pass --fresh to start over (they are replaced)");
        } else if (original.search) {
            // The space kept in the project file (edited in the Experiments view).
            validateProjectSearch(original);
            record.space = original.search->space;
            if (stored && !sameTrials(stored->space, record.space))
                throw Error(store.path() + " holds " + std::to_string(stored->trials.size()) +
                            " trials of another search space than the one in " + o.file +
                            "; pass --fresh to start over (they are replaced)");
        } else if (stored) {
            record.space = stored->space;
        } else {
            throw Error(
                "no search space: pass --space SPACE.json (docs/search.md) or keep one in "
                "the project (the Experiments view); " +
                store.path() + " does not exist yet");
        }
        const ProjectSearch defaults = original.search.value_or(ProjectSearch{});
        const bool fromProject = o.spaceFile.empty() && original.search.has_value();
        if (stored) record.trials = stored->trials;
        record.strategy = !o.strategy.empty() ? o.strategy
                          : fromProject       ? defaults.strategy
                          : stored            ? stored->strategy
                                              : "tpe";
        const int64_t trials = o.trials > 0 ? o.trials : defaults.trials;
        const double seconds = o.seconds >= 0 ? o.seconds : defaults.seconds;
        record.seed = o.seed >= 0 ? static_cast<uint64_t>(o.seed) : stored ? stored->seed : 1;
        if (!o.pruner.empty()) record.space.pruner.type = o.pruner;
        validateSpace(record.space, project);  // before anything runs or is written
        if (!record.trials.empty())
            std::printf("continuing: %zu trials in %s\n", record.trials.size(),
                        store.path().c_str());
        SearchControl control;
        SearchCallbacks callbacks;
        callbacks.trialEnded = [&](const Trial& t) { printTrialLine(record.space, t); };
        const SearchOutcome out = engine::runSearch(
            project, record, SearchBudget{trials, seconds}, control,
            [&](const SearchRecord& r) { store.save(r); }, callbacks);
        record.trials = out.trials;
        if (record.trials.empty() || o.fresh) store.save(record);
        printTable(record);
        std::printf("\n%s\n", out.endReason.c_str());
        const Trial* best = bestTrial(record.trials, record.space.maximize);
        if (!best) {
            std::printf("no trial finished\n");
            return o.applyBest ? fail("--apply-best: no trial finished") : 0;
        }
        std::string values;
        for (size_t i = 0; i < best->values.size(); ++i)
            values += " " + record.space.dimensions[i].name() + "=" + valueText(best->values[i]);
        std::printf("best: trial %lld  %s %s %s\n", static_cast<long long>(best->number),
                    record.space.metric.c_str(), metricText(best->value()).c_str(), values.c_str());
        if (o.applyBest) {
            const std::string to = o.saveTo.empty() ? o.file : o.saveTo;
            saveProject(applyBestTrial(original, record), to);
            std::printf("applied trial %lld to %s\n", static_cast<long long>(best->number),
                        to.c_str());
        }
        return 0;
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

}  // namespace netloom::app
