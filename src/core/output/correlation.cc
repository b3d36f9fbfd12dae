// The correlation table as text, CSV/TSV, Markdown and JSON (rsq/correlate.h
// emit_correlation), and a fitted profile as JSON (profile_to_json).
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
  for (const auto& model : r.models) {
    o += md ? "### " + model + " (Spearman rho)\n\n" : model + "  (Spearman rho; Avg. = mean over benchmarks)\n";
    std::string head = md ? "| metric |" : "";
    char b[64];
    if (!md) {
      std::snprintf(b, sizeof b, "%-22s", "metric");
      head = b;
    }
    for (const auto& bench : r.benchmarks) {
      if (md) {
        head += " " + bench + " |";
      } else {
        std::snprintf(b, sizeof b, "%9s", bench.substr(0, 8).c_str());
        head += b;
      }
    }
    head += md ? " Avg. |\n|---|" : "     Avg.\n";
    if (md) {
      for (size_t i = 0; i <= r.benchmarks.size(); ++i) head += "---:|";
      head += "\n";
    }
    o += head;
    for (const auto& metric : r.metrics) {
      std::string line;
      if (md) {
        line = "| " + metric + " |";
      } else {
        std::snprintf(b, sizeof b, "%-22s", metric.substr(0, 22).c_str());
        line = b;
      }
      for (const auto& bench : r.benchmarks) {
        std::string v = "-";
        for (const auto& c : r.cells)
          if (c.model == model && c.benchmark == bench && c.metric == metric) v = fixed2(c.spearman);
        if (md) {
          line += " " + v + " |";
        } else {
          std::snprintf(b, sizeof b, "%9s", v.c_str());
          line += b;
        }
      }
      std::string av = "-";
      for (const auto& a : r.averages)
        if (a.model == model && a.metric == metric) av = fixed2(a.avg_spearman);
      if (md) {
        line += " " + av + " |\n";
      } else {
        std::snprintf(b, sizeof b, "%9s\n", av.c_str());
        line += b;
      }
      o += line;
    }
    o += "\n";
  }
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
