// rsq/gate.h — CI gate: threshold rules on a dataset report (metric
// summaries, flag rates, the utility score) and on change against a
// baseline report. Rules live in a versioned JSON file (docs/gate.md).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsq/report.h"

namespace rsq {

struct GateRule {
  std::string name;
  std::string metric;        // a metric name, or "utility"
  std::string stat = "mean";  // count mean std min p10 p50 p90 p99 max (ignored for utility)
  std::optional<double> min, max;                       // absolute bounds
  std::optional<double> max_change_pct;                 // |change| vs baseline, percent
  std::optional<double> max_drop, max_rise;             // absolute change vs baseline
};

// Parses a rules file; errors name the file and the position or the rule
// (rsq::Error(usage)).
std::vector<GateRule> parse_gate_rules(const std::string& text, const std::string& origin);

struct RuleResult {
  std::string name, metric, stat;
  bool passed = true;
  double value = 0;
  std::optional<double> baseline;
  std::string condition;  // e.g. "<= 0.005", "within [0.3, 0.8]", "drop <= 2"
  std::string detail;     // why it failed, or "ok"
};

struct GateResult {
  std::string input;
  std::vector<RuleResult> results;
  size_t failed = 0;
};

// `baseline` is one dataset object of an rsq score JSON report, or null.
GateResult evaluate_gate(const std::vector<GateRule>& rules, const DatasetReport& d, const nlohmann::json* baseline);

// Refuses a baseline made with other settings or metric versions
// (rsq::Error(usage) explaining the difference).
void check_baseline_compatible(const nlohmann::json& baseline_report, const ReportSettings& now);

std::string emit_gate(const GateResult& g, const std::string& format);
// The HTML report of the gated dataset with the gate's verdict and rules on
// top (docs/report.md).
std::string emit_gate_html(const Report& r, const GateResult& g);

}  // namespace rsq
