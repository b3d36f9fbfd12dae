// text/prepared.h (internal) — what the shared per-record pass hands every
// metric family: the three segments, their tokens (interned when a family
// asked for ids), their scans, the question's script and the segment counts.
// Families read this and write their values; they never re-scan the text.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "rsq/record.h"
#include "text/scan.h"

namespace rsq::text {

struct SegmentCounts {
  double bytes = 0, chars = 0, words = 0, sentences = 0, lines = 0;
};

struct Prepared {
  const RecordText& rec;
  std::string_view q, r, a;
  const std::vector<Token>&tq, &tr, &ta;  // empty unless a computed family reads tokens
  const Scan &sq, &sr, &sa;
  int qscript;                // the question's dominant script (unicode.h codes), -1 = none
  SegmentCounts cq, cr, ca;   // words: the tokens' count (ICU's with --words icu) or the scan's
  size_t words, forms;        // distinct exact words / folded forms: the ranges of Token::id / fid
  const uint32_t* rcounts;    // per word id: occurrences in the reasoning (null unless ids are interned)
};

}  // namespace rsq::text
