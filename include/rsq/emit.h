// rsq/emit.h — report formatting. Emitters turn a finished Report into text
// and never compute anything a report does not already hold, so the table, the
// CSV and the JSON always agree.
#pragma once
#include <string>

#include "rsq/report.h"

namespace rsq {

enum class Format { table, json, csv, tsv, markdown };

struct EmitOptions {
  Format format = Format::table;
  bool color = false;
  bool include_state = false;  // JSON only
};

std::string emit_report(const Report& r, const EmitOptions& opt);

// Shortest decimal that reads back to the same double ("-" for NaN in text formats).
std::string shortest(double x);

}  // namespace rsq
