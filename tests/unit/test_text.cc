// Known-answer tests for the text pass and the ICU differential test for the
// fast word splitter.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "metrics/loops.h"
#include "rsq/text.h"
#include "text/hash.h"
#include "text/reference.h"
#include "text/scan.h"
#include "text/words.h"
#include "unicode.h"
#include "values.h"

using namespace rsq;
using rsq::metrics::find_tail_loop;
using rsq::test::RecordValues;
using rsq::text::Token;

namespace {
RecordValues analyze(std::string_view q, std::string_view r, std::string_view a, TextOptions o = {}) {
  TextAnalyzer an(o);
  RecordText t;
  t.question = q;
  t.reasoning = r;
  t.answer = a;
  t.state = TraceState::field;
  return test::analyze_record(an, t);
}
// boilerplate: xorshift64, the random texts' generator
struct XorShift {
  uint64_t seed;
  uint64_t operator()() {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  }
};
size_t words(std::string_view s) {
  TextAnalyzer an(TextOptions{});
  std::vector<Token> t;
  an.tokenize(s, t);
  return t.size();
}
}  // namespace

TEST_CASE("word counts follow UAX #29 on the common cases", "[text]") {
  CHECK(words("") == 0);
  CHECK(words("Hello, world!") == 2);
  CHECK(words("Zażółć gęślą jaźń") == 3);
  CHECK(words("3.14 and 1,000,000 and 2024-01-01") == 7);
  CHECK(words("don't stop, e.g. this") == 4);
  CHECK(words("snake_case x1 1x") == 3);
  CHECK(words("caf\xC3\xA9 cafe\xCC\x81") == 2);  // precomposed and combining acute
  CHECK(words("我爱你") == 3);                       // fast path: one word per ideograph
  CHECK(words("カタカナ です") == 3);                // katakana run + 2 hiragana
  CHECK(words("$x^2 + 3x = 7$") == 4);
}

namespace {
std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 63));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 63));
    s += static_cast<char>(0x80 | (cp & 63));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 63));
    s += static_cast<char>(0x80 | ((cp >> 6) & 63));
    s += static_cast<char>(0x80 | (cp & 63));
  }
  return s;
}
// Word spans (byte offset, length) of the fast splitter, and of ICU's
// iterator (rule status != NONE): what `--words fast` and `--words icu` count.
struct Spans {
  text::Scanner sc;
  text::Scan tmp;
  uni::IcuWords icu;
  std::vector<Token> ft;
  std::vector<std::pair<uint32_t, uint32_t>> is;
  bool same(std::string_view s, bool fast_runs = true) {
    sc.keep_tokens = true;
    sc.fast_runs = fast_runs;
    sc.begin_record();
    sc.scan(s, ft, tmp, -1);
    icu.spans(s, is);
    if (ft.size() != is.size() || tmp.words != is.size()) return false;
    for (size_t k = 0; k < ft.size(); ++k)
      if (ft[k].off != is[k].first || ft[k].len != is[k].second) return false;
    return true;
  }
  std::string show() const {
    std::string o = "fast:";
    for (auto& t : ft) o += " " + std::to_string(t.off) + "+" + std::to_string(t.len);
    o += " icu:";
    for (auto& [a, b] : is) o += " " + std::to_string(a) + "+" + std::to_string(b);
    return o;
  }
};
// Scripts ICU segments with dictionaries (and the fast splitter by runs or
// one character at a time, docs/metrics.md).
bool dictionary_script(uint32_t cp) {
  static const std::set<std::string> kDict = {"Hani", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr"};
  int sc = uni::script_of(cp);
  return cp == 0x16FE4 || (sc >= 0 && kDict.count(uni::script_name(sc)));  // U+16FE4 KHITAN FILLER: ICU's own quirk
}
}  // namespace

TEST_CASE("fast words equal ICU on English and Polish text", "[text][icu]") {
  const char* texts[] = {
      "Let me think about this step by step. First, 48 / 2 = 24, so she sold 24 clips in May.",
      "Zatem 669 razy 50 daje 33 450. Rozważmy teraz stosunek, który się upraszcza: 3,5 oraz 2.75.",
      "Wait -- isn't that wrong? Let's re-check: (a+b)^2 = a^2 + 2ab + b^2, i.e. 9.",
      "Kodeks cywilny, art. 18 § 2 k.k.: podżeganie – nakłanianie innej osoby do popełnienia czynu.",
      "The U.S. economy grew 3.1% in Q2; analysts' forecasts (\"2.8%\") were too low.",
      "Naïve façade résumé coöperate — it’s fine; we’re done.",
      "Numbers: 1,234.56 and 7.8.9 and 10,11 and x.y and 3:45."};
  Spans sp;
  for (const char* t : texts) {
    INFO(t);
    CHECK(words(t) == icu_word_count(t));
    CHECK(sp.same(t));
  }
}

// Issue 11, item 3: every UAX #29 MidLetter / MidNum / MidNumLet /
// ExtendNumLet case, ICU's tailorings (`:` splits, `@` is a letter) and
// URL / e-mail shapes, span for span against ICU 72.
TEST_CASE("fast words equal ICU on word-break punctuation, URLs and e-mail", "[text][icu]") {
  const char* texts[] = {
      "Total:x", "Nd:YAG", "3:45", "a\xEF\xB9\x95" "b", "a\xEF\xBC\x9A" "b", "a\xC2\xB7" "b", "a\xCE\x87" "b", "a\xE2\x80\xA7" "b",
      "1,000", "1;2", "a,b", "a;b", "1\xD8\x8C" "2", "1\xE2\x81\x84" "2", "3.14", "a.b", "1.a", "a.1", "a1.2", "x.y.z",
      "a..b", "e.g.", "a'b", "1'2", "a\xE2\x80\x99" "b", "1\xE2\x80\x99" "2", "a''b", "'a", "a'", "a\"b",
      "_", "__", "_a", "a_", "_a_", "a_b", "1_000", "12_", "a _ b", "a\xE2\x80\xBF" "b", "\xE2\x80\xBF\xE2\x80\xBF",
      "10\xE2\x80\xAF" "000", "a\xE2\x80\xAF", "@", "a@b", "@user", "1@2", "@@", "x @ y",
      "foo.bar@example.com", "jan.kowalski@uw.edu.pl", "mailto:a@b.com", "https://example.com/a/b?x=1&y=2#frag",
      "www.example.com", "http://x.y", "C++ and C#", "ab\xE2\x80\x8B" "cd", "soft\xC2\xAD" "hyphen",
      "e\xCC\x81x", "a.\xCC\x81" "b", "\xCC\x81" "a", "\xD7\x90'", "\xD7\x90'\xD7\x91", "\xD7\x90\"\xD7\x91", "\xD7\x90\"",
      "\xF0\x9F\x99\x82 emoji \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xF0\x9F\x87\xB5\xF0\x9F\x87\xB1 flag",
      "\xE2\x85\xA0\xE2\x85\xA1 roman", "\xE2\x93\x90 circled", "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 \xEB\xAC\xB8\xEC\x9E\xA5"};
  Spans sp;
  for (const char* t : texts) {
    INFO(t << "  " << sp.show());
    CHECK(sp.same(t));
    CHECK(sp.same(t, false));
  }
}

// Every assigned or unassigned code point in nine contexts; only the
// dictionary scripts (ICU segments them with word lists) may differ.
TEST_CASE("fast words equal ICU for every code point outside the dictionary scripts", "[text][icu]") {
  const char* contexts[] = {"aXb", "1X2", "X", "aX", "Xa", "XX", "X1", "1X", "a X b"};
  Spans sp;
  size_t checked = 0, differ = 0;
  for (const char* t : contexts) {
    for (uint32_t cp = 1; cp < 0x110000; ++cp) {
      if ((cp >= 0xD800 && cp < 0xE000) || dictionary_script(cp)) continue;
      std::string s;
      for (const char* p = t; *p; ++p) s += *p == 'X' ? utf8(cp) : std::string(1, *p);
      ++checked;
      if (!sp.same(s)) {
        if (++differ <= 10) FAIL_CHECK("U+" << std::hex << cp << " in " << t << ": " << sp.show());
      }
    }
  }
  CHECK(differ == 0);
  CHECK(checked > 9000000);
}

// Random strings over the characters the rules distinguish, so rule
// interactions (an Extend after a MidLetter, `_` between kinds, quotes after
// Hebrew letters...) are met in every order.
TEST_CASE("fast words equal ICU on random word-break sequences", "[text][icu]") {
  const uint32_t alphabet[] = {'a', 'Z', 0x0105, 0x0436, '7', 0x0663, '.', ',', ';', ':', '\'', '"', 0x2019, 0x00B7,
                               '_', 0x203F, 0x202F, ' ', '\n', '\t', '@', '-', '!', '?', 0x0301, 0x00AD, 0x200D,
                               0x200B, 0x05D0, 0x05D1, 0x30A2, 0xAC00, 0x1F642, 0x1F1F5, '/', '#', 0xFF0C, 0xFE55};
  uint64_t x = 0x9E3779B97F4A7C15ull;
  Spans sp;
  size_t differ = 0;
  for (int k = 0; k < 100000; ++k) {
    std::string s;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t len = 1 + x % 12;
    for (size_t j = 0; j < len; ++j) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      s += utf8(alphabet[x % (sizeof alphabet / sizeof alphabet[0])]);
    }
    if (!sp.same(s) || !sp.same(s, false)) {
      if (++differ <= 10) FAIL_CHECK(s << "  " << sp.show());
    }
  }
  CHECK(differ == 0);
}

TEST_CASE("sentences and segment counts", "[text]") {
  CHECK(text::reference::count_sentences("") == 0);
  CHECK(text::reference::count_sentences("One. Two! Three?") == 3);
  CHECK(text::reference::count_sentences("Pi is 3.14 exactly. Yes") == 2);
  CHECK(text::reference::count_sentences("line one\nline two\n\n") == 2);
  CHECK(text::reference::count_sentences("第一句。第二句。") == 2);
  auto c = text::reference::count_segment("Zażółć\n\n  \nx", 2);
  CHECK(c.bytes == 16);
  CHECK(c.chars == 12);
  CHECK(c.lines == 2);
}

TEST_CASE("redundancy with zlib matches Python's zlib.compress", "[text][metric]") {
  TextOptions o;
  o.compressor = CompressorSpec::parse("zlib:6");
  std::string fox;
  for (int i = 0; i < 3; ++i) fox += "The quick brown fox jumps over the lazy dog. ";
  // Expected values computed with: 1 - len(zlib.compress(t.encode(), 6)) / len(t.encode())
  CHECK(analyze("", fox, "", o).redundancy_ratio == Approx(0.5925925925925926).epsilon(1e-12));
  CHECK(analyze("", "Zażółć gęślą jaźń, liczba liczby liczb.", "", o).redundancy_ratio ==
        Approx(1.0 - 49.0 / 48.0).epsilon(1e-12));
  CHECK(analyze("", "a", "", o).redundancy_ratio == Approx(1.0 - 9.0).epsilon(1e-12));
  CHECK(std::isnan(analyze("q", "", "", o).redundancy_ratio));
}

TEST_CASE("symbolic fraction, duplicate lines and n-grams", "[text][metric]") {
  auto v = analyze("", "a+b = c!", "");
  CHECK(v.symbolic_fraction == Approx(0.5));
  v = analyze("", "x\ny\nx\n\nx", "");
  CHECK(v.dup_line_fraction == Approx(0.5));
  CHECK(v.dup_line_char_fraction == Approx(2.0 / 8.0));
  CHECK(v.dup_para_fraction == Approx(0.0));
  v = analyze("", "a b a b a", "");
  CHECK(v.top_ngram_char_fraction[0] == Approx(6.0 / 9.0));  // "a b" x 2 (first of the tied top)
  CHECK(v.top_ngram_char_fraction[1] == Approx(10.0 / 9.0)); // "a b a" x 2, as DataTrove counts
  const char* t = "one two three four five one two three four five";
  v = analyze("", t, "");
  CHECK(v.dup_ngram_char_fraction[0] == Approx(19.0 / 47.0));
  CHECK(v.dup_ngram_char_fraction[1] == Approx(0.0));
  v = analyze("", "para one\n\npara two\n\n\npara one", "");
  CHECK(v.dup_para_fraction == Approx(1.0 / 3.0));
}

TEST_CASE("alignment overlap, stemming and lexical flow", "[text][metric]") {
  auto v = analyze("How many apples does Tom have?", "Tom has 3 apples.", "3");
  CHECK(v.question_coverage == Approx(2.0 / 3.0));
  CHECK(v.answer_coverage == Approx(1.0));
  v = analyze("Podaj liczbę.", "Ta liczba jest parzysta.", "");
  CHECK(v.question_coverage == Approx(0.0));
  TextOptions stem;
  stem.stem_prefix = 5;
  v = analyze("Podaj liczbę.", "Ta liczba jest parzysta.", "", stem);
  CHECK(v.question_coverage == Approx(0.5));  // {podaj, liczb} -> liczb matches
  v = analyze("", "The cat sat. The cat ran.", "");
  CHECK(v.lexical_flow == Approx(1.0 / 3.0));
}

TEST_CASE("script mix and loops", "[text][metric]") {
  auto v = analyze("Ile to jest?", "Привет world", "");
  CHECK(v.foreign_script_fraction == Approx(6.0 / 11.0));
  std::string loop = "intro text. ";
  for (int i = 0; i < 40; ++i) loop += "abcdefghij";
  v = analyze("", loop, "");
  CHECK(v.tail_loop == 1.0);
  CHECK(v.tail_loop_fraction > 0.9);
  std::vector<int> z;
  auto tl = find_tail_loop(loop, z);
  CHECK(tl.period == 10);
  CHECK(analyze("", "no loop at the end of this short trace", "").tail_loop == 0.0);
}

TEST_CASE("flags", "[text][metric]") {
  TextAnalyzer an(TextOptions{});
  RecordText t;
  t.reasoning = "x";
  t.answer = "\\boxed{1}";
  t.state = TraceState::open_only;
  t.think_blocks = 2;
  RecordValues v = test::analyze_record(an, t);
  CHECK(v.truncated == 1);
  CHECK(v.multiple_think_blocks == 1);
  CHECK(v.boxed_present == 1);
  CHECK(v.answer_present == 1);
  CHECK(v.question_present == 0);
}

TEST_CASE("the scan's fast path for letter runs changes nothing", "[text][differential]") {
  // Random texts over an alphabet chosen to hit every boundary of the fast
  // path: ASCII and Latin-1/Extended-A letters and digits, the two non-letters
  // in that range (U+00D7, U+00F7), a Latin Extended-B letter, combining
  // marks, word-joining punctuation, sentence ends, other scripts, spaces.
  const char* alphabet[] = {"a", "Z", "q", "7", "0", "ą", "Ł", "ó", "ß", "É", "ÿ", "ž", "ƒ", "×", "÷", "\xCC\x81", "'",
                            "’", ".", ",", ":", "_", "-", "!", "?", "\"", " ", "  ", "\n", "\n\n", "\t", "我", "カ",
                            "ひ", "д", "Ж", "α", "١", "\\boxed{", "}", "$", "x^2", "\xC3", "\xE2\x80\x8B",
                            // long runs for the 16-byte SIMD step
                            "Supercalifragilistic", "12345678901234567", "abcdefghijklmno7", "Zażółćgęślą"};
  const size_t na = sizeof(alphabet) / sizeof(alphabet[0]);
  uint64_t seed = 0x9E3779B97F4A7C15ULL;
  auto rnd = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  TextOptions slow;
  slow.fast_runs = false;
  TextOptions stem;
  stem.stem_prefix = 3;
  TextOptions stem_slow = stem;
  stem_slow.fast_runs = false;
  // Every code point the fast path claims (U+00C0..U+017F) inside a word,
  // as the word, and next to a digit.
  for (uint32_t cp = 0xC0; cp < 0x180; ++cp) {
    std::string ch = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    std::string r = "ab" + ch + "cd " + ch + " 1" + ch + "2. " + ch + ch;
    RecordValues f = analyze("pytanie", r, "", TextOptions{}), g = analyze("pytanie", r, "", slow);
    INFO("U+" << std::hex << cp);
    CHECK(f.r.words == g.r.words);
    CHECK(f.symbolic_fraction == g.symbolic_fraction);
    CHECK(f.foreign_script_fraction == g.foreign_script_fraction);
  }
  for (int round = 0; round < 400; ++round) {
    std::string q, r, a;
    for (std::string* s : {&q, &r, &a}) {
      size_t len = rnd() % (s == &r ? 400 : 40);
      for (size_t k = 0; k < len; ++k) {
        std::string_view piece = alphabet[rnd() % na];
        if (piece == "\xC3") continue;  // a lone lead byte is not valid UTF-8: never reaches the scan
        *s += piece;
      }
    }
    INFO("round " << round << ": " << r);
    for (auto [fast_o, slow_o] : {std::pair{TextOptions{}, slow}, std::pair{stem, stem_slow}}) {
      RecordValues f = analyze(q, r, a, fast_o), g = analyze(q, r, a, slow_o);
      auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
      CHECK(same(f.q.words, g.q.words));
      CHECK(same(f.r.words, g.r.words));
      CHECK(same(f.a.words, g.a.words));
      CHECK(same(f.r.chars, g.r.chars));
      CHECK(same(f.r.sentences, g.r.sentences));
      CHECK(same(f.r.lines, g.r.lines));
      // The reference splitter (text/reference.h) agrees with the scan.
      const auto ref = text::reference::count_segment(r, 0);
      CHECK(f.r.sentences == ref.sentences);
      CHECK(f.r.lines == ref.lines);
      CHECK(f.r.chars == ref.chars);
      CHECK(f.q.sentences == text::reference::count_sentences(q));
      CHECK(f.a.sentences == text::reference::count_sentences(a));
      CHECK(same(f.symbolic_fraction, g.symbolic_fraction));
      CHECK(same(f.foreign_script_fraction, g.foreign_script_fraction));
      CHECK(same(f.question_coverage, g.question_coverage));
      CHECK(same(f.answer_coverage, g.answer_coverage));
      CHECK(same(f.lexical_flow, g.lexical_flow));
      for (int k = 0; k < 3; ++k) CHECK(same(f.top_ngram_char_fraction[k], g.top_ngram_char_fraction[k]));
      for (int k = 0; k < 6; ++k) CHECK(same(f.dup_ngram_char_fraction[k], g.dup_ngram_char_fraction[k]));
    }
  }
}

TEST_CASE("n-gram metrics equal a brute-force count over word tuples", "[text][metric]") {
  // Small vocabularies make long repeats common, which exercises the
  // refinement's live lists, its early exit and the greedy jumps.
  const char* vocab[] = {"a", "bb", "ccc", "dd", "e", "ffff", "g7"};
  uint64_t seed = 12345;
  auto rnd = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  // One analyzer across all rounds too: the n-gram state keeps its arrays
  // between records (stamps, all-ones counts), so a record must come out as
  // it does from a fresh analyzer whatever came before it.
  TextAnalyzer shared{TextOptions{}};
  for (int round = 0; round < 300; ++round) {
    size_t nv = 1 + rnd() % 7, nw = rnd() % 120;
    std::vector<std::string> w;
    std::string text;
    for (size_t k = 0; k < nw; ++k) {
      w.emplace_back(vocab[rnd() % nv]);
      text += (k ? " " : "") + w.back();
    }
    if (round % 5 == 0)  // a looping tail
      for (int rep = 0; rep < 6; ++rep)
        for (size_t k = 0; k < std::min<size_t>(w.size(), 4); ++k) {
          w.push_back(w[k]);
          text += " " + w[k];
        }
    if (text.empty()) continue;  // no trace: every n-gram metric is n/a (tested above)
    const double total = static_cast<double>(text.size());
    RecordValues v = analyze("", text, "");
    INFO("round " << round << ": " << text);
    {
      RecordText t;
      t.reasoning = text;
      t.state = TraceState::field;
      RecordValues sv = test::analyze_record(shared, t);
      for (int k = 0; k < 3; ++k) CHECK(sv.top_ngram_char_fraction[k] == v.top_ngram_char_fraction[k]);
      for (int k = 0; k < 6; ++k) CHECK(sv.dup_ngram_char_fraction[k] == v.dup_ngram_char_fraction[k]);
    }
    for (size_t n = 2; n <= 4; ++n) {
      double expect = 0;
      if (w.size() >= n) {
        std::map<std::vector<std::string>, std::pair<uint32_t, size_t>> c;  // count, first
        for (size_t i = 0; i + n <= w.size(); ++i) {
          auto& e = c[std::vector<std::string>(w.begin() + i, w.begin() + i + n)];
          if (e.first++ == 0) e.second = i;
        }
        uint32_t best = 0;
        size_t first = 0;
        for (auto& [g, e] : c)
          if (e.first > best || (e.first == best && e.second < first)) {
            best = e.first;
            first = e.second;
          }
        size_t len = n - 1;
        for (size_t k = 0; k < n; ++k) len += w[first + k].size();
        expect = static_cast<double>(len) * best / total;
      }
      CHECK(v.top_ngram_char_fraction[n - 2] == expect);
    }
    for (size_t n = 5; n <= 10; ++n) {
      std::set<std::vector<std::string>> seen;
      double rep = 0;
      size_t i = 0;
      while (i + n <= w.size()) {
        std::vector<std::string> g(w.begin() + i, w.begin() + i + n);
        if (seen.count(g)) {
          for (auto& x : g) rep += static_cast<double>(x.size());
          i += n;
        } else {
          seen.insert(g);
          ++i;
        }
      }
      CHECK(v.dup_ngram_char_fraction[n - 5] == rep / total);
    }
  }
}

TEST_CASE("alignment metrics from one analyzer across records equal a fresh analyzer's", "[text][metric]") {
  // The coverage marks and lexical-flow sentence numbers are tagged per
  // record and never cleared between records: whatever came before, a
  // record must come out as it does alone.
  const char* vocab[] = {"alpha", "beta", "gamma", "the", "of", "delta", "x1", "Beta", "ALPHA", ".", ". ", "\n"};
  XorShift rnd{777};
  TextAnalyzer shared{TextOptions{}};
  auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  for (int round = 0; round < 400; ++round) {
    std::string q, r, a;
    for (std::string* s : {&q, &r, &a}) {
      const size_t len = rnd() % (s == &r ? 80 : 8);
      for (size_t k = 0; k < len; ++k) *s += std::string(vocab[rnd() % 12]) + " ";
    }
    RecordText t;
    t.question = q;
    t.reasoning = r;
    t.answer = a;
    t.state = TraceState::field;
    const RecordValues sv = test::analyze_record(shared, t), v = analyze(q, r, a);
    INFO("round " << round << ": q=" << q << " r=" << r << " a=" << a);
    CHECK(same(sv.question_coverage, v.question_coverage));
    CHECK(same(sv.answer_coverage, v.answer_coverage));
    CHECK(same(sv.lexical_flow, v.lexical_flow));
  }
}

TEST_CASE("the tail-loop search equals a brute-force search over every period", "[text][metric]") {
  // The search tries the distances at which the last 160 bytes recur, and
  // falls back to a Z pass with many of them: both must give what trying
  // every period does (the shortest p with a suffix of period p that is
  // >= 3p and >= 256 bytes long, within the last 16 KiB).
  XorShift rnd{4242};
  auto brute = [](std::string_view s) {
    metrics::TailLoop out;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
      s.remove_suffix(1);
    const size_t n = std::min<size_t>(s.size(), 16384);
    if (n < 256) return out;
    const std::string_view w = s.substr(s.size() - n);
    for (size_t p = 1; p * 3 <= n; ++p) {
      size_t z = 0;
      while (z < n - p && w[n - 1 - z] == w[n - 1 - z - p]) ++z;
      if (p + z >= 3 * p && p + z >= 256) {
        out.found = true;
        out.period = p;
        out.covered = p + z;
        return out;
      }
    }
    return out;
  };
  std::vector<int> z;
  size_t found = 0;
  for (int round = 0; round < 400; ++round) {
    std::string s;
    const size_t head = rnd() % 20000;
    const int alpha = 2 + static_cast<int>(rnd() % 3);
    for (size_t k = 0; k < head; ++k) s += static_cast<char>('a' + rnd() % alpha);
    // A repeated unit (sometimes a single byte: many recurrences, the Z
    // pass), sometimes with a mutation inside the loop, sometimes too short.
    const size_t unit_len = 1 + rnd() % (round % 4 == 0 ? 3 : 400);
    std::string unit;
    for (size_t k = 0; k < unit_len; ++k) unit += static_cast<char>('a' + rnd() % alpha);
    const size_t reps = rnd() % (unit_len <= 3 ? 300 : 8);
    for (size_t k = 0; k < reps; ++k) s += unit;
    if (rnd() % 3 == 0 && !s.empty()) s[s.size() - 1 - rnd() % std::min<size_t>(s.size(), 2000)] = 'z';
    if (rnd() % 4 == 0) s += " \n";
    const metrics::TailLoop got = find_tail_loop(s, z), want = brute(s);
    INFO("round " << round << " head " << head << " unit " << unit_len << " reps " << reps);
    CHECK(got.found == want.found);
    CHECK(got.period == want.period);
    CHECK(got.covered == want.covered);
    found += want.found;
  }
  CHECK(found > 50);  // the rounds exercise real loops, not only misses
}

TEST_CASE("duplicate lines and paragraphs equal DataTrove's splitting, counted naively", "[text][metric]") {
  // Lines are re.split("\n+", text), paragraphs re.split("\n{2,}",
  // text.strip()); a paragraph that is one whole line reuses that line's
  // hash in rsq, so paragraphs that start or end like a line, or hold one,
  // are the cases to get right.
  const char* pieces[] = {"a", "b c", "a", " ", "  ", "\t", "\n", "\n", "\n\n", "\n\n\n", "x y", "a\nb"};
  XorShift rnd{99};
  auto split = [](std::string_view t, size_t min_run) {
    std::vector<std::string> out;
    size_t b = 0, i = 0;
    while (i < t.size()) {
      if (t[i] != '\n') {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < t.size() && t[j] == '\n') ++j;
      if (j - i >= min_run) {
        out.emplace_back(t.substr(b, i - b));
        b = j;
      }
      i = j;
    }
    out.emplace_back(t.substr(b));
    return out;
  };
  auto dup = [](const std::vector<std::string>& ps, double chars, double& frac, double& char_frac) {
    std::set<std::string> seen;
    size_t d = 0, dc = 0;
    for (const auto& p : ps)
      if (!seen.insert(p).second) {
        ++d;
        dc += p.size();
      }
    frac = ps.empty() ? 0.0 : static_cast<double>(d) / static_cast<double>(ps.size());
    char_frac = chars > 0 ? static_cast<double>(dc) / chars : 0.0;
  };
  TextAnalyzer shared{TextOptions{}};
  for (int round = 0; round < 2000; ++round) {
    std::string r;
    const size_t len = 1 + rnd() % 30;
    for (size_t k = 0; k < len; ++k) r += pieces[rnd() % 12];
    if (round % 2 && r.find_first_not_of(" \t\n") == std::string::npos) r += "z";  // else white space only
    std::string_view stripped = r;
    while (!stripped.empty() && std::string_view(" \t\n").find(stripped.front()) != std::string_view::npos)
      stripped.remove_prefix(1);
    while (!stripped.empty() && std::string_view(" \t\n").find(stripped.back()) != std::string_view::npos)
      stripped.remove_suffix(1);
    double lf, lcf, pf, pcf;
    dup(split(r, 1), static_cast<double>(r.size()), lf, lcf);
    dup(split(stripped, 2), static_cast<double>(r.size()), pf, pcf);
    RecordText t;
    t.reasoning = r;
    t.state = TraceState::field;
    const RecordValues v = test::analyze_record(shared, t);
    INFO("round " << round << ": [" << r << "]");
    CHECK(v.dup_line_fraction == Approx(lf).margin(1e-12));
    CHECK(v.dup_line_char_fraction == Approx(lcf).margin(1e-12));
    CHECK(v.dup_para_fraction == Approx(pf).margin(1e-12));
    CHECK(v.dup_para_char_fraction == Approx(pcf).margin(1e-12));
  }
}

// word_key inlines hash_bytes for 9..16-byte words; it must stay the same
// value (folded forms are keyed by the same function either way, but the
// inline copy must not drift from the function the other callers use).
TEST_CASE("word_key of a long word is hash_bytes of its bytes", "[text]") {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 2000; ++round) {
    char buf[40];
    for (auto& c : buf) c = static_cast<char>(rng());
    const size_t len = 9 + round % 24;  // 9..32: the inlined lengths and the called ones
    CHECK(rsq::text::word_key(buf, len, buf + sizeof buf) == rsq::text::hash_bytes(buf, len));
    CHECK(rsq::text::word_key(buf, len, buf + len) == rsq::text::hash_bytes(buf, len));
  }
}

TEST_CASE("interning across records: a long-lived vocabulary gives a fresh one's ids", "[text]") {
  // The lexicon caches each word's fold and stop flag across records and is
  // flushed once it holds max_words words; neither may show in the ids. One
  // vocabulary of each flush limit interns a stream of records, a fresh one
  // each record alone: ids, form ids, stop flags and counts must agree.
  // The stream repeats words across records (the cache's hits), brings new
  // ones (its growth past the first 4,096 slots and its flushes), and mixes
  // capitals, Polish letters, stop words, and words past 8 and 16 bytes.
  const char* common[] = {"the", "The", "of", "się", "Się", "że", "alpha", "ALPHA", "Żółw", "żółw", "x", "is",
                          "extraordinarily", "Extraordinarily", "internationalization", "a", "Let's", "let's"};
  XorShift rnd{4242};
  for (int stem : {0, 3}) {
    text::Vocabulary small(stem, 50), big(stem);
    TextAnalyzer splitter{TextOptions{}};
    size_t checked = 0;
    for (int round = 0; round < 300; ++round) {
      std::string s;
      const size_t len = round == 150 ? 12000 : rnd() % 200;  // one record grows the table mid-record
      for (size_t k = 0; k < len; ++k) {
        const uint64_t x = rnd();
        if (x % 3) {
          s += common[x % 18];
        } else {
          static const char* stems[] = {"w", "Wor", "zażó", "longprefixword", "n"};
          s += std::string(stems[(x >> 8) % 5]) + std::to_string((x >> 16) % (round == 150 ? 20000 : 700));
        }
        s += ' ';
      }
      std::vector<Token> base;
      splitter.tokenize(s, base);
      std::vector<Token> fresh_t = base, small_t = base, big_t = base;
      text::Vocabulary fresh(stem);
      fresh.begin_record();
      fresh.intern(s, fresh_t);
      small.begin_record();
      small.intern(s, small_t);
      big.begin_record();
      big.intern(s, big_t);
      INFO("stem " << stem << " round " << round);
      CHECK(small.words() == fresh.words());
      CHECK(small.forms() == fresh.forms());
      CHECK(big.words() == fresh.words());
      CHECK(big.forms() == fresh.forms());
      bool same = true;
      for (size_t k = 0; k < base.size(); ++k)
        for (const auto* v : {&small_t, &big_t})
          same = same && (*v)[k].id == fresh_t[k].id && (*v)[k].fid == fresh_t[k].fid &&
                 (*v)[k].stop == fresh_t[k].stop;
      CHECK(same);
      checked += base.size();
    }
    CHECK(checked > 40000);
  }
}

TEST_CASE("hash_text: equal bytes hash equal, and every one-byte change of every length changes it", "[text]") {
  // The duplicate-line counts trust 64-bit equality; this checks the
  // properties they need on the inputs they see: the value depends on the
  // bytes only (not the address), and on every byte of every length up to
  // three blocks past the 16-byte step (the tail's overlapping loads).
  std::mt19937_64 rng(11);
  std::vector<char> a(80), b(96);
  std::set<uint64_t> seen;
  for (size_t len = 0; len <= 64; ++len) {
    for (auto& c : a) c = static_cast<char>(' ' + rng() % 95);
    std::copy(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(len), b.begin() + 13);  // another alignment
    const uint64_t h = rsq::text::hash_text(a.data(), len);
    CHECK(h == rsq::text::hash_text(b.data() + 13, len));
    seen.insert(h);
    for (size_t k = 0; k < len; ++k) {
      const char was = a[k];
      a[k] = static_cast<char>(was ^ (1 << (k % 7)));
      seen.insert(rsq::text::hash_text(a.data(), len));
      a[k] = was;
    }
  }
  CHECK(seen.size() == 65 + 64 * 65 / 2);  // no two of the 2,145 inputs collide
}
