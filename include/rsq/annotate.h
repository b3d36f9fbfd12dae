// rsq/annotate.h — per-record rendering for `rsq annotate` and the
// expression language of `rsq filter --where`. Both run on worker threads
// through the pipeline's RecordRenderer hook and are pure functions of one
// record's outcome, so output order and bytes do not depend on -j.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "rsq/pipeline.h"

namespace rsq {

struct AnnotateOptions {
  bool metrics_only = false;
  std::string id_pointer;  // --id: a JSON Pointer copied into metrics-only rows
  MetricSelection selected;  // --metrics
};

// Appends one JSONL line for the record to `out`:
//  default       the original record with an "rsq" member appended
//                ({"line", "layout", "trace_state", "metrics": {...}} or
//                {"line", "error": {"code", "message"}} / {"line", "skipped"});
//                a record that is not a JSON object is wrapped as
//                {"rsq": {...}, "raw": "<original text>"}.
//  metrics_only  {"line": N, "id": ..., "<metric>": value, ...} (null = not applicable).
void render_annotation(const RecordEvent& ev, const AnnotateOptions& opt, std::string& out);

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
