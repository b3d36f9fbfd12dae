// metrics/model.h (internal) — the model-backed families' shared shape. Each
// family file (semantic.cc, perplexity.cc, judge.cc) owns its registry rows,
// what text it sends for a record and how it turns the answers into values;
// the model stage (models/stage.cc) only gathers a chunk's requests, hands
// them to the ModelService in one call per kind and routes the answers back.
// A record whose answer failed gets NaN for that family's metrics and its
// failure code counted (docs/endpoints.md, "Failures").
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/family.h"
#include "rsq/models.h"

namespace rsq::metrics::model {

// One scored record as the model stage holds it: its own copies of the
// three segments (the chunk's parse buffers are reused per record).
struct Record {
  std::string question, reasoning, answer;
  bool judged = false;  // in the judge's sample
};

// Splits text into pieces of at most max_chars code points, breaking after
// a sentence where one ends inside the budget, else at a code point; 0 =
// one piece. Whitespace-only pieces are dropped. Each piece with its weight
// (its code points) for pooling.
struct Piece {
  std::string_view text;
  double weight;
};
std::vector<Piece> pieces(std::string_view text, uint64_t max_chars);
// The reasoning's sentences (the scan's sentence spans, docs/metrics.md).
std::vector<std::string_view> sentences(std::string_view text);
double cosine(const std::vector<double>& a, const std::vector<double>& b);

// ---- semantic family: collects embedding inputs, then computes.
class Semantic {
 public:
  explicit Semantic(const ModelSettings& s) : s_(s) {}
  // Appends the record's texts to `texts`; remembers where they went.
  void plan(const Record& r, std::vector<std::string>& texts);
  // Writes the family's values for record i (in plan order); returns "" or
  // the failure code of the first failed answer it needed.
  std::string finish(size_t i, const std::vector<EmbedAnswer>& answers, const Out& out) const;

 private:
  struct Segment {
    std::vector<size_t> at;  // answer indices
    std::vector<double> w;
  };
  struct Plan {
    Segment q, r, a;
    std::vector<Segment> sentences;
  };
  Segment add(std::string_view text, const std::string& prefix, std::vector<std::string>& texts) const;
  const ModelSettings& s_;
  std::vector<Plan> plans_;
};

// ---- perplexity family: the reasoning's log-probabilities.
// Appends the text sent for r ("" when nothing is sent: empty reasoning).
std::string perplexity_text(const Record& r);
void perplexity_finish(const LogprobAnswer& a, const Out& out);

// ---- judge family: steps, then one label per step and criterion.
inline constexpr const char* kCriteria[4] = {"factuality", "validity", "coherence", "utility"};
struct JudgeSteps {
  std::vector<std::string> steps;
  std::string failure;
};
// The atomizer prompt for a record, and its answer read back into verbatim
// steps (steps not found verbatim in the trace are dropped and counted).
ChatPrompt atomizer_prompt(const Record& r, const std::string& lang);
JudgeSteps read_steps(const ChatAnswer& a, const Record& r);
// The offline step split (--judge-steps lines): non-blank lines.
JudgeSteps line_steps(const Record& r);
ChatPrompt judge_prompt(const Record& r, const std::vector<std::string>& steps, size_t k, int criterion,
                        const std::string& lang);
// 1 = POSITIVE, 0 = NEGATIVE, -1 = unreadable answer.
int read_label(const ChatAnswer& a);
// labels[k][c] for the record's steps; writes the shares (percent).
void judge_finish(const std::vector<std::array<int, 4>>& labels, const Out& out);
// The prompt set's id@version (recorded in the report settings).
std::string prompt_set(const std::string& lang);

}  // namespace rsq::metrics::model
