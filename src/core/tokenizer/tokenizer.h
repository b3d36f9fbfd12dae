// tokenizer/tokenizer.h (internal) — Hugging Face `tokenizer.json` BPE
// tokenizers, exactly as the file says: added tokens, normalizers,
// pre-tokenizers and the BPE model (byte-level, GPT-2 style, and
// SentencePiece style with byte fallback). A Tokenizer is loaded once
// (load.cc) and shared read-only by every worker; each worker encodes with
// its own Encoder (encode.cc), which holds the regex match state and a cache
// of pieces. What is supported and what is refused: docs/tokenizers.md.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rsq/settings.h"

namespace rsq::tok {

// A PCRE2 pattern compiled once (JIT when available), matched by many
// threads, each with its own Matcher (regex.cc). `\s` and `\S` mean
// Unicode White_Space, as in Hugging Face's Oniguruma and Rust's regex.
class Regex {
 public:
  explicit Regex(const std::string& pattern, const std::string& where);  // throws Error(usage)
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  void* code() const { return code_; }
  bool jit() const { return jit_; }

 private:
  void* code_ = nullptr;
  bool jit_ = false;
};

class Matcher {
 public:
  Matcher();
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;
  // The matches of re in s, left to right without overlap, as [start, end)
  // byte offsets appended to out. s must be valid UTF-8 (checked once per
  // subject by the caller). Throws Error(data) when the match cannot
  // complete (a match limit: pathological input).
  void find_all(const Regex& re, std::string_view s, std::vector<std::pair<uint32_t, uint32_t>>& out);

 private:
  void* data_ = nullptr;
  void* context_ = nullptr;
  void* stack_ = nullptr;
};

// The PCRE2 pattern for a pattern of tokenizer.json (regex.cc, exposed for
// tests): \s/\S become explicit White_Space classes.
std::string translate_pattern(std::string_view pattern, const std::string& where);

enum class NormKind { nfc, nfd, nfkc, nfkd, prepend, replace };
struct NormStep {
  NormKind kind;
  std::string text;                 // prepend: what; replace: the literal pattern
  std::string content;              // replace: the replacement
  std::shared_ptr<const Regex> re;  // replace with a Regex pattern
};

enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };
struct PreStep {
  enum Kind { split, byte_level, metaspace } kind;
  std::shared_ptr<const Regex> re;  // split with a Regex pattern; byte_level with use_regex
  std::string literal;              // split with a String pattern; metaspace: the replacement
  SplitBehavior behavior = SplitBehavior::isolated;
  bool invert = false;
  // Metaspace (only as the first pre-tokenizer): spaces become the
  // replacement, which is prepended always, only to the text's first piece
  // (Hugging Face's "first": original offset 0), or never; split = cut
  // before every replacement (MergedWithNext).
  enum Prepend { always, first, never } prepend = always;
  bool split_on_replacement = true;
};

struct AddedToken {
  std::string content;
  uint32_t id;
  bool special, normalized;
};

// (left id, right id) -> (rank, merged id): open addressing, linear probing.
class MergeTable {
 public:
  void reserve(size_t n);
  void put(uint32_t a, uint32_t b, uint32_t rank, uint32_t id);  // a later rank replaces (HF keeps the last)
  // rank in the high half, merged id in the low half; ~0 if none.
  uint64_t find(uint32_t a, uint32_t b) const {
    const uint64_t k = key(a, b);
    for (size_t i = mix(k) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].k == k) return slots_[i].v;
      if (slots_[i].k == kEmpty) return ~uint64_t{0};
    }
  }
  size_t size() const { return n_; }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t key(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }
  static uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
  }
  struct Slot {
    uint64_t k = kEmpty, v = 0;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0, n_ = 0;
};

struct Model {
  bool byte_level = false;  // the vocabulary is written in GPT-2's byte alphabet (a ByteLevel pre-tokenizer)
  bool byte_fallback = false, fuse_unk = false, ignore_merges = false;
  int64_t unk = -1;
  // Token strings as raw bytes (byte-level tokens decoded from the alphabet)
  // and their ids; a token that is not a byte string of the alphabet is in
  // `tokens` only.
  std::unordered_map<std::string, uint32_t> vocab;
  std::vector<std::string> tokens;  // id -> raw bytes ("" for unused ids)
  MergeTable merges;
  int64_t byte_token[256];      // byte-level: the id of each single byte
  int64_t fallback_token[256];  // byte fallback: the id of <0xXX>
  // SentencePiece style: the id of each BMP code point that is a token, -1
  // if none; the other code points are looked up in vocab.
  std::vector<int32_t> char_token;
  // SentencePiece style without a pre-tokenizer, the whole text is one
  // piece. A merge can join across the start of a "▁" run (a "▁" right after
  // another character) only into a token that has such a start inside it;
  // where no such token occurs in the text across that point, the piece is
  // cut there and each part cached: the same ids, found piece by piece.
  // On when "▁" is a token, ignore_merges is off and at most 64 tokens
  // cross (Gemma 3 has one, ">▁</"; Llama 2 none).
  bool cut_before_space = false;
  // The tokens that cross, with the byte offsets of their crossing "▁"s.
  std::vector<std::pair<std::string, std::vector<size_t>>> crossing;
};

struct Tokenizer {
  // Reads and checks a tokenizer.json; throws Error(usage) naming the file
  // and the unsupported component, Error(io) when it cannot be read.
  static std::shared_ptr<const Tokenizer> load(const std::string& path);
  static std::shared_ptr<const Tokenizer> parse(std::string_view json, const std::string& name);

  TokenizerIdentity identity;
  std::vector<NormStep> normalizer;
  std::vector<PreStep> pre;
  Model model;
  std::vector<AddedToken> added;  // as the file lists them
  // Where added tokens are looked for: those with normalized: false in the
  // raw text, the others in the normalized text (their content normalized
  // too), leftmost-longest, as Hugging Face's AddedVocabulary does.
  struct AddedIndex {
    bool first[256] = {};
    bool any = false;
    // Candidates by their first two bytes (one-byte tokens: 0x10000 | byte),
    // longest first: (content, id).
    std::unordered_map<uint32_t, std::vector<std::pair<std::string, uint32_t>>> by_prefix;
  } raw, norm;
};

// Builds Tokenizer::raw and ::norm from `added` (encode.cc).
void index_added(Tokenizer& t);
// The normalizer of t applied to s (normalize.cc); s must be valid UTF-8.
class Matcher;
void normalize(const Tokenizer& t, std::string_view s, std::string& out, Matcher& m);

// Per worker: encodes text with one shared Tokenizer.
class Encoder {
 public:
  explicit Encoder(std::shared_ptr<const Tokenizer> t);
  ~Encoder();
  // The token ids of text as Hugging Face's tokenizer.encode(text,
  // add_special_tokens=False) gives them. False (ids cleared) when text is
  // not valid UTF-8.
  bool encode(std::string_view text, std::vector<uint32_t>& ids);
  // The number of ids encode gives; -1 if text is not valid UTF-8.
  int64_t count(std::string_view text);
  // Frees scratch sized by a large text and the piece cache.
  void trim();
  // For tests: BPE of one piece with the quadratic or the heap algorithm.
  void bpe_piece(std::string_view piece, std::vector<uint32_t>& ids, bool heap);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rsq::tok
