#pragma once
// A CSV file as a table of text fields, before any column is interpreted: the header's column
// names and every data row with its line number, so that data preparation (csv_prep.h) can name
// the line and column of a bad value. Fields may be quoted ("1,5" is one field; "" inside
// quotes is a quote); multi-line fields are not supported; blank lines are skipped; a UTF-8
// byte order mark is ignored.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netloom::engine {

struct CsvTable {
    std::string source;                // file name used in messages
    std::vector<std::string> columns;  // header names ("column 3" for an empty one)
    std::vector<std::vector<std::string>> rows;
    std::vector<int64_t> lines;  // the file line of each row (1-based)
    // Class names a header declared (the "sklearn" header: "150,4,setosa,versicolor,virginica").
    std::vector<std::string> declaredClasses;

    // Index of a column by name; -1 when absent.
    int columnIndex(const std::string& name) const;
    // "data.csv line 17, column 'x2'": how messages name a field.
    std::string where(size_t row, size_t column) const;
};

// Header formats: "names" — the first line names the columns; "sklearn" — the first line is
// "n_samples,n_features[,class names...]" as in scikit-learn's bundled data files
// (iris.csv, wine_data.csv, breast_cancer.csv): columns become "feature 1".."feature n" and
// "target", and the sample count is checked.
CsvTable parseCsvTable(const std::string& text, const std::string& sourceName,
                       const std::string& headerFormat = "names");
// Reads a file (at most kCsvMaxFileBytes) and parses it; errors name the path.
CsvTable readCsvTable(const std::string& path, const std::string& headerFormat = "names");

// Splits one line into fields, removing quotes. Returns an empty string on success, otherwise
// what is wrong with the line.
std::string splitCsvFields(std::string_view line, std::vector<std::string>& fields);
// Parses a whole field as a finite float32-range number; returns an empty string or the
// problem ("'abc' is not a number").
std::string parseCsvNumber(const std::string& text, double& value);
// Whether a field stands for a missing value: empty, NA, N/A, NaN, null or ?.
bool isCsvMissing(const std::string& field);

}  // namespace netloom::engine
