// text/reference.h (internal) — plain, obviously-correct implementations of
// what the fused scan computes, kept only as references: the differential
// tests in tests/unit/test_text.cc compare the scan's sentences and line
// counts with these on random and adversarial texts. Production never calls
// them.
#pragma once
#include <cstddef>
#include <string_view>

#include "text/prepared.h"

namespace rsq::text::reference {

// Bytes, code points, non-blank lines and (if asked) sentences of s; `words`
// is copied into the result.
SegmentCounts count_segment(std::string_view s, size_t words, bool sentences = true);
// Sentences: a terminator run (. ! ? then closing quotes/brackets) followed
// by white space or the end, a full-width 。！？, or a line break; only spans
// with a non-space byte count.
size_t count_sentences(std::string_view s);

}  // namespace rsq::text::reference
