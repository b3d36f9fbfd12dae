// The correlation table as text, CSV/TSV, Markdown and JSON (rsq/correlate.h
// emit_correlation), and a fitted profile as JSON (profile_to_json).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "rsq/correlate.h"
#include "rsq/emit.h"

namespace rsq {

namespace {
nlohmann::ordered_json num(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}
std::string fixed2(double x) {
  if (!std::isfinite(x)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", x);
  if (std::string(b) == "-0.00") return "0.00";
  return b;
}
}  // namespace

nlohmann::ordered_json correlation_to_json(const CorrelationReport& r) {
  nlohmann::ordered_json j;
  j["schema_version"] = 1;
  j["models"] = r.models;
  j["benchmarks"] = r.benchmarks;
  j["metrics"] = r.metrics;
  auto cells = nlohmann::ordered_json::array();
  for (const auto& c : r.cells)
    cells.push_back({{"model", c.model},
                     {"benchmark", c.benchmark},
                     {"metric", c.metric},
                     {"n", c.n},
                     {"spearman", num(c.spearman)},
                     {"pearson", num(c.pearson)},
                     {"kendall", num(c.kendall)},
                     {"p_spearman", num(c.p_spearman)},
                     {"p_method", c.exact ? "exact-permutation" : "t-approximation"},
                     {"min_attainable_p", c.exact ? num(c.min_p) : nullptr},
                     {"outcome", c.relative ? "relative-gain" : "score"}});
  j["correlations"] = cells;
  auto avgs = nlohmann::ordered_json::array();
  for (const auto& a : r.averages)
    avgs.push_back({{"model", a.model}, {"metric", a.metric}, {"avg_spearman", num(a.avg_spearman)}, {"benchmarks", a.benchmarks}});
  j["averages"] = avgs;
  j["excluded"] = r.excluded;
  j["notes"] = r.notes;
  return j;
}

std::string emit_correlation(const CorrelationReport& r, const std::string& format) {
  if (format == "json") return correlation_to_json(r).dump(2) + "\n";
  std::string o;
  if (format == "csv" || format == "tsv") {
    char sep = format == "csv" ? ',' : '\t';
    o = std::string("model") + sep + "benchmark" + sep + "metric" + sep + "n" + sep + "spearman" + sep + "pearson" + sep +
        "kendall" + sep + "p_spearman\n";
    for (const auto& c : r.cells)
      o += c.model + sep + c.benchmark + sep + c.metric + sep + std::to_string(c.n) + sep + shortest(c.spearman) + sep +
           shortest(c.pearson) + sep + shortest(c.kendall) + sep + shortest(c.p_spearman) + "\n";
    return o;
  }
  bool md = format == "markdown";
  // Column labels: the benchmark names when they fit 8 characters, else
  // [1], [2], ... with a legend, so that two names are never cut to the same
  // label (issue 11).
  bool legend = false;
  for (const auto& bench : r.benchmarks) legend |= bench.size() > 8;
  auto label = [&](size_t k) { return legend && !md ? "[" + std::to_string(k + 1) + "]" : r.benchmarks[k]; };
  size_t mw = 6;
  for (const auto& metric : r.metrics) mw = std::max(mw, metric.size());
  auto cell_of = [&](const std::string& model, const std::string& bench, const std::string& metric) -> const CorrelationCell* {
    for (const auto& c : r.cells)
      if (c.model == model && c.benchmark == bench && c.metric == metric) return &c;
    return nullptr;
  };
  auto rho = [&](const CorrelationCell* c) {
    if (!c || !std::isfinite(c->spearman)) return std::string("-");
    return fixed2(c->spearman) + (std::isfinite(c->p_spearman) && c->p_spearman <= 0.05 ? " " : "?");
  };
  auto pval = [&](const CorrelationCell* c) {
    if (!c || !std::isfinite(c->p_spearman)) return std::string("-");
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", c->p_spearman);
    return std::string(b);
  };
  auto row = [&](const std::string& name, const std::vector<std::string>& vals) {
    std::string line;
    if (md) {
      line = "| " + name + " |";
      for (const auto& v : vals) line += " " + v + " |";
      return line + "\n";
    }
    line = name + std::string(mw + 2 - std::min(mw + 1, name.size()), ' ');
    for (const auto& v : vals) line += std::string(v.size() < 9 ? 9 - v.size() : 1, ' ') + v;
    return line + "\n";
  };
  auto header = [&](bool with_avg) {
    std::vector<std::string> h;
    for (size_t k = 0; k < r.benchmarks.size(); ++k) h.push_back(label(k));
    if (with_avg) h.push_back("Avg.");
    std::string o2 = row("metric", h);
    if (md) {
      o2 += "|---|";
      for (size_t i = 0; i < h.size(); ++i) o2 += "---:|";
      o2 += "\n";
    }
    return o2;
  };
  size_t tested = 0, significant = 0;
  for (const auto& c : r.cells)
    if (std::isfinite(c.spearman) && std::isfinite(c.p_spearman)) {
      ++tested;
      significant += c.p_spearman <= 0.05;
    }
  for (const auto& model : r.models) {
    o += md ? "### " + model + " (Spearman rho; ? = p > 0.05)\n\n"
            : model + "  (Spearman rho; ? = p > 0.05; Avg. = mean over benchmarks)\n";
    o += header(true);
    std::vector<std::string> ns;
    for (const auto& bench : r.benchmarks) {
      size_t n = 0;
      for (const auto& c : r.cells)
        if (c.model == model && c.benchmark == bench) n = std::max(n, c.n);
      ns.push_back(std::to_string(n));
    }
    o += row("n (datasets)", ns);
    for (const auto& metric : r.metrics) {
      std::vector<std::string> vals;
      for (const auto& bench : r.benchmarks) vals.push_back(rho(cell_of(model, bench, metric)));
      std::string av = "-";
      for (const auto& a : r.averages)
        if (a.model == model && a.metric == metric) av = fixed2(a.avg_spearman);
      vals.push_back(av);
      o += row(metric, vals);
    }
    o += "\n";
    o += md ? "p-values (two-sided, for rho), " + model + ":\n\n" : "  p-values (two-sided, for rho)\n";
    o += header(false);
    for (const auto& metric : r.metrics) {
      std::vector<std::string> vals;
      for (const auto& bench : r.benchmarks) vals.push_back(pval(cell_of(model, bench, metric)));
      o += row(metric, vals);
    }
    o += "\n";
  }
  if (legend && !md)
    for (size_t k = 0; k < r.benchmarks.size(); ++k) o += label(k) + " " + r.benchmarks[k] + "\n";
  if (legend && !md) o += "\n";
  char b[400];
  std::snprintf(b, sizeof b,
                "%zu coefficients tested, %zu with p <= 0.05; by chance alone about %.1f would be (no correction for "
                "multiple testing is applied: read single coefficients with that in mind)",
                tested, significant, 0.05 * static_cast<double>(tested));
  o += (md ? "> note: " : "note: ") + std::string(b) + "\n";
  for (const auto& n : r.notes) o += (md ? "> note: " : "note: ") + n + "\n";
  for (const auto& e : r.excluded) o += (md ? "> excluded: " : "excluded: ") + e + "\n";
  return o;
}

nlohmann::ordered_json profile_to_json(const Profile& p) {
  nlohmann::ordered_json j;
  j["rsq_profile"] = kProfileFormat;
  j["name"] = p.name;
  if (p.params_b > 0) j["params_b"] = p.params_b;
  j["description"] = p.description;
  j["provenance"] = p.provenance;
  if (!p.compressor.empty()) j["compressor"] = p.compressor;
  nlohmann::ordered_json ms = nlohmann::ordered_json::object();
  for (const auto& m : p.metrics)
    ms[m.name] = {{"weight", m.weight}, {"range", {m.lo, m.hi}}, {"source", m.source}, {"provenance", m.provenance}};
  j["metrics"] = ms;
  return j;
}

}  // namespace rsq
