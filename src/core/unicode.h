// unicode.h (internal) — the only interface to ICU. Character classes for the
// fast word splitter, simple case folding, scripts, and ICU's own word break
// iterator as the reference implementation. ASCII is answered from a table;
// everything else asks ICU, so Unicode semantics stay ICU's.
#pragma once
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace rsq::uni {

enum Cls : uint8_t {
  kOther,
  kSpace,
  kLetter,
  kMark,       // combining marks: extend the previous character
  kDigit,
  kIdeo,       // Han ideographs, Hiragana: one word each in the fast splitter
  kKana,       // Katakana: runs are one word
  kFormat,     // ZWJ, ZWNJ, soft hyphen...
};

// Word-break classes of the fast word splitter: the Word_Break property as
// ICU 72's root rules (word.txt) use it — `@` is a letter, `:` (and U+FE55,
// U+FF1A) is not MidLetter, Format/Extend/ZWJ ride along (WB4), Hangul
// syllables and the Han/Hiragana ideographs are the dictionary sets that
// never join Latin letters, Complex_Context letters (Thai, Lao, Khmer,
// Myanmar) count as letters. Separate from Cls, which defines characters
// (symbols, letters for scripts) and must not follow word-break tailorings.
enum Wb : uint8_t {
  wOther,
  wLetter,       // ALetter (minus the dictionary sets), Complex_Context, '@'
  wHebrew,       // Hebrew_Letter (rules 7a-7c)
  wNumeric,
  wKatakana,
  wHangul,       // Hangul syllables: a run is one word, joining nothing else
  wIdeo,         // Han ideographs, Hiragana: one word each (ICU uses a dictionary)
  wExtendNumLet,
  wMidLetter,
  wMidNum,
  wMidNumLet,
  wSingleQuote,
  wDoubleQuote,
  wExtend,       // Extend, Format, ZWJ
  wNewline,      // CR, LF, Newline: nothing rides on them
  wPict,         // emoji (WB3c: a ZWJ right before one takes it into the segment)
};

Cls classify_slow(uint32_t cp);
Wb word_class_slow(uint32_t cp);
uint32_t fold_slow(uint32_t cp);
int script_of_slow(uint32_t cp);

// ICU's answers for U+0080..U+07FF (two-byte UTF-8: Latin-1, Latin
// Extended, Greek, Cyrillic, Hebrew, Arabic...), computed once at start-up
// from the *_slow functions, so Polish diacritics never reach ICU per
// character. Same semantics, only cached.
constexpr uint32_t kSmallLimit = 0x800;
struct SmallProps {
  Cls cls;
  Wb wb;
  int16_t script;
  uint32_t fold;
};
extern const SmallProps* const kSmall;

extern const Cls kAsciiCls[128];
inline Cls classify(uint32_t cp) {
  if (cp < 128) return kAsciiCls[cp];
  if (cp < kSmallLimit) return kSmall[cp].cls;
  return classify_slow(cp);
}

inline Wb word_class(uint32_t cp) {
  if (cp < kSmallLimit) return kSmall[cp].wb;
  return word_class_slow(cp);
}

inline uint32_t fold(uint32_t cp) {
  if (cp < 128) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  if (cp < kSmallLimit) return kSmall[cp].fold;
  return fold_slow(cp);
}

// Script code of a letter (ICU UScriptCode), or -1 for Common/Inherited.
inline constexpr int kLatin = 25;  // USCRIPT_LATIN
inline int script_of(uint32_t cp) {
  if (cp < 128) return ((cp | 32) >= 'a' && (cp | 32) <= 'z') ? kLatin : -1;
  if (cp < kSmallLimit) return kSmall[cp].script;
  return script_of_slow(cp);
}
const char* script_name(int code);

// Decodes one code point from valid UTF-8 at p (simdjson validated it).
inline uint32_t decode(const unsigned char* p, size_t& len) {
  unsigned char c = p[0];
  if (c < 0x80) {
    len = 1;
    return c;
  }
  if (c < 0xE0) {
    len = 2;
    return (uint32_t(c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c < 0xF0) {
    len = 3;
    return (uint32_t(c & 0x0F) << 12) | (uint32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  len = 4;
  return (uint32_t(c & 0x07) << 18) | (uint32_t(p[1] & 0x3F) << 12) | (uint32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

// ICU word break iterator (one per worker): calls back with the byte span of
// every segment whose rule status is not UBRK_WORD_NONE.
// Unicode normalization (ICU's): out = the form of s. True if s was not
// already in that form (out is left untouched then). s must be valid UTF-8.
enum class NormForm { nfc, nfd, nfkc, nfkd };
bool normalize(NormForm form, std::string_view s, std::string& out);

class IcuWords {
 public:
  IcuWords();
  ~IcuWords();
  IcuWords(const IcuWords&) = delete;
  IcuWords& operator=(const IcuWords&) = delete;
  void spans(std::string_view s, std::vector<std::pair<uint32_t, uint32_t>>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rsq::uni

namespace rsq {
// Words as ICU's word break iterator counts them (rule status != NONE); the
// reference the fast tokenizer is tested against.
size_t icu_word_count(std::string_view s);
}  // namespace rsq
