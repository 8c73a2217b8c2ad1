#pragma once
// CSV files read plainly: a header row of column names, then one sample per line,
// comma-separated, every column but the target a numeric feature, no preparation (the
// prepared path with its options is csv_prep.h; the text format is csv_table.h).
#include <cstdint>
#include <string>

#include "engine/data/dataset.h"

namespace netloom::engine {

inline constexpr int64_t kCsvMaxFileBytes = int64_t{1} << 30;  // 1 GiB
inline constexpr int kCsvMaxClassLabel = 1000;

// Reads the CSV at path. targetColumn names the label/target column; empty = the last column.
// The other columns are the features {columns - 1}. When every target is a whole number in
// 0..1000 the result is a classification set (labels, numClasses = max + 1), otherwise a
// regression set (targets, targetSize 1). Throws netloom::Error naming file, line and column:
// "data.csv line 17, column 'x2': 'abc' is not a number".
Dataset readCsvDataset(const std::string& path, const std::string& targetColumn = "");

// The same from text in memory; sourceName is used in messages.
Dataset parseCsvDataset(const std::string& text, const std::string& sourceName,
                        const std::string& targetColumn = "");

}  // namespace netloom::engine
