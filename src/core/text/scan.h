// text/scan.h (internal) — the fused per-segment pass: one walk over a text
// that yields its word tokens (a fast UAX #29 approximation), code points,
// symbolic characters, the script mix against the question's script,
// sentences and lines, decoding each code point once. Every metric family
// reads what this pass found (text/prepared.h); none re-reads the text.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "text/byteclass.h"

namespace rsq::text {

// A word token: byte span in the segment and code points; `id` and `fid`
// number the record's distinct exact words and distinct folded (optionally
// stemmed) forms densely, in order of first occurrence (question, reasoning,
// answer), so per-record vocabularies and n-grams are arrays indexed by ids
// rather than hash sets of text (text/words.h fills them). 24 bytes: every
// pass over a long trace's tokens streams this array.
struct Token {
  uint32_t off = 0, len = 0, chars = 0;
  uint32_t id = 0, fid = 0;
  bool stop = false;
};

// What one pass over a segment yields besides its tokens.
struct Scan {
  size_t chars = 0, nonws = 0, sym = 0, letters = 0, foreign = 0, lines = 0, words = 0;
  std::vector<std::pair<uint32_t, uint32_t>> sentences;   // byte spans with content
  std::vector<std::pair<uint32_t, uint32_t>> line_spans;  // every line, blank or not
  int script_counts[8] = {0};                             // for the dominant script (small table)
};

// The scanner keeps the record's script slots (question first), so one
// instance serves one record at a time.
class Scanner {
 public:
  // Whether the scan materialises word tokens (alignment and n-grams read
  // them); otherwise it only counts words.
  bool keep_tokens = true;
  // The fast paths (letter/digit runs, 64-byte masks); off = every
  // character takes the general path. Only tests turn it off (they compare
  // both).
  bool fast_runs = true;
  // The kernel that classifies 64 bytes at a time (text/byteclass.h); null =
  // no mask path. Tests set each kernel in turn.
  ClassifyFn masks = classifier(best_kernel());

  void begin_record() {
    for (int& k : slot_script_) k = -1;
  }
  // qscript: the question's script to count foreign letters against; -2 =
  // this is the question (collect its script histogram); -1 = none.
  void scan(std::string_view s, std::vector<Token>& out, Scan& sc, int qscript);
  // The question's dominant script after scan(q, ..., -2), or -1.
  int dominant(const Scan& sc) const;

 private:
  template <class End>
  // Inlined into scan(), its only caller.
  [[gnu::always_inline]] static inline size_t terminator(std::string_view s, size_t i, Scan& sc, End&& end_sentence);
  void note_script(Scan& sc, int scr, size_t times = 1);
  int slot_script_[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
};

}  // namespace rsq::text
