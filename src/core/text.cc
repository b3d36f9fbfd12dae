// The per-record text pass: tokenising, case folding, sentence/line/paragraph
// splitting, and every per-record value derived from them. Definitions live in
// docs/metrics.md; this file is their implementation and must change together
// with it (and with the metric's version in metrics.cc).
#include "rsq/text.h"

#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <zstd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "unicode.h"

namespace rsq {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Open-addressing set / counter of 64-bit hashes. Slots are valid only when
// their stamp equals the current generation, so reset() is O(1) instead of a
// memset per record (which dominated profiles on short records). The
// storage keeps the largest size any record needed, but each round probes
// only the first `cap_` slots, sized for that round: a short record after a
// long one must not scatter its probes over a table that no longer fits the
// L1/L2 cache (probe loads were 45 % of this class's time before).
class HashCount {
 public:
  void reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    if (cap > slots_.size()) {
      slots_.assign(cap, Slot{});
      gen_ = 0;
    }
    cap_ = cap;
    next_gen();
    used_ = 0;
  }
  // The value stored for h (inserted as 0 if new).
  uint32_t& at(uint64_t h, bool& inserted) {
    if ((used_ + 1) * 2 > cap_) grow();
    size_t mask = cap_ - 1, i = h & mask;
    while (slots_[i].stamp == gen_ && slots_[i].key != h) i = (i + 1) & mask;
    Slot& sl = slots_[i];
    inserted = sl.stamp != gen_;
    if (inserted) {
      sl.stamp = gen_;
      sl.key = h;
      sl.val = 0;
      ++used_;
    }
    return sl.val;
  }
  bool contains(uint64_t h) const {
    size_t mask = cap_ - 1, i = h & mask;
    while (slots_[i].stamp == gen_) {
      if (slots_[i].key == h) return true;
      i = (i + 1) & mask;
    }
    return false;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t val = 0, stamp = 0;
  };
  void next_gen() {
    if (++gen_ == 0) {  // wrapped: clear stamps once every 2^32 rounds
      for (auto& x : slots_) x.stamp = 0;
      gen_ = 1;
    }
  }
  [[gnu::noinline]] void grow() {
    std::vector<Slot> live;
    live.reserve(used_);
    for (size_t i = 0; i < cap_; ++i)
      if (slots_[i].stamp == gen_) live.push_back(slots_[i]);
    cap_ *= 2;
    if (cap_ > slots_.size()) {
      slots_.assign(cap_, Slot{});
      gen_ = 0;
    }
    next_gen();
    used_ = 0;
    for (const auto& sl : live) {
      bool ins;
      at(sl.key, ins) = sl.val;
    }
  }
  std::vector<Slot> slots_;
  uint32_t gen_ = 0;
  size_t cap_ = 0, used_ = 0;
};

// Bytes that can be part of a fast-path run (see scan): 1 = ASCII letter,
// 2 = ASCII digit, 4 = lead byte of U+00C0..U+017F (C3, C4, C5), 0 = other.
constexpr auto kRunByte = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = t[static_cast<size_t>(c - 32)] = 1;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = 2;
  t[0xC3] = t[0xC4] = t[0xC5] = 4;
  return t;
}();
// Set bits of a 16-bit mask (SWAR: the baseline x86-64 target has no POPCNT
// instruction and __builtin_popcount became a libgcc call).
inline uint32_t pop16(uint32_t x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

#if defined(__SSE2__)
// Bit masks of the ASCII letters and of the ASCII digits among 16 bytes.
inline void ascii_alnum16(const unsigned char* p, uint32_t& alnum, uint32_t& digit) {
  __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i l = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  __m128i is_l = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l);
  __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
  __m128i is_d = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
  digit = static_cast<uint32_t>(_mm_movemask_epi8(is_d));
  alnum = static_cast<uint32_t>(_mm_movemask_epi8(_mm_or_si128(is_l, is_d)));
}
#endif

// At a C3/C4/C5 lead byte: a two-byte letter (not U+00D7 x, not U+00F7 /).
inline bool latin2(const unsigned char* u, size_t i, size_t n) {
  if (i + 1 >= n || (u[i + 1] & 0xC0) != 0x80) return false;
  return !(u[i] == 0xC3 && (u[i + 1] == 0x97 || u[i + 1] == 0xB7));
}

bool is_ws_byte(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

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

// Sentence terminators: ASCII . ! ? and the full-width 。！？ (no space needed).
inline size_t terminator_len(const char* p, const char* end) {
  char c = *p;
  if (c == '.' || c == '!' || c == '?') return 1;
  if (end - p >= 3 && static_cast<unsigned char>(c) == 0xE3 && static_cast<unsigned char>(p[1]) == 0x80 &&
      static_cast<unsigned char>(p[2]) == 0x82)
    return 3;  // 。
  if (end - p >= 3 && static_cast<unsigned char>(c) == 0xEF && static_cast<unsigned char>(p[1]) == 0xBC &&
      (static_cast<unsigned char>(p[2]) == 0x81 || static_cast<unsigned char>(p[2]) == 0x9F))
    return 3;  // ！？
  return 0;
}

// Calls f(begin, end) for each sentence (byte offsets) that has a non-space byte.
template <class F>
void for_each_sentence(std::string_view s, F&& f) {
  const char* b = s.data();
  const char* e = b + s.size();
  const char* start = b;
  bool content = false;
  auto emit = [&](const char* stop) {
    if (content) f(static_cast<size_t>(start - b), static_cast<size_t>(stop - b));
    content = false;
  };
  for (const char* p = b; p < e;) {
    char c = *p;
    if (c == '\n') {
      emit(p);
      start = ++p;
      continue;
    }
    size_t t = terminator_len(p, e);
    if (t) {
      const char* q = p + t;
      content = true;
      if (t == 3) {
        emit(q);
        start = p = q;
        continue;
      }
      while (q < e && (*q == '.' || *q == '!' || *q == '?' || *q == '"' || *q == '\'' || *q == ')' || *q == ']'))
        ++q;
      if (q == e || *q == ' ' || *q == '\t' || *q == '\r' || *q == '\n') {
        emit(q);
        start = p = q;
        continue;
      }
      p = q;
      continue;
    }
    if (!is_ws_byte(c)) content = true;
    ++p;
  }
  emit(e);
}

}  // namespace

uint64_t hash_bytes(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0x100000001B3ULL);
  size_t len = n;
  while (n > 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t v;
  if (len >= 8) {
    std::memcpy(&v, p + n - 8, 8);  // overlapping load of the last 8 bytes
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    v = (uint64_t(a) << 32) | b;
  } else {
    v = n ? (uint64_t(p[0]) << 16) | (uint64_t(p[n / 2]) << 8) | p[n - 1] : 0;
  }
  return mix(h ^ v ^ (uint64_t(len) << 56));
}

// ---------------------------------------------------------------------------

struct Compressor::Impl {
  Codec codec;
  int level;
  ZSTD_CCtx* cctx = nullptr;
  std::vector<unsigned char> out;
};

Compressor::Compressor(Codec c, int level) : impl_(std::make_unique<Impl>()) {
  impl_->codec = c;
  impl_->level = level;
  if (c == Codec::zstd) {
    impl_->cctx = ZSTD_createCCtx();
    if (!impl_->cctx) throw std::runtime_error("cannot create zstd context");
  }
}
Compressor::~Compressor() {
  if (impl_->cctx) ZSTD_freeCCtx(impl_->cctx);
}
size_t Compressor::compressed_size(std::string_view s) {
  auto& o = impl_->out;
  if (impl_->codec == Codec::zstd) {
    size_t bound = ZSTD_compressBound(s.size());
    if (o.size() < bound) o.resize(bound);
    size_t r = ZSTD_compressCCtx(impl_->cctx, o.data(), o.size(), s.data(), s.size(), impl_->level);
    if (ZSTD_isError(r)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
    return r;
  }
  uLongf bound = compressBound(static_cast<uLong>(s.size()));
  if (o.size() < bound) o.resize(bound);
  uLongf len = bound;
  int r = compress2(o.data(), &len, reinterpret_cast<const Bytef*>(s.data()), static_cast<uLong>(s.size()), impl_->level);
  if (r != Z_OK) throw std::runtime_error("zlib compress2 failed");
  return len;
}

// ---------------------------------------------------------------------------

TailLoop find_tail_loop(std::string_view s, std::vector<int>& z) {
  TailLoop out;
  while (!s.empty() && is_ws_byte(s.back())) s.remove_suffix(1);
  constexpr size_t kWindow = 16384, kMinCover = 256;
  size_t n = std::min(s.size(), kWindow);
  if (n < kMinCover) return out;
  // Any loop that qualifies repeats the last 32 bytes at distance p (run - p >=
  // 32 always holds), so a trace whose last 32 bytes do not occur earlier in
  // the window has no loop: skip the O(n) Z pass (most traces).
  {
    std::string_view win = s.substr(s.size() - n);
    std::string_view tail = win.substr(n - 32);
    if (!memmem(win.data(), n - 1, tail.data(), tail.size())) return out;
  }
  const char* t = s.data() + s.size();  // reversed view: r[i] = t[-1-i]
  auto r = [&](size_t i) { return t[-1 - static_cast<long>(i)]; };
  z.assign(n, 0);
  size_t l = 0, rr = 0;
  for (size_t i = 1; i < n; ++i) {
    size_t zi = 0;
    if (i < rr) zi = std::min(rr - i, static_cast<size_t>(z[i - l]));
    while (i + zi < n && r(zi) == r(i + zi)) ++zi;
    z[i] = static_cast<int>(zi);
    if (i + zi > rr) {
      l = i;
      rr = i + zi;
    }
  }
  for (size_t p = 1; p * 3 <= n; ++p) {
    size_t run = p + static_cast<size_t>(z[p]);
    if (run >= 3 * p && run >= kMinCover) {
      out.found = true;
      out.period = p;
      out.covered = run;
      return out;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------

struct TextAnalyzer::Impl {
  TextOptions opt;
  std::unique_ptr<uni::IcuWords> icu;
  Compressor comp;
  HashCount stop, counts;
  std::vector<uint32_t> flow_last;
  uint64_t stop_bits[64] = {};  // 4096-bit filter in front of the stop-word table
  bool is_stop(uint64_t h) const {
    if (!(stop_bits[(h >> 46) & 63] & (uint64_t{1} << ((h >> 40) & 63)))) return false;
    return stop.contains(h);
  }
  std::vector<Token> tq, tr, ta;
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  std::vector<int> zbuf;

  explicit Impl(const TextOptions& o) : opt(o), comp(o.codec, o.level) {
    if (opt.words == WordMode::icu) icu = std::make_unique<uni::IcuWords>();
    stop.reset(256);
    for (const char* w : kStopwords) {
      bool ins;
      uint64_t h = fold_hash(w, std::strlen(w), 0);
      stop.at(h, ins) = 1;
      stop_bits[(h >> 46) & 63] |= uint64_t{1} << ((h >> 40) & 63);
    }
  }

  // Key (word_key) of the case-folded word, cut to `prefix` code points when > 0
  // (combining marks ride along with their base and do not count).
  std::string fold_scratch;
  uint64_t fold_hash(const char* p, size_t n, int prefix) {
    auto& f = fold_scratch;
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

  // Per-record word interning. Zipf's law makes most tokens repeats of a few
  // hundred distinct words, so the per-word work (folding, stemming, the
  // stop-word check) runs once per distinct word, and vocabularies become
  // arrays indexed by dense ids instead of hash sets.
  HashCount words, folds;
  std::vector<uint32_t> w_fid;   // exact word id -> folded-form id
  std::vector<uint8_t> w_stop;   // exact word id -> stop word
  std::vector<uint64_t> f_hash;  // folded-form id -> its hash
  void begin_record(size_t bytes) {
    words.reset(std::min<size_t>(bytes / 16 + 16, 1 << 16));
    folds.reset(std::min<size_t>(bytes / 16 + 16, 1 << 16));
    w_fid.clear();
    w_stop.clear();
    f_hash.clear();
  }

  static bool folds_to_itself(const char* p, size_t n) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n;) {
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

  void finish_token(std::string_view, uint32_t b, uint32_t e, uint32_t chars, std::vector<Token>& out) {
    Token& t = out.emplace_back();
    t.off = b;
    t.len = e - b;
    t.chars = chars;
  }

  // Hashes and interns a segment's tokens. Kept out of the scan on purpose:
  // in this tight loop the table probes of successive tokens overlap, while
  // inside the branchy scan each probe's cache miss stalled it.
  void intern(std::string_view s, std::vector<Token>& toks) {
    const char* end = s.data() + s.size();
    for (auto& t : toks) {
      const char* w = s.data() + t.off;
      bool ins;
      const uint64_t key = word_key(w, t.len, end);
      uint32_t& slot = words.at(key, ins);
      if (ins) slot = new_word(w, t, key);
      t.id = slot;
    }
    for (auto& t : toks) {
      t.fid = w_fid[t.id];
      t.stop = w_stop[t.id];
    }
  }
  // The interning key of a word: its own bytes when they fit in 8 (zero
  // padded: words never contain NUL, so distinct short words get distinct
  // keys; multiply + xor-shift is a bijection that spreads them over the
  // index bits), a 64-bit hash of the bytes for longer words. Most words are
  // short, and this skips hashing them.
  static uint64_t word_key(const char* w, size_t len, const char* end) {
    if (len > 8) return hash_bytes(w, len);
    uint64_t v = 0;
    if constexpr (std::endian::native == std::endian::little) {
      if (end - w >= 8) {
        std::memcpy(&v, w, 8);
        if (len < 8) v &= (uint64_t{1} << (8 * len)) - 1;
      } else {
        std::memcpy(&v, w, len);
      }
    } else {
      std::memcpy(&v, w, len);
    }
    v *= 0x9E3779B97F4A7C15ULL;
    return v ^ (v >> 32);
  }

  uint32_t new_word(const char* w, const Token& t, uint64_t key) {
    auto id = static_cast<uint32_t>(w_fid.size());
    // Folded forms are keyed like words (word_key of the folded bytes), so a
    // word already in folded form (no capitals: most words, also Polish ones
    // with diacritics) reuses its own key.
    uint64_t full = folds_to_itself(w, t.len) ? key : fold_hash(w, t.len, 0);
    uint64_t fold = opt.stem_prefix > 0 && t.chars > static_cast<uint32_t>(opt.stem_prefix)
                        ? fold_hash(w, t.len, opt.stem_prefix)
                        : full;
    bool fins;
    uint32_t& fs = folds.at(fold, fins);
    if (fins) {
      fs = static_cast<uint32_t>(f_hash.size());
      f_hash.push_back(fold);
    }
    w_fid.push_back(fs);
    w_stop.push_back(is_stop(full));
    return id;
  }

  // What one pass over a segment yields besides its tokens.
  struct Scan {
    size_t chars = 0, nonws = 0, sym = 0, letters = 0, foreign = 0, lines = 0, words = 0;
    std::vector<std::pair<uint32_t, uint32_t>> sentences;  // byte spans with content
    std::vector<std::pair<uint32_t, uint32_t>> line_spans;  // every line, blank or not
    int script_counts[8] = {0};                              // for the dominant script (small table)
  };
  Scan sq, sr, sa;
  // Whether the scan materialises word tokens (alignment and n-grams read
  // them); otherwise it only counts words.
  bool keep_tokens = true;

  // The fused per-segment pass: word tokens (fast UAX #29 approximation),
  // code points, symbolic characters, script mix against `qscript`,
  // sentences and lines. One decode per code point.
  void scan(std::string_view s, std::vector<Token>& out, Scan& sc, int qscript) {
    out.clear();
    // Field by field, not `sc = Scan{}`, which would free the vectors'
    // buffers and regrow them for every segment.
    sc.chars = sc.nonws = sc.sym = sc.letters = sc.foreign = sc.lines = sc.words = 0;
    for (int& k : sc.script_counts) k = 0;
    sc.sentences.clear();
    sc.line_spans.clear();
    const auto* u = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    bool in_word = false, sent_content = false, line_content = false;
    uint32_t wb = 0, chars = 0, sent_start = 0, line_start = 0;
    uni::Cls last = uni::kOther;  // class of the last base character in the word
    auto end_word = [&](size_t at) {
      if (in_word) {
        ++sc.words;
        if (keep_tokens) finish_token(s, wb, static_cast<uint32_t>(at), chars, out);
      }
      in_word = false;
    };
    auto end_sentence = [&](size_t at) {
      if (sent_content) sc.sentences.emplace_back(sent_start, static_cast<uint32_t>(at));
      sent_content = false;
      sent_start = static_cast<uint32_t>(at);
    };
    // Latin letters count as foreign when the question's script is not Latin.
    const bool latin_foreign = qscript >= 0 && qscript != uni::kLatin;
    const bool fast = opt.fast_runs;
    size_t i = 0;
    while (i < n) {
      // Fast path: a run of letters and digits from ASCII and Latin-1 /
      // Latin Extended-A (U+00C0..U+017F: Polish, Czech, German, French
      // letters, all of script Latin) needs no decoding and no per-character
      // dispatch. It updates exactly what the general path below would.
      if (fast && kRunByte[u[i]] && (kRunByte[u[i]] != 4 || latin2(u, i, n))) {
        if (in_word && last != uni::kLetter && last != uni::kDigit && last != uni::kExtendNumLet) end_word(i);
        if (!in_word) {
          in_word = true;
          wb = static_cast<uint32_t>(i);
          chars = 0;
        }
        size_t j = i, alpha = 0, cps = 0;
        unsigned char k = 0, lk = 0;
        while (j < n) {
#if defined(__SSE2__)
          // 16 bytes at a time through ASCII letters and digits.
          while (j + 16 <= n) {
            uint32_t alnum, digit;
            ascii_alnum16(u + j, alnum, digit);
            if (alnum == 0xFFFF) {
              alpha += 16 - pop16(digit);
              cps += 16;
              lk = (digit >> 15) ? 2 : 1;
              j += 16;
              continue;
            }
            uint32_t r = static_cast<uint32_t>(__builtin_ctz(~alnum));  // bytes in the run
            if (r) {
              uint32_t in = (1u << r) - 1;
              alpha += r - pop16(digit & in);
              cps += r;
              lk = ((digit >> (r - 1)) & 1) ? 2 : 1;
              j += r;
            }
            break;
          }
          if (j >= n) break;
#endif
          k = kRunByte[u[j]];
          if (k == 0) break;
          if (k == 4) {
            if (!latin2(u, j, n)) break;
            j += 2;
          } else {
            ++j;
          }
          alpha += k != 2;
          ++cps;
          lk = k;
        }
        last = lk == 2 ? uni::kDigit : uni::kLetter;
        chars += static_cast<uint32_t>(cps);
        sc.chars += cps;
        sc.nonws += cps;
        sent_content = line_content = true;
        if (alpha) {
          sc.letters += alpha;
          if (latin_foreign) sc.foreign += alpha;
          if (qscript == -2) note_script(sc, uni::kLatin, alpha);
        }
        i = j;
        if (i < n && u[i] == ' ') {  // the usual separator, exactly as the general path treats it
          end_word(i);
          ++sc.chars;
          ++i;
        }
        continue;
      }
      size_t len;
      uint32_t cp = u[i] < 0x80 ? (len = 1, u[i]) : uni::decode(u + i, len);
      uni::Cls c = uni::classify(cp);
      ++sc.chars;
      if (c == uni::kSpace) {
        end_word(i);
        if (cp == '\n') {
          end_sentence(i);
          sent_start = static_cast<uint32_t>(i + 1);
          sc.line_spans.emplace_back(line_start, static_cast<uint32_t>(i));
          sc.lines += line_content;
          line_content = false;
          line_start = static_cast<uint32_t>(i + 1);
        }
        i += len;
        continue;
      }
      ++sc.nonws;
      sent_content = line_content = true;
      bool alnum = c == uni::kLetter || c == uni::kDigit || c == uni::kMark || c == uni::kIdeo || c == uni::kKana;
      if (!alnum) {
        ++sc.sym;
      } else if (c == uni::kLetter || c == uni::kIdeo || c == uni::kKana) {
        int scr = uni::script_of(cp);
        if (scr >= 0) {
          ++sc.letters;
          if (qscript >= 0 && scr != qscript && !(qscript == 17 && (scr == 20 || scr == 22))) ++sc.foreign;
          if (qscript == -2) note_script(sc, scr);
        }
      }
      switch (c) {
        case uni::kLetter:
        case uni::kDigit:
          if (in_word && last != uni::kLetter && last != uni::kDigit && last != uni::kExtendNumLet) end_word(i);
          if (!in_word) {
            in_word = true;
            wb = static_cast<uint32_t>(i);
            chars = 0;
          }
          last = c;
          ++chars;
          break;
        case uni::kKana:
          if (in_word && last != uni::kKana && last != uni::kExtendNumLet) end_word(i);
          if (!in_word) {
            in_word = true;
            wb = static_cast<uint32_t>(i);
            chars = 0;
          }
          last = c;
          ++chars;
          break;
        case uni::kIdeo:
          end_word(i);
          ++sc.words;
          if (keep_tokens) finish_token(s, static_cast<uint32_t>(i), static_cast<uint32_t>(i + len), 1, out);
          last = c;
          break;
        case uni::kMark:
        case uni::kFormat:
          if (in_word) ++chars;
          break;
        case uni::kExtendNumLet:
          if (in_word) {
            last = c;
            ++chars;
          }
          break;
        case uni::kMidLetter:
        case uni::kMidNum:
        case uni::kMidNumLet: {
          // Joins only between two letters (MidLetter, MidNumLet) or two digits (MidNum, MidNumLet).
          bool joined = false;
          if (in_word && i + len < n) {
            size_t l2;
            uint32_t nx = uni::decode(u + i + len, l2);
            uni::Cls nc = uni::classify(nx);
            if (last == uni::kLetter && nc == uni::kLetter && c != uni::kMidNum) joined = true;
            if (last == uni::kDigit && nc == uni::kDigit && c != uni::kMidLetter) joined = true;
          }
          if (joined) {
            ++chars;
            break;
          }
          end_word(i);
          if (cp == '.') {  // sentence terminator (see below)
            i = terminator(s, i, sc, end_sentence);
            continue;
          }
          break;
        }
        default:
          end_word(i);
          last = c;
          if (cp == '!' || cp == '?') {
            i = terminator(s, i, sc, end_sentence);
            continue;
          }
          if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) {  // 。！？ end a sentence outright
            end_sentence(i + len);
          }
          break;
      }
      i += len;
    }
    end_word(n);
    end_sentence(n);
    sc.line_spans.emplace_back(line_start, static_cast<uint32_t>(n));
    sc.lines += line_content;
  }

  // At an ASCII terminator: consume the run of terminators and closing
  // quotes/brackets; the sentence ends there if white space or the end follows.
  template <class End>
  static size_t terminator(std::string_view s, size_t i, Scan& sc, End&& end_sentence) {
    size_t q = i + 1;
    while (q < s.size() && (s[q] == '.' || s[q] == '!' || s[q] == '?' || s[q] == '"' || s[q] == '\'' || s[q] == ')' ||
                            s[q] == ']'))
      ++q;
    // The run after the first terminator is ASCII punctuation: count it here.
    sc.chars += q - i - 1;
    sc.nonws += q - i - 1;
    sc.sym += q - i - 1;
    if (q == s.size() || s[q] == ' ' || s[q] == '\t' || s[q] == '\r' || s[q] == '\n') end_sentence(q);
    return q;
  }

  // Script histogram for the question (qscript == -2 mode): a handful of slots.
  int slot_script[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
  void note_script(Scan& sc, int scr, size_t times = 1) {
    for (int k = 0; k < 8; ++k) {
      if (slot_script[k] == scr) {
        sc.script_counts[k] += static_cast<int>(times);
        return;
      }
      if (slot_script[k] == -1) {
        slot_script[k] = scr;
        sc.script_counts[k] += static_cast<int>(times);
        return;
      }
    }
  }
  int dominant(const Scan& sc) const {
    int best = -1, bc = 0;
    for (int k = 0; k < 8; ++k)
      if (slot_script[k] >= 0 && (sc.script_counts[k] > bc || (sc.script_counts[k] == bc && bc > 0 && slot_script[k] < best))) {
        bc = sc.script_counts[k];
        best = slot_script[k];
      }
    // Japanese mixes Han with kana: treat Hiragana/Katakana questions as Han-compatible.
    if (best == 20 || best == 22) best = 17;
    return best;
  }

  void tokenize(std::string_view s, std::vector<Token>& out) {
    keep_tokens = true;
    begin_record(s.size());
    tokenize_words(s, out);
    intern(s, out);
  }
  void tokenize_words(std::string_view s, std::vector<Token>& out) {
    if (icu) {
      out.clear();
      icu->spans(s, spans);
      for (auto [o, l] : spans) {
        uint32_t chars = 0;
        for (uint32_t i = o; i < o + l; ++i) chars += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        finish_token(s, o, o + l, chars, out);
      }
      return;
    }
    Scan tmp;
    scan(s, out, tmp, -1);
  }
  // Segment pass honouring --words: the fused scan always runs (for the
  // counts); with ICU the tokens are replaced by ICU's.
  void segment(std::string_view s, std::vector<Token>& out, Scan& sc, int qscript) {
    scan(s, out, sc, qscript);
    if (icu) tokenize_words(s, out);
    if (opt.alignment || opt.ngrams) intern(s, out);  // word ids serve only these
  }

  // Question and answer coverage: distinct non-stop folded forms of the
  // question (answer) that also occur as a non-stop word of the trace.
  std::vector<uint8_t> fmark;  // per folded form: 1 in trace, 2 seen in q, 4 seen in a
  void coverage2(double& qcov, double& acov) {
    fmark.assign(f_hash.size(), 0);
    for (const auto& t : tr)
      if (!t.stop) fmark[t.fid] |= 1;
    auto cov = [&](const std::vector<Token>& toks, uint8_t bit) {
      size_t n = 0, hit = 0;
      for (const auto& t : toks) {
        if (t.stop || (fmark[t.fid] & bit)) continue;
        fmark[t.fid] |= bit;
        ++n;
        hit += fmark[t.fid] & 1;
      }
      return n ? static_cast<double>(hit) / static_cast<double>(n) : kNaN;
    };
    qcov = cov(tq, 2);
    acov = cov(ta, 4);
  }

  static SegmentCounts counts_of(std::string_view s, const Scan& sc, size_t words) {
    SegmentCounts c;
    c.bytes = static_cast<double>(s.size());
    c.chars = static_cast<double>(sc.chars);
    c.words = static_cast<double>(words);
    c.sentences = static_cast<double>(sc.sentences.size());
    c.lines = static_cast<double>(sc.lines);
    return c;
  }

  void analyze(const RecordText& rec, RecordValues& v) {
    v = RecordValues{};
    std::string_view q = rec.question, r = rec.reasoning, a = rec.answer;
    for (int& k : slot_script) k = -1;
    keep_tokens = opt.alignment || opt.ngrams || icu;
    begin_record(q.size() + r.size() + a.size());
    segment(q, tq, sq, -2);
    int qscript = dominant(sq);
    segment(r, tr, sr, qscript);
    segment(a, ta, sa, -1);
    // Words: the tokens' count (ICU's tokens with --words icu), or the scan's
    // count when no selected metric reads the tokens.
    v.q = counts_of(q, sq, keep_tokens ? tq.size() : sq.words);
    v.r = counts_of(r, sr, keep_tokens ? tr.size() : sr.words);
    v.a = counts_of(a, sa, keep_tokens ? ta.size() : sa.words);
    const double rchars = v.r.chars;

    v.question_present = q.empty() ? 0 : 1;
    v.answer_present = a.empty() ? 0 : 1;
    v.reasoning_empty = r.empty() ? 1 : 0;
    v.truncated = rec.state == TraceState::open_only;
    v.close_only = rec.state == TraceState::close_only;
    v.untagged = rec.state == TraceState::untagged;
    v.multiple_think_blocks = rec.think_blocks > 1;
    v.boxed_present = (a.find("\\boxed{") != std::string_view::npos || r.find("\\boxed{") != std::string_view::npos);
    v.reasoning_answer_ratio = v.a.chars > 0 ? v.r.chars / v.a.chars : kNaN;

    if (r.empty()) {
      v.redundancy_ratio = v.symbolic_fraction = v.question_coverage = v.answer_coverage = v.lexical_flow = kNaN;
      v.dup_line_fraction = v.dup_line_char_fraction = v.dup_para_fraction = v.dup_para_char_fraction = kNaN;
      for (double& x : v.top_ngram_char_fraction) x = kNaN;
      for (double& x : v.dup_ngram_char_fraction) x = kNaN;
      v.tail_loop = v.tail_loop_fraction = v.foreign_script_fraction = kNaN;
      return;
    }

    // Redundancy: 1 - compressed / original bytes of the reasoning text.
    v.redundancy_ratio =
        opt.compress ? 1.0 - static_cast<double>(comp.compressed_size(r)) / static_cast<double>(r.size()) : kNaN;
    v.symbolic_fraction = sr.nonws ? static_cast<double>(sr.sym) / static_cast<double>(sr.nonws) : kNaN;
    v.foreign_script_fraction =
        (qscript >= 0 && sr.letters) ? static_cast<double>(sr.foreign) / static_cast<double>(sr.letters) : kNaN;

    // Alignment: question and answer content vocabulary found in the
    // reasoning. The small question/answer sets are probed once per trace
    // word (they stay in L1) instead of building the trace's vocabulary.
    if (opt.alignment) {
      coverage2(v.question_coverage, v.answer_coverage);
    } else {
      v.question_coverage = v.answer_coverage = v.lexical_flow = kNaN;
    }

    // Lexical flow: mean Jaccard overlap of consecutive sentences'
    // vocabularies. last[f] = 1 + index of the last sentence holding folded
    // form f, so "in the previous sentence" is one array read.
    if (opt.alignment) {
      double sum = 0;
      size_t pairs = 0, ti = 0, prev_n = 0;
      uint32_t k = 0;
      flow_last.assign(f_hash.size(), 0);
      for (auto [sb, se] : sr.sentences) {
        ++k;
        while (ti < tr.size() && tr[ti].off < sb) ++ti;
        size_t cur_n = 0, inter = 0;
        for (; ti < tr.size() && tr[ti].off < se; ++ti) {
          const Token& t = tr[ti];
          if (t.stop || flow_last[t.fid] == k) continue;
          inter += flow_last[t.fid] == k - 1 && k > 1;
          flow_last[t.fid] = k;
          ++cur_n;
        }
        if (k > 1 && (prev_n || cur_n)) {
          sum += static_cast<double>(inter) / static_cast<double>(prev_n + cur_n - inter);
          ++pairs;
        }
        prev_n = cur_n;
      }
      v.lexical_flow = pairs ? sum / static_cast<double>(pairs) : kNaN;
    }

    // Gopher repetition (DataTrove definitions; see docs/metrics.md).
    if (opt.lines) {
      dup_lines(r, rchars, v);
    } else {
      v.dup_line_fraction = v.dup_line_char_fraction = v.dup_para_fraction = v.dup_para_char_fraction = kNaN;
    }
    if (opt.ngrams) {
      ngram_metrics(rchars, v);
    } else {
      for (double& x : v.top_ngram_char_fraction) x = kNaN;
      for (double& x : v.dup_ngram_char_fraction) x = kNaN;
    }

    if (opt.loops) {
      TailLoop tl = find_tail_loop(r, zbuf);
      v.tail_loop = tl.found;
      v.tail_loop_fraction = tl.found ? static_cast<double>(tl.covered) / static_cast<double>(r.size()) : 0.0;
    } else {
      v.tail_loop = v.tail_loop_fraction = kNaN;
    }
  }

  static size_t chars_in(std::string_view s) {
    size_t cont = 0;
    for (char ch : s) cont += (static_cast<unsigned char>(ch) & 0xC0) == 0x80;
    return s.size() - cont;
  }
  static bool blank(std::string_view s) {
    for (char c : s)
      if (!is_ws_byte(c)) return false;
    return true;
  }

  // Duplicate lines (split on \n) and paragraphs (split on \n\n+, i.e. at
  // empty lines); pieces that are empty or only white space are dropped; the
  // first occurrence is not a duplicate.
  void dup_lines(std::string_view r, double rchars, RecordValues& v) {
    const auto& ls = sr.line_spans;
    auto tally = [&](std::string_view piece, size_t& total, size_t& dups, double& dup_chars) {
      if (blank(piece)) return;
      ++total;
      bool ins;
      counts.at(hash_bytes(piece.data(), piece.size()), ins);
      if (!ins) {
        ++dups;
        dup_chars += static_cast<double>(chars_in(piece));
      }
    };
    size_t total = 0, dups = 0;
    double dup_chars = 0;
    counts.reset(ls.size());
    for (auto [b, e] : ls) tally(r.substr(b, e - b), total, dups, dup_chars);
    v.dup_line_fraction = total ? static_cast<double>(dups) / static_cast<double>(total) : 0.0;
    v.dup_line_char_fraction = rchars > 0 ? dup_chars / rchars : 0.0;

    total = dups = 0;
    dup_chars = 0;
    counts.reset(ls.size());
    size_t k = 0;
    while (k < ls.size()) {
      while (k < ls.size() && ls[k].first == ls[k].second) ++k;  // empty lines separate paragraphs
      if (k == ls.size()) break;
      size_t first = k;
      while (k < ls.size() && ls[k].first != ls[k].second) ++k;
      uint32_t pb = ls[first].first, pe = ls[k - 1].second;
      tally(r.substr(pb, pe - pb), total, dups, dup_chars);
    }
    v.dup_para_fraction = total ? static_cast<double>(dups) / static_cast<double>(total) : 0.0;
    v.dup_para_char_fraction = rchars > 0 ? dup_chars / rchars : 0.0;
  }

  // Word n-grams by exact refinement instead of hashing text: the n-gram at
  // position i is identified by the pair (group of the (n-1)-gram at i, id
  // of word i+n-1), numbered densely by bucketing positions on the first
  // and splitting buckets on the second (no hash table; group numbers are
  // not in order of first occurrence, so ties use gfirst). An n-gram can repeat
  // only where both its (n-1)-gram prefix (at i) and suffix (at i+1)
  // repeat, so only those "live" positions are interned; every other
  // position is a unique n-gram (count 1). Level 1 groups are the interned
  // word ids. Exact: no two different n-grams ever share a group.
  // Live positions of level n are a subset of those of level n-1, so each
  // level walks the previous level's list, not the whole trace; per-position
  // counts stay 1 outside the live list (reset after use, not refilled).
  std::vector<uint32_t> g_prev, g_cur, c_prev, c_cur, gcnt, gfirst, live_prev, live_cur, uni;
  std::vector<uint32_t> bstart, order, mark, gid;  // grouping scratch (mark/gid: per word id)
  uint32_t stamp = 0;
  std::vector<uint8_t> seen;

  // Characters of the most frequent word n-gram (words joined by single
  // spaces) times its count, over all characters (n = 2..4); and the greedy
  // duplicate-n-gram scans (n = 5..10): an n-gram seen before adds its word
  // characters and the scan jumps n words ahead.
  void ngram_metrics(double rchars, RecordValues& v) {
    const size_t w = tr.size();
    for (double& x : v.top_ngram_char_fraction) x = 0;
    for (double& x : v.dup_ngram_char_fraction) x = 0;
    if (w < 2 || rchars <= 0) return;
    uni.assign(w_fid.size(), 0);
    for (const auto& t : tr) ++uni[t.id];
    mark.assign(w_fid.size(), 0);
    gid.resize(w_fid.size());
    stamp = 0;
    g_prev.resize(w);
    g_cur.resize(w);
    c_prev.resize(w);
    for (size_t i = 0; i < w; ++i) {
      g_prev[i] = tr[i].id;
      c_prev[i] = uni[tr[i].id];
    }
    c_cur.assign(w, 1);
    for (int n = 2; n <= 10 && static_cast<size_t>(n) <= w; ++n) {
      const size_t m = w + 1 - static_cast<size_t>(n), last = static_cast<size_t>(n) - 1;
      // Branch-free collection (the test is data-dependent and mispredicts
      // when interleaved with the probes).
      size_t live = 0;
      if (n == 2) {
        live_cur.resize(m + 1);
        for (size_t i = 0; i < m; ++i) {
          live_cur[live] = static_cast<uint32_t>(i);
          live += (c_prev[i] > 1) & (c_prev[i + 1] > 1);
        }
      } else {
        live_cur.resize(live_prev.size() + 1);
        for (uint32_t i : live_prev) {
          live_cur[live] = i;
          live += (i < m) & (c_prev[i] > 1) & (c_prev[i + 1] > 1);  // i <= m, so i + 1 < w
        }
      }
      live_cur.resize(live);
      const size_t g_prev_n = n == 2 ? w_fid.size() : gcnt.size();
      gcnt.clear();
      gfirst.clear();
      if (live) {
        // Bucket the live positions by their prefix group (counting sort,
        // stable: ascending within a bucket), then split each bucket by the
        // last word's id with a stamped array. No hashing, all array work.
        bstart.assign(g_prev_n + 1, 0);
        for (uint32_t i : live_cur) ++bstart[g_prev[i] + 1];
        for (size_t b = 0; b < g_prev_n; ++b) bstart[b + 1] += bstart[b];
        order.resize(live);
        for (uint32_t i : live_cur) order[bstart[g_prev[i]]++] = i;
        for (size_t k = 0; k < live;) {
          const uint32_t b = g_prev[order[k]];
          ++stamp;
          for (; k < live && g_prev[order[k]] == b; ++k) {
            const uint32_t i = order[k], x = tr[i + last].id;
            if (mark[x] != stamp) {
              mark[x] = stamp;
              gid[x] = static_cast<uint32_t>(gcnt.size());
              gcnt.push_back(0);
              gfirst.push_back(i);
            }
            const uint32_t g = gid[x];
            ++gcnt[g];
            g_cur[i] = g;
          }
        }
        for (uint32_t i : live_cur) c_cur[i] = gcnt[g_cur[i]];
      }
      if (n <= 4) {
        // Highest count; among equal counts the n-gram that occurred first
        // (Python's Counter.most_common order). All unique: the first n-gram.
        uint32_t best = 1, best_i = 0;
        for (size_t g = 0; g < gcnt.size(); ++g)
          if (gcnt[g] > best || (gcnt[g] == best && gfirst[g] < best_i)) {
            best = gcnt[g];
            best_i = gfirst[g];
          }
        size_t len = last;
        for (size_t k = 0; k < static_cast<size_t>(n); ++k) len += tr[best_i + k].chars;
        v.top_ngram_char_fraction[n - 2] = static_cast<double>(len) * best / rchars;
      } else if (live) {
        // The greedy walk visits positions in order and jumps n words after a
        // hit; only repeating n-grams can be "seen before", so walking the
        // live list (ascending) and skipping the jumped-over ones is the same.
        seen.assign(gcnt.size(), 0);
        double rep = 0;
        size_t next = 0;
        for (uint32_t i : live_cur) {
          if (i < next || c_cur[i] < 2) continue;
          uint8_t& sn = seen[g_cur[i]];
          if (sn) {
            for (size_t k = 0; k < static_cast<size_t>(n); ++k) rep += tr[i + k].chars;
            next = i + static_cast<size_t>(n);
          } else {
            sn = 1;
          }
        }
        v.dup_ngram_char_fraction[n - 5] = rep / rchars;
      }
      // Level n-1's counts are done with: back to all ones for reuse.
      if (n == 2) {
        std::fill(c_prev.begin(), c_prev.end(), 1u);
      } else {
        for (uint32_t i : live_prev) c_prev[i] = 1;
      }
      g_prev.swap(g_cur);
      c_prev.swap(c_cur);
      live_prev.swap(live_cur);
      if (live_prev.empty()) {
        // Nothing repeats at this length, so nothing longer does: the rest
        // are all-unique levels (top n-gram = the first one, no duplicates).
        for (int k = n + 1; k <= 4 && static_cast<size_t>(k) <= w; ++k) {
          size_t len = static_cast<size_t>(k) - 1;
          for (size_t j = 0; j < static_cast<size_t>(k); ++j) len += tr[j].chars;
          v.top_ngram_char_fraction[k - 2] = static_cast<double>(len) / rchars;
        }
        break;
      }
    }
  }
};

TextAnalyzer::TextAnalyzer(const TextOptions& opt) : impl_(std::make_unique<Impl>(opt)) {}
TextAnalyzer::~TextAnalyzer() = default;
void TextAnalyzer::analyze(const RecordText& rec, RecordValues& out) { impl_->analyze(rec, out); }
void TextAnalyzer::tokenize(std::string_view s, std::vector<Token>& out) { impl_->tokenize(s, out); }

SegmentCounts TextAnalyzer::count_segment(std::string_view s, size_t words, bool sentences) {
  SegmentCounts c;
  c.bytes = static_cast<double>(s.size());
  size_t cont = 0;  // UTF-8 continuation bytes (branch-free, vectorises)
  for (char ch : s) cont += (static_cast<unsigned char>(ch) & 0xC0) == 0x80;
  size_t lines = 0, pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    for (size_t i = pos; i < nl; ++i)
      if (!is_ws_byte(s[i])) {
        ++lines;
        break;
      }
    pos = nl + 1;
  }
  c.chars = static_cast<double>(s.size() - cont);
  c.lines = static_cast<double>(lines);
  c.words = static_cast<double>(words);
  if (sentences) c.sentences = static_cast<double>(count_sentences(s));
  return c;
}

size_t TextAnalyzer::count_sentences(std::string_view s) {
  size_t n = 0;
  for_each_sentence(s, [&](size_t, size_t) { ++n; });
  return n;
}

}  // namespace rsq
