// ICU-backed Unicode services (see unicode.h). Break iterators are created
// once per worker; everything else is a stateless property lookup.
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <array>
#include <stdexcept>
#include <utility>
#include <string>

#include "rsq/text.h"
#include "unicode.h"

namespace rsq::uni {

namespace {
constexpr Cls make_ascii(uint32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return kSpace;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return kLetter;
  if (c >= '0' && c <= '9') return kDigit;
  return kOther;
}
template <size_t... I>
constexpr auto ascii_table(std::index_sequence<I...>) {
  return std::array<Cls, 128>{make_ascii(I)...};
}
constexpr auto kTable = ascii_table(std::make_index_sequence<128>{});
}  // namespace

const Cls kAsciiCls[128] = {
#define R(i) kTable[i]
    R(0),   R(1),   R(2),   R(3),   R(4),   R(5),   R(6),   R(7),   R(8),   R(9),   R(10),  R(11),  R(12),
    R(13),  R(14),  R(15),  R(16),  R(17),  R(18),  R(19),  R(20),  R(21),  R(22),  R(23),  R(24),  R(25),
    R(26),  R(27),  R(28),  R(29),  R(30),  R(31),  R(32),  R(33),  R(34),  R(35),  R(36),  R(37),  R(38),
    R(39),  R(40),  R(41),  R(42),  R(43),  R(44),  R(45),  R(46),  R(47),  R(48),  R(49),  R(50),  R(51),
    R(52),  R(53),  R(54),  R(55),  R(56),  R(57),  R(58),  R(59),  R(60),  R(61),  R(62),  R(63),  R(64),
    R(65),  R(66),  R(67),  R(68),  R(69),  R(70),  R(71),  R(72),  R(73),  R(74),  R(75),  R(76),  R(77),
    R(78),  R(79),  R(80),  R(81),  R(82),  R(83),  R(84),  R(85),  R(86),  R(87),  R(88),  R(89),  R(90),
    R(91),  R(92),  R(93),  R(94),  R(95),  R(96),  R(97),  R(98),  R(99),  R(100), R(101), R(102), R(103),
    R(104), R(105), R(106), R(107), R(108), R(109), R(110), R(111), R(112), R(113), R(114), R(115), R(116),
    R(117), R(118), R(119), R(120), R(121), R(122), R(123), R(124), R(125), R(126), R(127)
#undef R
};

Cls classify_slow(uint32_t cp) {
  UChar32 c = static_cast<UChar32>(cp);
  if ((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9F))
    return cp == 0x30FB ? kOther : kKana;
  if ((cp >= 0x3040 && cp <= 0x309F) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF))
    return kIdeo;
  if (u_isUWhiteSpace(c)) return kSpace;
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER: case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return kLetter;
    case U_NON_SPACING_MARK: case U_ENCLOSING_MARK: case U_COMBINING_SPACING_MARK:
      return kMark;
    case U_DECIMAL_DIGIT_NUMBER:
      return kDigit;
    case U_FORMAT_CHAR:
      return kFormat;
    default:
      return kOther;
  }
}

Wb word_class_slow(uint32_t cp) {
  UChar32 c = static_cast<UChar32>(cp);
  if (cp == '@') return wLetter;  // ICU's root rules add it to ALetter (e-mail addresses stay one word)
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_CR: case U_WB_LF: case U_WB_NEWLINE:
      return wNewline;
    case U_WB_EXTEND: case U_WB_FORMAT: case U_WB_ZWJ:
      return wExtend;
    case U_WB_KATAKANA:
      return wKatakana;
    case U_WB_HEBREW_LETTER:
      return wHebrew;
    case U_WB_SINGLE_QUOTE:
      return wSingleQuote;
    case U_WB_DOUBLE_QUOTE:
      return wDoubleQuote;
    case U_WB_MIDNUMLET:
      return wMidNumLet;
    case U_WB_MIDLETTER:
      return (cp == ':' || cp == 0xFE55 || cp == 0xFF1A) ? wOther : wMidLetter;
    case U_WB_MIDNUM:
      return wMidNum;
    case U_WB_NUMERIC:
      return wNumeric;
    case U_WB_EXTENDNUMLET:
      return wExtendNumLet;
    default:
      break;
  }
  if (cp >= 0xAC00 && cp <= 0xD7A3) return wHangul;
  if (u_charType(c) == U_UNASSIGNED) return wOther;
  const bool aletter = u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_ALETTER;
  // ICU's $Extended_Pict | $EmojiNRK (Emoji minus regional indicators and
  // the keycap bases # * 0-9, © ® ™ 〰 〽).
  if (!aletter && u_getIntPropertyValue(c, UCHAR_WORD_BREAK) != U_WB_REGIONAL_INDICATOR &&
      (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
       (u_hasBinaryProperty(c, UCHAR_EMOJI) && !(cp < 0x80 || cp == 0xA9 || cp == 0xAE || cp == 0x2122 ||
                                                  cp == 0x3030 || cp == 0x303D))))
    return wPict;
  UErrorCode e = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &e);
  // ICU gives an ideograph or a Hiragana character alone word status; the
  // rest of the Han script (U+3005 々, radicals) only in pairs, through its
  // dictionary, which the fast splitter does not have.
  if (u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) || sc == USCRIPT_HIRAGANA) return wIdeo;
  if (sc == USCRIPT_HAN) return wOther;
  if (aletter) return wLetter;
  if (u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT && u_charType(c) != U_CONTROL_CHAR)
    return wLetter;
  return wOther;
}

uint32_t fold_slow(uint32_t cp) { return static_cast<uint32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT)); }

static_assert(kLatin == USCRIPT_LATIN);

int script_of_slow(uint32_t cp) {
  UErrorCode e = U_ZERO_ERROR;
  UScriptCode s = uscript_getScript(static_cast<UChar32>(cp), &e);
  if (U_FAILURE(e) || s == USCRIPT_COMMON || s == USCRIPT_INHERITED || s == USCRIPT_UNKNOWN) return -1;
  return s;
}

namespace {
const SmallProps* build_small() {
  static SmallProps t[kSmallLimit];
  for (uint32_t cp = 0; cp < kSmallLimit; ++cp) {
    t[cp].cls = cp < 128 ? kAsciiCls[cp] : classify_slow(cp);
    t[cp].wb = word_class_slow(cp);
    t[cp].script = static_cast<int16_t>(cp < 128 ? (((cp | 32) >= 'a' && (cp | 32) <= 'z') ? kLatin : -1)
                                                 : script_of_slow(cp));
    t[cp].fold = fold_slow(cp);
  }
  return t;
}
}  // namespace
const SmallProps* const kSmall = build_small();

const char* script_name(int code) { return uscript_getShortName(static_cast<UScriptCode>(code)); }

struct IcuWords::Impl {
  UBreakIterator* bi = nullptr;
  UText* ut = nullptr;
};

IcuWords::IcuWords() : impl_(std::make_unique<Impl>()) {
  UErrorCode e = U_ZERO_ERROR;
  impl_->bi = ubrk_open(UBRK_WORD, "", nullptr, 0, &e);
  if (U_FAILURE(e)) throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(e));
}

IcuWords::~IcuWords() {
  if (impl_->bi) ubrk_close(impl_->bi);
  if (impl_->ut) utext_close(impl_->ut);
}

void IcuWords::spans(std::string_view s, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  out.clear();
  UErrorCode e = U_ZERO_ERROR;
  impl_->ut = utext_openUTF8(impl_->ut, s.data(), static_cast<int64_t>(s.size()), &e);
  if (U_FAILURE(e)) return;
  ubrk_setUText(impl_->bi, impl_->ut, &e);
  if (U_FAILURE(e)) return;
  int32_t prev = ubrk_first(impl_->bi);
  for (int32_t p = ubrk_next(impl_->bi); p != UBRK_DONE; prev = p, p = ubrk_next(impl_->bi)) {
    if (ubrk_getRuleStatus(impl_->bi) >= UBRK_WORD_NONE_LIMIT)
      out.emplace_back(static_cast<uint32_t>(prev), static_cast<uint32_t>(p - prev));
  }
}

bool normalize(NormForm form, std::string_view s, std::string& out) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* n = form == NormForm::nfc    ? icu::Normalizer2::getNFCInstance(st)
                              : form == NormForm::nfd  ? icu::Normalizer2::getNFDInstance(st)
                              : form == NormForm::nfkc ? icu::Normalizer2::getNFKCInstance(st)
                                                       : icu::Normalizer2::getNFKDInstance(st);
  if (U_FAILURE(st)) throw std::runtime_error("ICU normalizer unavailable");
  const icu::StringPiece in(s.data(), static_cast<int32_t>(s.size()));
  if (n->isNormalizedUTF8(in, st) && U_SUCCESS(st)) return false;
  st = U_ZERO_ERROR;
  out.clear();
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(s.size() + 16));
  n->normalizeUTF8(0, in, sink, nullptr, st);
  if (U_FAILURE(st)) throw std::runtime_error("ICU normalization failed");
  return true;
}

}  // namespace rsq::uni

namespace rsq {
size_t icu_word_count(std::string_view s) {
  thread_local uni::IcuWords w;
  std::vector<std::pair<uint32_t, uint32_t>> v;
  w.spans(s, v);
  return v.size();
}
}  // namespace rsq
