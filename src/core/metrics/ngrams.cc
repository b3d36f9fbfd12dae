// N-grams family: Gopher n-gram repetition of the reasoning's words — the
// character share of the most frequent 2-, 3- and 4-gram, and of repeated 5-
// to 10-grams found by a greedy scan (docs/metrics.md; DataTrove's counting,
// with rsq's words). Exact: n-grams are grouped by interned word ids, never
// by hashes of text (the brute-force test in tests/unit/test_text.cc).
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
  // position i is identified by the pair (group of the (n-1)-gram at i, id
  // of word i+n-1), numbered densely by bucketing positions on the first
  // and splitting buckets on the second (no hash table; group numbers are
  // not in order of first occurrence, so ties use gfirst). An n-gram can repeat
  // only where both its (n-1)-gram prefix (at i) and suffix (at i+1)
  // repeat, so only those "live" positions are interned; every other
  // position is a unique n-gram (count 1). Level 1 groups are the interned
  // word ids. Exact: no two different n-grams ever share a group.
  // Live positions of level n are a subset of those of level n-1, so each
  // level walks the previous level's list, not the whole trace. The suffix
  // test needs no per-position counts: i + 1 repeats at level n-1 only if it
  // is on that level's list, i.e. the next entry of the ascending list.
  std::vector<uint32_t> g_prev, g_cur, gcnt, gfirst, live_prev, live_cur, uni;
  std::vector<uint32_t> bstart, bfill, order, mark, gid;  // grouping scratch (mark/gid: per word id)
  uint32_t stamp = 0;
  std::vector<uint8_t> seen;

  // Scratch arrays only grow: a resize that shrinks and regrows between
  // levels and records value-initialises the regrown part every time (it
  // was 2 % of all instructions in memset).
  static uint32_t* grow(std::vector<uint32_t>& v, size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
  }

 public:
  void trim() override {
    for (auto* v : {&g_prev, &g_cur, &gcnt, &gfirst, &live_prev, &live_cur, &uni, &bstart, &bfill, &order, &mark, &gid})
      std::vector<uint32_t>().swap(*v);
    std::vector<uint8_t>().swap(seen);
    stamp = 0;
  }

 private:

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
    uni.assign(p.words, 0);
    for (const auto& t : tr) ++uni[t.id];
    // mark is stamped, never cleared per record: only a wrap of the stamp
    // (below) clears it; the shared-analyzer check of the brute-force n-gram
    // test is what keeps this honest.
    if (mark.size() < p.words) mark.resize(p.words, 0);
    if (uint64_t{stamp} + 10 * uint64_t{w} > 0xFFFFFFFFu) {  // at most 9 stamps per position
      std::fill(mark.begin(), mark.end(), 0u);
      stamp = 0;
    }
    grow(gid, p.words);
    grow(g_prev, w);
    grow(g_cur, w);
    // At most one group per live position: sized once, so creating a group
    // is two stores, not two push_backs.
    if (gcnt.size() < w) {
      gcnt.resize(w);
      gfirst.resize(w);
    }
    size_t ng = 0;      // groups of the level just built (gcnt/gfirst[0, ng))
    size_t n_prev = 0;  // its live positions (live_prev[0, n_prev))
    for (size_t i = 0; i < w; ++i) g_prev[i] = tr[i].id;
    for (int n = 2; n <= 10 && static_cast<size_t>(n) <= w; ++n) {
      const size_t m = w + 1 - static_cast<size_t>(n), last = static_cast<size_t>(n) - 1;
      // Bucket slots come from the previous level: the live positions of
      // prefix group g are a subset of that group's positions, so g's bucket
      // is a run of cnt[g] slots starting at the prefix sum of the counts,
      // and the filter below scatters each position into its bucket as it
      // decides it (no separate counting pass, no per-level clearing).
      const size_t g_prev_n = n == 2 ? p.words : ng;
      const uint32_t* cnt = n == 2 ? uni.data() : gcnt.data();
      grow(bstart, g_prev_n);
      grow(bfill, g_prev_n);
      {
        uint32_t acc = 0;
        for (size_t g = 0; g < g_prev_n; ++g) {
          bstart[g] = bfill[g] = acc;
          acc += cnt[g];
        }
        grow(order, acc);
      }
      // Branch-free collection (the test is data-dependent and mispredicts
      // when interleaved with the probes): every position is written to its
      // bucket's next slot, and the slot is kept only when it is live (a
      // dead write stays inside the bucket: the slots used so far never
      // exceed the positions of the group walked so far).
      size_t live = 0;
      uint32_t *lc, *od = order.data(), *bf = bfill.data();
      const uint32_t* gv = g_prev.data();
      if (n == 2) {
        lc = grow(live_cur, m + 1);
        // Level 1's groups are the word ids, its counts the word counts.
        for (size_t i = 0; i < m; ++i) {
          const uint32_t gi = gv[i];
          lc[live] = static_cast<uint32_t>(i);
          const uint32_t is_live = (cnt[gi] > 1) & (cnt[gv[i + 1]] > 1);
          od[bf[gi]] = static_cast<uint32_t>(i);
          bf[gi] += is_live;
          live += is_live;
        }
      } else {
        // Level n-1's list is walked one entry behind: entry p is decided when
        // the next entry j is read, since p's suffix repeats exactly when
        // j == p + 1 and j's group has a count above one. The last entry has
        // no successor on the list, so it is never live; nor is the entry m
        // (the n-gram would run past the end), as m + 1 is never on the list.
        // Taking too many positions live costs time, never a value (groups are
        // exact), so the adjacency test is a speed invariant no output test
        // can see; taking too few changes values (the brute-force test).
        lc = grow(live_cur, n_prev + 1);
        const uint32_t *lp = live_prev.data(), *lp_end = lp + n_prev;
        uint32_t pp = *lp++, gp = gv[pp], rp = cnt[gp] > 1;
        for (; lp != lp_end; ++lp) {
          const uint32_t j = *lp, gj = gv[j], rj = cnt[gj] > 1;
          lc[live] = pp;
          const uint32_t is_live = rp & rj & (j == pp + 1);
          od[bf[gp]] = pp;
          bf[gp] += is_live;
          live += is_live;
          pp = j;
          gp = gj;
          rp = rj;
        }
      }
      ng = 0;
      if (live) {
        // Each bucket (ascending positions: the filter walks in order) is
        // split by the last word's id with a stamped array. A bucket of one
        // position is a group of its own. Buckets are walked in prefix-group
        // order, so group numbers are the same as a counting sort gives.
        for (size_t b = 0; b < g_prev_n; ++b) {
          size_t k = bstart[b];
          const size_t e = bfill[b];
          if (e - k <= 1) {
            if (e == k) continue;
            const uint32_t i = od[k];
            g_cur[i] = static_cast<uint32_t>(ng);
            gcnt[ng] = 1;
            gfirst[ng++] = i;
            continue;
          }
          ++stamp;
          for (; k < e; ++k) {
            const uint32_t i = od[k], x = tr[i + last].id;
            if (mark[x] != stamp) {
              mark[x] = stamp;
              gid[x] = static_cast<uint32_t>(ng);
              gcnt[ng] = 0;
              gfirst[ng++] = i;
            }
            const uint32_t g = gid[x];
            ++gcnt[g];
            g_cur[i] = g;
          }
        }
      }
      if (n <= 4) {
        // Highest count; among equal counts the n-gram that occurred first
        // (Python's Counter.most_common order). All unique: the first n-gram.
        uint32_t best = 1, best_i = 0;
        for (size_t g = 0; g < ng; ++g)
          if (gcnt[g] > best || (gcnt[g] == best && gfirst[g] < best_i)) {
            best = gcnt[g];
            best_i = gfirst[g];
          }
        size_t len = last;
        for (size_t k = 0; k < static_cast<size_t>(n); ++k) len += tr[best_i + k].chars;
        out.set(static_cast<size_t>(n - 2), static_cast<double>(len) * best / rchars);
      } else if (live) {
        // The greedy walk visits positions in order and jumps n words after a
        // hit; only repeating n-grams can be "seen before", so walking the
        // live list (ascending) and skipping the jumped-over ones is the same.
        seen.assign(ng, 0);
        double rep = 0;
        size_t next = 0;
        for (size_t q = 0; q < live; ++q) {
          const uint32_t i = live_cur[q];
          const uint32_t g = g_cur[i];
          if (i < next || gcnt[g] < 2) continue;
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
      g_prev.swap(g_cur);
      live_prev.swap(live_cur);
      n_prev = live;
      if (!live) {
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
