// output/annotate.h — per-record rendering for `rsq annotate`. It runs on
// worker threads through the pipeline's RecordRenderer hook and is a pure
// function of one record's outcome, so output order and bytes do not depend
// on -j. (rsq filter's --where language is rsq/where.h.)
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

}  // namespace rsq
