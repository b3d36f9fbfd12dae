// The report as GitHub-flavoured Markdown (a PR comment): the ranking, then
// one table of metrics per dataset.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "output/report_text.h"

namespace rsq::out {
namespace {

std::string md_escape(const std::string& s) {
  std::string t;
  for (char c : s) {
    if (c == '|' || c == '`' || c == '*' || c == '_') t += '\\';
    t += c;
  }
  return t;
}

}  // namespace

std::string emit_markdown(const Report& r) {
  std::string o;
  auto metrics = all_metrics();
  const MetricSelection& sel = r.settings.metrics;
  if (!r.datasets.empty() && r.datasets[0].utility) {
    if (r.ranking)
      for (const auto& line : ranking_basis_text(*r.ranking)) {
        std::string t = md_escape(line);
        for (char& c : t)
          if (c == kBind) c = ' ';
        o += "> **" + t + "**\n>\n";
      }
    if (r.ranking) o.resize(o.size() - 2), o += "\n";
    std::vector<const DatasetReport*> order;  // by rank, as the table shows it
    for (const auto& d : r.datasets) order.push_back(&d);
    std::stable_sort(order.begin(), order.end(),
                     [](const DatasetReport* a, const DatasetReport* b) { return a->utility->rank < b->utility->rank; });
    o += "| rank | input | utility | coverage | profile |\n|---:|---|---:|---:|---|\n";
    for (const auto* dp : order) {
      const auto& d = *dp;
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
    for (const auto& n : dataset_notes(d)) o += "> **Note:** " + md_escape(n) + "\n\n";
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

}  // namespace rsq::out
