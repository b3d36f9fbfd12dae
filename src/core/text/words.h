// text/words.h (internal) — per-record word interning. Zipf's law makes most
// tokens repeats of a few hundred distinct words, so the per-word work
// (case folding, stemming to a prefix, the stop-word check) runs once per
// distinct word, and the record's vocabularies become arrays indexed by dense
// ids (Token::id, Token::fid) instead of hash sets of text.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/hash.h"
#include "text/scan.h"

namespace rsq::text {

class Vocabulary {
 public:
  // stem_prefix: 0 = exact case-folded words; N = forms are the first N code points.
  explicit Vocabulary(int stem_prefix);
  void begin_record(size_t bytes);
  // Sets id, fid and stop of each token of segment s (tokens index into s).
  void intern(std::string_view s, std::vector<Token>& toks);
  size_t words() const { return w_fid_.size(); }  // distinct exact words so far
  size_t forms() const { return f_hash_.size(); }  // distinct folded forms so far
  // Frees what a large record grew (the stop-word table stays).
  void trim() {
    words_.release();
    folds_.release();
    std::vector<uint32_t>().swap(w_fid_);
    std::vector<uint8_t>().swap(w_stop_);
    std::vector<uint64_t>().swap(f_hash_);
    std::string().swap(fold_scratch_);
  }

 private:
  uint64_t fold_hash(const char* p, size_t n, int prefix);
  // Inlined into intern() (words.cc), its only caller: a call per new word cost 0.4 % of all instructions.
  [[gnu::always_inline]] inline uint32_t new_word(const char* w, const Token& t, uint64_t key, const char* end);
  bool is_stop(uint64_t h) const {
    if (!(stop_bits_[(h >> 46) & 63] & (uint64_t{1} << ((h >> 40) & 63)))) return false;
    return stop_.contains(h);
  }

  int stem_prefix_;
  HashCount stop_, words_, folds_;
  uint64_t stop_bits_[64] = {};  // 4096-bit filter in front of the stop-word table
  std::string fold_scratch_;
  std::vector<uint32_t> w_fid_;   // exact word id -> folded-form id
  std::vector<uint8_t> w_stop_;   // exact word id -> stop word
  std::vector<uint64_t> f_hash_;  // folded-form id -> its hash
};

}  // namespace rsq::text
