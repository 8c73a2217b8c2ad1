#pragma once
// Data preparation for CSV datasets: which columns are the target and the features, what a
// missing value becomes (the row dropped, or filled with the column's mean, median or most
// frequent value), standardisation or min-max scaling of numeric columns and one-hot encoding of
// text-category columns. Every statistic (fill values, mean/std, min/max, category lists) comes
// from the training split only and is applied unchanged to validation and test rows; the fitted
// result (CsvPrepFit) is kept in the run record so that evaluation of the saved project later
// uses the same numbers (loadData's `fitted` argument). Order per value, as a scikit-learn
// pipeline of SimpleImputer then StandardScaler/MinMaxScaler and OneHotEncoder(sorted
// categories, handle_unknown="ignore"): fill, then scale; the scaling statistics are taken over
// the filled training values. Standard deviation is the population one (ddof 0); a constant
// column is only centred (scale 1), as scikit-learn does.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/data/csv_table.h"
#include "engine/data/dataset.h"
#include "engine/data/dataset_config.h"

namespace netloom::engine {

// One feature column as prepared: how a value of it becomes one input (numeric: (v - shift) /
// scale) or categories.size() inputs (one-hot).
struct CsvColumnPrep {
    std::string name;
    bool categorical = false;
    std::string missing = "error";  // error | drop | mean | median | most_frequent
    double fill = 0;                // numeric fill value (mean/median/most_frequent)
    std::string fillCategory;       // categorical fill value (most frequent)
    double shift = 0, scale = 1;    // numeric: standardise (mean, std) or min-max (min, range)
    std::vector<std::string> categories;  // categorical: sorted, from the training split
    bool operator==(const CsvColumnPrep&) const = default;
};

struct CsvPrepFit {
    std::string source;   // the file it was fitted on (messages only)
    std::string scaling;  // none | standardize | minmax
    std::string target;   // target column name
    bool regression = false;
    bool textTarget = false;              // classes are the target's text values
    std::vector<std::string> classNames;  // classification
    std::string targetMissing = "error";  // drop when the global strategy drops rows
    std::vector<CsvColumnPrep> columns;   // the feature columns in file order
    int64_t trainRows = 0;                // rows the statistics came from (0: not fitted)
    bool operator==(const CsvPrepFit&) const = default;

    int64_t inputWidth() const;                   // numeric columns + one-hot widths
    std::vector<std::string> inputNames() const;  // "sepal length", "color=red", ...
};

// Step 1: resolves the dataset settings against the table's columns: target (default the last
// column), features (default every other column), which are categorical, the missing-value
// strategy of each. Throws naming the setting and the column ("dataset.csv_features: no column
// named 'z' (columns: a, b, y)").
CsvPrepFit planCsvPrep(const CsvTable& table, const DatasetConfig& config);
// Step 2: the table rows kept (ascending) after dropping those with a missing value in a
// column whose strategy is drop. Throws when a missing value meets the strategy "error" (line
// and column named) or when every row is dropped.
std::vector<int64_t> keptCsvRows(const CsvTable& table, const CsvPrepFit& plan);
// Step 3: the target's classes (from all kept rows) and every statistic from trainRows only.
// Throws naming line and column for a non-number in a numeric column.
void fitCsvPrep(const CsvTable& table, CsvPrepFit& fit, const std::vector<int64_t>& keptRows,
                const std::vector<int64_t>& trainRows);
// Step 4: the prepared samples of rows. A category not seen in training becomes all zeros
// and is reported in Dataset::notes ("column 'color': 1 row has a category not seen in
// training ('purple'); encoded as all zeros").
Dataset applyCsvPrep(const CsvTable& table, const CsvPrepFit& fit, const std::vector<int64_t>& rows,
                     const std::string& name);
// Checks that a saved fit can be applied to this table: every column it names exists.
void checkCsvFitMatches(const CsvTable& table, const CsvPrepFit& fit);

// Per-column statistics over every row, for the data view.
struct CsvColumnStats {
    std::string name;
    bool numeric = true;  // every non-missing value is a number
    int64_t count = 0;    // non-missing values
    int64_t missing = 0;
    double mean = 0, std = 0, min = 0, max = 0;               // numeric
    std::vector<std::pair<std::string, int64_t>> categories;  // text: by count, descending
};
std::vector<CsvColumnStats> csvColumnStats(const CsvTable& table);

}  // namespace netloom::engine
