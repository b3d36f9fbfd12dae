// The fused scan (text/scan.h). Two fast paths must update exactly what the
// per-character general path would: the mask path, which takes whole spans
// of plain ASCII (letters, digits, white space, symbols without a rule of
// their own) from the 64-byte masks of text/byteclass.h, and the run path for
// letter runs with Latin-1 / Extended-A letters. The "fast paths change
// nothing" and "mask scan equals the per-character scan" differential tests
// in tests/unit/test_text.cc hold them to that.
#include "text/scan.h"

#include <cstring>
#include <type_traits>

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

inline uint32_t pop64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<uint32_t>((x * 0x0101010101010101ULL) >> 56);
}
// For masks that are mostly empty or one bit (digits, continuation bytes of
// a word): no popcount then.
inline uint32_t pop_sparse(uint64_t x) { return (x & (x - 1)) ? pop64(x) : x != 0; }
inline uint32_t ctz64(uint64_t x) { return static_cast<uint32_t>(__builtin_ctzll(x)); }

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


// Classes a letter, digit or ExtendNumLet joins after (WB5, WB8-WB10, WB13b).
inline bool joins_alnum(uni::Wb w) {
  return w == uni::wLetter || w == uni::wHebrew || w == uni::wNumeric || w == uni::wExtendNumLet;
}

// Built whole: value-initialising a token and then setting its fields stored
// three of them twice.
inline void finish_token(uint32_t b, uint32_t e, uint32_t chars, std::vector<Token>& out) {
  out.push_back(Token{b, e - b, chars, 0, 0, false});
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
__attribute__((flatten)) void Scanner::scan(std::string_view s, std::vector<Token>& out, Scan& sc, int qscript) {
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
  // Word-break class of the last base character of the open segment; `solid`:
  // the segment is a word (a lone ExtendNumLet such as `_` is not, ICU rule
  // status NONE).
  // `trail_ext`: Extend/Format/ZWJ follow that last character. ICU 72 then
  // gives the segment no word status when that character has no rule of its
  // own (`a_\u0301`, a Hangul syllable, a WB7a quote): measured, see the
  // random differential test.
  uni::Wb last = uni::wOther;
  bool solid = false, trail_ext = false;
  auto end_word = [&](size_t at) __attribute__((always_inline)) {
    if (in_word && solid &&
        !(trail_ext && (last == uni::wExtendNumLet || last == uni::wSingleQuote || last == uni::wHangul))) {
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
  auto start_word = [&](size_t at) __attribute__((always_inline)) {
    end_word(at);
    in_word = true;
    wb = static_cast<uint32_t>(at);
    chars = 0;
  };
  // Word-break class of the first character after the one at `at` that is
  // not Extend/Format/ZWJ (WB4: they are ignored between the parts of a rule).
  auto next_class = [&](size_t at) {
    size_t l;
    uni::decode(u + at, l);
    for (size_t k = at + l; k < n; k += l) {
      uni::Wb x = uni::word_class(u[k] < 0x80 ? (l = 1, u[k]) : uni::decode(u + k, l));
      if (x != uni::wExtend) return x;
    }
    return uni::wOther;
  };
  // ICU 72's root word rules for the character at `at` of class `w`
  // (UAX #29 WB4-WB13b with ICU's tailorings, see uni::Wb). Returns whether
  // it joined the open word (for '.' and the sentence rules).
  auto word_char = [&](size_t at, uni::Wb w) __attribute__((always_inline)) -> bool {
    switch (w) {
      case uni::wLetter:
      case uni::wHebrew:
      case uni::wNumeric:  // WB5, WB8-WB10, WB13b
        if (!(in_word && joins_alnum(last))) start_word(at);
        solid = true;
        trail_ext = false;
        last = w;
        ++chars;
        return true;
      case uni::wKatakana:  // WB13, WB13b
        if (!(in_word && (last == uni::wKatakana || last == uni::wExtendNumLet))) start_word(at);
        solid = true;
        trail_ext = false;
        last = w;
        ++chars;
        return true;
      case uni::wHangul:  // ICU: a run of Hangul syllables, then its dictionary
        if (!(in_word && last == uni::wHangul && !trail_ext)) start_word(at);
        solid = true;
        trail_ext = false;
        last = w;
        ++chars;
        return true;
      case uni::wIdeo:
        end_word(at);
        ++sc.words;
        if (keep_tokens) {
          size_t l;
          uni::decode(u + at, l);
          finish_token(static_cast<uint32_t>(at), static_cast<uint32_t>(at + l), 1, out);
        }
        last = w;
        return false;
      case uni::wExtendNumLet:  // WB13a: after letters, digits, Katakana and itself
        if (in_word && (joins_alnum(last) || last == uni::wKatakana)) {
          solid = true;
        } else {
          start_word(at);
          solid = false;  // alone, `_` is no word; `__` and `_a` are
        }
        trail_ext = false;
        last = w;
        ++chars;
        return true;
      case uni::wExtend:  // WB4
        if (in_word) {
          ++chars;
          trail_ext = true;
        }
        return in_word;
      case uni::wMidLetter:
      case uni::wMidNum:
      case uni::wMidNumLet:
      case uni::wSingleQuote:
      case uni::wDoubleQuote: {
        if (in_word) {
          const bool letters = last == uni::wLetter || last == uni::wHebrew;
          uni::Wb nx = next_class(at);
          const bool next_letter = nx == uni::wLetter || nx == uni::wHebrew;
          bool join = false;
          if (letters && next_letter && (w == uni::wMidLetter || w == uni::wMidNumLet || w == uni::wSingleQuote))
            join = true;  // WB6, WB7
          else if (last == uni::wNumeric && nx == uni::wNumeric && w != uni::wMidLetter && w != uni::wDoubleQuote)
            join = true;  // WB11, WB12
          else if (last == uni::wHebrew && nx == uni::wHebrew && w == uni::wDoubleQuote)
            join = true;  // WB7b, WB7c
          else if (last == uni::wHebrew && w == uni::wSingleQuote) {
            ++chars;  // WB7a: the quote ends the word
            last = w;
            trail_ext = false;
            return true;
          }
          if (join) {
            ++chars;
            trail_ext = false;
            return true;
          }
        }
        end_word(at);
        last = w;
        return false;
      }
      case uni::wPict:  // WB3c: a ZWJ right before it takes the emoji in, and the segment is no word
        if (in_word && at >= 3 && u[at - 3] == 0xE2 && u[at - 2] == 0x80 && u[at - 1] == 0x8D) solid = false;
        end_word(at);
        last = w;
        return false;
      default:
        end_word(at);
        last = w;
        return false;
    }
  };
  // Latin letters count as foreign when the question's script is not Latin.
  const bool latin_foreign = qscript >= 0 && qscript != uni::kLatin;
  const bool fast = fast_runs;
  // A span of `len` plain bytes at `at` (no hard byte, all ASCII); A, D, SP,
  // NL, ST: its masks with bit 0 = byte `at`. Words are the runs of A; each
  // plain non-alnum byte ends a word exactly as the general path's default
  // and white-space cases do (a plain . , ; ' " ! ? joins nothing, see
  // byteclass.cc), a line feed ends the line and the sentence, and a plain
  // terminator (ST) ends the sentence after it.
  // HasCont: whether the span holds two-byte letters (compiled twice, so
  // ASCII-only spans pay nothing for them).
  auto plain = [&](auto has_cont, size_t at, size_t len, uint64_t A, uint64_t D, uint64_t SP, uint64_t NL,
                   uint64_t ST, uint64_t CT) __attribute__((always_inline)) {
    constexpr bool kCont = decltype(has_cont)::value;
    const uint64_t M = len == 64 ? ~uint64_t{0} : (uint64_t{1} << len) - 1;
    A &= M;
    D &= M;
    SP &= M;
    NL &= M;
    ST &= M;
    CT &= M;
    // Code points of the bytes below bit e (A runs hold two-byte letters).
    auto cps_below = [&](uint32_t e) {
      if constexpr (kCont) return e - pop_sparse(CT & ((uint64_t{1} << e) - 1));
      return e;
    };
    const uint64_t NW = M & ~SP;
    uint64_t starts = A & ~(A << 1), ends = ~A & (A << 1) & M;
    size_t nalnum = 0;
    if (in_word) {
      if ((A & 1) && joins_alnum(last)) {
        starts &= ~uint64_t{1};
        if (ends) {
          const uint32_t e = ctz64(ends);
          ends &= ends - 1;
          chars += cps_below(e);
          nalnum += e;
          ++sc.words;
          if (keep_tokens) finish_token(wb, static_cast<uint32_t>(at + e), chars, out);
          in_word = false;
        } else {
          chars += static_cast<uint32_t>(len - (kCont ? pop64(CT) : 0));
          nalnum += len;
        }
      } else {
        end_word(at);
      }
    }
    while (starts) {
      const uint32_t b = ctz64(starts);
      starts &= starts - 1;
      if (ends) {
        const uint32_t e = ctz64(ends);
        ends &= ends - 1;
        nalnum += e - b;
        ++sc.words;
        if (keep_tokens)
          finish_token(static_cast<uint32_t>(at + b), static_cast<uint32_t>(at + e),
                       e - b - (kCont ? pop_sparse(CT & ((uint64_t{1} << e) - 1) & ~((uint64_t{1} << b) - 1)) : 0),
                       out);
      } else {  // the last run reaches the span's end: the word stays open
        in_word = true;
        wb = static_cast<uint32_t>(at + b);
        chars = static_cast<uint32_t>(len - b - (kCont ? pop_sparse(CT >> b) : 0));
        nalnum += len - b;
      }
    }
    if ((A >> (len - 1)) & 1) {
      solid = true;
      trail_ext = false;
      last = ((D >> (len - 1)) & 1) ? uni::wNumeric : uni::wLetter;
    } else {
      last = uni::word_class(u[at + len - 1]);
    }
    const size_t ncont = kCont ? pop64(CT) : 0, nonws = len - pop64(SP) - ncont;
    sc.chars += len - ncont;
    sc.nonws += nonws;
    sc.sym += nonws - (nalnum - ncont);
    if (const size_t alpha = nalnum - ncont - pop_sparse(D)) {
      sc.letters += alpha;
      if (latin_foreign) sc.foreign += alpha;
      if (qscript == -2) note_script(sc, uni::kLatin, alpha);
    }
    if (NL | ST) {
      // In position order; a terminator's end comes before a line feed
      // right after it (which then ends no sentence: nothing in between).
      const uint64_t SE = ST << 1;  // inside the span: white space follows ST
      uint64_t ev = NL | SE;
      uint32_t sfrom = 0, lfrom = 0;
      bool sfirst = true, lfirst = true;
      auto content = [&](uint32_t from, uint32_t q, bool first, bool before) {
        return (NW & ((uint64_t{1} << q) - 1) & ~((uint64_t{1} << from) - 1)) != 0 || (first && before);
      };
      while (ev) {
        const uint32_t q = ctz64(ev);
        ev &= ev - 1;
        if ((SE >> q) & 1) {
          if (content(sfrom, q, sfirst, sent_content)) sc.sentences.emplace_back(sent_start, static_cast<uint32_t>(at + q));
          sent_start = static_cast<uint32_t>(at + q);
          sfrom = q;
          sfirst = false;
        }
        if ((NL >> q) & 1) {
          if (content(sfrom, q, sfirst, sent_content)) sc.sentences.emplace_back(sent_start, static_cast<uint32_t>(at + q));
          sc.line_spans.emplace_back(line_start, static_cast<uint32_t>(at + q));
          sc.lines += content(lfrom, q, lfirst, line_content);
          sent_start = line_start = static_cast<uint32_t>(at + q + 1);
          sfrom = lfrom = q + 1;
          sfirst = lfirst = false;
        }
      }
      sent_content = sfirst ? (sent_content || NW) : (sfrom < 64 && (NW >> sfrom) != 0);
      line_content = lfirst ? (line_content || NW) : (lfrom < 64 && (NW >> lfrom) != 0);
    } else if (NW) {
      sent_content = line_content = true;
    }
  };
  const ClassifyFn classify64 = fast ? masks : nullptr;
  ByteMasks m;
  size_t blk = 0, blk_end = 0;  // the classified block: bytes [blk, blk_end)
  unsigned char pad[64];
  size_t i = 0;
  while (i < n) {
    if (classify64) {
      if (i >= blk_end) {
        blk = i;
        if (n - i >= 64) {
          classify64(u + i, m);
          blk_end = i + 64;
        } else {  // the tail: 0xFF padding is hard (and no ASCII neighbour), so no span runs past n
          std::memset(pad, 0xFF, sizeof pad);
          std::memcpy(pad, u + i, n - i);
          classify64(pad, m);
          blk_end = n;
        }
      }
      const size_t rel = i - blk;
      const uint64_t h = m.hard >> rel;
      const size_t len = h ? ctz64(h) : 64 - rel;
      if (len) {
        const uint64_t ct = (m.cont >> rel) & (len == 64 ? ~uint64_t{0} : (uint64_t{1} << len) - 1);
        if (ct)
          plain(std::true_type{}, i, len, m.alnum >> rel, m.digit >> rel, m.space >> rel, m.newline >> rel,
                m.stop >> rel, ct);
        else
          plain(std::false_type{}, i, len, m.alnum >> rel, m.digit >> rel, m.space >> rel, m.newline >> rel,
                m.stop >> rel, 0);
        i += len;
        continue;
      }
    }
    // Fast path: a run of letters and digits from ASCII and Latin-1 /
    // Latin Extended-A (U+00C0..U+017F: Polish, Czech, German, French
    // letters, all of script Latin) needs no decoding and no per-character
    // dispatch. It updates exactly what the general path below would.
    if (fast && kRunByte[u[i]] && (kRunByte[u[i]] != 4 || latin2(u, i, n))) {
      if (in_word && !joins_alnum(last)) end_word(i);
      if (!in_word) {
        in_word = true;
        wb = static_cast<uint32_t>(i);
        chars = 0;
      }
      solid = true;
      trail_ext = false;
      size_t j = i, alpha = 0, cps = 0;
      unsigned char k = 0, lk = 0;
      while (j < n) {
#if defined(__SSE2__)
        // 16 bytes at a time through ASCII letters and digits.
        while (j + 16 <= n) {
          uint32_t alnum, digit;
          ascii_alnum16(u + j, alnum, digit);
          if (alnum == 0xFFFF) {
            // Digits are rare in prose: skip the software popcount without them.
            alpha += digit ? 16 - pop16(digit) : 16;
            cps += 16;
            lk = (digit >> 15) ? 2 : 1;
            j += 16;
            continue;
          }
          uint32_t r = static_cast<uint32_t>(__builtin_ctz(~alnum));  // bytes in the run
          if (r) {
            uint32_t in = (1u << r) - 1;
            alpha += (digit & in) ? r - pop16(digit & in) : r;
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
      last = lk == 2 ? uni::wNumeric : uni::wLetter;
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
    const uni::Wb w = uni::word_class(cp);
    ++sc.chars;
    if (c == uni::kSpace) {
      if (w == uni::wExtendNumLet) {
        word_char(i, w);  // U+202F NARROW NO-BREAK SPACE: white space, yet ExtendNumLet
      } else {
        end_word(i);
        last = w;
      }
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
    bool joined = word_char(i, w);
    if (cp == '.' && !joined) {  // a '.' inside a word or number ends no sentence
      i = terminator(s, i, sc, end_sentence);
      continue;
    }
    if (cp == '!' || cp == '?') {
      i = terminator(s, i, sc, end_sentence);
      continue;
    }
    if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) end_sentence(i + len);  // 。！？ end a sentence outright
    i += len;
  }
  end_word(n);
  end_sentence(n);
  sc.line_spans.emplace_back(line_start, static_cast<uint32_t>(n));
  sc.lines += line_content;
}

}  // namespace rsq::text
