// Gate rules: parsing (with positions) and evaluation against a report and
// a baseline. The renderings CI systems understand are output/gate.cc.
#include "rsq/gate.h"

#include <cmath>
#include <cstdio>

#include "rsq/emit.h"
#include "rsq/error.h"
#include "rsq/metrics.h"

namespace rsq {

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) { throw Error(ErrorKind::usage, where + ": " + what); }

std::string position(const std::string& text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

const char* kStats[] = {"count", "mean", "std", "min", "p10", "p50", "p90", "p99", "max"};

std::string num(double x) {
  if (!std::isfinite(x)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", x);
  return b;
}

double stat_of(const MetricSummary& m, const std::string& s) {
  if (s == "count") return static_cast<double>(m.count);
  if (s == "mean") return m.mean();
  if (s == "std") return m.stddev();
  if (s == "min") return m.count ? m.min : NAN;
  if (s == "max") return m.count ? m.max : NAN;
  if (s == "p10") return m.quantile(0.10);
  if (s == "p50") return m.quantile(0.50);
  if (s == "p90") return m.quantile(0.90);
  return m.quantile(0.99);
}

}  // namespace

namespace {
std::vector<GateRule> parse_rules(const nlohmann::json& j, const std::string& origin);
}  // namespace

std::vector<GateRule> parse_gate_rules(const std::string& text, const std::string& origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    bad(origin + ":" + position(text, e.byte ? e.byte - 1 : 0), "invalid JSON in the rules file");
  } catch (const nlohmann::json::exception& e) {
    rethrow_json_error(e, origin, ErrorKind::usage);
  }
  return json_guard(origin, ErrorKind::usage, [&] { return parse_rules(j, origin); });
}

namespace {
std::vector<GateRule> parse_rules(const nlohmann::json& j, const std::string& origin) {
  if (!j.is_object() || !j.contains("rsq_gate") || j["rsq_gate"] != 1)
    bad(origin, "expected {\"rsq_gate\": 1, \"rules\": [...]}");
  if (!j.contains("rules") || !j["rules"].is_array() || j["rules"].empty()) bad(origin, "'rules' must be a non-empty array");
  std::vector<GateRule> out;
  for (size_t i = 0; i < j["rules"].size(); ++i) {
    const auto& r = j["rules"][i];
    std::string where = origin + ": rules[" + std::to_string(i) + "]";
    if (!r.is_object()) bad(where, "must be an object");
    GateRule g;
    if (!r.contains("metric") || !r["metric"].is_string()) bad(where, "needs \"metric\" (a metric name or \"utility\")");
    g.metric = r["metric"];
    if (g.metric != "utility" && !find_metric(g.metric)) {
      std::string hint = closest_metric(g.metric);
      bad(where + ".metric", "unknown metric '" + g.metric + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    g.name = r.value("name", g.metric);
    if (r.contains("stat")) {
      if (!r["stat"].is_string()) bad(where + ".stat", "must be a string");
      g.stat = r["stat"];
      bool ok = false;
      for (const char* s : kStats) ok |= g.stat == s;
      if (!ok) bad(where + ".stat", "'" + g.stat + "' is not one of count, mean, std, min, p10, p50, p90, p99, max");
    }
    auto opt = [&](const char* k, std::optional<double>& dst) {
      if (!r.contains(k)) return;
      if (!r[k].is_number()) bad(where + "." + k, "must be a number");
      dst = r[k].get<double>();
    };
    opt("min", g.min);
    opt("max", g.max);
    opt("max_change_pct", g.max_change_pct);
    opt("max_drop", g.max_drop);
    opt("max_rise", g.max_rise);
    if (!g.min && !g.max && !g.max_change_pct && !g.max_drop && !g.max_rise)
      bad(where, "no condition: give min, max, max_change_pct, max_drop or max_rise");
    if (g.min && g.max && *g.min > *g.max) bad(where, "min is greater than max");
    for (const auto& [k, v] : r.items())
      if (k != "name" && k != "metric" && k != "stat" && k != "min" && k != "max" && k != "max_change_pct" && k != "max_drop" &&
          k != "max_rise")
        bad(where + "." + k, "unknown key");
    out.push_back(g);
  }
  return out;
}

}  // namespace

namespace {
void check_baseline(const nlohmann::json& b, const ReportSettings& now);
GateResult evaluate(const std::vector<GateRule>& rules, const DatasetReport& d, const nlohmann::json* base);
}  // namespace

void check_baseline_compatible(const nlohmann::json& b, const ReportSettings& now) {
  json_guard("--baseline", ErrorKind::usage, [&] { check_baseline(b, now); });
}

GateResult evaluate_gate(const std::vector<GateRule>& rules, const DatasetReport& d, const nlohmann::json* base) {
  return json_guard("--baseline", ErrorKind::usage, [&] { return evaluate(rules, d, base); });
}

namespace {
void check_baseline(const nlohmann::json& b, const ReportSettings& now) {
  if (!b.is_object() || !b.contains("settings") || !b.contains("datasets"))
    throw Error(ErrorKind::usage, "--baseline is not an rsq score JSON report (no 'settings'/'datasets')");
  const ReportSettings was = settings_from_json(b["settings"], "--baseline", ErrorKind::usage);
  if (auto d = compare_settings(was, now, false))
    throw Error(ErrorKind::usage, "--baseline was made with " + d->phrase(d->a) + ", this run uses " + d->b +
                                      "; the numbers are not comparable, so the baseline is refused (re-score the baseline with the same settings)");
  if (b.contains("metric_definitions"))
    for (const auto& m : all_metrics()) {
      const auto& defs = b["metric_definitions"];
      std::string n(m.name);
      if (defs.contains(n) && defs[n].value("version", 0) != m.version)
        throw Error(ErrorKind::usage, "--baseline measured '" + n + "' with definition version " +
                                          std::to_string(defs[n].value("version", 0)) + ", this rsq uses version " +
                                          std::to_string(m.version) + "; refused (re-score the baseline with this rsq)");
    }
}

// The value at a path of object members, or null where the baseline lacks
// one (a const operator[] on a missing key is undefined behaviour).
const nlohmann::json* member(const nlohmann::json* j, std::initializer_list<std::string> path) {
  for (const auto& k : path) {
    if (!j || !j->is_object()) return nullptr;
    auto it = j->find(k);
    if (it == j->end()) return nullptr;
    j = &*it;
  }
  return j;
}

GateResult evaluate(const std::vector<GateRule>& rules, const DatasetReport& d, const nlohmann::json* base) {
  GateResult g;
  g.input = d.input;
  auto metrics = all_metrics();
  for (const auto& r : rules) {
    RuleResult x;
    x.name = r.name;
    x.metric = r.metric;
    x.stat = r.metric == "utility" ? "score" : r.stat;
    if (r.metric == "utility") {
      x.value = d.utility ? d.utility->score : NAN;
      if (const nlohmann::json* v = member(base, {"utility", "score"}); v && v->is_number()) x.baseline = v->get<double>();
    } else {
      size_t i = 0;
      while (metrics[i].name != r.metric) ++i;
      x.value = stat_of(d.metrics[i], r.stat);
      if (const nlohmann::json* v = member(base, {"metrics", r.metric, r.stat}); v && v->is_number()) x.baseline = v->get<double>();
    }
    std::vector<std::string> cond, fail;
    if (!std::isfinite(x.value)) fail.push_back("no value (metric not measured on any record)");
    if (r.min && r.max) {
      char b[96];
      std::snprintf(b, sizeof b, "within [%s, %s]", num(*r.min).c_str(), num(*r.max).c_str());
      cond.push_back(b);
    } else if (r.min) {
      cond.push_back(">= " + num(*r.min));
    } else if (r.max) {
      cond.push_back("<= " + num(*r.max));
    }
    if (std::isfinite(x.value)) {
      if (r.min && x.value < *r.min) fail.push_back(num(x.value) + " < " + num(*r.min));
      if (r.max && x.value > *r.max) fail.push_back(num(x.value) + " > " + num(*r.max));
    }
    bool relative = r.max_change_pct || r.max_drop || r.max_rise;
    if (relative) {
      if (r.max_change_pct) cond.push_back("change <= " + num(*r.max_change_pct) + "%");
      if (r.max_drop) cond.push_back("drop <= " + num(*r.max_drop));
      if (r.max_rise) cond.push_back("rise <= " + num(*r.max_rise));
      if (!base) {
        fail.push_back("needs --baseline");
      } else if (!x.baseline) {
        fail.push_back("the baseline has no value for it");
      } else if (std::isfinite(x.value)) {
        double delta = x.value - *x.baseline;
        if (r.max_drop && -delta > *r.max_drop) fail.push_back("dropped by " + num(-delta) + " (from " + num(*x.baseline) + ")");
        if (r.max_rise && delta > *r.max_rise) fail.push_back("rose by " + num(delta) + " (from " + num(*x.baseline) + ")");
        if (r.max_change_pct) {
          double pct = *x.baseline != 0 ? 100.0 * delta / std::fabs(*x.baseline) : (delta == 0 ? 0 : INFINITY);
          if (std::fabs(pct) > *r.max_change_pct) fail.push_back("changed by " + num(pct) + "% (from " + num(*x.baseline) + ")");
        }
      }
    }
    for (size_t k = 0; k < cond.size(); ++k) x.condition += (k ? ", " : "") + cond[k];
    x.passed = fail.empty();
    for (size_t k = 0; k < fail.size(); ++k) x.detail += (k ? "; " : "") + fail[k];
    if (x.passed) x.detail = "ok";
    if (!x.passed) ++g.failed;
    g.results.push_back(x);
  }
  return g;
}

}  // namespace

}  // namespace rsq
