// The report as CSV (RFC 4180 quoting) or TSV (no quoting: tabs and
// newlines in a field become spaces): one row per dataset and metric, and
// the utility's score, coverage and rank as three more rows per dataset.
#include <cmath>
#include <iterator>

#include "output/report_text.h"

namespace rsq::out {
namespace {

std::string csv_field(const std::string& s, char sep) {
  if (s.find(sep) == std::string::npos && s.find('"') == std::string::npos && s.find('\n') == std::string::npos)
    return s;
  if (sep == '\t') {  // TSV has no quoting: replace the offending characters
    std::string t = s;
    for (char& c : t)
      if (c == '\t' || c == '\n') c = ' ';
    return t;
  }
  std::string t = "\"";
  for (char c : s) {
    if (c == '"') t += '"';
    t += c;
  }
  return t + "\"";
}

}  // namespace

std::string emit_csv(const Report& r, char sep) {
  std::string o;
  const char* cols[] = {"input", "metric", "count", "mean", "std", "min", "p10", "p50", "p90", "p99", "max"};
  for (size_t i = 0; i < std::size(cols); ++i) {
    if (i) o += sep;
    o += cols[i];
  }
  o += "\n";
  auto metrics = all_metrics();
  const MetricSelection& sel = r.settings.metrics;
  for (const auto& d : r.datasets) {
    for (size_t i = 0; i < metrics.size() && i < d.metrics.size(); ++i) {
      if (!sel.has(i)) continue;
      const auto& s = d.metrics[i];
      std::string row = csv_field(d.input, sep) + sep + std::string(metrics[i].name) + sep + std::to_string(s.count);
      double vals[] = {s.mean(), s.stddev(), s.count ? s.min : NAN, s.quantile(0.1), s.quantile(0.5),
                       s.quantile(0.9), s.quantile(0.99), s.count ? s.max : NAN};
      for (double v : vals) row += sep + shortest(v);
      o += row + "\n";
    }
    for (size_t k = 0; k < d.field_names.size() && k < d.field_metrics.size(); ++k) {
      const auto& s = d.field_metrics[k];
      std::string row = csv_field(d.input, sep) + sep + d.field_names[k] + sep + std::to_string(s.count);
      double vals[] = {s.mean(), s.stddev(), s.count ? s.min : NAN, s.quantile(0.1), s.quantile(0.5),
                       s.quantile(0.9), s.quantile(0.99), s.count ? s.max : NAN};
      for (double v : vals) row += sep + shortest(v);
      o += row + "\n";
    }
    // The utility as three dataset-level rows, the value in `mean` and the
    // other columns empty (docs/cli.md, "CSV and TSV").
    if (d.utility) {
      const std::pair<const char*, double> rows[] = {{"utility", d.utility->score},
                                                     {"utility_coverage", d.utility->coverage},
                                                     {"utility_rank", static_cast<double>(d.utility->rank)}};
      for (const auto& [name, v] : rows)
        o += csv_field(d.input, sep) + sep + name + sep + sep + shortest(v) + std::string(7, sep) + "\n";
    }
  }
  return o;
}

}  // namespace rsq::out
