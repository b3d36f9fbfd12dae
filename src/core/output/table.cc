// The report as an 80-column table (rsq score's default): the ranking when
// several inputs have a utility, with what it rests on, then one block per
// dataset — counts, utility with its arithmetic (--explain), metric
// quantiles, flag rates. Every line rsq composes is wrapped to 80 columns;
// only a word longer than that (a path) can exceed it (docs/cli.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "output/report_text.h"

namespace rsq::out {
namespace {

std::string utility_block(const DatasetReport& d, bool explain) {
  if (!d.utility) return "";
  const Utility& u = *d.utility;
  char b[256];
  std::string o;
  std::snprintf(b, sizeof b, "utility (%s profile): %s / 100   coverage %.0f%% of the profile's weight", u.profile.c_str(),
                score1(u.score).c_str(), 100 * u.coverage);
  o += wrap(b, "  ", "    ");
  if (u.coverage < 0.5)
    o += wrap("WARNING: only " + std::to_string(static_cast<int>(std::lround(100 * u.coverage))) +
                  "% of the profile's weight was measured; measure the rest with model endpoints (--embed, --lm, "
                  "--judge) or import it with --with-metrics",
              "  ", "    ");
  for (const auto& w : u.warnings) o += wrap("warning: " + w, "  ", "    ");
  if (explain) {
    // 2 + 25 + 9 + 11 + 8 + 13 = 68 columns, 79 with "  (imported)".
    std::snprintf(b, sizeof b, "  %-25s %8s %10s %7s %12s\n", "metric", "value", "normalized", "weight", "contribution");
    o += b;
    for (const auto& [name, c] : u.contributions) {
      if (c.measured) {
        std::snprintf(b, sizeof b, "  %-25s %8.4f %10.4f %7.3f %12.2f%s\n", name.c_str(), c.value, c.normalized, c.weight,
                      c.contribution, c.imported ? "  (imported)" : "");
      } else {
        const MetricInfo* info = find_metric(name);
        const std::string why =
            info && !info->endpoint.empty() ? "needs --" + std::string(info->endpoint) : "via --with-metrics";
        std::snprintf(b, sizeof b, "  %-25s %19s %7.3f %12s\n", name.c_str(), why.c_str(), c.weight, "-");
      }
      o += b;
    }
    o += wrap("score = sum of contributions = 100 * sum(|w| * n') / sum(measured |w|); n' = n for w > 0, 1 - n for w < 0",
              "  ", "    ");
  }
  return o;
}

}  // namespace

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
    if (r.ranking)
      for (const auto& line : ranking_basis_text(*r.ranking)) o += bold + wrap(line, "", "  ") + reset;
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
  // Which tokenizer the *_tokens rows count in: once, above the inputs.
  if (const TokenizerIdentity& t = r.settings.tokenizer; !t.sha256.empty())
    o += wrap("tokens: " + t.file + " (" + t.model + ", " + std::to_string(t.vocab) + " ids, sha256 " + t.sha256.substr(0, 12) +
                  ")",
              "", "  ") +
         "\n";
  for (size_t di = 0; di < r.datasets.size(); ++di) {
    const auto& d = r.datasets[di];
    if (di) o += "\n";
    o += std::string(bold) + d.input + reset + "  (" + d.framing + (d.compression != "none" ? ", " + d.compression : "") +
         ")\n";
    o += "  records " + std::to_string(d.lines) + "   scored " + std::to_string(d.scored) + "   skipped " +
         std::to_string(d.skipped_total()) + "   rejected " + std::to_string(d.rejected_total()) + "\n";
    const std::string hang(12, ' ');
    if (!d.skipped.empty()) o += wrap(counts_line(d.skipped), "  skipped:  ", hang);
    if (!d.rejected.empty()) o += wrap(counts_line(d.rejected), "  rejected: ", hang);
    if (!d.layouts.empty()) o += wrap(counts_line(d.layouts), "  layouts:  ", hang);
    if (!d.trace_states.empty()) o += wrap(counts_line(d.trace_states), "  traces:   ", hang);
    for (const auto& e : d.input_errors) o += wrap("input error: " + e, "  ", "    ");
    for (const auto& n : dataset_notes(d)) o += wrap("note: " + n, "  ", "    ");
    o += utility_block(d, r.explain);
    for (const auto& [k, v] : d.imported) o += wrap("imported: " + k + " = " + shortest(v), "  ", "    ");
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

}  // namespace rsq::out
