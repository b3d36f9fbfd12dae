// Word interning and folding (text/words.h).
#include "text/words.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "unicode.h"

namespace rsq::text {

namespace {

// English and Polish function words, excluded from the content vocabulary.
// Stored case-folded; compared by folded hash.
const char* const kStopwords[] = {
    // en
    "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those",
    "i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them", "my", "our", "your", "their", "do",
    "does", "did", "have", "has", "had", "not", "no", "can", "will", "would", "should", "could", "may", "might",
    "there", "here", "what", "which", "who", "how", "let", "s", "let's", "also", "than", "into", "about",
    // pl
    "i", "w", "z", "na", "do", "nie", "się", "to", "że", "jest", "a", "o", "jak", "ale", "co", "od", "po", "dla",
    "za", "są", "jako", "tak", "przez", "lub", "czy", "ten", "ta", "te", "tym", "tego", "tej", "być", "był", "była",
    "było", "który", "która", "które", "których", "oraz", "już", "też", "ze", "we", "pod", "nad", "przy", "bo",
    "jeśli", "więc", "gdy", "może", "można", "jego", "jej", "ich", "go", "mu", "sobie"};

// A word already in its folded form (no capitals: most words, also Polish
// ones with diacritics) reuses its own key instead of being re-folded.
// `end` bounds the over-read (as in word_key).
bool folds_to_itself(const char* p, size_t n, const char* end) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  size_t i = 0;
  // Eight ASCII bytes at a time (SWAR): with every byte below 0x80, adding
  // 0x80 - 'A' sets a byte's top bit from 'A' up, adding 0x80 - 'Z' - 1 from
  // 'Z' + 1 up, and no byte carries into the next (a zero byte sets neither).
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kTop = kOnes * 0x80;
  auto has_capital = [&](uint64_t x) { return ((x + kOnes * (0x80 - 'A')) & ~(x + kOnes * (0x80 - 'Z' - 1)) & kTop) != 0; };
  if constexpr (std::endian::native == std::endian::little) {
    // A short word (most new words) in one masked load.
    if (n < 8 && end - p >= 8) {
      uint64_t x;
      std::memcpy(&x, u, 8);
      x &= (uint64_t{1} << (8 * n)) - 1;
      if (!(x & kTop)) return !has_capital(x);
    }
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, u + i, 8);
    if (x & kTop) break;  // non-ASCII: the loop below from this boundary
    if (has_capital(x)) return false;
  }
  while (i < n) {
    if (u[i] < 0x80) {
      if (u[i] >= 'A' && u[i] <= 'Z') return false;
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp = uni::decode(u + i, len);
    if (uni::fold(cp) != cp) return false;
    i += len;
  }
  return true;
}

}  // namespace

Vocabulary::Vocabulary(int stem_prefix, size_t max_words) : stem_prefix_(stem_prefix), max_words_(max_words) {
  stop_.reset(256);
  for (const char* w : kStopwords) {
    bool ins;
    uint64_t h = fold_hash(w, std::strlen(w), 0);
    stop_.at(h, ins) = 1;
    stop_bits_[(h >> 46) & 63] |= uint64_t{1} << ((h >> 40) & 63);
  }
  // Room for what a flush allows, so the entries never move on the way
  // there (a doubling would hold old and new storage at once); pages that
  // are never written cost no memory.
  lex_.reserve(max_words_ + 2);
  flush();
}

void Vocabulary::rebuild(size_t cap) {
  cap_ = cap;
  if (index_.size() < cap) index_.resize(cap);
  std::fill(index_.begin(), index_.begin() + static_cast<std::ptrdiff_t>(cap), kFree);
  const size_t mask = cap - 1;
  for (size_t e = 0; e < lex_.size(); ++e) {
    size_t i = lex_[e].key & mask;
    while (index_[i] != kFree) i = (i + 1) & mask;
    index_[i] = static_cast<uint32_t>(e);
  }
}

// Empties the lexicon. The storage stays, but the table starts small again,
// so a short record after a long one probes a table that fits the cache.
void Vocabulary::flush() {
  lex_.clear();
  rebuild(size_t{1} << 12);
}

void Vocabulary::begin_record() {
  if (lex_.size() > max_words_) flush();
  if (++rec_ == 0) {  // wrapped: no entry may look current
    for (auto& x : lex_) x.rec = x.frec = 0;
    rec_ = 1;
  }
  nwords_ = nforms_ = 0;
}

uint32_t Vocabulary::add_at(size_t i, uint64_t key) {
  index_[i] = static_cast<uint32_t>(lex_.size());
  lex_.push_back(Entry{key, 0, 0, 0, kUnlearned, 0, 0});  // rec, frec 0: not yet in this record
  return index_[i];
}

uint32_t Vocabulary::find_or_add(uint64_t key) {
  const size_t mask = cap_ - 1;
  size_t i = key & mask;
  while (index_[i] != kFree) {
    if (lex_[index_[i]].key == key) return index_[i];
    i = (i + 1) & mask;
  }
  return add_at(i, key);
}

// Hashes and interns a segment's tokens. Kept out of the scan on purpose:
// in this tight loop the table probes of successive tokens overlap, while
// inside the branchy scan each probe's cache miss stalled it.
template <bool kCount>
void Vocabulary::intern_impl(std::string_view s, std::vector<Token>& toks) {
  uint32_t* cnt = nullptr;
  if constexpr (kCount) {
    // A slot per id: the ids earlier segments handed out start at 0, each
    // new one is appended as it is handed out. Sized by distinct words, not
    // tokens: a slot per token was 1.3x the input on a record of random
    // ideographs, past docs/design.md's memory bound.
    cnt_.assign(nwords_, 0u);
    cnt = cnt_.data();
  }
  const char* end = s.data() + s.size();
  Token* t = toks.data();
  Token* const t_end = t + toks.size();
  while (t != t_end) {
    // The table's room is checked once per run of tokens that cannot fill
    // it (a token adds at most two entries: its word and its form), not per
    // token; the loop keeps the table's fields in registers (the bool store
    // to Token::stop may alias any member, which made the compiler reload
    // them all per token).
    if ((lex_.size() + 2) * 4 > cap_ * 3) rebuild(cap_ * 2);
    const size_t n = std::min((cap_ / 4 * 3 - lex_.size()) / 2, static_cast<size_t>(t_end - t));
    const uint32_t* const index = index_.data();
    Entry* lex = lex_.data();
    const size_t mask = cap_ - 1;
    const uint32_t rec = rec_;
    for (Token* const b_end = t + n; t != b_end; ++t) {
      const char* w = s.data() + t->off;
      const uint64_t key = word_key(w, t->len, end);
      size_t i = key & mask;
      uint32_t e;
      for (;;) {
        e = index[i];
        if (e == kFree) {
          e = add_at(i, key);
          lex = lex_.data();  // the entries may have moved
          break;
        }
        if (lex[e].key == key) break;
        i = (i + 1) & mask;
      }
      if (lex[e].rec != rec) {
        // First time in this record: the next ids, of the word and (when
        // new to the record too) of its form.
        if (lex[e].form_stop == kUnlearned) {
          learn(e, w, *t, end);
          lex = lex_.data();
        }
        Entry& x = lex[e];
        x.rec = rec;
        if constexpr (kCount) {
          cnt_.push_back(0);
          cnt = cnt_.data();  // it may have moved
        }
        x.lid = nwords_++;
        Entry& f = lex[x.form_stop >> 1];
        if (f.frec != rec) {
          f.frec = rec;
          f.flfid = nforms_++;
        }
        x.lfid = f.flfid;
      }
      const Entry& x = lex[e];
      if constexpr (kCount) ++cnt[x.lid];
      t->id = x.lid;
      t->fid = x.lfid;
      t->stop = x.form_stop & 1;
    }
  }
}
template void Vocabulary::intern_impl<false>(std::string_view, std::vector<Token>&);
template void Vocabulary::intern_impl<true>(std::string_view, std::vector<Token>&);

void Vocabulary::learn(uint32_t e, const char* w, const Token& t, const char* end) {
  // A word already in folded form (no capitals: most words, also Polish
  // ones with diacritics) is its own form, keyed by its own key.
  const uint64_t key = lex_[e].key;
  const uint64_t full = folds_to_itself(w, t.len, end) ? key : fold_hash(w, t.len, 0);
  const uint64_t fold = stem_prefix_ > 0 && t.chars > static_cast<uint32_t>(stem_prefix_)
                            ? fold_hash(w, t.len, stem_prefix_)
                            : full;
  const uint32_t f = fold == key ? e : find_or_add(fold);
  lex_[e].form_stop = f << 1 | (is_stop(full) ? 1u : 0u);
}

// Key (word_key) of the case-folded word, cut to `prefix` code points when > 0
// (combining marks ride along with their base and do not count).
uint64_t Vocabulary::fold_hash(const char* p, size_t n, int prefix) {
  auto& f = fold_scratch_;
  f.clear();
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  int k = 0;
  for (size_t i = 0; i < n;) {
    if (u[i] < 0x80) {
      if (prefix > 0 && k >= prefix) break;
      unsigned char c = u[i++];
      f.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c));
      ++k;
      continue;
    }
    size_t len;
    uint32_t cp = uni::decode(u + i, len);
    i += len;
    uni::Cls c = uni::classify(cp);
    bool base = !(c == uni::kMark || c == uni::kFormat);
    if (base && prefix > 0 && k >= prefix) break;
    uint32_t fc = uni::fold(cp);
    char b[4];
    size_t m = 0;
    if (fc < 0x80) {
      b[m++] = static_cast<char>(fc);
    } else if (fc < 0x800) {
      b[m++] = static_cast<char>(0xC0 | (fc >> 6));
      b[m++] = static_cast<char>(0x80 | (fc & 0x3F));
    } else if (fc < 0x10000) {
      b[m++] = static_cast<char>(0xE0 | (fc >> 12));
      b[m++] = static_cast<char>(0x80 | ((fc >> 6) & 0x3F));
      b[m++] = static_cast<char>(0x80 | (fc & 0x3F));
    } else {
      b[m++] = static_cast<char>(0xF0 | (fc >> 18));
      b[m++] = static_cast<char>(0x80 | ((fc >> 12) & 0x3F));
      b[m++] = static_cast<char>(0x80 | ((fc >> 6) & 0x3F));
      b[m++] = static_cast<char>(0x80 | (fc & 0x3F));
    }
    f.append(b, m);
    if (base) ++k;
  }
  return word_key(f.data(), f.size(), f.data() + f.size());
}

}  // namespace rsq::text
