// rsq/where.h — the expression language of `rsq filter --where` (and of
// anything else that selects records by their metrics): parsed once,
// evaluated on each scored record's value row on the worker threads.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "rsq/metrics.h"

namespace rsq {

// A parsed --where expression over per-record metrics and flags.
class FilterExpr {
 public:
  // Throws rsq::Error(usage) with the position and a did-you-mean hint.
  static FilterExpr parse(const std::string& text);
  // The top-level && clauses, as written.
  const std::vector<std::string>& clauses() const { return clause_text_; }
  // Evaluates every clause on a scored record's metric values (registry
  // order); failed[i] = clause i is false. Returns true when all hold.
  bool evaluate(const double* values, std::vector<char>& failed) const;
  // One flag per registry metric: named somewhere in the expression. rsq
  // filter computes only these (restrict_text_options).
  MetricSelection metrics_used() const;

  struct Node;

 private:
  std::vector<std::shared_ptr<Node>> clauses_;
  std::vector<std::string> clause_text_;
};

}  // namespace rsq
