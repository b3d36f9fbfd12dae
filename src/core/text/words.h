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
// A folded form is keyed like a word (word_key of its bytes), so forms and
// words share one table: the entry of "the" is the form of "The" too, and
// a form no word has spelt yet is an entry still unlearned as a word.
// Between records, once the lexicon holds max_words entries, it is emptied,
// which bounds its memory (32-byte entries and a table of 32-bit indices at
// most 3/4 full: 37 to 43 bytes an entry, about 1.3 MB at 2^15); ids never
// depend on what it holds, so outputs are the same with any history (the
// test "interning across records").
class Vocabulary {
 public:
  // stem_prefix: 0 = exact case-folded words; N = forms are the first N code points.
  explicit Vocabulary(int stem_prefix, size_t max_words = size_t{1} << 15);
  void begin_record();
  // Sets id, fid and stop of each token of segment s (tokens index into s).
  void intern(std::string_view s, std::vector<Token>& toks) { intern_impl<false>(s, toks); }
  // The same, and counts each word's occurrences in this segment: counts()[id]
  // for the ids handed out so far (0 for words only other segments spelt).
  // The n-gram family reads the reasoning's counts; counting here, in the
  // loop that already holds each token's entry, replaced its own pass.
  void intern_counting(std::string_view s, std::vector<Token>& toks) { intern_impl<true>(s, toks); }
  const uint32_t* counts() const { return cnt_.data(); }
  size_t words() const { return nwords_; }  // distinct exact words of the record so far
  size_t forms() const { return nforms_; }  // distinct folded forms of the record so far
  // Frees what a large record grew (the stop-word table stays).
  void trim() {
    std::vector<Entry>().swap(lex_);
    std::vector<uint32_t>().swap(index_);
    std::string().swap(fold_scratch_);
    std::vector<uint32_t>().swap(cnt_);
    lex_.reserve(max_words_ + 2);
    flush();
  }

 private:
  // As a word: lid and lfid are this record's ids of the word and of its
  // form when rec == rec_. As a form: flfid is this record's id of the form
  // when frec == rec_ (rec_ is never 0).
  struct Entry {
    uint64_t key;  // word_key of the bytes
    uint32_t rec, lid, lfid;
    uint32_t form_stop;  // index of its form's entry << 1 | stop word, or kUnlearned
    uint32_t frec, flfid;
  };
  static constexpr uint32_t kFree = ~uint32_t{0};       // an empty index slot
  static constexpr uint32_t kUnlearned = ~uint32_t{0};  // an entry known only as a form
  template <bool kCount>
  void intern_impl(std::string_view s, std::vector<Token>& toks);
  uint64_t fold_hash(const char* p, size_t n, int prefix);
  // The entry of key, appended unlearned when new; the table has room.
  uint32_t find_or_add(uint64_t key);
  // Appends key unlearned at index_[i], a free slot its probe reached.
  uint32_t add_at(size_t i, uint64_t key);
  // Folds entry e's word (bytes w, token t) and links it to its form.
  [[gnu::noinline]] void learn(uint32_t e, const char* w, const Token& t, const char* end);
  void flush();
  // The index table: open addressing over 32-bit indices into lex_,
  // rebuilt from the entries when they double.
  void rebuild(size_t cap);
  bool is_stop(uint64_t h) const {
    if (!(stop_bits_[(h >> 46) & 63] & (uint64_t{1} << ((h >> 40) & 63)))) return false;
    return stop_.contains(h);
  }

  int stem_prefix_;
  size_t max_words_;
  HashCount stop_;
  uint64_t stop_bits_[64] = {};  // 4096-bit filter in front of the stop-word table
  std::string fold_scratch_;
  std::vector<Entry> lex_;
  std::vector<uint32_t> index_;  // its first cap_ slots
  std::vector<uint32_t> cnt_;    // per record word id: occurrences in the last counted segment
  size_t cap_ = 0;
  uint32_t rec_ = 0;
  uint32_t nwords_ = 0, nforms_ = 0;
};

}  // namespace rsq::text
