// values.h — a test fixture: a record's value row (rsq/text.h) read back into
// named fields, so known-answer tests say `v.redundancy_ratio` and stay
// independent of the registry's column order.
#pragma once
#include <string>

#include "rsq/metrics.h"
#include "rsq/text.h"

namespace rsq::test {

struct SegmentValues {
  double bytes = 0, chars = 0, words = 0, sentences = 0, lines = 0;
};

struct RecordValues {
  SegmentValues q, r, a;
  double redundancy_ratio = 0, symbolic_fraction = 0;
  double question_coverage = 0, answer_coverage = 0, lexical_flow = 0;
  double dup_line_fraction = 0, dup_line_char_fraction = 0;
  double dup_para_fraction = 0, dup_para_char_fraction = 0;
  double top_ngram_char_fraction[3] = {0, 0, 0};           // n = 2, 3, 4
  double dup_ngram_char_fraction[6] = {0, 0, 0, 0, 0, 0};  // n = 5..10
  double tail_loop = 0, tail_loop_fraction = 0;
  double foreign_script_fraction = 0;
  double reasoning_answer_ratio = 0;
  double reasoning_empty = 0, truncated = 0, close_only = 0, untagged = 0, answer_present = 0, boxed_present = 0,
         multiple_think_blocks = 0, question_present = 0;
};

inline RecordValues values_of(const std::vector<double>& row) {
  RecordValues v;
  auto get = [&](const std::string& name) {
    const MetricInfo* m = find_metric(name);
    if (!m) throw std::logic_error("no metric " + name);
    return row.at(static_cast<size_t>(m - all_metrics().data()));
  };
  for (auto [seg, s] : {std::pair{"question", &v.q}, std::pair{"reasoning", &v.r}, std::pair{"answer", &v.a}}) {
    std::string p(seg);
    s->bytes = get(p + "_bytes");
    s->chars = get(p + "_chars");
    s->words = get(p + "_words");
    s->sentences = get(p + "_sentences");
    s->lines = get(p + "_lines");
  }
  v.redundancy_ratio = get("redundancy_ratio");
  v.symbolic_fraction = get("symbolic_fraction");
  v.question_coverage = get("question_coverage");
  v.answer_coverage = get("answer_coverage");
  v.lexical_flow = get("lexical_flow");
  v.dup_line_fraction = get("dup_line_fraction");
  v.dup_line_char_fraction = get("dup_line_char_fraction");
  v.dup_para_fraction = get("dup_para_fraction");
  v.dup_para_char_fraction = get("dup_para_char_fraction");
  for (int n = 2; n <= 4; ++n) v.top_ngram_char_fraction[n - 2] = get("top_" + std::to_string(n) + "gram_char_fraction");
  for (int n = 5; n <= 10; ++n) v.dup_ngram_char_fraction[n - 5] = get("dup_" + std::to_string(n) + "gram_char_fraction");
  v.tail_loop = get("tail_loop");
  v.tail_loop_fraction = get("tail_loop_fraction");
  v.foreign_script_fraction = get("foreign_script_fraction");
  v.reasoning_answer_ratio = get("reasoning_answer_ratio");
  v.reasoning_empty = get("reasoning_empty");
  v.truncated = get("truncated");
  v.close_only = get("close_only");
  v.untagged = get("untagged");
  v.answer_present = get("answer_present");
  v.boxed_present = get("boxed_present");
  v.multiple_think_blocks = get("multiple_think_blocks");
  v.question_present = get("question_present");
  return v;
}

inline RecordValues analyze_record(TextAnalyzer& an, const RecordText& t) {
  std::vector<double> row(all_metrics().size());
  an.analyze(t, row.data());
  return values_of(row);
}

}  // namespace rsq::test
