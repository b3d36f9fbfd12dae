// The fused scan (text/scan.h). The fast path for letter/digit runs must
// update exactly what the general path would: the "fast path changes
// nothing" differential test in tests/unit/test_text.cc holds it to that.
#include "text/scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>

#include "unicode.h"

namespace rsq::text {

namespace {

// Bytes that can be part of a fast-path run (see scan): 1 = ASCII letter,
// 2 = ASCII digit, 4 = lead byte of U+00C0..U+017F (C3, C4, C5), 0 = other.
constexpr auto kRunByte = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = t[static_cast<size_t>(c - 32)] = 1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = 2;
  t[0xC3] = t[0xC4] = t[0xC5] = 4;
  return t;
}();
// Set bits of a 16-bit mask (SWAR: the baseline x86-64 target has no POPCNT
// instruction and __builtin_popcount became a libgcc call).
inline uint32_t pop16(uint32_t x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

#if defined(__SSE2__)
// Bit masks of the ASCII letters and of the ASCII digits among 16 bytes.
inline void ascii_alnum16(const unsigned char* p, uint32_t& alnum, uint32_t& digit) {
  __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i l = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  __m128i is_l = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l);
  __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  __m128i is_d = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
  digit = static_cast<uint32_t>(_mm_movemask_epi8(is_d));
  alnum = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(is_l, is_d)));
}
#endif

// At a C3/C4/C5 lead byte: a two-byte letter (not U+00D7 x, not U+00F7 /).
inline bool latin2(const unsigned char* u, size_t i, size_t n) {
  if (i + 1 >= n || (u[i + 1] & 0xC0) != 0x80) return false;
  return !(u[i] == 0xC3 && (u[i + 1] == 0x97 || u[i + 1] == 0xB7));
}


inline void finish_token(uint32_t b, uint32_t e, uint32_t chars, std::vector<Token>& out) {
  Token& t = out.emplace_back();
  t.off = b;
  t.len = e - b;
  t.chars = chars;
}

}  // namespace

// At an ASCII terminator: consume the run of terminators and closing
// quotes/brackets; the sentence ends there if white space or the end follows.
template <class End>
size_t Scanner::terminator(std::string_view s, size_t i, Scan& sc, End&& end_sentence) {
  size_t q = i + 1;
  while (q < s.size() && (s[q] == '.' || s[q] == '!' || s[q] == '?' || s[q] == '"' || s[q] == '\'' || s[q] == ')' ||
                          s[q] == ']'))
    ++q;
  // The run after the first terminator is ASCII punctuation: count it here.
  sc.chars += q - i - 1;
  sc.nonws += q - i - 1;
  sc.sym += q - i - 1;
  if (q == s.size() || s[q] == ' ' || s[q] == '\t' || s[q] == '\r' || s[q] == '\n') end_sentence(q);
  return q;
}

// Script histogram for the question (qscript == -2 mode): a handful of slots.
void Scanner::note_script(Scan& sc, int scr, size_t times) {
  for (int k = 0; k < 8; ++k) {
    if (slot_script_[k] == scr) {
      sc.script_counts[k] += static_cast<int>(times);
      return;
    }
    if (slot_script_[k] == -1) {
      slot_script_[k] = scr;
      sc.script_counts[k] += static_cast<int>(times);
      return;
    }
  }
}
int Scanner::dominant(const Scan& sc) const {
  int best = -1, bc = 0;
  for (int k = 0; k < 8; ++k)
    if (slot_script_[k] >= 0 && (sc.script_counts[k] > bc || (sc.script_counts[k] == bc && bc > 0 && slot_script_[k] < best))) {
      bc = sc.script_counts[k];
      best = slot_script_[k];
    }
  // Japanese mixes Han with kana: treat Hiragana/Katakana questions as Han-compatible.
  if (best == 20 || best == 22) best = 17;
  return best;
}

// The fused per-segment pass: word tokens (fast UAX #29 approximation),
// code points, symbolic characters, script mix against `qscript`,
// sentences and lines. One decode per code point.
void Scanner::scan(std::string_view s, std::vector<Token>& out, Scan& sc, int qscript) {
  out.clear();
  // Field by field, not `sc = Scan{}`, which would free the vectors'
  // buffers and regrow them for every segment.
  sc.chars = sc.nonws = sc.sym = sc.letters = sc.foreign = sc.lines = sc.words = 0;
  for (int& k : sc.script_counts) k = 0;
  sc.sentences.clear();
  sc.line_spans.clear();
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  bool in_word = false, sent_content = false, line_content = false;
  uint32_t wb = 0, chars = 0, sent_start = 0, line_start = 0;
  uni::Cls last = uni::kOther;  // class of the last base character in the word
  auto end_word = [&](size_t at) {
    if (in_word) {
      ++sc.words;
      if (keep_tokens) finish_token(wb, static_cast<uint32_t>(at), chars, out);
    }
    in_word = false;
  };
  auto end_sentence = [&](size_t at) {
    if (sent_content) sc.sentences.emplace_back(sent_start, static_cast<uint32_t>(at));
    sent_content = false;
    sent_start = static_cast<uint32_t>(at);
  };
  // Latin letters count as foreign when the question's script is not Latin.
  const bool latin_foreign = qscript >= 0 && qscript != uni::kLatin;
  const bool fast = fast_runs;
  size_t i = 0;
  while (i < n) {
    // Fast path: a run of letters and digits from ASCII and Latin-1 /
    // Latin Extended-A (U+00C0..U+017F: Polish, Czech, German, French
    // letters, all of script Latin) needs no decoding and no per-character
    // dispatch. It updates exactly what the general path below would.
    if (fast && kRunByte[u[i]] && (kRunByte[u[i]] != 4 || latin2(u, i, n))) {
      if (in_word && last != uni::kLetter && last != uni::kDigit && last != uni::kExtendNumLet) end_word(i);
      if (!in_word) {
        in_word = true;
        wb = static_cast<uint32_t>(i);
        chars = 0;
      }
      size_t j = i, alpha = 0, cps = 0;
      unsigned char k = 0, lk = 0;
      while (j < n) {
#if defined(__SSE2__)
        // 16 bytes at a time through ASCII letters and digits.
        while (j + 16 <= n) {
          uint32_t alnum, digit;
          ascii_alnum16(u + j, alnum, digit);
          if (alnum == 0xFFFF) {
            alpha += 16 - pop16(digit);
            cps += 16;
            lk = (digit >> 15) ? 2 : 1;
            j += 16;
            continue;
          }
          uint32_t r = static_cast<uint32_t>(__builtin_ctz(~alnum));  // bytes in the run
          if (r) {
            uint32_t in = (1u << r) - 1;
            alpha += r - pop16(digit & in);
            cps += r;
            lk = ((digit >> (r - 1)) & 1) ? 2 : 1;
            j += r;
          }
          break;
        }
        if (j >= n) break;
#endif
        k = kRunByte[u[j]];
        if (k == 0) break;
        if (k == 4) {
          if (!latin2(u, j, n)) break;
          j += 2;
        } else {
          ++j;
        }
        alpha += k != 2;
        ++cps;
        lk = k;
      }
      last = lk == 2 ? uni::kDigit : uni::kLetter;
      chars += static_cast<uint32_t>(cps);
      sc.chars += cps;
      sc.nonws += cps;
      sent_content = line_content = true;
      if (alpha) {
        sc.letters += alpha;
        if (latin_foreign) sc.foreign += alpha;
        if (qscript == -2) note_script(sc, uni::kLatin, alpha);
      }
      i = j;
      if (i < n && u[i] == ' ') {  // the usual separator, exactly as the general path treats it
        end_word(i);
        ++sc.chars;
        ++i;
      }
      continue;
    }
    size_t len;
    uint32_t cp = u[i] < 0x80 ? (len = 1, u[i]) : uni::decode(u + i, len);
    uni::Cls c = uni::classify(cp);
    ++sc.chars;
    if (c == uni::kSpace) {
      end_word(i);
      if (cp == '\n') {
        end_sentence(i);
        sent_start = static_cast<uint32_t>(i + 1);
        sc.line_spans.emplace_back(line_start, static_cast<uint32_t>(i));
        sc.lines += line_content;
        line_content = false;
        line_start = static_cast<uint32_t>(i + 1);
      }
      i += len;
      continue;
    }
    ++sc.nonws;
    sent_content = line_content = true;
    bool alnum = c == uni::kLetter || c == uni::kDigit || c == uni::kMark || c == uni::kIdeo || c == uni::kKana;
    if (!alnum) {
      ++sc.sym;
    } else if (c == uni::kLetter || c == uni::kIdeo || c == uni::kKana) {
      int scr = uni::script_of(cp);
      if (scr >= 0) {
        ++sc.letters;
        if (qscript >= 0 && scr != qscript && !(qscript == 17 && (scr == 20 || scr == 22))) ++sc.foreign;
        if (qscript == -2) note_script(sc, scr);
      }
    }
    switch (c) {
      case uni::kLetter:
      case uni::kDigit:
        if (in_word && last != uni::kLetter && last != uni::kDigit && last != uni::kExtendNumLet) end_word(i);
        if (!in_word) {
          in_word = true;
          wb = static_cast<uint32_t>(i);
          chars = 0;
        }
        last = c;
        ++chars;
        break;
      case uni::kKana:
        if (in_word && last != uni::kKana && last != uni::kExtendNumLet) end_word(i);
        if (!in_word) {
          in_word = true;
          wb = static_cast<uint32_t>(i);
          chars = 0;
        }
        last = c;
        ++chars;
        break;
      case uni::kIdeo:
        end_word(i);
        ++sc.words;
        if (keep_tokens) finish_token(static_cast<uint32_t>(i), static_cast<uint32_t>(i + len), 1, out);
        last = c;
        break;
      case uni::kMark:
      case uni::kFormat:
        if (in_word) ++chars;
        break;
      case uni::kExtendNumLet:
        if (in_word) {
          last = c;
          ++chars;
        }
        break;
      case uni::kMidLetter:
      case uni::kMidNum:
      case uni::kMidNumLet: {
        // Joins only between two letters (MidLetter, MidNumLet) or two digits (MidNum, MidNumLet).
        bool joined = false;
        if (in_word && i + len < n) {
          size_t l2;
          uint32_t nx = uni::decode(u + i + len, l2);
          uni::Cls nc = uni::classify(nx);
          if (last == uni::kLetter && nc == uni::kLetter && c != uni::kMidNum) joined = true;
          if (last == uni::kDigit && nc == uni::kDigit && c != uni::kMidLetter) joined = true;
        }
        if (joined) {
          ++chars;
          break;
        }
        end_word(i);
        if (cp == '.') {  // sentence terminator (see below)
          i = terminator(s, i, sc, end_sentence);
          continue;
        }
        break;
      }
      default:
        end_word(i);
        last = c;
        if (cp == '!' || cp == '?') {
          i = terminator(s, i, sc, end_sentence);
          continue;
        }
        if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) {  // 。！？ end a sentence outright
          end_sentence(i + len);
        }
        break;
    }
    i += len;
  }
  end_word(n);
  end_sentence(n);
  sc.line_spans.emplace_back(line_start, static_cast<uint32_t>(n));
  sc.lines += line_content;
}

}  // namespace rsq::text
