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

#include "rsq/text.h"

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
  // alignment, lines, ngrams, loops, scripts, structure (docs/metrics.md).
  std::string_view group;
};

std::span<const MetricInfo> all_metrics();

// The groups, in report order (what --metrics accepts besides metric names).
std::span<const std::string_view> metric_groups();

// Parses a --metrics list: comma-separated items, each a metric name, a group
// name or "all"; an item with a leading '-' removes instead of adding. A list
// that starts with a removal starts from every metric, otherwise from none.
// Returns one flag per registry metric. Throws rsq::Error(usage) naming an
// unknown item (with a did-you-mean) or an empty selection.
std::vector<char> select_metrics(std::string_view list);

// One flag per registry metric: set for each name in `names` that is a
// registry metric (other names, e.g. imported ones or "utility", are ignored).
std::vector<char> metrics_named(const std::vector<std::string>& names);

// Switches off the parts of the text pass that no selected metric needs.
void restrict_text_options(const std::vector<char>& selected, TextOptions& t);
const MetricInfo* find_metric(std::string_view name);
// Closest metric name by edit distance (for "did you mean" hints), or empty.
std::string closest_metric(std::string_view name);

}  // namespace rsq
