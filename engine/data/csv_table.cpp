#include "engine/data/csv_table.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/core/error.h"
#include "engine/data/csv_reader.h"

namespace netloom::engine {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string splitCsvFields(std::string_view line, std::vector<std::string>& fields) {
    fields.clear();
    size_t i = 0;
    const size_t n = line.size();
    while (true) {
        std::string field;
        while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i < n && line[i] == '"') {
            ++i;
            bool closed = false;
            while (i < n) {
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        field += '"';
                        i += 2;
                    } else {
                        ++i;
                        closed = true;
                        break;
                    }
                } else {
                    field += line[i++];
                }
            }
            if (!closed) return "a quoted field is not closed (quotes must end on the same line)";
            while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
            if (i < n && line[i] != ',') return "unexpected text after a closing quote";
        } else {
            size_t start = i;
            while (i < n && line[i] != ',') ++i;
            field = std::string(trim(line.substr(start, i - start)));
        }
        fields.push_back(std::move(field));
        if (i >= n) break;
        ++i;  // the comma
    }
    return {};
}

std::string parseCsvNumber(const std::string& text, double& value) {
    if (text.empty()) return "the value is empty";
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (*first == '+') ++first;
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range) return "'" + text + "' is out of range";
    if (ec != std::errc() || end != last || first == last) return "'" + text + "' is not a number";
    if (!std::isfinite(value)) return "'" + text + "' is not a finite number";
    if (std::fabs(value) > 3.0e38) return "'" + text + "' is out of range for float32";
    return {};
}

bool isCsvMissing(const std::string& field) {
    if (field.empty() || field == "?") return true;
    std::string lower(field);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return lower == "na" || lower == "n/a" || lower == "nan" || lower == "null";
}

int CsvTable::columnIndex(const std::string& name) const {
    auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

std::string CsvTable::where(size_t row, size_t column) const {
    return source + " line " + std::to_string(lines.at(row)) + ", column '" + columns.at(column) +
           "'";
}

CsvTable parseCsvTable(const std::string& text, const std::string& sourceName,
                       const std::string& headerFormat) {
    if (headerFormat != "names" && headerFormat != "sklearn")
        throw Error("unknown CSV header format '" + headerFormat + "': choose names or sklearn");
    std::string_view rest(text);
    if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);  // UTF-8 BOM

    int64_t lineNo = 0;
    auto nextLine = [&](std::string_view& line) {
        if (rest.empty()) return false;
        size_t nl = rest.find('\n');
        line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++lineNo;
        return true;
    };
    auto at = [&](int64_t line) { return sourceName + " line " + std::to_string(line); };

    CsvTable t;
    t.source = sourceName;
    std::string_view line;
    bool haveHeader = false;
    while (nextLine(line)) {
        if (!trim(line).empty()) {
            haveHeader = true;
            break;
        }
    }
    if (!haveHeader) throw Error(sourceName + ": the file is empty (expected a header row)");
    std::vector<std::string> header;
    if (std::string why = splitCsvFields(line, header); !why.empty())
        throw Error(at(lineNo) + ": " + why);
    int64_t declaredRows = -1;
    if (headerFormat == "sklearn") {
        // "n_samples,n_features,class names...": the columns are the features and the target.
        double n = 0, f = 0;
        if (header.size() < 2 || !parseCsvNumber(header[0], n).empty() ||
            !parseCsvNumber(header[1], f).empty() || n < 1 || f < 1 || n != std::floor(n) ||
            f != std::floor(f) || f > 100000) {
            throw Error(at(lineNo) +
                        ": not a scikit-learn header (expected \"n_samples,n_features[,class "
                        "names]\", e.g. \"150,4,setosa,versicolor,virginica\")");
        }
        declaredRows = static_cast<int64_t>(n);
        for (int64_t k = 1; k <= static_cast<int64_t>(f); ++k)
            t.columns.push_back("feature " + std::to_string(k));
        t.columns.push_back("target");
        t.declaredClasses.assign(header.begin() + 2, header.end());
    } else {
        t.columns = std::move(header);
        for (size_t c = 0; c < t.columns.size(); ++c)
            if (t.columns[c].empty()) t.columns[c] = "column " + std::to_string(c + 1);
    }
    const size_t columns = t.columns.size();
    if (columns < 2) {
        throw Error(sourceName + ": the header has " + std::to_string(columns) +
                    " column; need at least two (features and a target)");
    }
    std::vector<std::string> fields;
    while (nextLine(line)) {
        if (trim(line).empty()) continue;
        if (std::string why = splitCsvFields(line, fields); !why.empty())
            throw Error(at(lineNo) + ": " + why);
        if (fields.size() != columns) {
            throw Error(at(lineNo) + ": " + std::to_string(fields.size()) +
                        (fields.size() == 1 ? " value" : " values") + ", but the header has " +
                        std::to_string(columns) + " columns");
        }
        t.rows.push_back(fields);
        t.lines.push_back(lineNo);
    }
    if (t.rows.empty()) throw Error(sourceName + ": no data rows after the header");
    if (declaredRows >= 0 && declaredRows != static_cast<int64_t>(t.rows.size())) {
        throw Error(sourceName + ": the header declares " + std::to_string(declaredRows) +
                    " samples but the file has " + std::to_string(t.rows.size()) + " rows");
    }
    return t;
}

CsvTable readCsvTable(const std::string& path, const std::string& headerFormat) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw Error(path + ": is not a regular file");
    if (st.st_size > kCsvMaxFileBytes)
        throw Error(path + ": the file is larger than 1 GiB; NetLoom reads smaller CSV files");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) throw Error(path + ": read error");
    return parseCsvTable(buf.str(), path, headerFormat);
}

}  // namespace netloom::engine
