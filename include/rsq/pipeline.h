// rsq/pipeline.h — the only API that starts threads. One reader thread frames
// records into chunks; N workers parse, extract and measure each chunk into a
// chunk-local partial; the calling thread merges partials strictly in input
// order and hands diagnostics to the caller's sink in input order. A fixed
// pool of chunk buffers bounds memory whatever the input size, and a slow
// chunk stalls the reader instead of growing queues.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rsq/diagnostics.h"
#include "rsq/models.h"
#include "rsq/reader.h"
#include "rsq/record.h"
#include "rsq/report.h"
#include "rsq/source.h"
#include "rsq/text.h"

namespace rsq {

// One record's outcome, handed to a per-record renderer on a worker thread.
struct RecordEvent {
  std::string_view raw;  // the record's bytes (empty when the reader dropped them: line-too-long)
  uint64_t line = 0;
  bool crlf = false;
  Framing framing = Framing::jsonl;
  RecordStatus status = RecordStatus::scored;
  std::string_view reason;           // skip reason or rejection code
  const Diagnostic* diag = nullptr;  // rejections
  const RecordText* text = nullptr;  // scored records
  const double* values = nullptr;    // scored: one value per registry metric (NaN = not applicable)
};

// Renders a record into the chunk's output buffers (per-record commands:
// annotate, filter). Runs on workers; must be thread-safe and pure.
using RecordRenderer = std::function<void(const RecordEvent&, std::vector<std::string>& outputs)>;
// Receives each chunk's output buffers, in input order, on the calling thread.
using OutputWriter = std::function<void(std::vector<std::string>& outputs)>;

// The model-backed metrics of a run (rsq/models.h); off without a service.
struct ModelOptions {
  ModelService* service = nullptr;  // not owned; thread-safe
  double judge_sample = 1;          // share of records judged (content-hash sample)
  std::string judge_steps = "atomizer";  // or "lines": the offline step split
  std::string judge_lang = "en";         // prompt set (data/prompts/fvcu-LANG.json)
  size_t judge_max_steps = 400;          // a record with more steps is a counted failure
};

struct PipelineOptions {
  unsigned threads = 1;
  ReaderOptions reader;
  RecordOptions record;
  TextOptions text;
  RecordRenderer render;  // optional
  size_t outputs = 0;     // number of output buffers per chunk
  OutputWriter write;     // required with render
  ModelOptions models;
};

// Live counters for a progress display (read from another thread).
struct Progress {
  std::atomic<uint64_t> bytes{0};    // decompressed bytes consumed by the reader
  std::atomic<uint64_t> records{0};  // records merged
};

// Receives diagnostics in input order, on the calling thread.
using DiagnosticSink = std::function<void(const Diagnostic&)>;

// Scores one input. Throws rsq::Error for I/O failures; per-record problems go
// to `sink` and into the report's counts.
DatasetReport score_source(ByteSource& src, const std::string& name, const PipelineOptions& opt,
                           const DiagnosticSink& sink, Progress* progress = nullptr);

}  // namespace rsq
