// rsq/run.h — the run layer: one use-case function per command. Each plans
// its inputs (opens them all before any work, so a missing file fails at
// once), runs the pipeline, applies the command's policy (utility, imports,
// rules, exit code) and returns the outcome as values: the report or result,
// the exit code, and the warnings and errors a person should read, in the
// order they arose. Nothing here prints; the CLI (src/cli/) declares
// options, fills a request, calls one function and prints what comes back.
// Per-record diagnostics stream to a RunObserver while inputs are read.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "rsq/diagnostics.h"
#include "rsq/error.h"
#include "rsq/gate.h"
#include "rsq/pipeline.h"
#include "rsq/report.h"
#include "rsq/source.h"

namespace rsq {

// What every record-reading command takes (rsq score's input options).
struct InputRequest {
  std::vector<std::string> inputs;  // files or "-" (stdin), in order
  unsigned threads = 1;
  uint64_t max_bad_lines = 0;
  uint64_t max_line_bytes = uint64_t{64} << 20;
  uint64_t max_diagnostics = 10;  // shown per code and input; the rest are counted in a note
  uint64_t block_bytes = uint64_t{1} << 19;  // 512 KiB chunks (docs/design.md, "Memory")
  std::string compressor = "zstd:3";
  std::string words = "fast";
  int stem_prefix = 0;
  std::string question_pointer, reasoning_pointer, answer_pointer;
  std::vector<std::string> think_tags;  // "OPEN,CLOSE"
  bool compressor_set = false;          // --compressor given (else a profile's compressor wins)
  std::string stdin_name;               // --name: what standard input is called in reports ("" = "-")
  // --shard I/N: only shard I of N of the one input (open_shard_source);
  // count 0 = the whole input.
  uint64_t shard_index = 0, shard_count = 0;
  // --tokenizer: a tokenizer.json for the token metrics ("" = none).
  std::string tokenizer;
  // Model-backed metrics (rsq/models.h): the service the CLI opened, or none.
  ModelOptions models;
};

// Sees each input while it is read, on the calling thread, in input order.
// Diagnostics arrive already capped by max_diagnostics (with the "N more"
// note at the end of the input).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void begin_input(const std::string& shown, ByteSource& src, const Progress& progress) {
    (void)shown, (void)src, (void)progress;
  }
  virtual void end_input(const std::string& shown) { (void)shown; }
  // d and its formatted line ("file:line:col: error: message [code]").
  // Whole-input errors (line 0: a damaged stream, nothing scored) explain a
  // non-zero exit; everything else is about one record.
  virtual void diagnostic(const Diagnostic& d, const std::string& line) = 0;
};

struct Message {
  enum Level { warning, error } level;
  std::string text;
};

struct RunOutcome {
  ExitCode code = ExitCode::ok;
  std::vector<Message> messages;
  void warn(std::string t) { messages.push_back({Message::warning, std::move(t)}); }
  void fail(ExitCode c, std::string t) {
    code = worse(code, c);
    messages.push_back({Message::error, std::move(t)});
  }
};

// The pipeline options and report settings an InputRequest means; throws
// rsq::Error(usage) for a bad compressor, pointer or tag pair.
PipelineOptions plan_pipeline(const InputRequest& in);
ReportSettings plan_settings(const InputRequest& in);

// The profile --scale / --profile name (none if both are empty), with the
// warning a choice carries ("--profile overrides --scale", extrapolation).
struct ProfileChoice {
  std::optional<Profile> profile;
  std::string warning;
};
ProfileChoice choose_profile(const std::string& scale, const std::string& profile_path);

// ---- rsq score
struct ScoreRequest {
  InputRequest in;
  std::string metrics = "all";  // --metrics
  std::string scale, profile, with_metrics;
  bool explain = false;
  std::vector<std::string> metric_fields;  // NAME=/json/pointer
};
struct ScoreResult : RunOutcome {
  Report report;
};
ScoreResult run_score(const ScoreRequest& req, RunObserver& obs);

// ---- rsq annotate / rsq filter: per-record output. open() is called once
// the inputs are open (so a missing input is reported before an unwritable
// output); write() receives each chunk's rendered buffers in input order and
// may throw to stop the run (e.g. when the reader of stdout went away).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void open() {}
  virtual void write(std::vector<std::string>& outputs) = 0;
};

struct AnnotateRequest {
  InputRequest in;
  std::string metrics = "all";
  bool metrics_only = false;
  std::string id_pointer;
};
RunOutcome run_annotate(const AnnotateRequest& req, RecordSink& sink, RunObserver& obs);

struct FilterRequest {
  InputRequest in;
  std::string where;
};
struct FilterResult : RunOutcome {
  uint64_t lines = 0, kept = 0, rejected = 0, uncopied = 0;
  std::vector<std::string> clauses;
  std::vector<uint64_t> clause_failures;   // per clause
  std::map<std::string, uint64_t> unscored;  // records not scored, by reason
};
// outputs[0] = kept records, [1] = rejected records, [2] = reasons (JSONL).
FilterResult run_filter(const FilterRequest& req, RecordSink& sink, RunObserver& obs);

// ---- rsq gate
struct GateRequest {
  InputRequest in;
  std::string rules, baseline, scale, profile;
};
struct GateRunResult : RunOutcome {
  GateResult gate;
  Report report;  // the dataset as scored for the gate (the HTML gate report shows it)
};
GateRunResult run_gate(const GateRequest& req, RunObserver& obs);

// ---- rsq merge
struct MergeRequest {
  std::vector<std::string> reports;
  std::string name = "merged";
};
Report run_merge(const MergeRequest& req);

}  // namespace rsq
