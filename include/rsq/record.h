// rsq/record.h — from one JSON record to its three texts: question, reasoning
// trace and final answer. Layout detection is per record (files mix layouts)
// and follows the layout table of src/core/input/layouts.cc (documented in
// docs/cli.md, "Layouts"); JSON Pointer overrides win
// over detection. Inline traces are cut out of a response by tag pairs
// (<think>, <|begin_of_thought|>, <reasoning>, or a user pair).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rsq/diagnostics.h"

namespace rsq {

struct TagPair {
  std::string open, close;
};

struct RecordOptions {
  std::string question_pointer;  // JSON Pointers (RFC 6901); empty = detect
  std::string reasoning_pointer;
  std::string answer_pointer;
  std::vector<TagPair> extra_tags;  // --think-tags, tried before the built-in pairs
  // --metric-field NAME=/pointer: numeric per-record values computed elsewhere.
  std::vector<std::pair<std::string, std::string>> metric_fields;
};

// How the reasoning trace was found.
enum class TraceState {
  field,       // a separate reasoning field (taken verbatim)
  closed,      // open and close tag
  open_only,   // opened, never closed: truncated
  close_only,  // close tag without open (the template put the open tag in the prompt)
  untagged,    // no tags: the whole response is the trace
};
const char* trace_state_name(TraceState s);

struct RecordText {
  std::string_view question, reasoning, answer;
  const char* layout = "";
  TraceState state = TraceState::untagged;
  int think_blocks = 0;  // number of tagged blocks (0 for field/untagged)
  std::vector<double> field_values;  // one per RecordOptions::metric_fields (NaN = absent)
  // An untagged response that contains a tag pair rsq does not know but
  // that looks like a reasoning delimiter (<thought>...</thought>): the pair,
  // as views into the record, for the report's --think-tags suggestion.
  std::string_view unknown_open, unknown_close;
};

// Splits a response into trace and answer by tag pairs (pure; used by the
// extractor and by tests). `scratch` holds the joined trace when there are
// several blocks.
struct TraceSplit {
  std::string_view trace, answer;
  TraceState state = TraceState::untagged;
  int blocks = 0;
};
TraceSplit split_trace(std::string_view response, const std::vector<TagPair>& extra, std::string& scratch);

// In a response without known tags: the first pair of tags that looks like a
// reasoning delimiter — <NAME>...</NAME>, <|NAME|>...<|/NAME|> or
// <|end_NAME|> (begin_/start_ become end_), [NAME]...[/NAME] — whose name
// mentions thinking, thought, reasoning, reflection, a scratchpad, analysis,
// a monologue, a rationale or CoT. The open tag must start within the first
// 4 KiB. Both empty when there is none.
std::pair<std::string_view, std::string_view> find_unknown_tags(std::string_view response);

enum class RecordStatus { scored, skipped, rejected };

struct ExtractResult {
  RecordStatus status = RecordStatus::scored;
  std::string reason;   // skip reason or diagnostic code
  Diagnostic diag;      // for rejections (line filled by the caller)
};

// One per worker thread: owns the JSON parser and scratch strings. The views
// in RecordText stay valid until the next call.
class RecordExtractor {
 public:
  explicit RecordExtractor(const RecordOptions& opt);
  ~RecordExtractor();
  RecordExtractor(const RecordExtractor&) = delete;
  RecordExtractor& operator=(const RecordExtractor&) = delete;
  // `data` must have kParsePadding readable bytes after data+len.
  ExtractResult extract(const char* data, size_t len, RecordText& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rsq
