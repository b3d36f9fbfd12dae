// rsq/report.h — the report data model: one DatasetReport per input, plus the
// settings that shaped the numbers (compressor, word mode, ...), so a report
// says how it was made. Serialised to the versioned JSON schema of
// docs/output-schema.md; emitters (rsq/emit.h) only format this.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsq/accumulators.h"
#include "rsq/error.h"
#include "rsq/profile.h"
#include "rsq/settings.h"

namespace rsq {

inline constexpr int kSchemaVersion = 2;

struct DatasetReport {
  std::string input;        // path or "-"
  std::string framing;      // jsonl, json-array, json-document
  std::string compression;  // none, gzip, zstd
  uint64_t lines = 0;       // records seen = scored + skipped + rejected
  uint64_t scored = 0;
  uint64_t bytes = 0;  // decompressed bytes read
  std::map<std::string, uint64_t> skipped;       // reason -> count
  std::map<std::string, uint64_t> rejected;      // diagnostic code -> count
  std::map<std::string, uint64_t> layouts;       // detected layout -> count (scored records)
  std::map<std::string, uint64_t> trace_states;  // field, closed, open-only, ... -> count
  std::map<std::string, uint64_t> unknown_tags;  // "OPEN,CLOSE" found in untagged responses -> records
  std::vector<std::string> input_errors;         // whole-input problems (truncation, trailing data)
  std::vector<MetricSummary> metrics;            // registry order
  std::map<std::string, double> imported;        // --with-metrics values (dataset level)
  std::vector<std::string> field_names;          // --metric-field names (per-record imports)
  std::vector<MetricSummary> field_metrics;      // their summaries, same order
  std::map<std::string, uint64_t> model_failures;  // model-backed metric failures: code -> records
  uint64_t model_failed_records = 0;               // scored records with at least one model failure
  std::map<std::string, uint64_t> model_counts;    // judge steps and positives, tokens, inputs (docs/endpoints.md)
  std::optional<Utility> utility;                // with --scale / --profile
  // --shard I/N: which byte-range shard of the input this report covers
  // (rsq merge checks that every index of N is there exactly once).
  struct Shard {
    uint64_t index = 0, count = 0;
  };
  std::optional<Shard> shard;

  uint64_t skipped_total() const;
  uint64_t rejected_total() const;
};

// The settings block of a report's JSON (rsq/settings.h types); throws
// rsq::Error(kind) naming `origin` and the field when it is malformed.
ReportSettings settings_from_json(const nlohmann::json& s, const std::string& origin, ErrorKind kind);

struct Report {
  ReportSettings settings;
  bool explain = false;  // table: show each metric's part of the utility
  std::vector<DatasetReport> datasets;
  std::optional<RankingBasis> ranking;  // several inputs with a utility
};

// What a reader of the dataset's report should not miss, derived from its
// counts (so merged reports say the same): traces that are whole responses
// because no tags were found, and tag pairs rsq does not know, with the
// --think-tags that would use them.
std::vector<std::string> dataset_notes(const DatasetReport& d);

// Reads back a report written with --state (rsq merge). Checks the schema
// and that every metric carries its mergeable state; throws rsq::Error(data)
// naming `origin` otherwise.
Report report_from_json(const nlohmann::json& j, const std::string& origin);
// Adds `b` into `a` exactly (shards of one dataset).
void merge_dataset(DatasetReport& a, const DatasetReport& b);

// A dataset's name from its path: the file name without .gz/.zst and
// .jsonl/.json/.ndjson ("data/train.jsonl.zst" -> "train"). Used to match
// --with-metrics keys and rsq correlate's dataset column.
std::string dataset_stem(const std::string& path);

// The whole file as bytes; rsq::Error(io) naming it when it cannot be opened.
std::string read_file(const std::string& path);
// The whole file parsed as JSON; a parse error is rsq::Error(bad_json_kind)
// naming the file and the line:column, and so is a number a double cannot
// hold (1e400). parse_json_text does the same for text read elsewhere.
nlohmann::json read_json_file(const std::string& path, ErrorKind bad_json_kind);
nlohmann::json parse_json_text(const std::string& text, const std::string& origin, ErrorKind kind);

// Runs f; a value of the wrong type in user JSON (nlohmann's type, range and
// lookup errors) becomes rsq::Error(kind) naming `origin` and the value's JSON
// path ("rules.json: (/rules/0/name) type must be string, but is number"),
// instead of escaping as an internal error.
[[noreturn]] void rethrow_json_error(const nlohmann::json::exception& e, const std::string& origin, ErrorKind kind);
template <class F>
decltype(auto) json_guard(const std::string& origin, ErrorKind kind, F&& f) {
  try {
    return f();
  } catch (const nlohmann::json::exception& e) {
    rethrow_json_error(e, origin, kind);
  }
}

// Parses the whole string as a double; false if anything is left over.
bool parse_double(const std::string& s, double& out);

// include_state adds each metric's mergeable accumulator state (exact sums,
// sketch buckets) so that reports of shards can be merged exactly.
nlohmann::ordered_json report_to_json(const Report& r, bool include_state);

}  // namespace rsq
