// The byte-class kernels (text/byteclass.h). Each must give exactly the
// masks of the scalar kernel; the "byte-class kernels agree" test in
// tests/unit/test_text.cc compares them over every byte value at every
// position.
#include "text/byteclass.h"

#include <array>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RSQ_X86 1
#endif

#include "unicode.h"

namespace rsq::text {

namespace {

enum : uint8_t { kAlnum = 1, kDigit = 2, kSpace = 4, kNewline = 8, kHard = 16 };

constexpr auto kByte = [] {
  std::array<uint8_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    uint8_t v = 0;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) v = kAlnum;
    else if (b >= '0' && b <= '9') v = kAlnum | kDigit;
    else if (b == ' ' || b == '\t' || b == '\r') v = kSpace;
    else if (b == '\n') v = kSpace | kNewline;
    else if (b >= 0x80 || b < 0x20 || b == 0x7F) v = kHard;
    else
      for (char c : {'.', ',', ';', ':', '\'', '"', '_', '!', '?', '@'})
        if (b == c) v = kHard;
    t[static_cast<size_t>(b)] = v;
  }
  return t;
}();

void classify_scalar(const unsigned char* p, ByteMasks& m) {
  m = ByteMasks{};
  for (int k = 0; k < 64; ++k) {
    const uint8_t v = kByte[p[k]];
    const uint64_t bit = uint64_t{1} << k;
    if (v & kAlnum) m.alnum |= bit;
    if (v & kDigit) m.digit |= bit;
    if (v & kSpace) m.space |= bit;
    if (v & kNewline) m.newline |= bit;
    if (v & kHard) m.hard |= bit;
  }
}

#if defined(RSQ_X86)
// One 16- or 32-byte vector; V is __m128i or __m256i. Unsigned range tests
// by min + compare (SSE2 has no unsigned byte compare).
#define RSQ_KERNEL_BODY(V, P, SET1, OR, AND, ANDNOT, SUB, MIN, EQ, MOVEMASK)                        \
  const V x = P;                                                                                   \
  const V l = SUB(OR(x, SET1(0x20)), SET1('a'));                                                   \
  const V is_l = EQ(MIN(l, SET1(25)), l);                                                          \
  const V d = SUB(x, SET1('0'));                                                                   \
  const V is_d = EQ(MIN(d, SET1(9)), d);                                                           \
  const V lf = EQ(x, SET1('\n'));                                                                  \
  const V tab_cr = OR(EQ(x, SET1('\t')), EQ(x, SET1('\r')));                                      \
  const V ctl = ANDNOT(OR(lf, tab_cr), EQ(MIN(x, SET1(0x1F)), x));                                 \
  V hard = OR(ctl, EQ(x, SET1(0x7F)));                                                             \
  hard = OR(hard, OR(EQ(x, SET1('.')), EQ(x, SET1(','))));                                         \
  hard = OR(hard, OR(EQ(x, SET1(';')), EQ(x, SET1(':'))));                                         \
  hard = OR(hard, OR(EQ(x, SET1('\'')), EQ(x, SET1('"'))));                                        \
  hard = OR(hard, OR(EQ(x, SET1('_')), EQ(x, SET1('!'))));                                         \
  hard = OR(hard, OR(EQ(x, SET1('?')), EQ(x, SET1('@'))));                                         \
  const uint64_t alnum_ = static_cast<uint32_t>(MOVEMASK(OR(is_l, is_d)));                        \
  const uint64_t digit_ = static_cast<uint32_t>(MOVEMASK(is_d));                                   \
  const uint64_t space_ = static_cast<uint32_t>(MOVEMASK(OR(OR(lf, tab_cr), EQ(x, SET1(' ')))));  \
  const uint64_t newline_ = static_cast<uint32_t>(MOVEMASK(lf));                                   \
  const uint64_t hard_ = static_cast<uint32_t>(MOVEMASK(x)) | static_cast<uint32_t>(MOVEMASK(hard));

void classify_sse2(const unsigned char* p, ByteMasks& m) {
  ByteMasks r;
  for (int k = 0; k < 4; ++k) {
    RSQ_KERNEL_BODY(__m128i, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k)), _mm_set1_epi8,
                    _mm_or_si128, _mm_and_si128, _mm_andnot_si128, _mm_sub_epi8, _mm_min_epu8, _mm_cmpeq_epi8,
                    _mm_movemask_epi8)
    const int s = 16 * k;
    r.alnum |= alnum_ << s;
    r.digit |= digit_ << s;
    r.space |= space_ << s;
    r.newline |= newline_ << s;
    r.hard |= hard_ << s;
  }
  m = r;
}

__attribute__((target("avx2"))) void classify_avx2(const unsigned char* p, ByteMasks& m) {
  ByteMasks r;
  for (int k = 0; k < 2; ++k) {
    RSQ_KERNEL_BODY(__m256i, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k)), _mm256_set1_epi8,
                    _mm256_or_si256, _mm256_and_si256, _mm256_andnot_si256, _mm256_sub_epi8, _mm256_min_epu8,
                    _mm256_cmpeq_epi8, _mm256_movemask_epi8)
    const int s = 32 * k;
    r.alnum |= alnum_ << s;
    r.digit |= digit_ << s;
    r.space |= space_ << s;
    r.newline |= newline_ << s;
    r.hard |= hard_ << s;
  }
  m = r;
}
#undef RSQ_KERNEL_BODY
#endif

bool check_tables() {
  for (uint32_t b = 0; b < 128; ++b) {
    const uint8_t v = kByte[b];
    const uni::Cls c = uni::classify(b);
    const uni::Wb w = uni::word_class(b);
    if (v & kHard) continue;
    if (v & kAlnum) {
      const bool ok = (v & kDigit) ? (c == uni::kDigit && w == uni::wNumeric)
                                   : (c == uni::kLetter && w == uni::wLetter && uni::script_of(b) == uni::kLatin);
      if (!ok) return false;
    } else if (v & kSpace) {
      if (c != uni::kSpace || w == uni::wExtendNumLet) return false;
    } else {
      // A plain symbol takes the switch's default case in the scan.
      if (c == uni::kSpace || c == uni::kLetter || c == uni::kDigit || c == uni::kMark || c == uni::kIdeo ||
          c == uni::kKana)
        return false;
      if (w != uni::wOther && w != uni::wNewline) return false;
      if (b == '.' || b == '!' || b == '?') return false;
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
