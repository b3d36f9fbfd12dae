// rsq/correlate.h — the paper's analysis on the user's own numbers: for each
// model x benchmark x metric, the rank correlation between a dataset-level
// metric and the downstream result over the datasets, plus the paper's Avg.
// column (mean of the per-benchmark rho). Inputs are validated strictly: a
// bad cell names file, row and field; excluded datasets are listed, never
// dropped silently.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsq/profile.h"

namespace rsq {

struct MetricTable {
  std::vector<std::string> datasets;  // first-seen order
  std::vector<std::string> metrics;   // first-seen order
  std::map<std::string, std::map<std::string, double>> values;  // dataset -> metric -> value
  std::vector<std::string> sources;   // files read
};

// A CSV "dataset,<metric>,..." or an rsq score JSON report (dataset name =
// the input file's stem; metric value = its mean). Merged into `t`; a dataset
// metric given twice is an error. Throws rsq::Error(data) naming file:row:field.
void load_metrics_file(const std::string& path, MetricTable& t);

// Renames a dataset (e.g. a report's file stem to the name used in the
// results); throws rsq::Error(usage) when `from` is unknown or `to` exists.
void rename_dataset(MetricTable& t, const std::string& from, const std::string& to);

struct ResultRow {
  std::string dataset, model, benchmark;
  double score = 0;
  std::optional<double> base;
  size_t row = 0;
};
// CSV with header dataset,model,benchmark,score[,base] (any column order).
std::vector<ResultRow> load_results_file(const std::string& path);

struct CorrelationCell {
  std::string model, benchmark, metric;
  size_t n = 0;
  double spearman = 0, pearson = 0, kendall = 0, p_spearman = 0, min_p = 0;
  bool exact = false;
  bool relative = false;  // gain = (score - base) / base
};

struct CorrelationAverage {
  std::string model, metric;
  double avg_spearman = 0;
  size_t benchmarks = 0;
};

struct CorrelationReport {
  std::vector<std::string> models, benchmarks, metrics;
  std::vector<CorrelationCell> cells;
  std::vector<CorrelationAverage> averages;
  std::vector<std::string> excluded;  // "dataset: why"
  std::vector<std::string> notes;
};

CorrelationReport correlate(const MetricTable& metrics, const std::vector<ResultRow>& results);

nlohmann::ordered_json correlation_to_json(const CorrelationReport& r);
std::string emit_correlation(const CorrelationReport& r, const std::string& format);

// A profile from one model's averages: weight = avg rho, range = the metric's
// observed range widened by 10 % of its span on each side.
// Metrics without a finite weight or a non-empty range are left out, and a
// fit from too few datasets for any coefficient to be significant is
// flagged; both go to `warnings` (the CLI prints them). Throws
// rsq::Error(data) when nothing is left.
Profile profile_from_correlation(const CorrelationReport& r, const MetricTable& t, const std::string& model,
                                 std::vector<std::string>* warnings = nullptr);
nlohmann::ordered_json profile_to_json(const Profile& p);

}  // namespace rsq
