// Text, CSV/TSV, Markdown and JSON renderings of a Report. The table is laid
// out for an 80-column terminal: one block per dataset, values by metric.
#include "rsq/emit.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "rsq/error.h"
#include "rsq/metrics.h"
#include "rsq/version.h"

namespace rsq {

std::string shortest(double x) {
  if (std::isnan(x)) return "";
  char b[64];
  auto r = std::to_chars(b, b + sizeof b, x);
  return std::string(b, r.ptr);
}

namespace {

std::string fixed(double x, const MetricInfo& m) {
  if (std::isnan(x)) return "-";
  char b[64];
  if (m.unit == "ratio" || m.kind == MetricKind::flag)
    std::snprintf(b, sizeof b, "%.4f", x);
  else if (std::fabs(x) >= 100)
    std::snprintf(b, sizeof b, "%.0f", x);
  else
    std::snprintf(b, sizeof b, "%.2f", x);
  return b;
}

std::string pad_right(std::string s, size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s;
}
std::string pad_left(std::string s, size_t w) {
  if (s.size() < w) s.insert(0, w - s.size(), ' ');
  return s;
}

std::string counts_line(const std::map<std::string, uint64_t>& m) {
  std::string s;
  for (auto& [k, v] : m) {
    if (!s.empty()) s += ", ";
    s += k + " " + std::to_string(v);
  }
  return s;
}

std::string pct(uint64_t a, uint64_t b) {
  if (!b) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(a) / static_cast<double>(b));
  return buf;
}

std::string score1(double x) {
  if (!std::isfinite(x)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}

std::string utility_block(const DatasetReport& d, bool explain) {
  if (!d.utility) return "";
  const Utility& u = *d.utility;
  char b[256];
  std::string o;
  std::snprintf(b, sizeof b, "  utility (%s profile): %s / 100   coverage %.0f%% of the profile's weight", u.profile.c_str(),
                score1(u.score).c_str(), 100 * u.coverage);
  o += b;
  o += "\n";
  if (u.coverage < 0.5)
    o += "  WARNING: only " + std::to_string(static_cast<int>(std::lround(100 * u.coverage))) +
         "% of the profile's weight was measured; import the rest with --with-metrics\n";
  for (const auto& w : u.warnings) o += "  warning: " + w + "\n";
  if (explain) {
    std::snprintf(b, sizeof b, "  %-22s %10s %10s %8s %12s\n", "metric", "value", "normalized", "weight", "contribution");
    o += b;
    for (const auto& [name, c] : u.contributions) {
      if (c.measured)
        std::snprintf(b, sizeof b, "  %-22s %10.4f %10.4f %8.3f %12.2f%s\n", name.c_str(), c.value, c.normalized, c.weight,
                      c.contribution, c.imported ? "  (imported)" : "");
      else
        std::snprintf(b, sizeof b, "  %-22s %10s %10s %8.3f %12s\n", name.c_str(), "-", "-", c.weight, "not measured");
      o += b;
    }
    o += "  score = sum of contributions = 100 * sum(|w| * n') / sum(measured |w|); n' = n for w > 0, 1 - n for w < 0\n";
  }
  return o;
}

std::string emit_table(const Report& r, bool color) {
  std::string o;
  const char* bold = color ? "\x1b[1m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  auto metrics = all_metrics();
  const MetricSelection& sel = r.settings.metrics;
  bool ranked = r.datasets.size() > 1 && r.datasets[0].utility;
  if (ranked) {
    std::vector<const DatasetReport*> order;
    for (const auto& d : r.datasets) order.push_back(&d);
    std::stable_sort(order.begin(), order.end(), [](const DatasetReport* a, const DatasetReport* b) {
      return a->utility->rank < b->utility->rank;
    });
    o += std::string(bold) + "rank  utility  coverage  input" + reset + "\n";
    for (const auto* d : order) {
      char b[512];
      std::snprintf(b, sizeof b, "%4d  %7s  %7.0f%%  %s\n", d->utility->rank,
                    score1(d->utility->score).c_str(),
                    100 * d->utility->coverage, d->input.c_str());
      o += b;
    }
    o += "\n";
  }
  for (size_t di = 0; di < r.datasets.size(); ++di) {
    const auto& d = r.datasets[di];
    if (di) o += "\n";
    o += std::string(bold) + d.input + reset + "  (" + d.framing + (d.compression != "none" ? ", " + d.compression : "") +
         ")\n";
    o += "  records " + std::to_string(d.lines) + "   scored " + std::to_string(d.scored) + "   skipped " +
         std::to_string(d.skipped_total()) + "   rejected " + std::to_string(d.rejected_total()) + "\n";
    if (!d.skipped.empty()) o += "  skipped:  " + counts_line(d.skipped) + "\n";
    if (!d.rejected.empty()) o += "  rejected: " + counts_line(d.rejected) + "\n";
    if (!d.layouts.empty()) o += "  layouts:  " + counts_line(d.layouts) + "\n";
    if (!d.trace_states.empty()) o += "  traces:   " + counts_line(d.trace_states) + "\n";
    for (const auto& e : d.input_errors) o += "  input error: " + e + "\n";
    o += utility_block(d, r.explain);
    for (const auto& [k, v] : d.imported) o += "  imported: " + k + " = " + shortest(v) + "\n";
    // Appended piecewise: GCC 12 reports a false -Wrestrict on `"\n" + std::string(...)`.
    o += "\n";
    o += bold;
    o += pad_right("metric", 26) + pad_left("mean", 10) + pad_left("p10", 10) + pad_left("p50", 10) +
         pad_left("p90", 10) + pad_left("max", 10) + reset + "\n";
    for (size_t i = 0; i < metrics.size() && i < d.metrics.size(); ++i) {
      const auto& m = metrics[i];
      if (m.kind == MetricKind::flag || !sel.has(i)) continue;
      const auto& s = d.metrics[i];
      o += pad_right(std::string(m.name), 26) + pad_left(fixed(s.mean(), m), 10) +
           pad_left(fixed(s.quantile(0.1), m), 10) + pad_left(fixed(s.quantile(0.5), m), 10) +
           pad_left(fixed(s.quantile(0.9), m), 10) + pad_left(fixed(s.count ? s.max : NAN, m), 10) + "\n";
    }
    for (size_t k = 0; k < d.field_names.size() && k < d.field_metrics.size(); ++k) {
      const auto& s = d.field_metrics[k];
      static const MetricInfo imported{"", "", "ratio", MetricKind::value, 1, "", "imported"};
      o += pad_right(d.field_names[k] + " (imp.)", 26) + pad_left(fixed(s.mean(), imported), 10) +
           pad_left(fixed(s.quantile(0.1), imported), 10) + pad_left(fixed(s.quantile(0.5), imported), 10) +
           pad_left(fixed(s.quantile(0.9), imported), 10) + pad_left(fixed(s.count ? s.max : NAN, imported), 10) + "\n";
    }
    bool any_flag = false;
    for (size_t i = 0; i < metrics.size(); ++i) any_flag |= metrics[i].kind == MetricKind::flag && sel.has(i);
    if (!any_flag) continue;
    o += "\n";
    o += bold;
    o += pad_right("flag", 26) + pad_left("records", 10) + pad_left("rate", 10) + reset + "\n";
    for (size_t i = 0; i < metrics.size() && i < d.metrics.size(); ++i) {
      const auto& m = metrics[i];
      if (m.kind != MetricKind::flag || !sel.has(i)) continue;
      const auto& s = d.metrics[i];
      auto hits = static_cast<uint64_t>(std::llround(s.sum.value()));
      o += pad_right(std::string(m.name), 26) + pad_left(std::to_string(hits), 10) + pad_left(pct(hits, s.count), 10) +
           "\n";
    }
  }
  return o;
}

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
  }
  return o;
}

std::string md_escape(const std::string& s) {
  std::string t;
  for (char c : s) {
    if (c == '|' || c == '`' || c == '*' || c == '_') t += '\\';
    t += c;
  }
  return t;
}

std::string emit_markdown(const Report& r) {
  std::string o;
  auto metrics = all_metrics();
  const MetricSelection& sel = r.settings.metrics;
  if (!r.datasets.empty() && r.datasets[0].utility) {
    o += "| rank | input | utility | coverage | profile |\n|---:|---|---:|---:|---|\n";
    for (const auto& d : r.datasets) {
      char b[64];
      std::snprintf(b, sizeof b, "%.0f%%", 100 * d.utility->coverage);
      o += "| " + std::to_string(d.utility->rank) + " | " + md_escape(d.input) + " | " +
           score1(d.utility->score) + " | " + b + " | " +
           md_escape(d.utility->profile) + " |\n";
    }
    o += "\n";
  }
  for (size_t di = 0; di < r.datasets.size(); ++di) {
    const auto& d = r.datasets[di];
    if (di) o += "\n";
    o += "### " + md_escape(d.input) + "\n\n";
    o += "records " + std::to_string(d.lines) + " · scored " + std::to_string(d.scored) + " · skipped " +
         std::to_string(d.skipped_total()) + " · rejected " + std::to_string(d.rejected_total()) + "\n\n";
    if (!d.layouts.empty()) o += "layouts: " + md_escape(counts_line(d.layouts)) + "\n\n";
    o += "| metric | count | mean | p10 | p50 | p90 | max |\n|---|---:|---:|---:|---:|---:|---:|\n";
    for (size_t i = 0; i < metrics.size() && i < d.metrics.size(); ++i) {
      if (!sel.has(i)) continue;
      const auto& m = metrics[i];
      const auto& s = d.metrics[i];
      o += "| " + md_escape(std::string(m.name)) + " | " + std::to_string(s.count) + " | " + fixed(s.mean(), m) +
           " | " + fixed(s.quantile(0.1), m) + " | " + fixed(s.quantile(0.5), m) + " | " + fixed(s.quantile(0.9), m) +
           " | " + fixed(s.count ? s.max : NAN, m) + " |\n";
    }
  }
  return o;
}

}  // namespace

std::string emit_report(const Report& r, const EmitOptions& opt) {
  switch (opt.format) {
    case Format::table: return emit_table(r, opt.color);
    case Format::json: return report_to_json(r, opt.include_state).dump(2) + "\n";
    case Format::csv: return emit_csv(r, ',');
    case Format::tsv: return emit_csv(r, '\t');
    case Format::markdown: return emit_markdown(r);
  }
  return {};
}

Format parse_format(const std::string& f) {
  if (f == "table") return Format::table;
  if (f == "json") return Format::json;
  if (f == "csv") return Format::csv;
  if (f == "tsv") return Format::tsv;
  if (f == "markdown") return Format::markdown;
  throw Error(ErrorKind::usage, "--format: expected table, json, csv, tsv or markdown, got '" + f + "'");
}

std::string emit_filter_summary(const FilterResult& r) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "rsq filter: kept %llu of %llu records (%.1f%%), rejected %llu", static_cast<unsigned long long>(r.kept),
                static_cast<unsigned long long>(r.lines),
                r.lines ? 100.0 * static_cast<double>(r.kept) / static_cast<double>(r.lines) : 0.0,
                static_cast<unsigned long long>(r.rejected));
  std::string out = buf;
  auto pad_left = [](std::string t, size_t w) { return t.size() < w ? std::string(w - t.size(), ' ') + t : t; };
  for (size_t k = 0; k < r.clauses.size(); ++k) {
    std::string q = "'" + r.clauses[k] + "'";
    if (q.size() < 40) q.append(40 - q.size(), ' ');
    out += "\n  failed " + q + " " + std::to_string(r.clause_failures[k]);
  }
  for (const auto& [c, n] : r.unscored)
    out += "\n  not scored (" + c + ") " + pad_left(std::to_string(n), std::max<size_t>(1, 27 - std::min<size_t>(c.size(), 26)));
  return out;
}

}  // namespace rsq
