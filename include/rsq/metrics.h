// rsq/metrics.h — the metric registry: one table naming every per-record
// value rsq reports, with its text segment, unit, kind (value or 0/1 flag),
// version, a one-line definition and its family (group). The rows live with
// their computation, one family per file in src/core/metrics/; the table is
// their concatenation in report order (metrics/registry.cc). docs/metrics.md
// holds the full definitions; a test checks that every name is documented.
// Bump a metric's version whenever its definition changes: reports carry the
// versions, and comparisons across versions are refused.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rsq/error.h"


namespace rsq {

enum class MetricKind { value, flag };

struct MetricInfo {
  std::string_view name;
  std::string_view segment;  // question, reasoning, answer, record
  std::string_view unit;
  MetricKind kind;
  int version;
  std::string_view summary;
  // Its family: what computing it costs, for --metrics: verbosity, redundancy, symbols,
  // alignment, lines, ngrams, loops, scripts, structure, and the model-backed
  // semantic, perplexity, judge (docs/metrics.md).
  std::string_view group;
  // The model endpoint it needs ("embed", "lm", "judge"), "" for offline
  // metrics. Model-backed metrics are computed by the model stage
  // (rsq/models.h), never by the offline pass, and are selected only when
  // named or when their endpoint is configured. "tokenizer": the token
  // metrics, computed offline but only with --tokenizer (selected alike).
  std::string_view endpoint = {};
};

std::span<const MetricInfo> all_metrics();

// The groups, in report order (what --metrics accepts besides metric names).
std::span<const std::string_view> metric_groups();

// Which registry metrics a run computes and reports: the one representation
// of --metrics, of a report's settings.metrics, of what a --where expression
// or a gate's rules read. Default: every metric.
class MetricSelection {
 public:
  MetricSelection();  // every offline metric (the default; what "all" records)
  // A --metrics list: comma-separated items, each a metric name, a group
  // name or "all" (every offline metric); an item with a leading '-' removes
  // instead of adding. A list that starts with a removal starts from every
  // offline metric, otherwise from none. Model-backed metrics enter only by
  // name or group. Throws rsq::Error(usage) naming an unknown item (with a
  // did-you-mean) or an empty selection.
  static MetricSelection parse(std::string_view list);
  // The registry metrics among `names` (other names, e.g. imported ones or
  // "utility", are ignored); may be empty.
  static MetricSelection of_names(const std::vector<std::string>& names);

  bool all() const;                       // exactly the default (every offline metric)
  // Adds every metric that needs `endpoint` ("embed", "lm", "judge").
  void add_endpoint(std::string_view endpoint);
  // The endpoints the selected metrics need.
  bool needs(std::string_view endpoint) const;
  bool has(size_t column) const { return column < mask_.size() && mask_[column]; }
  bool has_group(std::string_view group) const;
  size_t count() const;
  // The selected names in registry order (what settings.metrics records).
  std::vector<std::string> names() const;
  bool operator==(const MetricSelection& o) const { return mask_ == o.mask_; }

 private:
  std::vector<char> mask_;  // one flag per registry metric
};

const MetricInfo* find_metric(std::string_view name);
// Closest metric name by edit distance (for "did you mean" hints), or empty.
std::string closest_metric(std::string_view name);

}  // namespace rsq
