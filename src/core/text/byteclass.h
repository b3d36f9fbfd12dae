// text/byteclass.h (internal) — 64 bytes at a time into bit masks for the
// scan (text/scan.cc): which bytes are ASCII letters or digits (or Latin-1 /
// Extended-A letters), white space,
// line feeds, and which the scan's per-character general path must take.
// Three kernels compute the same masks: a portable table loop, SSE2 (the
// x86-64 baseline) and AVX2, chosen once at run time, so the binary still
// runs on any x86-64. The kernels' byte sets are checked against the
// character tables of unicode.h once at start-up; if ICU ever disagrees,
// the scan falls back to its per-character path (masks_agree()).
#pragma once
#include <cstdint>

namespace rsq::text {

// Bit k describes byte p[k].
struct ByteMasks {
  uint64_t alnum = 0;    // ASCII letters and digits, both bytes of a U+00C0..U+017F letter
  uint64_t digit = 0;    // ASCII digits
  uint64_t cont = 0;     // the second byte of such a letter (code points = bytes - cont)
  uint64_t space = 0;    // ' ', '\t', '\r', '\n'
  uint64_t newline = 0;  // '\n'
  // What the scan's general path must see: every non-ASCII byte, controls
  // other than \t \r \n, DEL, `_` and `@`, and those of . , ; ' " ! ? whose
  // word-break or sentence rule the block's bytes cannot settle. Every other
  // byte is a plain symbol (it ends a word and counts as symbolic).
  uint64_t hard = 0;
  // Plain . ! ? followed by white space: a sentence ends right after them.
  uint64_t stop = 0;
};

enum class Kernel : uint8_t { none, scalar, sse2, avx2 };
using ClassifyFn = void (*)(const unsigned char* p, ByteMasks& m);

// The kernel, or nullptr when this CPU lacks it (or k == none).
ClassifyFn classifier(Kernel k);
// The fastest kernel this CPU runs, or none when masks_agree() fails.
Kernel best_kernel();
const char* kernel_name(Kernel k);
// Whether the mask classes mean what the character tables say: a plain
// symbol is a non-letter of word-break class Other or Newline and no
// sentence terminator, a space byte is white space, an alnum byte a
// Latin letter or a digit, and . , ; ' " @ _ have the word-break classes
// the contextual rules of byteclass.cc assume.
bool masks_agree();

}  // namespace rsq::text
