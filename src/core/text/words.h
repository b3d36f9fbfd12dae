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

// The words of one record get dense ids in order of first occurrence
// (Token::id), their folded forms likewise (Token::fid). What a word folds
// to and whether it is a stop word depend only on its bytes, so that work
// is cached across records in a lexicon that outlives the record: a word
// the worker has seen before costs one probe, and a word new to the record
// a few stores, instead of folding it again (the per-record tables this
// replaced refolded about a third of all tokens on the benchmark corpus).
// Between records, once the lexicon holds max_words words, it is emptied,
// which bounds its memory (about 60 bytes a word: dense entries and tables
// of 32-bit indices); ids never depend on what it holds, so outputs are the
// same with any history (the test "interning across records").
class Vocabulary {
 public:
  // stem_prefix: 0 = exact case-folded words; N = forms are the first N code points.
  explicit Vocabulary(int stem_prefix, size_t max_words = size_t{1} << 15);
  void begin_record(size_t bytes);
  // Sets id, fid and stop of each token of segment s (tokens index into s).
  void intern(std::string_view s, std::vector<Token>& toks);
  size_t words() const { return nwords_; }  // distinct exact words of the record so far
  size_t forms() const { return nforms_; }  // distinct folded forms of the record so far
  // Frees what a large record grew (the stop-word table stays).
  void trim() {
    std::vector<Word>().swap(words_);
    std::vector<Form>().swap(forms_);
    std::vector<uint32_t>().swap(windex_);
    std::vector<uint32_t>().swap(findex_);
    std::string().swap(fold_scratch_);
    flush();
  }

 private:
  // lid and lfid are this record's ids of the word and its form when
  // rec == rec_ (rec_ is never 0).
  struct Word {
    uint64_t key;  // word_key of the bytes
    uint32_t rec, lid, lfid;
    uint32_t form_stop;  // index into forms_ << 1 | stop word
  };
  struct Form {
    uint64_t key;  // word_key of the folded bytes
    uint32_t rec, lfid;
  };
  static constexpr uint32_t kFree = ~uint32_t{0};  // an empty index slot
  uint64_t fold_hash(const char* p, size_t n, int prefix);
  // Appends a word no record since the flush had; returns its index.
  [[gnu::noinline]] uint32_t learn(const char* w, const Token& t, uint64_t key, const char* end);
  void flush();
  // Index tables: open addressing over 32-bit indices into the dense
  // entries, rebuilt from the entries when they double (at most half full).
  template <class E>
  static void rebuild(std::vector<uint32_t>& index, size_t cap, const std::vector<E>& entries);
  bool is_stop(uint64_t h) const {
    if (!(stop_bits_[(h >> 46) & 63] & (uint64_t{1} << ((h >> 40) & 63)))) return false;
    return stop_.contains(h);
  }

  int stem_prefix_;
  size_t max_words_;
  HashCount stop_;
  uint64_t stop_bits_[64] = {};  // 4096-bit filter in front of the stop-word table
  std::string fold_scratch_;
  std::vector<Word> words_;
  std::vector<Form> forms_;
  std::vector<uint32_t> windex_, findex_;  // their index tables: the first wcap_ / fcap_ slots
  size_t wcap_ = 0, fcap_ = 0;
  uint32_t rec_ = 0;
  uint32_t nwords_ = 0, nforms_ = 0;
};

}  // namespace rsq::text
