// Report rendering entry points (rsq/emit.h): the format dispatch, the
// shortest round-trip number form every format uses.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "output/report_text.h"
#include "rsq/error.h"

namespace rsq {

std::string shortest(double x) {
  if (std::isnan(x)) return "";
  char b[64];
  auto r = std::to_chars(b, b + sizeof b, x);
  return std::string(b, r.ptr);
}

std::string emit_report(const Report& r, const EmitOptions& opt) {
  switch (opt.format) {
    case Format::table: return out::emit_table(r, opt.color);
    case Format::json: return report_to_json(r, opt.include_state).dump(2) + "\n";
    case Format::csv: return out::emit_csv(r, ',');
    case Format::tsv: return out::emit_csv(r, '\t');
    case Format::markdown: return out::emit_markdown(r);
    case Format::html: return out::emit_html(report_to_json(r, false));
  }
  return {};
}

Format parse_format(const std::string& f) {
  if (f == "table") return Format::table;
  if (f == "json") return Format::json;
  if (f == "csv") return Format::csv;
  if (f == "tsv") return Format::tsv;
  if (f == "markdown") return Format::markdown;
  if (f == "html") return Format::html;
  throw Error(ErrorKind::usage, "--format: expected table, json, csv, tsv, markdown or html, got '" + f + "'");
}

}  // namespace rsq
