// The registry table (see rsq/metrics.h). Values are computed once per record
// by TextAnalyzer; each entry here is a pure accessor plus its documentation.
// Order is the report order.
#include "rsq/metrics.h"

#include <algorithm>
#include <array>
#include <vector>

#include "rsq/error.h"

namespace rsq {

namespace {

using V = const RecordValues&;

constexpr std::array kMetrics = {
    MetricInfo{"redundancy_ratio", "reasoning", "ratio", MetricKind::value, 1,
               "1 - compressed_bytes / utf8_bytes of the reasoning (zstd-3 default; --compressor)",
               [](V v) { return v.redundancy_ratio; }, "redundancy"},
    MetricInfo{"symbolic_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "non-alphanumeric non-space code points / non-space code points",
               [](V v) { return v.symbolic_fraction; }, "symbols"},
    MetricInfo{"question_coverage", "question,reasoning", "ratio", MetricKind::value, 1,
               "share of the question's content vocabulary that occurs in the reasoning",
               [](V v) { return v.question_coverage; }, "alignment"},
    MetricInfo{"answer_coverage", "answer,reasoning", "ratio", MetricKind::value, 1,
               "share of the answer's content vocabulary that occurs in the reasoning",
               [](V v) { return v.answer_coverage; }, "alignment"},
    MetricInfo{"lexical_flow", "reasoning", "ratio", MetricKind::value, 1,
               "mean Jaccard overlap of content vocabulary of consecutive sentences",
               [](V v) { return v.lexical_flow; }, "alignment"},
    MetricInfo{"reasoning_bytes", "reasoning", "bytes", MetricKind::value, 1, "UTF-8 bytes",
               [](V v) { return v.r.bytes; }, "verbosity"},
    MetricInfo{"reasoning_chars", "reasoning", "code points", MetricKind::value, 1, "Unicode code points",
               [](V v) { return v.r.chars; }, "verbosity"},
    MetricInfo{"reasoning_words", "reasoning", "words", MetricKind::value, 1, "words (UAX #29 word segments)",
               [](V v) { return v.r.words; }, "verbosity"},
    MetricInfo{"reasoning_sentences", "reasoning", "sentences", MetricKind::value, 1,
               "sentences (terminator + space, or line break)", [](V v) { return v.r.sentences; }, "verbosity"},
    MetricInfo{"reasoning_lines", "reasoning", "lines", MetricKind::value, 1, "non-blank lines",
               [](V v) { return v.r.lines; }, "verbosity"},
    MetricInfo{"question_bytes", "question", "bytes", MetricKind::value, 1, "UTF-8 bytes",
               [](V v) { return v.q.bytes; }, "verbosity"},
    MetricInfo{"question_chars", "question", "code points", MetricKind::value, 1, "Unicode code points",
               [](V v) { return v.q.chars; }, "verbosity"},
    MetricInfo{"question_words", "question", "words", MetricKind::value, 1, "words",
               [](V v) { return v.q.words; }, "verbosity"},
    MetricInfo{"question_sentences", "question", "sentences", MetricKind::value, 1, "sentences",
               [](V v) { return v.q.sentences; }, "verbosity"},
    MetricInfo{"question_lines", "question", "lines", MetricKind::value, 1, "non-blank lines",
               [](V v) { return v.q.lines; }, "verbosity"},
    MetricInfo{"answer_bytes", "answer", "bytes", MetricKind::value, 1, "UTF-8 bytes", [](V v) { return v.a.bytes; }, "verbosity"},
    MetricInfo{"answer_chars", "answer", "code points", MetricKind::value, 1, "Unicode code points",
               [](V v) { return v.a.chars; }, "verbosity"},
    MetricInfo{"answer_words", "answer", "words", MetricKind::value, 1, "words", [](V v) { return v.a.words; }, "verbosity"},
    MetricInfo{"answer_sentences", "answer", "sentences", MetricKind::value, 1, "sentences",
               [](V v) { return v.a.sentences; }, "verbosity"},
    MetricInfo{"answer_lines", "answer", "lines", MetricKind::value, 1, "non-blank lines",
               [](V v) { return v.a.lines; }, "verbosity"},
    MetricInfo{"reasoning_answer_ratio", "reasoning,answer", "ratio", MetricKind::value, 1,
               "reasoning_chars / answer_chars (undefined without an answer)",
               [](V v) { return v.reasoning_answer_ratio; }, "verbosity"},
    MetricInfo{"dup_line_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "lines repeating an earlier line / lines (Gopher, DataTrove counting)",
               [](V v) { return v.dup_line_fraction; }, "lines"},
    MetricInfo{"dup_line_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "code points in repeated lines / code points", [](V v) { return v.dup_line_char_fraction; }, "lines"},
    MetricInfo{"dup_para_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "paragraphs repeating an earlier paragraph / paragraphs", [](V v) { return v.dup_para_fraction; }, "lines"},
    MetricInfo{"dup_para_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "code points in repeated paragraphs / code points", [](V v) { return v.dup_para_char_fraction; }, "lines"},
    MetricInfo{"top_2gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "code points of the most frequent word 2-gram x its count / code points",
               [](V v) { return v.top_ngram_char_fraction[0]; }, "ngrams"},
    MetricInfo{"top_3gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 3-grams",
               [](V v) { return v.top_ngram_char_fraction[1]; }, "ngrams"},
    MetricInfo{"top_4gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 4-grams",
               [](V v) { return v.top_ngram_char_fraction[2]; }, "ngrams"},
    MetricInfo{"dup_5gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "word code points in repeated 5-grams (greedy scan) / code points",
               [](V v) { return v.dup_ngram_char_fraction[0]; }, "ngrams"},
    MetricInfo{"dup_6gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 6-grams",
               [](V v) { return v.dup_ngram_char_fraction[1]; }, "ngrams"},
    MetricInfo{"dup_7gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 7-grams",
               [](V v) { return v.dup_ngram_char_fraction[2]; }, "ngrams"},
    MetricInfo{"dup_8gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 8-grams",
               [](V v) { return v.dup_ngram_char_fraction[3]; }, "ngrams"},
    MetricInfo{"dup_9gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 9-grams",
               [](V v) { return v.dup_ngram_char_fraction[4]; }, "ngrams"},
    MetricInfo{"dup_10gram_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "as above, 10-grams",
               [](V v) { return v.dup_ngram_char_fraction[5]; }, "ngrams"},
    MetricInfo{"tail_loop_fraction", "reasoning", "ratio", MetricKind::value, 1,
               "share of reasoning bytes inside a loop that ends the trace (0 if none)",
               [](V v) { return v.tail_loop_fraction; }, "loops"},
    MetricInfo{"foreign_script_fraction", "question,reasoning", "ratio", MetricKind::value, 1,
               "reasoning letters in a script other than the question's main script / letters",
               [](V v) { return v.foreign_script_fraction; }, "scripts"},
    MetricInfo{"tail_loop", "reasoning", "flag", MetricKind::flag, 1,
               "the trace ends in a span repeated >= 3 times back to back covering >= 256 bytes",
               [](V v) { return v.tail_loop; }, "loops"},
    MetricInfo{"truncated", "reasoning", "flag", MetricKind::flag, 1, "trace opened by a tag and never closed",
               [](V v) { return v.truncated; }, "structure"},
    MetricInfo{"reasoning_empty", "reasoning", "flag", MetricKind::flag, 1, "trace present but empty",
               [](V v) { return v.reasoning_empty; }, "structure"},
    MetricInfo{"close_only", "reasoning", "flag", MetricKind::flag, 1,
               "close tag without open tag (open tag was in the prompt template)",
               [](V v) { return v.close_only; }, "structure"},
    MetricInfo{"untagged", "reasoning", "flag", MetricKind::flag, 1,
               "no tags and no reasoning field: the whole response is taken as the trace",
               [](V v) { return v.untagged; }, "structure"},
    MetricInfo{"multiple_think_blocks", "reasoning", "flag", MetricKind::flag, 1, "more than one tagged block",
               [](V v) { return v.multiple_think_blocks; }, "structure"},
    MetricInfo{"question_present", "question", "flag", MetricKind::flag, 1, "a non-empty question was found",
               [](V v) { return v.question_present; }, "structure"},
    MetricInfo{"answer_present", "answer", "flag", MetricKind::flag, 1, "a non-empty final answer was found",
               [](V v) { return v.answer_present; }, "structure"},
    MetricInfo{"boxed_present", "answer,reasoning", "flag", MetricKind::flag, 1, "\\boxed{ occurs in answer or trace",
               [](V v) { return v.boxed_present; }, "structure"},
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

namespace {
constexpr std::string_view kGroups[] = {"verbosity", "redundancy", "symbols", "alignment", "lines",
                                        "ngrams",    "loops",      "scripts", "structure"};
}  // namespace

std::span<const std::string_view> metric_groups() { return kGroups; }

std::vector<char> select_metrics(std::string_view list) {
  std::vector<char> sel(kMetrics.size(), 0);
  bool first = true;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(pos, comma - pos);
    pos = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) {
      if (comma == list.size()) break;
      continue;
    }
    bool remove = item.front() == '-';
    if (remove) item.remove_prefix(1);
    if (first && remove) std::fill(sel.begin(), sel.end(), 1);
    first = false;
    bool known = false;
    for (size_t i = 0; i < kMetrics.size(); ++i)
      if (item == "all" || kMetrics[i].name == item || kMetrics[i].group == item) {
        sel[i] = remove ? 0 : 1;
        known = true;
      }
    if (!known) {
      std::string hint = closest_metric(item);
      for (auto g : kGroups)
        if (hint.empty() && edit_distance(item, g) <= 2) hint = std::string(g);
      throw Error(ErrorKind::usage, "--metrics: unknown metric or group '" + std::string(item) + "'" +
                                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                        "; groups: verbosity, redundancy, symbols, alignment, lines, ngrams, loops, "
                                        "scripts, structure; metrics: see docs/metrics.md");
    }
  }
  if (std::find(sel.begin(), sel.end(), 1) == sel.end())
    throw Error(ErrorKind::usage, "--metrics: the selection '" + std::string(list) + "' leaves no metric");
  return sel;
}

std::vector<char> metrics_named(const std::vector<std::string>& names) {
  std::vector<char> sel(kMetrics.size(), 0);
  for (const auto& n : names)
    if (const MetricInfo* m = find_metric(n)) sel[static_cast<size_t>(m - kMetrics.data())] = 1;
  return sel;
}

void restrict_text_options(const std::vector<char>& selected, TextOptions& t) {
  auto any = [&](std::string_view group) {
    for (size_t i = 0; i < kMetrics.size() && i < selected.size(); ++i)
      if (selected[i] && kMetrics[i].group == group) return true;
    return false;
  };
  t.alignment = any("alignment");
  t.lines = any("lines");
  t.ngrams = any("ngrams");
  t.loops = any("loops");
  t.compress = any("redundancy");
}

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
