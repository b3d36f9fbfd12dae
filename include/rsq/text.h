// rsq/text.h — the per-record text pass. A TextAnalyzer (one per worker)
// runs the shared preprocessing once per record — the fused scan of
// question, reasoning and answer (src/core/text/scan.cc), word interning
// when a family needs ids (text/words.cc) — and then every selected metric
// family (src/core/metrics/), which writes its values into the record's row:
// one double per registry metric, in report order (rsq/metrics.h). No
// family re-reads the text.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "rsq/metrics.h"
#include "rsq/record.h"
#include "rsq/settings.h"

namespace rsq {

namespace text {
struct Token;
}
namespace tok {
struct Tokenizer;
}

enum class WordMode { fast, icu };
struct TextOptions {
  WordMode words = WordMode::fast;
  int stem_prefix = 0;  // 0 = exact case-folded words; N = compare the first N code points
  CompressorSpec compressor;  // redundancy
  // The scan's fast path for letter/digit runs; off = every character takes
  // the general path. Only tests turn it off (they compare both).
  bool fast_runs = true;
  // Families none of whose metrics is selected are not computed, and their
  // values are NaN — except families whose values come free with the scan
  // (verbosity, symbols, scripts, structure), which always run.
  MetricSelection metrics;
  // --tokenizer, loaded once and shared by every worker (the token metrics).
  std::shared_ptr<const tok::Tokenizer> tokenizer;
};

class TextAnalyzer {
 public:
  explicit TextAnalyzer(const TextOptions& opt);
  ~TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  // row: one value per registry metric (all_metrics().size()); NaN = not
  // applicable or not computed.
  void analyze(const RecordText& rec, double* row);

  // The word tokens of s as the analyzer segments them (interned), for tests
  // and the ICU differential test.
  void tokenize(std::string_view s, std::vector<text::Token>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rsq
