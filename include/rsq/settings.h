// rsq/settings.h — what shapes the numbers of a run, as one set of types:
// the redundancy compressor (CompressorSpec: parsed, rendered and compared
// here only), and ReportSettings, which every report records so that it says
// how it was made. compare_settings is the one compatibility check: merge
// refuses shards, gate refuses a baseline, when it finds a difference.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rsq/metrics.h"
#include "rsq/models.h"

namespace rsq {

enum class Codec { zstd, zlib };

struct CompressorSpec {
  Codec codec = Codec::zstd;
  int level = 3;
  // "zstd", "zstd:L" (1..19), "zlib", "zlib:L" (0..9); the default level is
  // zstd's 3 and zlib's 6. Throws rsq::Error(usage) prefixed with `what`.
  static CompressorSpec parse(std::string_view s, std::string_view what = "--compressor");
  std::string str() const;  // "zstd:3": what reports and profiles record
  bool operator==(const CompressorSpec&) const = default;
};

// The --tokenizer a report's token counts come from (docs/tokenizers.md):
// its content hash is what identifies it; the rest is for people.
struct TokenizerIdentity {
  std::string sha256;  // of the tokenizer.json bytes, hex ("" = no tokenizer)
  std::string file;    // the path as given (its folder usually names the model)
  std::string model;   // "BPE (byte-level)" or "BPE (byte fallback)"
  uint64_t vocab = 0;  // ids, added tokens included
  bool operator==(const TokenizerIdentity& o) const { return sha256 == o.sha256; }
};

struct ReportSettings {
  CompressorSpec compressor;
  std::string words = "fast";
  int stem_prefix = 0;
  std::vector<std::string> think_tags;  // user pairs "OPEN,CLOSE"
  std::string question_pointer, reasoning_pointer, answer_pointer;
  MetricSelection metrics;  // rsq score --metrics (recorded as names unless all)
  ModelSettings models;     // the model-backed metrics' models and prompts (recorded when any is set)
  TokenizerIdentity tokenizer;  // --tokenizer (the token metrics), or none
};

// The first setting in which `a` and `b` differ: its name and both values
// as a user would write them. `selection`: also compare the metric
// selections (merge must; a gate baseline may hold more metrics than the
// rules read).
struct SettingsDifference {
  std::string field, a, b;
  // "compressor zlib:6" / "all metrics": one side as a phrase.
  std::string phrase(const std::string& value) const { return field == "metrics" ? value : field + " " + value; }
};
std::optional<SettingsDifference> compare_settings(const ReportSettings& a, const ReportSettings& b, bool selection);

}  // namespace rsq
