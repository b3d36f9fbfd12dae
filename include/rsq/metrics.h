// rsq/metrics.h — the metric registry: one explicit table naming every
// per-record value rsq reports, with its text segment, unit, kind (value or
// 0/1 flag), version and a one-line definition. docs/metrics.md holds the full
// definitions; a test checks that every name here is documented there.
// Bump a metric's version whenever its definition changes: reports carry the
// versions, and comparisons across versions are refused.
#pragma once
#include <span>
#include <string>
#include <string_view>

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
  double (*get)(const RecordValues&);
};

std::span<const MetricInfo> all_metrics();
const MetricInfo* find_metric(std::string_view name);
// Closest metric name by edit distance (for "did you mean" hints), or empty.
std::string closest_metric(std::string_view name);

}  // namespace rsq
