// The registry table (see rsq/metrics.h). Values are computed once per record
// by TextAnalyzer; each entry here is a pure accessor plus its documentation.
// Order is the report order.
#include "rsq/metrics.h"

#include <algorithm>
#include <array>
#include <vector>

namespace rsq {

namespace {

using V = const RecordValues&;

constexpr std::array kMetrics = {
    MetricInfo{"redundancy_ratio", "reasoning", "ratio", MetricKind::value, 1,
               "1 - compressed_bytes / utf8_bytes of the reasoning (zstd-3 default; --compressor)",
               [](V v) { return v.redundancy_ratio; }},
    MetricInfo{"symbolic_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "non-alphanumeric non-space code points / non-space code points",
               [](V v) { return v.symbolic_fraction; }},
    MetricInfo{"question_coverage", "question,reasoning", "ratio", MetricKind::value, 1,
               "share of the question's content vocabulary that occurs in the reasoning",
               [](V v) { return v.question_coverage; }},
    MetricInfo{"answer_coverage", "answer,reasoning", "ratio", MetricKind::value, 1,
               "share of the answer's content vocabulary that occurs in the reasoning",
               [](V v) { return v.answer_coverage; }},
    MetricInfo{"lexical_flow", "reasoning", "ratio", MetricKind::value, 1,
               "mean Jaccard overlap of content vocabulary of consecutive sentences",
               [](V v) { return v.lexical_flow; }},
    MetricInfo{"reasoning_bytes", "reasoning", "bytes", MetricKind::value, 1, "UTF-8 bytes",
               [](V v) { return v.r.bytes; }},
    MetricInfo{"reasoning_chars", "reasoning", "code points", MetricKind::value, 1, "Unicode code points",
               [](V v) { return v.r.chars; }},
    MetricInfo{"reasoning_words", "reasoning", "words", MetricKind::value, 1, "words (UAX #29 word segments)",
               [](V v) { return v.r.words; }},
    MetricInfo{"reasoning_sentences", "reasoning", "sentences", MetricKind::value, 1,
               "sentences (terminator + space, or line break)", [](V v) { return v.r.sentences; }},
    MetricInfo{"reasoning_lines", "reasoning", "lines", MetricKind::value, 1, "non-blank lines",
               [](V v) { return v.r.lines; }},
    MetricInfo{"question_bytes", "question", "bytes", MetricKind::value, 1, "UTF-8 bytes",
               [](V v) { return v.q.bytes; }},
    MetricInfo{"question_chars", "question", "code points", MetricKind::value, 1, "Unicode code points",
               [](V v) { return v.q.chars; }},
    MetricInfo{"question_words", "question", "words", MetricKind::value, 1, "words",
               [](V v) { return v.q.words; }},
    MetricInfo{"question_sentences", "question", "sentences", MetricKind::value, 1, "sentences",
               [](V v) { return v.q.sentences; }},
    MetricInfo{"question_lines", "question", "lines", MetricKind::value, 1, "non-blank lines",
               [](V v) { return v.q.lines; }},
    MetricInfo{"answer_bytes", "answer", "bytes", MetricKind::value, 1, "UTF-8 bytes", [](V v) { return v.a.bytes; }},
    MetricInfo{"answer_chars", "answer", "code points", MetricKind::value, 1, "Unicode code points",
               [](V v) { return v.a.chars; }},
    MetricInfo{"answer_words", "answer", "words", MetricKind::value, 1, "words", [](V v) { return v.a.words; }},
    MetricInfo{"answer_sentences", "answer", "sentences", MetricKind::value, 1, "sentences",
               [](V v) { return v.a.sentences; }},
    MetricInfo{"answer_lines", "answer", "lines", MetricKind::value, 1, "non-blank lines",
               [](V v) { return v.a.lines; }},
    MetricInfo{"reasoning_answer_ratio", "reasoning,answer", "ratio", MetricKind::value, 1,
               "reasoning_chars / answer_chars (undefined without an answer)",
               [](V v) { return v.reasoning_answer_ratio; }},
    MetricInfo{"dup_line_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "lines repeating an earlier line / lines (Gopher, DataTrove counting)",
               [](V v) { return v.dup_line_fraction; }},
    MetricInfo{"dup_line_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "code points in repeated lines / code points", [](V v) { return v.dup_line_char_fraction; }},
    MetricInfo{"dup_para_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "paragraphs repeating an earlier paragraph / paragraphs", [](V v) { return v.dup_para_fraction; }},
    MetricInfo{"dup_para_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "code points in repeated paragraphs / code points", [](V v) { return v.dup_para_char_fraction; }},
    MetricInfo{"top_2gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "code points of the most frequent word 2-gram x its count / code points",
               [](V v) { return v.top_ngram_char_fraction[0]; }},
    MetricInfo{"top_3gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 3-grams",
               [](V v) { return v.top_ngram_char_fraction[1]; }},
    MetricInfo{"top_4gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 4-grams",
               [](V v) { return v.top_ngram_char_fraction[2]; }},
    MetricInfo{"dup_5gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "word code points in repeated 5-grams (greedy scan) / code points",
               [](V v) { return v.dup_ngram_char_fraction[0]; }},
    MetricInfo{"dup_6gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 6-grams",
               [](V v) { return v.dup_ngram_char_fraction[1]; }},
    MetricInfo{"dup_7gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 7-grams",
               [](V v) { return v.dup_ngram_char_fraction[2]; }},
    MetricInfo{"dup_8gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 8-grams",
               [](V v) { return v.dup_ngram_char_fraction[3]; }},
    MetricInfo{"dup_9gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 9-grams",
               [](V v) { return v.dup_ngram_char_fraction[4]; }},
    MetricInfo{"dup_10gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 10-grams",
               [](V v) { return v.dup_ngram_char_fraction[5]; }},
    MetricInfo{"tail_loop_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "share of reasoning bytes inside a loop that ends the trace (0 if none)",
               [](V v) { return v.tail_loop_fraction; }},
    MetricInfo{"foreign_script_fraction", "question,reasoning", "ratio", MetricKind::value, 1,
               "reasoning letters in a script other than the question's main script / letters",
               [](V v) { return v.foreign_script_fraction; }},
    MetricInfo{"tail_loop", "reasoning", "flag", MetricKind::flag, 1,
               "the trace ends in a span repeated >= 3 times back to back covering >= 256 bytes",
               [](V v) { return v.tail_loop; }},
    MetricInfo{"truncated", "reasoning", "flag", MetricKind::flag, 1, "trace opened by a tag and never closed",
               [](V v) { return v.truncated; }},
    MetricInfo{"reasoning_empty", "reasoning", "flag", MetricKind::flag, 1, "trace present but empty",
               [](V v) { return v.reasoning_empty; }},
    MetricInfo{"close_only", "reasoning", "flag", MetricKind::flag, 1,
               "close tag without open tag (open tag was in the prompt template)",
               [](V v) { return v.close_only; }},
    MetricInfo{"untagged", "reasoning", "flag", MetricKind::flag, 1,
               "no tags and no reasoning field: the whole response is taken as the trace",
               [](V v) { return v.untagged; }},
    MetricInfo{"multiple_think_blocks", "reasoning", "flag", MetricKind::flag, 1, "more than one tagged block",
               [](V v) { return v.multiple_think_blocks; }},
    MetricInfo{"question_present", "question", "flag", MetricKind::flag, 1, "a non-empty question was found",
               [](V v) { return v.question_present; }},
    MetricInfo{"answer_present", "answer", "flag", MetricKind::flag, 1, "a non-empty final answer was found",
               [](V v) { return v.answer_present; }},
    MetricInfo{"boxed_present", "answer,reasoning", "flag", MetricKind::flag, 1, "\\boxed{ occurs in answer or trace",
               [](V v) { return v.boxed_present; }},
};

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    prev.swap(cur);
  }
  return prev[b.size()];
}

}  // namespace

std::span<const MetricInfo> all_metrics() { return kMetrics; }

const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

std::string closest_metric(std::string_view name) {
  // A name that starts a metric's name ("redundancy") is the likeliest intent.
  if (name.size() >= 3)
    for (const auto& m : kMetrics)
      if (m.name.substr(0, name.size()) == name) return std::string(m.name);
  size_t best = 4;
  std::string_view pick;
  for (const auto& m : kMetrics) {
    size_t d = edit_distance(name, m.name);
    if (d < best) {
      best = d;
      pick = m.name;
    }
  }
  return std::string(pick);
}

}  // namespace rsq
