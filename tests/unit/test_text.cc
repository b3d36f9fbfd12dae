// Known-answer tests for the text pass and the ICU differential test for the
// fast word splitter.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "metrics/loops.h"
#include "rsq/text.h"
#include "text/reference.h"
#include "text/scan.h"
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

TEST_CASE("fast words agree with ICU on English and Polish text", "[text][icu]") {
  const char* texts[] = {
      "Let me think about this step by step. First, 48 / 2 = 24, so she sold 24 clips in May.",
      "Zatem 669 razy 50 daje 33 450. Rozważmy teraz stosunek, który się upraszcza: 3,5 oraz 2.75.",
      "Wait -- isn't that wrong? Let's re-check: (a+b)^2 = a^2 + 2ab + b^2, i.e. 9.",
      "Kodeks cywilny, art. 18 § 2 k.k.: podżeganie – nakłanianie innej osoby do popełnienia czynu.",
      "The U.S. economy grew 3.1% in Q2; analysts' forecasts (\"2.8%\") were too low.",
      "Naïve façade résumé coöperate — it’s fine; we’re done.",
      "Numbers: 1,234.56 and 7.8.9 and 10,11 and x.y and 3:45."};
  for (const char* t : texts) {
    INFO(t);
    CHECK(words(t) == icu_word_count(t));
  }
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
