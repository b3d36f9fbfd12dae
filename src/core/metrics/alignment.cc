// Alignment family: lexical overlap of the question and the answer with the
// reasoning (content vocabulary, stop words excluded, case-folded and
// optionally cut to --stem-prefix code points), and lexical flow between
// consecutive sentences (docs/metrics.md). Reads interned folded-form ids,
// so vocabularies are arrays indexed by id, not hash sets.
#include <algorithm>
#include <vector>

#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"question_coverage", "question,reasoning", "ratio", MetricKind::value, 2,
     "share of the question's content vocabulary that occurs in the reasoning", "alignment"},
    {"answer_coverage", "answer,reasoning", "ratio", MetricKind::value, 2,
     "share of the answer's content vocabulary that occurs in the reasoning", "alignment"},
    {"lexical_flow", "reasoning", "ratio", MetricKind::value, 2,
     "mean Jaccard overlap of content vocabulary of consecutive sentences", "alignment"},
};

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty()) return;
    if (fmark.size() < p.forms) fmark.resize(p.forms, 0);
    ftag += 8;
    if (ftag == 0) {  // wrapped
      std::fill(fmark.begin(), fmark.end(), 0u);
      ftag = 8;
    }
    const uint32_t tag = ftag;
    // One walk of the trace's tokens marks its content forms for the
    // coverage (tag | 1) and, sentence by sentence, computes the flow.
    out.set(2, trace_pass(p, tag));
    // The small question/answer sets are probed once per their word
    // against the marks (they stay in L1) instead of building the trace's
    // vocabulary.
    auto cov = [&](const std::vector<text::Token>& toks, uint32_t bit) {
      size_t n = 0, hit = 0;
      for (const auto& t : toks) {
        uint32_t b = fmark[t.fid] - tag;  // this record's bits; older tags wrap far above 7
        if (b > 7) b = 0;
        if (t.stop || (b & bit)) continue;
        fmark[t.fid] = tag | b | bit;
        ++n;
        hit += b & 1;
      }
      return n ? static_cast<double>(hit) / static_cast<double>(n) : kNaN;
    };
    out.set(0, cov(p.tq, 2));
    out.set(1, cov(p.ta, 4));
  }

 private:
  // Question and answer coverage: distinct non-stop folded forms of the
  // question (answer) that also occur as a non-stop word of the trace.
  // Per folded form: this record's tag (a record number << 3) | 1 in
  // trace, 2 seen in q, 4 seen in a. Entries with an older tag read as no
  // bits, so nothing is cleared per record (only when the numbers wrap).
  std::vector<uint32_t> fmark;
  uint32_t ftag = 0;

  // Lexical flow: mean Jaccard overlap of consecutive sentences'
  // vocabularies. last[f] = 1 + index of the last sentence holding folded
  // form f, so "in the previous sentence" is one array read. Tokens outside
  // every sentence only get their coverage mark.
  double trace_pass(const text::Prepared& p, uint32_t tag) {
    double sum = 0;
    size_t pairs = 0, prev_n = 0;
    // Sentence numbers continue across records (flow_base), so entries
    // left by earlier records are below this record's first number and
    // the array is never cleared per record, only when the numbers wrap.
    if (flow_last.size() < p.forms) flow_last.resize(p.forms, 0);
    if (uint64_t{flow_base} + p.sr.sentences.size() + 2 > 0xFFFFFFFFu) {
      std::fill(flow_last.begin(), flow_last.end(), 0u);
      flow_base = 0;
    }
    uint32_t* const last = flow_last.data();
    uint32_t* const fm = fmark.data();
    const uint32_t mark = tag | 1;
    const text::Token *tp = p.tr.data(), *const te = tp + p.tr.size();
    uint32_t k = flow_base;
    const uint32_t first = flow_base + 1;
    for (auto [sb, se] : p.sr.sentences) {
      ++k;
      for (; tp != te && tp->off < sb; ++tp)
        if (!tp->stop) fm[tp->fid] = mark;
      // The previous sentence's number, or one no entry holds (numbers
      // stay below 2^32 - 2) for the first sentence.
      const uint32_t before = k > first ? k - 1 : ~uint32_t{0};
      size_t cur_n = 0, inter = 0;
      for (; tp != te && tp->off < se; ++tp) {
        if (tp->stop) continue;
        fm[tp->fid] = mark;
        uint32_t& l = last[tp->fid];
        if (l == k) continue;
        inter += l == before;
        l = k;
        ++cur_n;
      }
      if (k > first && (prev_n || cur_n)) {
        sum += static_cast<double>(inter) / static_cast<double>(prev_n + cur_n - inter);
        ++pairs;
      }
      prev_n = cur_n;
    }
    for (; tp != te; ++tp)
      if (!tp->stop) fm[tp->fid] = mark;
    flow_base = k;
    return pairs ? sum / static_cast<double>(pairs) : kNaN;
  }

  std::vector<uint32_t> flow_last;
  uint32_t flow_base = 0;
};

}  // namespace

extern const Family alignment{"alignment", kRows, false, true, true, make_state<State>};

}  // namespace rsq::metrics
