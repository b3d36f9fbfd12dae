// rsq/models.h — the seam between rsq_core, which builds and runs offline,
// and rsq_models (src/models/), which talks HTTP to OpenAI-compatible model
// servers and caches their answers in SQLite. The core decides what text is
// sent and what a metric is (src/core/metrics/semantic.cc, perplexity.cc,
// judge.cc; docs/metrics.md); a ModelService only answers: vectors for
// texts, log-probabilities of texts, chat answers to prompts. Calls block
// and are thread-safe: each worker hands over its whole chunk at once, and
// the service keeps many requests in flight across chunks. A failed answer
// is a value (a code and the server's words), never an exception; setup
// failures (unreachable server, a server that cannot do what was asked) are
// rsq::Error from the service's constructor, before any record is read.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rsq {

struct EmbedAnswer {
  std::vector<double> vector;  // empty on failure
  uint64_t tokens = 0;         // as the server counted them (0 if it did not say)
  std::string failure;         // "" or a code: model-http, model-bad-vector, model-too-long, ...
};

struct LogprobAnswer {
  std::vector<double> logprobs;  // one per scored token (the first, unconditioned token excluded)
  std::string failure;
};

struct ChatPrompt {
  std::string system, user;
  std::string schema;  // a JSON Schema (text) the answer must follow; "" = free text
  int max_tokens = 256;
};

struct ChatAnswer {
  std::string text;
  uint64_t tokens = 0;
  std::string failure;
};

// What shaped the answers, recorded in the report settings: merge and gate
// --baseline refuse to mix reports whose model settings differ.
struct ModelSettings {
  std::string embed_model, lm_model, judge_model;  // as the servers report them ("" = not configured)
  std::string embed_prefix;    // prepended to every embedded text (e.g. "zapytanie: ")
  uint64_t embed_max_chars = 0;  // longer texts are split into pieces of at most this many code points
  std::string judge_prompts;   // prompt set id and version, e.g. "fvcu-en@1"
  double judge_sample = 1;     // share of records judged (content-hash sample)
  bool operator==(const ModelSettings&) const = default;
};

// The judge's prompt set id and version for a language ("fvcu-en@1");
// throws rsq::Error(usage) for a language without prompts.
std::string judge_prompt_set(const std::string& lang);

class ModelService {
 public:
  virtual ~ModelService() = default;
  virtual bool embeds() const = 0;
  virtual bool scores_text() const = 0;  // prompt log-probabilities
  virtual bool judges() const = 0;
  virtual const ModelSettings& settings() const = 0;
  // One answer per input, same order. Identical texts may be sent once.
  virtual std::vector<EmbedAnswer> embed(const std::vector<std::string>& texts) = 0;
  virtual std::vector<LogprobAnswer> logprobs(const std::vector<std::string>& texts) = 0;
  virtual std::vector<ChatAnswer> chat(const std::vector<ChatPrompt>& prompts) = 0;
};

}  // namespace rsq
