// Verbosity family: sizes of question, reasoning and answer in bytes, code
// points, words, sentences and lines, and the reasoning/answer length ratio.
// All come from the scan (text/prepared.h SegmentCounts).
#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"reasoning_bytes", "reasoning", "bytes", MetricKind::value, 1, "UTF-8 bytes", "verbosity"},
    {"reasoning_chars", "reasoning", "code points", MetricKind::value, 1, "Unicode code points", "verbosity"},
    {"reasoning_words", "reasoning", "words", MetricKind::value, 2, "words (UAX #29 word segments)", "verbosity"},
    {"reasoning_sentences", "reasoning", "sentences", MetricKind::value, 1, "sentences (terminator + space, or line break)",
     "verbosity"},
    {"reasoning_lines", "reasoning", "lines", MetricKind::value, 1, "non-blank lines", "verbosity"},
    {"question_bytes", "question", "bytes", MetricKind::value, 1, "UTF-8 bytes", "verbosity"},
    {"question_chars", "question", "code points", MetricKind::value, 1, "Unicode code points", "verbosity"},
    {"question_words", "question", "words", MetricKind::value, 2, "words", "verbosity"},
    {"question_sentences", "question", "sentences", MetricKind::value, 1, "sentences", "verbosity"},
    {"question_lines", "question", "lines", MetricKind::value, 1, "non-blank lines", "verbosity"},
    {"answer_bytes", "answer", "bytes", MetricKind::value, 1, "UTF-8 bytes", "verbosity"},
    {"answer_chars", "answer", "code points", MetricKind::value, 1, "Unicode code points", "verbosity"},
    {"answer_words", "answer", "words", MetricKind::value, 2, "words", "verbosity"},
    {"answer_sentences", "answer", "sentences", MetricKind::value, 1, "sentences", "verbosity"},
    {"answer_lines", "answer", "lines", MetricKind::value, 1, "non-blank lines", "verbosity"},
    {"reasoning_answer_ratio", "reasoning,answer", "ratio", MetricKind::value, 1,
     "reasoning_chars / answer_chars (undefined without an answer)", "verbosity"},
};

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    size_t k = 0;
    for (const text::SegmentCounts* c : {&p.cr, &p.cq, &p.ca}) {
      out.set(k++, c->bytes);
      out.set(k++, c->chars);
      out.set(k++, c->words);
      out.set(k++, c->sentences);
      out.set(k++, c->lines);
    }
    out.set(k, p.ca.chars > 0 ? p.cr.chars / p.ca.chars : kNaN);
  }
};

}  // namespace

extern const Family verbosity{"verbosity", kRows, true, false, false, make_state<State>};

}  // namespace rsq::metrics
