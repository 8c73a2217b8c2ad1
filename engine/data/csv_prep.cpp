#include "engine/data/csv_prep.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "engine/core/error.h"
#include "engine/data/csv_reader.h"

namespace netloom::engine {

namespace {

const std::vector<std::string> kMissingStrategies = {"error", "drop", "mean", "median",
                                                     "most_frequent"};

std::string trimmed(const std::string& s) {
    size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// "a, b ,c" -> {"a", "b", "c"}; empty items dropped.
std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string item = trimmed(text.substr(start, comma - start));
        if (!item.empty()) out.push_back(item);
        start = comma + 1;
    }
    return out;
}

std::string columnList(const CsvTable& t) {
    std::string names;
    for (size_t c = 0; c < t.columns.size(); ++c) names += (c ? ", " : "") + t.columns[c];
    return names;
}

// The index of a named column; throws naming the setting when absent or ambiguous.
size_t requireColumn(const CsvTable& t, const std::string& name, const std::string& setting) {
    const int index = t.columnIndex(name);
    if (index < 0)
        throw Error(setting + ": " + t.source + " has no column named '" + name +
                    "' (columns: " + columnList(t) + ")");
    if (std::count(t.columns.begin(), t.columns.end(), name) > 1)
        throw Error(setting + ": " + t.source + ": more than one column is named '" + name + "'");
    return static_cast<size_t>(index);
}

bool checkStrategy(const std::string& s) {
    return std::find(kMissingStrategies.begin(), kMissingStrategies.end(), s) !=
           kMissingStrategies.end();
}

double parseOrThrow(const CsvTable& t, int64_t row, size_t column, const std::string& hint) {
    double v = 0;
    const std::string& text = t.rows[static_cast<size_t>(row)][column];
    if (std::string why = parseCsvNumber(text, v); !why.empty())
        throw Error(t.where(static_cast<size_t>(row), column) + ": " + why + hint);
    return v;
}

std::string numericHint(const std::string& column) {
    return " (a numeric column; list '" + column +
           "' in dataset.csv_categorical to one-hot encode text values)";
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The most frequent value; ties go to the smallest (scipy.stats.mode, SimpleImputer).
template <typename T>
T mostFrequent(const std::vector<T>& v) {
    std::map<T, int64_t> counts;
    for (const T& x : v) ++counts[x];
    T best{};
    int64_t bestCount = -1;
    for (const auto& [x, n] : counts)
        if (n > bestCount) best = x, bestCount = n;
    return best;
}

}  // namespace

int64_t CsvPrepFit::inputWidth() const {
    int64_t w = 0;
    for (const CsvColumnPrep& c : columns)
        w += c.categorical ? static_cast<int64_t>(c.categories.size()) : 1;
    return w;
}

std::vector<std::string> CsvPrepFit::inputNames() const {
    std::vector<std::string> names;
    for (const CsvColumnPrep& c : columns) {
        if (!c.categorical) {
            names.push_back(c.name);
            continue;
        }
        for (const std::string& k : c.categories) names.push_back(c.name + "=" + k);
    }
    return names;
}

CsvPrepFit planCsvPrep(const CsvTable& t, const DatasetConfig& config) {
    CsvPrepFit fit;
    fit.source = t.source;
    fit.scaling = config.csvScaling;
    if (fit.scaling != "none" && fit.scaling != "standardize" && fit.scaling != "minmax")
        throw Error("dataset.csv_scaling: unknown scaling '" + fit.scaling +
                    "': choose none, standardize or minmax");
    const std::string& global = config.csvMissing;
    if (!checkStrategy(global))
        throw Error("dataset.csv_missing: unknown strategy '" + global +
                    "': choose error, drop, mean, median or most_frequent");

    const size_t target = config.csvTarget.empty()
                              ? t.columns.size() - 1
                              : requireColumn(t, config.csvTarget, "dataset.csv_target");
    fit.target = t.columns[target];
    fit.targetMissing = global == "drop" ? "drop" : "error";

    std::vector<size_t> features;
    const std::vector<std::string> named = splitList(config.csvFeatures);
    if (named.empty()) {
        for (size_t c = 0; c < t.columns.size(); ++c)
            if (c != target) features.push_back(c);
    } else {
        std::set<size_t> chosen;
        for (const std::string& n : named) {
            const size_t c = requireColumn(t, n, "dataset.csv_features");
            if (c == target)
                throw Error("dataset.csv_features: '" + n +
                            "' is the target column; a feature cannot also be the target");
            chosen.insert(c);
        }
        features.assign(chosen.begin(), chosen.end());  // file order
    }

    std::set<size_t> categorical;
    for (const std::string& n : splitList(config.csvCategorical)) {
        const size_t c = requireColumn(t, n, "dataset.csv_categorical");
        if (std::find(features.begin(), features.end(), c) == features.end())
            throw Error("dataset.csv_categorical: '" + n +
                        "' is not a feature column (the target's classes are found by "
                        "themselves)");
        categorical.insert(c);
    }

    std::map<size_t, std::string> perColumn;
    for (const std::string& item : splitList(config.csvMissingColumns)) {
        const size_t eq = item.rfind('=');
        if (eq == std::string::npos)
            throw Error("dataset.csv_missing_columns: '" + item +
                        "' is not COLUMN=STRATEGY (e.g. age=median)");
        const std::string name = trimmed(item.substr(0, eq));
        const std::string strategy = trimmed(item.substr(eq + 1));
        const size_t c = requireColumn(t, name, "dataset.csv_missing_columns");
        if (!checkStrategy(strategy))
            throw Error("dataset.csv_missing_columns: column '" + name + "': unknown strategy '" +
                        strategy + "': choose error, drop, mean, median or most_frequent");
        if (c == target) {
            if (strategy != "drop" && strategy != "error")
                throw Error("dataset.csv_missing_columns: the target '" + name +
                            "' can only drop rows or refuse them (error), not " + strategy);
            fit.targetMissing = strategy;
            continue;
        }
        if (std::find(features.begin(), features.end(), c) == features.end())
            throw Error("dataset.csv_missing_columns: '" + name + "' is not a feature column");
        if (categorical.count(c) && (strategy == "mean" || strategy == "median"))
            throw Error("dataset.csv_missing_columns: column '" + name +
                        "' holds categories; fill it with most_frequent or drop its rows, not " +
                        strategy);
        perColumn[c] = strategy;
    }

    for (size_t c : features) {
        CsvColumnPrep col;
        col.name = t.columns[c];
        col.categorical = categorical.count(c) > 0;
        auto it = perColumn.find(c);
        col.missing = it != perColumn.end() ? it->second : global;
        // A global mean/median means "the typical value"; for categories that is the most
        // frequent one.
        if (col.categorical && (col.missing == "mean" || col.missing == "median"))
            col.missing = "most_frequent";
        fit.columns.push_back(std::move(col));
    }
    return fit;
}

void checkCsvFitMatches(const CsvTable& t, const CsvPrepFit& fit) {
    requireColumn(t, fit.target, "the saved data preparation's target");
    for (const CsvColumnPrep& c : fit.columns)
        requireColumn(t, c.name, "the saved data preparation's feature");
}

std::vector<int64_t> keptCsvRows(const CsvTable& t, const CsvPrepFit& fit) {
    struct Check {
        size_t column;
        std::string strategy;
    };
    std::vector<Check> checks{{static_cast<size_t>(t.columnIndex(fit.target)), fit.targetMissing}};
    for (const CsvColumnPrep& c : fit.columns)
        checks.push_back({static_cast<size_t>(t.columnIndex(c.name)), c.missing});
    std::vector<int64_t> kept;
    std::map<std::string, int64_t> droppedBy;
    for (size_t r = 0; r < t.rows.size(); ++r) {
        bool keep = true;
        for (const Check& k : checks) {
            if (!isCsvMissing(t.rows[r][k.column])) continue;
            if (k.strategy == "drop") {
                keep = false;
                ++droppedBy[t.columns[k.column]];
                break;
            }
            if (k.strategy == "error") {
                const bool isTarget = t.columns[k.column] == fit.target;
                throw Error(t.where(r, k.column) + ": the value is missing ('" +
                            t.rows[r][k.column] + "'); set dataset.csv_missing" +
                            (isTarget ? " to drop to skip such rows"
                                      : " (or this column in dataset.csv_missing_columns) to "
                                        "drop, mean, median or most_frequent"));
            }
        }
        if (keep) kept.push_back(static_cast<int64_t>(r));
    }
    if (kept.empty()) {
        std::string why;
        for (const auto& [name, n] : droppedBy)
            why += (why.empty() ? "" : ", ") + name + ": " + std::to_string(n);
        throw Error(t.source + ": every row was dropped for a missing value (rows dropped by " +
                    "column: " + why + "); fill those columns instead of dropping");
    }
    return kept;
}

void fitCsvPrep(const CsvTable& t, CsvPrepFit& fit, const std::vector<int64_t>& keptRows,
                const std::vector<int64_t>& trainRows) {
    if (trainRows.empty()) throw Error(t.source + ": no training rows to fit the preparation on");
    // The target: classes when every value is a whole number in 0..kCsvMaxClassLabel or when
    // any value is text; otherwise a regression target.
    const size_t target = static_cast<size_t>(t.columnIndex(fit.target));
    bool allNumbers = true, allLabels = true;
    int maxLabel = 0;
    std::set<std::string> texts;
    int64_t firstText = -1, firstNumber = -1;
    for (int64_t r : keptRows) {
        const std::string& v = t.rows[static_cast<size_t>(r)][target];
        texts.insert(v);
        double x = 0;
        if (!parseCsvNumber(v, x).empty()) {
            allNumbers = allLabels = false;
            if (firstText < 0) firstText = r;
            continue;
        }
        if (firstNumber < 0) firstNumber = r;
        if (x >= 0 && x <= kCsvMaxClassLabel && x == std::floor(x))
            maxLabel = std::max(maxLabel, static_cast<int>(x));
        else
            allLabels = false;
    }
    // Text classes are all text; a stray word among numbers is a bad value, not a class.
    if (firstText >= 0 && firstNumber >= 0) {
        double x = 0;
        throw Error(t.where(static_cast<size_t>(firstText), target) + ": " +
                    parseCsvNumber(t.rows[static_cast<size_t>(firstText)][target], x) +
                    " (the target's other values are numbers)");
    }
    fit.classNames.clear();
    fit.textTarget = !allNumbers;
    fit.regression = allNumbers && !allLabels;
    if (fit.textTarget) {
        fit.classNames.assign(texts.begin(), texts.end());  // sorted
    } else if (!fit.regression) {
        for (int c = 0; c <= maxLabel; ++c) fit.classNames.push_back(std::to_string(c));
        if (t.declaredClasses.size() == fit.classNames.size()) fit.classNames = t.declaredClasses;
    }

    for (CsvColumnPrep& col : fit.columns) {
        const size_t c = static_cast<size_t>(t.columnIndex(col.name));
        if (col.categorical) {
            std::vector<std::string> seen;
            for (int64_t r : trainRows) {
                const std::string& v = t.rows[static_cast<size_t>(r)][c];
                if (!isCsvMissing(v)) seen.push_back(v);
            }
            if (seen.empty())
                throw Error(t.source + ", column '" + col.name +
                            "': no value in the training split to learn categories from");
            if (col.missing == "most_frequent") col.fillCategory = mostFrequent(seen);
            std::set<std::string> cats(seen.begin(), seen.end());
            col.categories.assign(cats.begin(), cats.end());
            continue;
        }
        std::vector<double> values;
        for (int64_t r : trainRows)
            if (!isCsvMissing(t.rows[static_cast<size_t>(r)][c]))
                values.push_back(parseOrThrow(t, r, c, numericHint(col.name)));
        // Validation and test rows are checked too, so a bad value anywhere is named now.
        for (int64_t r : keptRows)
            if (!isCsvMissing(t.rows[static_cast<size_t>(r)][c]))
                parseOrThrow(t, r, c, numericHint(col.name));
        if (values.empty())
            throw Error(t.source + ", column '" + col.name +
                        "': every value in the training split is missing; nothing to fill with");
        if (col.missing == "mean") {
            double sum = 0;
            for (double v : values) sum += v;
            col.fill = sum / static_cast<double>(values.size());
        } else if (col.missing == "median") {
            col.fill = median(values);
        } else if (col.missing == "most_frequent") {
            col.fill = mostFrequent(values);
        }
        // The scaler sees the filled training column, as in an imputer-then-scaler pipeline.
        const size_t missingCount = trainRows.size() - values.size();
        values.insert(values.end(), missingCount, col.fill);
        col.shift = 0;
        col.scale = 1;
        if (fit.scaling == "standardize") {
            double sum = 0;
            for (double v : values) sum += v;
            const double mean = sum / static_cast<double>(values.size());
            double sq = 0;
            for (double v : values) sq += (v - mean) * (v - mean);
            const double sd = std::sqrt(sq / static_cast<double>(values.size()));
            col.shift = mean;
            col.scale = sd > 0 ? sd : 1.0;
        } else if (fit.scaling == "minmax") {
            auto [lo, hi] = std::minmax_element(values.begin(), values.end());
            col.shift = *lo;
            col.scale = *hi > *lo ? *hi - *lo : 1.0;
        }
    }
    fit.trainRows = static_cast<int64_t>(trainRows.size());
}

Dataset applyCsvPrep(const CsvTable& t, const CsvPrepFit& fit, const std::vector<int64_t>& rows,
                     const std::string& name) {
    Dataset d;
    d.name = name;
    d.count = static_cast<int64_t>(rows.size());
    const int64_t width = fit.inputWidth();
    if (width < 1) throw Error(t.source + ": no feature columns to train on");
    d.sampleShape = Shape{width};
    d.features.assign(static_cast<size_t>(d.count * width), 0.0f);
    if (fit.regression) {
        d.targetSize = 1;
        d.targets.reserve(rows.size());
    } else {
        d.numClasses = static_cast<int>(fit.classNames.size());
        d.classNames = fit.classNames;
        d.labels.reserve(rows.size());
    }
    std::vector<size_t> index;
    for (const CsvColumnPrep& col : fit.columns)
        index.push_back(static_cast<size_t>(t.columnIndex(col.name)));
    const size_t target = static_cast<size_t>(t.columnIndex(fit.target));

    std::vector<std::map<std::string, int64_t>> unseen(fit.columns.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const auto r = static_cast<size_t>(rows[i]);
        const std::vector<std::string>& row = t.rows[r];
        float* out = d.features.data() + i * static_cast<size_t>(width);
        for (size_t k = 0; k < fit.columns.size(); ++k) {
            const CsvColumnPrep& col = fit.columns[k];
            const std::string& text = row[index[k]];
            const bool missing = isCsvMissing(text);
            if (missing && (col.missing == "error" || col.missing == "drop"))
                throw Error(t.where(r, index[k]) + ": the value is missing");
            if (col.categorical) {
                const std::string& v = missing ? col.fillCategory : text;
                auto it = std::lower_bound(col.categories.begin(), col.categories.end(), v);
                if (it != col.categories.end() && *it == v)
                    out[it - col.categories.begin()] = 1.0f;
                else
                    ++unseen[k][v];  // all zeros, reported below
                out += col.categories.size();
                continue;
            }
            const double v =
                missing ? col.fill
                        : parseOrThrow(t, static_cast<int64_t>(r), index[k], numericHint(col.name));
            *out++ = static_cast<float>((v - col.shift) / col.scale);
        }
        const std::string& y = row[target];
        if (fit.regression) {
            d.targets.push_back(
                static_cast<float>(parseOrThrow(t, static_cast<int64_t>(r), target, "")));
        } else if (fit.textTarget) {
            auto it = std::lower_bound(fit.classNames.begin(), fit.classNames.end(), y);
            if (it == fit.classNames.end() || *it != y)
                throw Error(t.where(r, target) + ": class '" + y +
                            "' is not one the network was trained on");
            d.labels.push_back(static_cast<int32_t>(it - fit.classNames.begin()));
        } else {
            double v = 0;
            const std::string why = parseCsvNumber(y, v);
            if (!why.empty() || v < 0 || v != std::floor(v) ||
                v >= static_cast<double>(fit.classNames.size()))
                throw Error(t.where(r, target) + ": '" + y + "' is not a class label 0.." +
                            std::to_string(fit.classNames.size() - 1));
            d.labels.push_back(static_cast<int32_t>(v));
        }
    }
    for (size_t k = 0; k < fit.columns.size(); ++k) {
        if (unseen[k].empty()) continue;
        int64_t n = 0;
        std::string which;
        for (const auto& [v, c] : unseen[k]) {
            n += c;
            if (which.size() < 80) which += (which.empty() ? "'" : ", '") + v + "'";
        }
        d.notes.push_back(name + ", column '" + fit.columns[k].name + "': " + std::to_string(n) +
                          (n == 1 ? " row has a category" : " rows have categories") +
                          " not seen in training (" + which + "); encoded as all zeros");
    }
    d.csvPrep = std::make_shared<const CsvPrepFit>(fit);
    return d;
}

std::vector<CsvColumnStats> csvColumnStats(const CsvTable& t) {
    std::vector<CsvColumnStats> out;
    for (size_t c = 0; c < t.columns.size(); ++c) {
        CsvColumnStats s;
        s.name = t.columns[c];
        std::vector<double> values;
        std::map<std::string, int64_t> counts;
        for (const std::vector<std::string>& row : t.rows) {
            if (isCsvMissing(row[c])) {
                ++s.missing;
                continue;
            }
            ++s.count;
            ++counts[row[c]];
            double v = 0;
            if (s.numeric && parseCsvNumber(row[c], v).empty())
                values.push_back(v);
            else
                s.numeric = false;
        }
        if (s.numeric && !values.empty()) {
            double sum = 0;
            for (double v : values) sum += v;
            s.mean = sum / static_cast<double>(values.size());
            double sq = 0;
            for (double v : values) sq += (v - s.mean) * (v - s.mean);
            s.std = std::sqrt(sq / static_cast<double>(values.size()));
            auto [lo, hi] = std::minmax_element(values.begin(), values.end());
            s.min = *lo;
            s.max = *hi;
        }
        s.categories.assign(counts.begin(), counts.end());
        std::stable_sort(s.categories.begin(), s.categories.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace netloom::engine
