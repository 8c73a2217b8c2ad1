#include "engine/io/csv_prep_json.h"

#include <algorithm>
#include <cmath>

namespace netloom::engine {

using ojson = nlohmann::ordered_json;

ojson csvPrepToJson(const CsvPrepFit& fit) {
    ojson j;
    j["source"] = fit.source;
    j["scaling"] = fit.scaling;
    j["target"] = fit.target;
    j["regression"] = fit.regression;
    j["text_target"] = fit.textTarget;
    j["class_names"] = fit.classNames;
    j["target_missing"] = fit.targetMissing;
    j["train_rows"] = fit.trainRows;
    ojson columns = ojson::array();
    for (const CsvColumnPrep& c : fit.columns) {
        ojson jc;
        jc["name"] = c.name;
        jc["categorical"] = c.categorical;
        jc["missing"] = c.missing;
        if (c.categorical) {
            jc["fill_category"] = c.fillCategory;
            jc["categories"] = c.categories;
        } else {
            jc["fill"] = c.fill;
            jc["shift"] = c.shift;
            jc["scale"] = c.scale;
        }
        columns.push_back(std::move(jc));
    }
    j["columns"] = std::move(columns);
    return j;
}

namespace {

std::vector<std::string> strings(const JsonCursor& c) {
    std::vector<std::string> out;
    for (const JsonCursor& e : c.elements()) out.push_back(e.asString());
    return out;
}

void expectOneOf(const JsonCursor& c, const std::string& v, std::vector<std::string> allowed) {
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
        c.fail("unknown value '" + v + "'");
}

}  // namespace

CsvPrepFit csvPrepFromJson(const JsonCursor& c) {
    c.expectObject();
    CsvPrepFit fit;
    c.read("source", fit.source);
    fit.scaling = c.member("scaling").asString();
    expectOneOf(c.member("scaling"), fit.scaling, {"none", "standardize", "minmax"});
    fit.target = c.member("target").asString();
    c.read("regression", fit.regression);
    c.read("text_target", fit.textTarget);
    if (auto n = c.find("class_names")) fit.classNames = strings(*n);
    if (fit.textTarget && !std::is_sorted(fit.classNames.begin(), fit.classNames.end()))
        c.member("class_names").fail("text classes must be sorted");
    c.read("target_missing", fit.targetMissing);
    expectOneOf(c, fit.targetMissing, {"error", "drop"});
    c.read("train_rows", fit.trainRows, 0);
    for (const JsonCursor& jc : c.member("columns").elements()) {
        CsvColumnPrep col;
        col.name = jc.member("name").asString();
        jc.read("categorical", col.categorical);
        jc.read("missing", col.missing);
        expectOneOf(jc.member("missing"), col.missing,
                    {"error", "drop", "mean", "median", "most_frequent"});
        if (col.categorical) {
            jc.read("fill_category", col.fillCategory);
            col.categories = strings(jc.member("categories"));
            if (!std::is_sorted(col.categories.begin(), col.categories.end()))
                jc.member("categories").fail("categories must be sorted");
        } else {
            jc.read("fill", col.fill);
            jc.read("shift", col.shift);
            jc.read("scale", col.scale);
            if (!(std::isfinite(col.scale) && col.scale > 0))
                jc.member("scale").fail("must be a positive number");
            if (!std::isfinite(col.shift) || !std::isfinite(col.fill))
                jc.fail("shift and fill must be finite numbers");
        }
        fit.columns.push_back(std::move(col));
    }
    return fit;
}

}  // namespace netloom::engine
