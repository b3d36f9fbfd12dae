// Perplexity family (model-backed, needs --lm): how predictable the
// reasoning is to a language model, from the prompt log-probabilities the
// server returns for the exact reasoning text (docs/metrics.md; which
// servers can return them: docs/endpoints.md). Unconditioned: the text is
// sent alone, so the first token has no probability and is not counted.
#include <cmath>

#include "metrics/model.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"perplexity", "reasoning", "ppl", MetricKind::value, 1,
     "exp of the mean negative log-likelihood per token of the reasoning (--lm model)", "perplexity", "lm"},
    {"reasoning_nll", "reasoning", "nats/token", MetricKind::value, 1,
     "mean negative log-likelihood per token of the reasoning (--lm model)", "perplexity", "lm"},
    {"lm_scored_tokens", "reasoning", "tokens", MetricKind::value, 1,
     "tokens of the reasoning scored by the --lm model (its tokenizer; the first excluded)", "perplexity", "lm"},
};

}  // namespace

extern const Family perplexity{"perplexity", kRows, false, false, false, nullptr};

namespace model {

std::string perplexity_text(const Record& r) { return r.reasoning; }

void perplexity_finish(const LogprobAnswer& a, const Out& out) {
  if (!a.failure.empty() || a.logprobs.empty()) return;
  double s = 0;
  for (double lp : a.logprobs) s += lp;
  double nll = -s / static_cast<double>(a.logprobs.size());
  out.set(0, std::exp(nll));
  out.set(1, nll);
  out.set(2, static_cast<double>(a.logprobs.size()));
}

}  // namespace model
}  // namespace rsq::metrics
