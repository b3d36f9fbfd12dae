// The tokenizer's pure parts on hand-made tokenizer.json files: pattern
// translation, the merge table, the two merge loops against each other,
// byte fallback and unknown tokens, added tokens, normalizers, the split
// behaviours, and refusals. Exactness on real files is the differential
// test's (tests/tokenizers/check_tokenizers.py).
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "rsq/error.h"
#include "tokenizer/bpe.h"
#include "tokenizer/tokenizer.h"

using namespace rsq;

namespace {

std::vector<uint32_t> ids(tok::Encoder& e, std::string_view s) {
  std::vector<uint32_t> out;
  REQUIRE(e.encode(s, out));
  return out;
}

// SentencePiece style: ▁ prepended, spaces to ▁, byte fallback for 'A'.
const char* kSp = R"({
  "added_tokens": [{"id": 7, "content": "<s>", "special": true, "normalized": false,
                    "lstrip": false, "rstrip": false, "single_word": false}],
  "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                 {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
  "pre_tokenizer": null,
  "model": {"type": "BPE", "byte_fallback": true, "fuse_unk": true, "unk_token": "<unk>",
            "vocab": {"\u2581": 0, "a": 1, "b": 2, "ab": 3, "\u2581ab": 4, "<0x41>": 5, "<unk>": 6, "<s>": 7},
            "merges": ["a b", "\u2581 ab"]}
})";

}  // namespace

TEST_CASE("patterns: \\s and \\S become White_Space classes", "[tokenizer]") {
  std::string p = tok::translate_pattern("\\s+(?!\\S)", "t");
  CHECK(p.find("\\x{85}") != std::string::npos);
  CHECK(p.find("[^") != std::string::npos);
  std::string in_class = tok::translate_pattern("[^\\s\\p{L}]", "t");
  CHECK(in_class.rfind("[^\\t", 0) == 0);
  CHECK(in_class.find("\\p{L}]") != std::string::npos);
  CHECK_THROWS_AS(tok::translate_pattern("[\\S]", "t"), Error);
  CHECK(tok::translate_pattern("a\\\\s", "t") == "a\\\\s");  // an escaped backslash, then a plain s
}

TEST_CASE("the merge table keeps the last rank of a pair, as Hugging Face's map does", "[tokenizer]") {
  tok::MergeTable m;
  m.reserve(2);
  for (uint32_t i = 0; i < 1000; ++i) m.put(i, i + 1, i, i + 5000);
  m.put(3, 4, 9999, 77);
  CHECK(m.size() == 1000);
  CHECK(m.find(3, 4) == ((uint64_t{9999} << 32) | 77));
  CHECK(m.find(10, 11) == ((uint64_t{10} << 32) | 5010));
  CHECK(m.find(11, 10) == ~uint64_t{0});
}

TEST_CASE("byte fallback, fused unknowns, prepend and added tokens", "[tokenizer]") {
  auto t = tok::Tokenizer::parse(kSp, "sp.json");
  tok::Encoder e(t);
  CHECK(ids(e, "ab ab") == std::vector<uint32_t>{4, 4});
  CHECK(ids(e, "A") == std::vector<uint32_t>{0, 5});          // ▁ then <0x41>
  CHECK(ids(e, "\xC3\xA9\xC3\xA9") == std::vector<uint32_t>{0, 6});  // é é: no <0xC3>, one fused <unk>
  CHECK(ids(e, "").empty());
  // Each stretch between added tokens is normalized on its own: ▁ again after <s>.
  CHECK(ids(e, "ab<s>ab") == std::vector<uint32_t>{4, 7, 4});
  CHECK(ids(e, "<s>") == std::vector<uint32_t>{7});
  std::vector<uint32_t> out;
  CHECK_FALSE(e.encode("\xFF", out));
  CHECK(e.count("\xFF") == -1);
}

TEST_CASE("the linear and the heap merge loops agree", "[tokenizer]") {
  // Every string over {a, b, c} up to 4 letters is a token; merges of random
  // pairs in a random order.
  std::string vocab = "{";
  std::vector<std::string> strs;
  for (int len = 1; len <= 4; ++len) {
    int n = 1;
    for (int k = 0; k < len; ++k) n *= 3;
    for (int x = 0; x < n; ++x) {
      std::string s;
      for (int k = 0, v = x; k < len; ++k, v /= 3) s += static_cast<char>('a' + v % 3);
      strs.push_back(s);
    }
  }
  for (size_t i = 0; i < strs.size(); ++i) vocab += (i ? "," : "") + std::string("\"") + strs[i] + "\":" + std::to_string(i);
  vocab += "}";
  std::mt19937 rng(7);
  std::vector<std::string> merges;
  for (const auto& l : strs)
    for (const auto& r : strs)
      if (l.size() + r.size() <= 4) merges.push_back("\"" + l + " " + r + "\"");
  std::shuffle(merges.begin(), merges.end(), rng);
  std::string m = "[";
  for (size_t i = 0; i < merges.size(); ++i) m += (i ? "," : "") + merges[i];
  m += "]";
  auto t = tok::Tokenizer::parse(R"({"model": {"type": "BPE", "vocab": )" + vocab + R"(, "merges": )" + m + "}}", "abc.json");
  tok::Encoder e(t);
  std::vector<uint32_t> a, b;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 120);
    for (int k = 0; k < n; ++k) s += static_cast<char>('a' + rng() % 3);
    e.bpe_piece(s, a, false);
    e.bpe_piece(s, b, true);
    REQUIRE(a == b);
  }
}

TEST_CASE("a SentencePiece text is cut before \u2581 runs only where no token crosses", "[tokenizer]") {
  // "a\u2581" and "a\u2581b" cross the start of a \u2581 run: "a b" must merge
  // whole (a\u2581b), not as a | \u2581b.
  auto t = tok::Tokenizer::parse(R"({"normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"},
    "model": {"type": "BPE", "vocab": {"\u2581": 0, "a": 1, "b": 2, "\u2581b": 3, "a\u2581": 4, "a\u2581b": 5},
              "merges": ["a \u2581", "a\u2581 b", "\u2581 b"]}})", "cross.json");
  REQUIRE(t->model.cut_before_space);
  REQUIRE(t->model.crossing.size() == 2);
  tok::Encoder e(t);
  CHECK(ids(e, "a b") == std::vector<uint32_t>{5});
  CHECK(ids(e, "b b") == std::vector<uint32_t>{2, 3});  // cut: b | \u2581b
  std::vector<uint32_t> whole;
  e.bpe_piece("b\u2581b", whole, true);
  CHECK(whole == std::vector<uint32_t>{2, 3});
}

TEST_CASE("Metaspace: prepend schemes and the split before every replacement", "[tokenizer]") {
  auto make = [](const char* scheme, bool split) {
    return tok::Tokenizer::parse(std::string(R"({"added_tokens": [{"id": 5, "content": "<s>", "special": true, "normalized": false}],
      "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": ")") + scheme + R"(", "split": )" +
                                     (split ? "true" : "false") + R"(},
      "model": {"type": "BPE", "vocab": {"\u2581": 0, "a": 1, "\u2581a": 2, "\u2581\u2581": 3, "b": 4, "<s>": 5},
                "merges": ["\u2581 \u2581", "\u2581 a"]}})",
                                 "meta.json");
  };
  auto enc = [](const std::shared_ptr<const tok::Tokenizer>& t, std::string_view s) {
    tok::Encoder e(t);
    return ids(e, s);
  };
  // "  a" is "\u2581\u2581a": whole, \u2581\u2581 merges first; split, \u2581 | \u2581a.
  CHECK(enc(make("always", false), "  a") == std::vector<uint32_t>{3, 1});
  CHECK(enc(make("always", true), "  a") == std::vector<uint32_t>{0, 2});
  // "first": only the stretch that begins the text gets the prefix.
  CHECK(enc(make("first", false), "a<s>a") == std::vector<uint32_t>{2, 5, 1});
  CHECK(enc(make("always", false), "a<s>a") == std::vector<uint32_t>{2, 5, 2});
  CHECK(enc(make("never", false), "a") == std::vector<uint32_t>{1});
  CHECK(enc(make("first", false), "<s>a") == std::vector<uint32_t>{5, 1});
}

TEST_CASE("split behaviours", "[tokenizer]") {
  auto make = [](const char* behavior, bool invert) {
    std::string j = R"({"pre_tokenizer": {"type": "Split", "pattern": {"String": "-"}, "behavior": ")" +
                    std::string(behavior) + R"(", "invert": )" + (invert ? "true" : "false") +
                    R"(}, "model": {"type": "BPE", "vocab": {"a": 0, "-": 1, "a-": 2, "-a": 3, "aa": 4},
                        "merges": ["a -", "- a", "a a"]}})";
    return tok::Tokenizer::parse(j, "split.json");
  };
  auto run = [](const std::shared_ptr<const tok::Tokenizer>& t, const char* s) {
    tok::Encoder e(t);
    std::vector<uint32_t> out;
    e.encode(s, out);
    return out;
  };
  // "a-a": pieces a | - | a, then the model per piece.
  CHECK(run(make("Isolated", false), "a-a") == std::vector<uint32_t>{0, 1, 0});
  CHECK(run(make("Removed", false), "a-a") == std::vector<uint32_t>{0, 0});
  CHECK(run(make("MergedWithPrevious", false), "a-a") == std::vector<uint32_t>{2, 0});
  CHECK(run(make("MergedWithNext", false), "a-a") == std::vector<uint32_t>{0, 3});
  CHECK(run(make("Contiguous", false), "a--a") == std::vector<uint32_t>{0, 1, 1, 0});
  CHECK(run(make("Removed", true), "a-a") == std::vector<uint32_t>{1});  // keep the matches only
}

TEST_CASE("unsupported components are refused by name", "[tokenizer]") {
  auto refused = [](const std::string& j) {
    try {
      tok::Tokenizer::parse(j, "x.json");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::usage);
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string bpe = R"("model": {"type": "BPE", "vocab": {"a": 0}, "merges": []})";
  CHECK(refused(R"({"model": {"type": "WordPiece", "vocab": {}}})").find("WordPiece") != std::string::npos);
  CHECK(refused(R"({"pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"String": "x"},
                   "behavior": "Isolated"}, {"type": "Metaspace", "replacement": "_"}]}, )" + bpe + "}")
            .find("Metaspace pre-tokenizer after another") != std::string::npos);
  CHECK(refused(R"({"pre_tokenizer": {"type": "Whitespace"}, )" + bpe + "}").find("Whitespace") != std::string::npos);
  CHECK(refused(R"({"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": true}, )" + bpe + "}").find("add_prefix_space") !=
        std::string::npos);
  CHECK(refused(R"({"model": {"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}})").find("dropout") != std::string::npos);
  CHECK(refused(R"({"normalizer": {"type": "BertNormalizer"}, )" + bpe + "}").find("BertNormalizer") != std::string::npos);
  CHECK(refused("[1, 2]").find("not a tokenizer.json") != std::string::npos);
}
