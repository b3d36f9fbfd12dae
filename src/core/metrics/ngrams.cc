// N-grams family: Gopher n-gram repetition of the reasoning's words — the
// character share of the most frequent 2-, 3- and 4-gram, and of repeated 5-
// to 10-grams found by a greedy scan (docs/metrics.md; DataTrove's counting,
// with rsq's words). Exact: n-grams are grouped by interned word ids, never
// by hashes of text; a hash only places a full key in a table (the
// brute-force test in tests/unit/test_text.cc).
#include <cstring>
#include <vector>

#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"top_2gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2,
     "code points of the most frequent word 2-gram x its count / code points", "ngrams"},
    {"top_3gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 3-grams", "ngrams"},
    {"top_4gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 4-grams", "ngrams"},
    {"dup_5gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2,
     "word code points in repeated 5-grams (greedy scan) / code points", "ngrams"},
    {"dup_6gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 6-grams", "ngrams"},
    {"dup_7gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 7-grams", "ngrams"},
    {"dup_8gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 8-grams", "ngrams"},
    {"dup_9gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 9-grams", "ngrams"},
    {"dup_10gram_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "as above, 10-grams", "ngrams"},
};

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty()) return;
    ngram_metrics(p, out);
  }

 private:
  // Word n-grams by exact refinement instead of hashing text: the n-gram at
  // position i is the pair (group of the (n-1)-gram at i, group of the
  // (n-1)-gram at i+1) — equal pairs are equal n-grams and nothing else is —
  // numbered densely, in order of first occurrence, by a table keyed on the
  // whole pair (a hash only picks the slot; keys are compared in full, so no
  // two different n-grams ever share a group). Level 1 groups are the
  // interned word ids. An n-gram can repeat only where both its (n-1)-gram
  // prefix (at i) and suffix (at i+1) repeat, so only those "live" positions
  // are looked up; every other position is a unique n-gram (count 1). Live
  // positions of level n are a subset of those of level n-1, so each level
  // walks the previous level's list, not the whole trace: i + 1 repeats at
  // level n-1 only if it is on that level's list, i.e. the next entry of the
  // ascending list. One pass per level decides, looks up and counts; the
  // list carries each position's group, so the pair's second half is the
  // entry just read for the adjacency test (no per-position group array).
  // This replaced a bucket-and-split grouping (prefix sums, a scatter, a
  // stamped split per bucket): 1,087 -> 1,036 M instructions on the 10 MB
  // corpus slice (docs/performance.md, fifth round).
  // A slot is 12 bytes (the key's two halves and the group), 4-byte
  // aligned: at 16 the table alone took 32-64 bytes per token and a record
  // of random CJK ideographs (one token per 3 bytes) went past the memory
  // bound of docs/design.md.
  struct Slot {
    uint32_t k[2];  // kEmpty, or the key (prefix group << 32 | suffix group)
    uint32_t g;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};  // ids and groups are < 2^32 - 1
  struct Entry {
    uint32_t pos, g;  // a live position and its group at the list's level
  };
  std::vector<Entry> live;  // compacted in place from level to level
  std::vector<uint32_t> cnt_prev, cnt_cur, first, slot;  // per group: count, first position, table slot
  std::vector<Slot> table;
  std::vector<uint8_t> seen;

  // Scratch arrays only grow: a resize that shrinks and regrows between
  // levels and records value-initialises the regrown part every time (it
  // was 2 % of all instructions in memset).
  template <class T>
  static T* grow(std::vector<T>& v, size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
  }
  static uint64_t key_of(const Slot& s) {
    uint64_t k;
    std::memcpy(&k, s.k, 8);
    return k;
  }

 public:
  void trim() override {
    for (auto* v : {&cnt_prev, &cnt_cur, &first, &slot}) std::vector<uint32_t>().swap(*v);
    std::vector<Entry>().swap(live);
    std::vector<Slot>().swap(table);
    std::vector<uint8_t>().swap(seen);
  }

 private:
  // Per-level arrays of the groups being built: count, first position and
  // table slot (to empty it afterwards).
  struct Level {
    Slot* t;
    size_t mask;
    uint32_t *cnt, *first, *slot;
    uint32_t ng;
  };
  // Counts one occurrence at position i of the pair (a, b) and returns its
  // group, created (count 1, first position i) when new; the slot is picked
  // by the product's bits 32.., a fixed shift.
  [[gnu::always_inline]] static inline uint32_t count_pair(Level& L, uint32_t a, uint32_t b, uint32_t i) {
    const uint64_t key = uint64_t{a} << 32 | b;
    size_t h = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & L.mask;
    for (;;) {
      const uint64_t k = key_of(L.t[h]);
      if (k == key) {
        const uint32_t g = L.t[h].g;
        ++L.cnt[g];
        return g;
      }
      if (k == kEmpty) break;
      h = (h + 1) & L.mask;
    }
    const uint32_t g = L.ng++;
    std::memcpy(L.t[h].k, &key, 8);
    L.t[h].g = g;
    L.cnt[g] = 1;
    L.first[g] = i;
    L.slot[g] = static_cast<uint32_t>(h);
    return g;
  }

  // Characters of the most frequent word n-gram (words joined by single
  // spaces) times its count, over all characters (n = 2..4); and the greedy
  // duplicate-n-gram scans (n = 5..10): an n-gram seen before adds its word
  // characters and the scan jumps n words ahead.
  void ngram_metrics(const text::Prepared& p, const Out& out) {
    const std::vector<text::Token>& tr = p.tr;
    const double rchars = p.cr.chars;
    const size_t w = tr.size();
    for (size_t k = 0; k < 9; ++k) out.set(k, 0.0);
    if (w < 2 || rchars <= 0) return;
    // Every level has at most w - 1 groups and list entries.
    Entry* const lc = grow(live, w);
    grow(cnt_prev, w);
    grow(cnt_cur, w);
    grow(first, w);
    grow(slot, w);
    size_t n_prev = 0;  // live positions of the level just built (live[0, n_prev))
    for (int n = 2; n <= 10 && static_cast<size_t>(n) <= w; ++n) {
      // The table for this level: a power of two at least twice the entries
      // walked (a level has at most as many groups), so small levels stay in
      // cache; past 2^16 entries at least 4/3 of them, which keeps a huge
      // record's table at 16-32 bytes a token. Slots are emptied after use
      // (one store per group), never cleared whole.
      const size_t walked = n == 2 ? w - 1 : n_prev;
      const size_t want = walked <= (size_t{1} << 16) ? 2 * walked : walked + walked / 3 + 1;
      int bits = 4;
      while ((size_t{1} << bits) < want) ++bits;
      if (table.size() < (size_t{1} << bits)) table.assign(size_t{1} << bits, Slot{{~0u, ~0u}, 0});
      Level L{table.data(), (size_t{1} << bits) - 1, cnt_cur.data(), first.data(), slot.data(), 0};
      size_t nl = 0;
      if (n == 2) {
        // Level 1's groups are the word ids, its counts the word counts
        // (counted while interning, text/words.h).
        const uint32_t* cnt = p.rcounts;
        uint32_t ga = tr[0].id, ra = cnt[ga] > 1;
        for (size_t i = 0; i + 1 < w; ++i) {
          const uint32_t gb = tr[i + 1].id, rb = cnt[gb] > 1;
          if (ra & rb) {
            const uint32_t g = count_pair(L, ga, gb, static_cast<uint32_t>(i));
            lc[nl++] = Entry{static_cast<uint32_t>(i), g};
          }
          ga = gb;
          ra = rb;
        }
      } else {
        // Entry pp of level n-1's list is decided when the next entry j is
        // read: pp's suffix repeats exactly when j == pp + 1 and j's group
        // has a count above one. The last entry has no successor on the list,
        // so it is never live; nor would the n-gram at m = w + 1 - n be (it
        // would run past the end), as m + 1 is never on the list.
        // Taking too many positions live costs time, never a value (groups
        // are exact), so the adjacency test is a speed invariant no output
        // test can see; taking too few changes values (the brute-force test).
        // An entry whose own group does not repeat is carried as "expect"
        // = a position no entry has (kNone), so one compare tests both.
        // The new list is written over the old one: an entry is written at
        // most at the index its position was read from, already consumed.
        constexpr uint32_t kNone = ~uint32_t{0};
        const uint32_t* const cnt = cnt_prev.data();
        const Entry *lp = lc, *const lp_end = lc + n_prev;
        uint32_t pp = lp->pos, gp = lp->g, expect = cnt[gp] > 1 ? pp + 1 : kNone;
        ++lp;
        for (; lp != lp_end; ++lp) {
          const Entry e = *lp;
          const uint32_t j = e.pos, gj = e.g;
          const bool rj = cnt[gj] > 1;
          if (j == expect && rj) {
            const uint32_t g = count_pair(L, gp, gj, pp);
            lc[nl++] = Entry{pp, g};
          }
          pp = j;
          gp = gj;
          expect = rj ? j + 1 : kNone;
        }
      }
      const uint32_t ng = L.ng;
      const uint32_t* const gc = L.cnt;
      for (uint32_t g = 0; g < ng; ++g) std::memcpy(L.t[L.slot[g]].k, &kEmpty, 8);
      if (n <= 4) {
        // Highest count; among equal counts the n-gram that occurred first
        // (Python's Counter.most_common order): groups are numbered in order
        // of first occurrence, so the first group with the highest count.
        // All unique: the first n-gram.
        uint32_t best = 1, best_i = 0;
        for (uint32_t g = 0; g < ng; ++g)
          if (gc[g] > best) {
            best = gc[g];
            best_i = first[g];
          }
        const size_t last = static_cast<size_t>(n) - 1;
        size_t len = last;
        for (size_t k = 0; k < static_cast<size_t>(n); ++k) len += tr[best_i + k].chars;
        out.set(static_cast<size_t>(n - 2), static_cast<double>(len) * best / rchars);
      } else if (nl) {
        // The greedy walk visits positions in order and jumps n words after a
        // hit; only repeating n-grams can be "seen before", so walking the
        // live list (ascending) and skipping the jumped-over ones is the same.
        seen.assign(ng, 0);
        double rep = 0;
        size_t next = 0;
        for (size_t q = 0; q < nl; ++q) {
          const uint32_t i = lc[q].pos, g = lc[q].g;
          if (i < next || gc[g] < 2) continue;
          uint8_t& sn = seen[g];
          if (sn) {
            for (size_t k = 0; k < static_cast<size_t>(n); ++k) rep += tr[i + k].chars;
            next = i + static_cast<size_t>(n);
          } else {
            sn = 1;
          }
        }
        out.set(static_cast<size_t>(n - 2), rep / rchars);
      }
      cnt_prev.swap(cnt_cur);
      n_prev = nl;
      if (!nl) {
        // Nothing repeats at this length, so nothing longer does: the rest
        // are all-unique levels (top n-gram = the first one, no duplicates).
        for (int k = n + 1; k <= 4 && static_cast<size_t>(k) <= w; ++k) {
          size_t len = static_cast<size_t>(k) - 1;
          for (size_t j = 0; j < static_cast<size_t>(k); ++j) len += tr[j].chars;
          out.set(static_cast<size_t>(k - 2), static_cast<double>(len) / rchars);
        }
        break;
      }
    }
  }
};

}  // namespace

extern const Family ngrams{"ngrams", kRows, false, true, true, make_state<State>};

}  // namespace rsq::metrics
