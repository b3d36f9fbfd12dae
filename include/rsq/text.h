// rsq/text.h — shared per-record text preprocessing. A TextAnalyzer (one per
// worker) tokenises question, reasoning and answer once, folds case once,
// splits sentences, lines and paragraphs once, and derives every per-record
// metric value from that one pass (RecordValues). The metric registry
// (rsq/metrics.h) only names and documents these values; no metric re-reads
// the text.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rsq/record.h"

namespace rsq {

enum class WordMode { fast, icu };
enum class Codec { zstd, zlib };

struct TextOptions {
  WordMode words = WordMode::fast;
  int stem_prefix = 0;  // 0 = exact case-folded words; N = compare the first N code points
  Codec codec = Codec::zstd;
  int level = 3;
  // The scan's fast path for letter/digit runs; off = every character takes
  // the general path. Only tests turn it off (they compare both).
  bool fast_runs = true;
  // Parts of the pass that rsq score --metrics can switch off; their values
  // are left NaN (and are not reported).
  bool alignment = true, lines = true, ngrams = true, loops = true, compress = true;
};

// A word token: byte span in the segment and code points; `id` and `fid`
// number the record's distinct exact words and distinct folded (optionally
// stemmed) forms densely, in order of first occurrence (question, reasoning,
// answer), so per-record vocabularies and n-grams are arrays indexed by ids
// rather than hash sets of text. 24 bytes: every pass over a long trace's
// tokens streams this array.
struct Token {
  uint32_t off = 0, len = 0, chars = 0;
  uint32_t id = 0, fid = 0;
  bool stop = false;
};

struct SegmentCounts {
  double bytes = 0, chars = 0, words = 0, sentences = 0, lines = 0;
};

// Every per-record value rsq reports, before naming (see metrics.cc).
struct RecordValues {
  SegmentCounts q, r, a;
  double redundancy_ratio = 0, symbolic_fraction = 0;
  double question_coverage = 0, answer_coverage = 0, lexical_flow = 0;
  double dup_line_fraction = 0, dup_line_char_fraction = 0;
  double dup_para_fraction = 0, dup_para_char_fraction = 0;
  double top_ngram_char_fraction[3] = {0, 0, 0};  // n = 2, 3, 4
  double dup_ngram_char_fraction[6] = {0, 0, 0, 0, 0, 0};  // n = 5..10
  double tail_loop = 0, tail_loop_fraction = 0;
  double foreign_script_fraction = 0;
  double reasoning_answer_ratio = 0;
  // Structure flags (0/1).
  double reasoning_empty = 0, truncated = 0, close_only = 0, untagged = 0, answer_present = 0,
         boxed_present = 0, multiple_think_blocks = 0, question_present = 0;
};

class TextAnalyzer {
 public:
  explicit TextAnalyzer(const TextOptions& opt);
  ~TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  void analyze(const RecordText& rec, RecordValues& out);

  // Building blocks, exposed for tests and the ICU differential test.
  void tokenize(std::string_view s, std::vector<Token>& out);
  static SegmentCounts count_segment(std::string_view s, size_t words, bool sentences = true);
  static size_t count_sentences(std::string_view s);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Length of the loop at the end of s: the shortest period p such that the
// last bytes repeat with period p at least 3 times and cover >= 256 bytes,
// looking at the last 16 KiB.
struct TailLoop {
  bool found = false;
  size_t period = 0, covered = 0;
};
TailLoop find_tail_loop(std::string_view s, std::vector<int>& scratch);

// Words as ICU's word break iterator counts them (rule status != NONE); the
// reference the fast tokenizer is tested against.
size_t icu_word_count(std::string_view s);

// Compressed size of s with the given codec and level (zlib: exactly what
// Python's zlib.compress(s, level) returns).
class Compressor {
 public:
  Compressor(Codec c, int level);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  size_t compressed_size(std::string_view s);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

uint64_t hash_bytes(const void* p, size_t n);

}  // namespace rsq
