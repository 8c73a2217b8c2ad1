#include "engine/data/csv_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "engine/core/error.h"

namespace netloom::engine {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Splits one line into fields, removing quotes. Returns an empty string on success, otherwise
// what is wrong with the line.
std::string splitFields(std::string_view line, std::vector<std::string>& fields) {
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

// Parses a whole field as a finite number; returns an empty string or the problem.
std::string parseNumber(const std::string& text, double& value) {
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

}  // namespace

Dataset parseCsvDataset(const std::string& text, const std::string& sourceName,
                        const std::string& targetColumn) {
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

    // Header: the first non-blank line.
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
    if (std::string why = splitFields(line, header); !why.empty())
        throw Error(at(lineNo) + ": " + why);
    const size_t columns = header.size();
    for (size_t c = 0; c < columns; ++c)
        if (header[c].empty()) header[c] = "column " + std::to_string(c + 1);
    if (columns < 2) {
        throw Error(sourceName + ": the header has " + std::to_string(columns) +
                    " column; need at least two (features and a target)");
    }

    size_t target = columns - 1;
    if (!targetColumn.empty()) {
        auto it = std::find(header.begin(), header.end(), targetColumn);
        if (it == header.end()) {
            std::string names;
            for (size_t c = 0; c < columns; ++c) names += (c ? ", " : "") + header[c];
            throw Error(sourceName + ": no column named '" + targetColumn + "' (columns: " + names +
                        ")");
        }
        if (std::find(it + 1, header.end(), targetColumn) != header.end())
            throw Error(sourceName + ": more than one column is named '" + targetColumn + "'");
        target = static_cast<size_t>(it - header.begin());
    }

    std::vector<float> features;
    std::vector<double> targets;
    std::vector<std::string> fields;
    while (nextLine(line)) {
        if (trim(line).empty()) continue;
        if (std::string why = splitFields(line, fields); !why.empty())
            throw Error(at(lineNo) + ": " + why);
        if (fields.size() != columns) {
            throw Error(at(lineNo) + ": " + std::to_string(fields.size()) +
                        (fields.size() == 1 ? " value" : " values") + ", but the header has " +
                        std::to_string(columns) + " columns");
        }
        for (size_t c = 0; c < columns; ++c) {
            double v = 0;
            if (std::string why = parseNumber(fields[c], v); !why.empty())
                throw Error(at(lineNo) + ", column '" + header[c] + "': " + why);
            if (c == target)
                targets.push_back(v);
            else
                features.push_back(static_cast<float>(v));
        }
    }
    if (targets.empty()) throw Error(sourceName + ": no data rows after the header");

    Dataset d;
    d.name = sourceName;
    d.count = static_cast<int64_t>(targets.size());
    d.sampleShape = Shape{static_cast<int64_t>(columns - 1)};
    d.features = std::move(features);

    const bool classification = std::all_of(targets.begin(), targets.end(), [](double v) {
        return v >= 0 && v <= kCsvMaxClassLabel && v == std::floor(v);
    });
    if (classification) {
        d.labels.reserve(targets.size());
        int maxLabel = 0;
        for (double v : targets) {
            d.labels.push_back(static_cast<int32_t>(v));
            maxLabel = std::max(maxLabel, d.labels.back());
        }
        d.numClasses = maxLabel + 1;
        for (int c = 0; c < d.numClasses; ++c) d.classNames.push_back(std::to_string(c));
    } else {
        d.targets.assign(targets.begin(), targets.end());
        d.targetSize = 1;
    }
    return d;
}

Dataset readCsvDataset(const std::string& path, const std::string& targetColumn) {
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
    return parseCsvDataset(buf.str(), path, targetColumn);
}

}  // namespace netloom::engine
