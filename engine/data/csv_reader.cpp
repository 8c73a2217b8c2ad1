#include "engine/data/csv_reader.h"

#include <numeric>

#include "engine/data/csv_prep.h"
#include "engine/data/csv_table.h"

namespace netloom::engine {

namespace {

// Every row, every other column a numeric feature, no scaling: the plain reading.
Dataset prepareAll(const CsvTable& table, const std::string& targetColumn) {
    DatasetConfig config;
    config.csvTarget = targetColumn;
    CsvPrepFit fit = planCsvPrep(table, config);
    const std::vector<int64_t> rows = keptCsvRows(table, fit);
    fitCsvPrep(table, fit, rows, rows);
    return applyCsvPrep(table, fit, rows, table.source);
}

}  // namespace

Dataset parseCsvDataset(const std::string& text, const std::string& sourceName,
                        const std::string& targetColumn) {
    return prepareAll(parseCsvTable(text, sourceName), targetColumn);
}

Dataset readCsvDataset(const std::string& path, const std::string& targetColumn) {
    return prepareAll(readCsvTable(path), targetColumn);
}

}  // namespace netloom::engine
