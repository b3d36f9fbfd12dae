// Differential tests of the scan's mask path (text/byteclass.h, text/scan.cc):
// every byte-class kernel gives the scalar kernel's masks, and the scan with
// each kernel gives exactly what the per-character path gives (the
// reference: fast paths off) — every counter, every token, every sentence
// and line span — over random and adversarial texts at every alignment.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "text/byteclass.h"
#include "text/scan.h"

using namespace rsq;
using rsq::text::ByteMasks;
using rsq::text::Kernel;
using rsq::text::Token;

namespace {
uint64_t g_seed = 0x2545F4914F6CDD1DULL;
uint64_t rnd() {  // boilerplate: xorshift64
  g_seed ^= g_seed << 13;
  g_seed ^= g_seed >> 7;
  g_seed ^= g_seed << 17;
  return g_seed;
}

struct Result {
  std::vector<Token> tokens;
  text::Scan sc;
  int dominant = -1;
};

Result scan_with(std::string_view s, int qscript, bool fast, text::ClassifyFn masks, bool keep = true) {
  text::Scanner scanner;
  scanner.fast_runs = fast;
  scanner.masks = masks;
  scanner.keep_tokens = keep;
  scanner.begin_record();
  Result r;
  scanner.scan(s, r.tokens, r.sc, qscript);
  if (qscript == -2) r.dominant = scanner.dominant(r.sc);
  return r;
}

// What differs between two results, or "" when nothing does.
std::string diff(const Result& a, const Result& b) {
  const text::Scan &x = a.sc, &y = b.sc;
#define RSQ_FIELD(f) \
  if (x.f != y.f) return #f ": " + std::to_string(x.f) + " vs " + std::to_string(y.f);
  RSQ_FIELD(chars) RSQ_FIELD(nonws) RSQ_FIELD(sym) RSQ_FIELD(letters) RSQ_FIELD(foreign) RSQ_FIELD(lines)
  RSQ_FIELD(words)
#undef RSQ_FIELD
  for (int k = 0; k < 8; ++k)
    if (x.script_counts[k] != y.script_counts[k]) return "script_counts[" + std::to_string(k) + "]";
  if (a.dominant != b.dominant) return "dominant script";
  if (x.sentences != y.sentences) return "sentences";
  if (x.line_spans != y.line_spans) return "line spans";
  if (a.tokens.size() != b.tokens.size()) return "token count";
  for (size_t k = 0; k < a.tokens.size(); ++k) {
    const Token &s = a.tokens[k], &t = b.tokens[k];
    if (s.off != t.off || s.len != t.len || s.chars != t.chars)
      return "token " + std::to_string(k) + ": " + std::to_string(s.off) + "+" + std::to_string(s.len) + " vs " +
             std::to_string(t.off) + "+" + std::to_string(t.len);
  }
  return "";
}

std::vector<Kernel> kernels() {
  std::vector<Kernel> v;
  for (Kernel k : {Kernel::scalar, Kernel::sse2, Kernel::avx2})
    if (text::classifier(k)) v.push_back(k);
  return v;
}
}  // namespace

TEST_CASE("the mask classes agree with the character tables", "[text][scan]") {
  // If this fails, ICU's tables moved under the kernels: the scan has
  // silently fallen back to its per-character path (correct, but slow).
  CHECK(text::masks_agree());
  CHECK(text::best_kernel() != Kernel::none);
  INFO("best kernel: " << text::kernel_name(text::best_kernel()));
  CHECK(text::classifier(text::best_kernel()) != nullptr);
}

TEST_CASE("byte-class kernels agree", "[text][scan][differential]") {
  const auto ks = kernels();
  INFO("kernels on this CPU: " << ks.size());
  REQUIRE(ks.size() >= 1);
  auto ref = text::classifier(Kernel::scalar);
  unsigned char buf[64];
  auto check = [&] {
    ByteMasks want, got;
    ref(buf, want);
    for (Kernel k : ks) {
      text::classifier(k)(buf, got);
      INFO(text::kernel_name(k));
      REQUIRE(got.alnum == want.alnum);
      REQUIRE(got.digit == want.digit);
      REQUIRE(got.space == want.space);
      REQUIRE(got.newline == want.newline);
      REQUIRE(got.hard == want.hard);
    }
  };
  // Every byte value at every position, in a field of every other value.
  for (int v = 0; v < 256; ++v)
    for (int pos = 0; pos < 64; ++pos) {
      for (int k = 0; k < 64; ++k) buf[k] = static_cast<unsigned char>((v + 1 + k * 37) & 0xFF);
      buf[pos] = static_cast<unsigned char>(v);
      check();
    }
  for (int round = 0; round < 20000; ++round) {
    for (auto& b : buf) b = static_cast<unsigned char>(rnd());
    check();
  }
}

TEST_CASE("mask scan equals the per-character scan", "[text][scan][differential]") {
  // Pieces: every ASCII byte alone (each control, each punctuation mark with
  // or without a word-break rule), letter and digit runs longer than a
  // block, white space runs, multi-byte letters next to ASCII, marks, ZWJ
  // and emoji, CJK, the terminators and their closing runs.
  std::vector<std::string> pieces;
  for (int b = 1; b < 128; ++b) pieces.emplace_back(1, static_cast<char>(b));
  for (const char* p : {"a", "Z", "q", "7", "0", "ab", "x1", "the ", "and ", "don't", "3.14", "1,000", "a_b", "e@x.io",
                        "Supercalifragilisticexpialidocious", "123456789012345678901234567890123456789012345678901234567890123456789",
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                        "ą", "Ł", "ó", "ß", "É", "×", "÷", "ƒ", "д", "α", "א", "١", "\xCC\x81", "\xE2\x80\x8D", "\xF0\x9F\x98\x80",
                        "\xE2\x80\xAF", "\xC2\xA0", "我", "カ", "ひ", "한", "。", "！", "’", "…", "\xEF\xBC\x9A",
                        " ", "  ", "\n", "\n\n", " \n ", "\t", "\r\n", "...", "?!", ".\"", ".)", "\\frac{a}{b}", "$x^2$"})
    pieces.emplace_back(p);
  const auto ks = kernels();
  size_t compared = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string s;
    // Random prefix padding moves every piece across block boundaries.
    const size_t len = rnd() % (round % 10 == 0 ? 2000 : 200);
    s.append(rnd() % 70, 'w');
    while (s.size() < len) s += pieces[rnd() % pieces.size()];
    for (int qscript : {-1, -2, 25, 17, 8}) {
      const Result want = scan_with(s, qscript, false, nullptr);
      const Result runs_only = scan_with(s, qscript, true, nullptr);
      INFO("round " << round << " qscript " << qscript << " text: " << s);
      REQUIRE(diff(runs_only, want) == "");
      for (Kernel k : ks) {
        INFO(text::kernel_name(k));
        REQUIRE(diff(scan_with(s, qscript, true, text::classifier(k)), want) == "");
        // Without tokens, the same counts.
        const Result counts = scan_with(s, qscript, true, text::classifier(k), false);
        REQUIRE(counts.sc.words == want.sc.words);
        REQUIRE(counts.tokens.empty());
        ++compared;
      }
    }
  }
  CHECK(compared >= 6000 * 5);
}

TEST_CASE("mask scan on every split of a text at block edges", "[text][scan][differential]") {
  // One text with every kind of boundary, scanned from every start offset
  // and cut at every end offset near the 64-byte edges.
  const std::string base =
      "Let me think. The answer's 3.14, isn't it? Yes!\n\nNow x_1 = 42; e@x.io (see [1]).\r\n"
      "Zażółć gęślą jaźń — naïve façade. 我们 カタカナ \xE2\x80\x8D\xF0\x9F\x98\x80 end...\n"
      "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww 123\n";
  for (Kernel k : kernels())
    for (size_t b = 0; b < base.size(); ++b)
      for (size_t e : {b + 1, b + 63, b + 64, b + 65, b + 127, b + 128, b + 129, base.size()}) {
        if (e > base.size()) continue;
        std::string s = base.substr(b, e - b);
        // Cut inside a multi-byte character: skip (the scan only sees valid UTF-8).
        auto cont = [](unsigned char c) { return (c & 0xC0) == 0x80; };
        if (cont(static_cast<unsigned char>(s[0])) || (e < base.size() && cont(static_cast<unsigned char>(base[e]))))
          continue;
        INFO(text::kernel_name(k) << " [" << b << ", " << e << ")");
        REQUIRE(diff(scan_with(s, -1, true, text::classifier(k)), scan_with(s, -1, false, nullptr)) == "");
      }
}
