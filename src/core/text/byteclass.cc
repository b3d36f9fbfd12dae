// The byte-class kernels (text/byteclass.h). A kernel computes raw per-byte
// classes; finish() derives the contextual ones (which . , ; ' " ! ? are
// plain) from the neighbouring bits, the same for every kernel. Each kernel
// must give exactly the scalar kernel's masks: the "byte-class kernels
// agree" test in tests/unit/test_scan.cc compares them over every byte value
// at every position.
#include "text/byteclass.h"

#include <array>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RSQ_X86 1
#endif

#include "unicode.h"

namespace rsq::text {

namespace {

// Raw classes of 64 bytes, bit k = byte k.
struct Raw {
  uint64_t alnum, digit, space, newline;
  uint64_t hard;    // non-ASCII, controls but \t \r \n, DEL, _ @ and every byte of `mid`, `dot`, `excl`
  uint64_t ascii;   // high bit clear
  uint64_t at;      // '@' (word-break class Letter)
  uint64_t mid;     // , ; ' "  (MidNum, SingleQuote, DoubleQuote)
  uint64_t dot;     // .  (MidNumLet and a terminator)
  uint64_t excl;    // ! ?
  uint64_t closer;  // " ' ) ]  (what a terminator run takes along)
  uint64_t lead;    // C3 C4 C5: lead bytes of U+00C0..U+017F
  uint64_t cont;    // 80..BF: continuation bytes
  uint64_t c3;      // C3 (C3 97 is U+00D7 x and C3 B7 U+00F7 /: no letters)
};

// Contextual classes. A word-break "Mid" character joins two words only
// between letters (or @), between digits, or after a Hebrew letter: with an
// ASCII byte before it that is no letter, digit or @, or an ASCII byte after
// it that is none of these, it joins nothing (ASCII has no Extend
// characters, so the neighbouring byte is the neighbouring class; a Mid
// byte right before it cannot have joined, as only letters and digits
// follow a joining one). A non-joining . and ! ? start a terminator run;
// with an ASCII byte after them that no run takes along, the run is the
// byte itself, and a sentence ends after it if white space follows. Bits
// whose neighbour lies outside the block stay hard.
// A two-byte letter of U+00C0..U+017F (Latin-1 and Latin Extended-A, all
// letters of script Latin but x and /) is taken like an ASCII letter: both
// bytes are alnum, the second one also `cont` (the scan counts code points
// as bytes minus continuation bytes); a lead byte in bit 63 stays hard.
// Such a letter is as well known a neighbour as an ASCII byte.
inline ByteMasks finish(const Raw& r, const unsigned char* p) {
  uint64_t pair = r.lead & (r.cont >> 1);
  for (uint64_t b = pair & r.c3; b; b &= b - 1) {  // few: only the Latin-1 letters
    const int q = __builtin_ctzll(b);
    if (p[q + 1] == 0x97 || p[q + 1] == 0xB7) pair &= ~(uint64_t{1} << q);
  }
  const uint64_t latin = pair | (pair << 1);
  const uint64_t alnum = r.alnum | latin;
  const uint64_t known = r.ascii | latin;
  const uint64_t word = alnum | r.at;
  const uint64_t prev_ascii = known << 1, prev_word = word << 1;
  const uint64_t next_ascii = (known >> 1) & ~(uint64_t{1} << 63), next_word = word >> 1;
  const uint64_t nonjoin = prev_ascii & (~prev_word | (next_ascii & ~next_word));
  const uint64_t runc = r.dot | r.excl | r.closer;
  const uint64_t single = next_ascii & ~(runc >> 1);  // a terminator run of one byte
  const uint64_t dot = r.dot & nonjoin & single, excl = r.excl & single;
  ByteMasks m;
  m.alnum = alnum;
  m.digit = r.digit;
  m.cont = pair << 1;
  m.space = r.space;
  m.newline = r.newline;
  m.hard = r.hard & ~((r.mid & nonjoin) | dot | excl | latin);
  m.stop = (dot | excl) & (r.space >> 1);
  return m;
}

enum : uint16_t {
  kAlnum = 1, kDigit = 2, kSpace = 4, kNewline = 8, kHard = 16, kAt = 32, kMid = 64, kDot = 128, kExcl = 256,
  kCloser = 512, kLead = 1024, kCont = 2048, kC3 = 4096
};

constexpr auto kByte = [] {
  std::array<uint16_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    uint16_t v = 0;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) v = kAlnum;
    else if (b >= '0' && b <= '9') v = kAlnum | kDigit;
    else if (b == ' ' || b == '\t' || b == '\r') v = kSpace;
    else if (b == '\n') v = kSpace | kNewline;
    else if (b >= 0x80 || b < 0x20 || b == 0x7F || b == '_') v = kHard;
    else if (b == '@') v = kHard | kAt;
    else if (b == ',' || b == ';') v = kHard | kMid;
    else if (b == '\'' || b == '"') v = kHard | kMid | kCloser;
    else if (b == '.') v = kHard | kDot;
    else if (b == '!' || b == '?') v = kHard | kExcl;
    else if (b == ')' || b == ']') v = kCloser;
    if (b >= 0xC3 && b <= 0xC5) v |= kLead;
    if (b == 0xC3) v |= kC3;
    if (b >= 0x80 && b <= 0xBF) v |= kCont;
    t[static_cast<size_t>(b)] = v;
  }
  return t;
}();

void classify_scalar(const unsigned char* p, ByteMasks& m) {
  Raw r{};
  for (int k = 0; k < 64; ++k) {
    const uint16_t v = kByte[p[k]];
    const uint64_t bit = uint64_t{1} << k;
    if (v & kAlnum) r.alnum |= bit;
    if (v & kDigit) r.digit |= bit;
    if (v & kSpace) r.space |= bit;
    if (v & kNewline) r.newline |= bit;
    if (v & kHard) r.hard |= bit;
    if (p[k] < 0x80) r.ascii |= bit;
    if (v & kAt) r.at |= bit;
    if (v & kMid) r.mid |= bit;
    if (v & kDot) r.dot |= bit;
    if (v & kExcl) r.excl |= bit;
    if (v & kCloser) r.closer |= bit;
    if (v & kLead) r.lead |= bit;
    if (v & kCont) r.cont |= bit;
    if (v & kC3) r.c3 |= bit;
  }
  m = finish(r, p);
}

#if defined(RSQ_X86)
// Row b holds 32 copies of byte b: the kernels' constants, read from memory.
// Written as _mm*_set1_epi8, GCC rebuilt each of the ~25 constants in every
// call (a move, a vmovd and a broadcast: a third of the AVX2 kernel's
// instructions). The kernels hide the table's address from the optimiser
// (an empty asm), so the constants stay loads it folds into the compares.
struct alignas(32) Splats {
  unsigned char row[256][32];
};
constexpr Splats kSplats = [] {
  Splats s{};
  for (int b = 0; b < 256; ++b)
    for (auto& x : s.row[b]) x = static_cast<unsigned char>(b);
  return s;
}();
#define RSQ_SPLAT128(c) _mm_load_si128(reinterpret_cast<const __m128i*>(splats + 32 * static_cast<unsigned char>(c)))
#define RSQ_SPLAT256(c) _mm256_load_si256(reinterpret_cast<const __m256i*>(splats + 32 * static_cast<unsigned char>(c)))

// One 16- or 32-byte vector; V is __m128i or __m256i. Unsigned range tests
// by min + compare (SSE2 has no unsigned byte compare).
#define RSQ_KERNEL_BODY(V, P, SET1, OR, AND, ANDNOT, SUB, MIN, EQ, GT, MOVEMASK, S)                           \
  {                                                                                                 \
    asm("" : "+r"(splats)); /* per vector: loads folded into the compares, not hoisted and spilled */ \
    const V x = P;                                                                                  \
    const V l = SUB(OR(x, SET1(0x20)), SET1('a'));                                                  \
    const V is_l = EQ(MIN(l, SET1(25)), l);                                                         \
    const V d = SUB(x, SET1('0'));                                                                  \
    const V is_d = EQ(MIN(d, SET1(9)), d);                                                          \
    const V lf = EQ(x, SET1('\n'));                                                                 \
    const V tab_cr = OR(EQ(x, SET1('\t')), EQ(x, SET1('\r')));                                     \
    const V ctl = ANDNOT(OR(lf, tab_cr), EQ(MIN(x, SET1(0x1F)), x));                                \
    const V at = EQ(x, SET1('@'));                                                                  \
    const V q = OR(EQ(x, SET1('\'')), EQ(x, SET1('"')));                                           \
    const V mid = OR(q, OR(EQ(x, SET1(',')), EQ(x, SET1(';'))));                                    \
    const V dot = EQ(x, SET1('.'));                                                                 \
    const V excl = OR(EQ(x, SET1('!')), EQ(x, SET1('?')));                                          \
    const V closer = OR(q, OR(EQ(x, SET1(')')), EQ(x, SET1(']'))));                                 \
    const V hard = OR(OR(OR(ctl, EQ(x, SET1(0x7F))), OR(EQ(x, SET1('_')), at)), OR(mid, OR(dot, excl))); \
    const uint64_t high = static_cast<uint32_t>(MOVEMASK(x));                                       \
    r.alnum |= uint64_t{static_cast<uint32_t>(MOVEMASK(OR(is_l, is_d)))} << S;                     \
    r.digit |= uint64_t{static_cast<uint32_t>(MOVEMASK(is_d))} << S;                                \
    r.space |= uint64_t{static_cast<uint32_t>(MOVEMASK(OR(OR(lf, tab_cr), EQ(x, SET1(' ')))))} << S; \
    r.newline |= uint64_t{static_cast<uint32_t>(MOVEMASK(lf))} << S;                                \
    r.hard |= (high | static_cast<uint32_t>(MOVEMASK(hard))) << S;                                  \
    r.ascii |= high << S;                                                                           \
    r.at |= uint64_t{static_cast<uint32_t>(MOVEMASK(at))} << S;                                     \
    r.mid |= uint64_t{static_cast<uint32_t>(MOVEMASK(mid))} << S;                                   \
    r.dot |= uint64_t{static_cast<uint32_t>(MOVEMASK(dot))} << S;                                   \
    r.excl |= uint64_t{static_cast<uint32_t>(MOVEMASK(excl))} << S;                                 \
    r.closer |= uint64_t{static_cast<uint32_t>(MOVEMASK(closer))} << S;                             \
    if (high) { /* only vectors with non-ASCII bytes can hold a two-byte letter */                \
      /* signed compares: 80..BF is -128..-65, C3..C5 is -61..-59 */                               \
      r.cont |= uint64_t{static_cast<uint32_t>(MOVEMASK(GT(SET1(-64), x)))} << S;                  \
      r.lead |= uint64_t{static_cast<uint32_t>(MOVEMASK(AND(GT(x, SET1(-62)), GT(SET1(-58), x))))} << S; \
      r.c3 |= uint64_t{static_cast<uint32_t>(MOVEMASK(EQ(x, SET1(static_cast<char>(0xC3)))))} << S; \
    }                                                                                               \
  }

void classify_sse2(const unsigned char* p, ByteMasks& m) {
  const unsigned char* splats = kSplats.row[0];
  Raw r{};
  for (int k = 0; k < 4; ++k)
    RSQ_KERNEL_BODY(__m128i, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k)), RSQ_SPLAT128,
                    _mm_or_si128, _mm_and_si128, _mm_andnot_si128, _mm_sub_epi8, _mm_min_epu8, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_movemask_epi8,
                    16 * k)
  r.ascii = ~r.ascii;  // the loop collected the high bits
  m = finish(r, p);
}

__attribute__((target("avx2"))) void classify_avx2(const unsigned char* p, ByteMasks& m) {
  const unsigned char* splats = kSplats.row[0];
  Raw r{};
  for (int k = 0; k < 2; ++k)
    RSQ_KERNEL_BODY(__m256i, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k)), RSQ_SPLAT256,
                    _mm256_or_si256, _mm256_and_si256, _mm256_andnot_si256, _mm256_sub_epi8, _mm256_min_epu8, _mm256_cmpeq_epi8,
                    _mm256_cmpgt_epi8, _mm256_movemask_epi8, 32 * k)
  r.ascii = ~r.ascii;
  m = finish(r, p);
}
#undef RSQ_KERNEL_BODY
#undef RSQ_SPLAT128
#undef RSQ_SPLAT256
#endif

bool check_tables() {
  for (uint32_t cp = 0xC0; cp < 0x180; ++cp)
    if (cp != 0xD7 && cp != 0xF7 &&
        (uni::classify(cp) != uni::kLetter || uni::word_class(cp) != uni::wLetter || uni::script_of(cp) != uni::kLatin))
      return false;
  for (uint32_t b = 0; b < 128; ++b) {
    const uint16_t v = kByte[b];
    const uni::Cls c = uni::classify(b);
    const uni::Wb w = uni::word_class(b);
    // What the contextual rules of finish() and the scan's plain spans
    // assume of the bytes they may take.
    if (v & kAt) {
      if (w != uni::wLetter || c == uni::kLetter) return false;
    } else if (v & (kMid | kDot | kExcl)) {
      const uni::Wb want = (b == ',' || b == ';') ? uni::wMidNum
                           : b == '\''            ? uni::wSingleQuote
                           : b == '"'             ? uni::wDoubleQuote
                           : b == '.'             ? uni::wMidNumLet
                                                  : uni::wOther;
      if (w != want || c != uni::kOther) return false;
    } else if (v & kHard) {
      // As a neighbour of a Mid byte it must not count as a letter or digit.
      if (w == uni::wLetter || w == uni::wHebrew || w == uni::wNumeric) return false;
    } else if (v & kAlnum) {
      const bool ok = (v & kDigit) ? (c == uni::kDigit && w == uni::wNumeric)
                                   : (c == uni::kLetter && w == uni::wLetter && uni::script_of(b) == uni::kLatin);
      if (!ok) return false;
    } else if (v & kSpace) {
      if (c != uni::kSpace || w == uni::wExtendNumLet || w == uni::wLetter || w == uni::wNumeric) return false;
    } else {
      // A plain symbol takes the switch's default case in the scan.
      if (c == uni::kSpace || c == uni::kLetter || c == uni::kDigit || c == uni::kMark || c == uni::kIdeo ||
          c == uni::kKana)
        return false;
      if (w != uni::wOther && w != uni::wNewline) return false;
    }
  }
  return true;
}

}  // namespace

bool masks_agree() {
  static const bool ok = check_tables();
  return ok;
}

ClassifyFn classifier(Kernel k) {
  switch (k) {
    case Kernel::none:
      return nullptr;
    case Kernel::scalar:
      return classify_scalar;
#if defined(RSQ_X86)
    case Kernel::sse2:
      return classify_sse2;
    case Kernel::avx2:
      __builtin_cpu_init();  // may run before libgcc's own constructor has
      return __builtin_cpu_supports("avx2") ? classify_avx2 : nullptr;
#else
    case Kernel::sse2:
    case Kernel::avx2:
      return nullptr;
#endif
  }
  return nullptr;
}

Kernel best_kernel() {
  static const Kernel k = [] {
    if (!masks_agree()) return Kernel::none;
    if (classifier(Kernel::avx2)) return Kernel::avx2;
    if (classifier(Kernel::sse2)) return Kernel::sse2;
    return Kernel::scalar;
  }();
  return k;
}

const char* kernel_name(Kernel k) {
  switch (k) {
    case Kernel::none: return "none";
    case Kernel::scalar: return "scalar";
    case Kernel::sse2: return "sse2";
    case Kernel::avx2: return "avx2";
  }
  return "?";
}

}  // namespace rsq::text
