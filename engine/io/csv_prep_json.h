#pragma once
// A run's fitted CSV preparation (data/csv_prep.h) in the project file: the run record's
// "data_prep" object, so evaluating saved weights prepares rows with the training numbers.
#include <nlohmann/json.hpp>

#include "engine/data/csv_prep.h"
#include "engine/io/json_read.h"

namespace netloom::engine {

nlohmann::ordered_json csvPrepToJson(const CsvPrepFit& fit);
// Fails at the value's path for a malformed object (a strategy or scaling it does not know,
// a zero scale, categories out of order).
CsvPrepFit csvPrepFromJson(const JsonCursor& c);

}  // namespace netloom::engine
