// Tokens family (needs --tokenizer): how long each segment is in the target
// model's tokens, from a Hugging Face tokenizer.json (src/core/tokenizer/,
// docs/tokenizers.md). Each segment is encoded on its own, as
// tokenizer.encode(text, add_special_tokens=False) does; total_tokens is
// their sum, so the think tags and a chat template's tokens are not in it
// (docs/metrics.md says how to budget for them). Computed in the offline
// pass, by the workers, with one shared vocabulary and a per-worker encoder.
#include "metrics/family.h"
#include "tokenizer/tokenizer.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"question_tokens", "question", "tokens", MetricKind::value, 1, "tokens of the question (--tokenizer)", "tokens",
     "tokenizer"},
    {"reasoning_tokens", "reasoning", "tokens", MetricKind::value, 2,
     "tokens of the reasoning, tags excluded (--tokenizer)", "tokens", "tokenizer"},
    {"answer_tokens", "answer", "tokens", MetricKind::value, 1, "tokens of the answer (--tokenizer)", "tokens",
     "tokenizer"},
    {"total_tokens", "record", "tokens", MetricKind::value, 1,
     "question_tokens + reasoning_tokens + answer_tokens (--tokenizer)", "tokens", "tokenizer"},
};

class State final : public FamilyState {
 public:
  explicit State(const TextOptions& o) {
    if (o.tokenizer) enc_ = std::make_unique<tok::Encoder>(o.tokenizer);
  }
  void compute(const text::Prepared& p, const Out& out) override {
    if (!enc_) return;  // selected without a tokenizer: refused before the run (check_endpoints)
    const int64_t q = enc_->count(p.q), r = enc_->count(p.r), a = enc_->count(p.a);
    if (q < 0 || r < 0 || a < 0) return;  // not UTF-8: the reader rejects such records first
    out.set(0, static_cast<double>(q));
    out.set(1, static_cast<double>(r));
    out.set(2, static_cast<double>(a));
    out.set(3, static_cast<double>(q + r + a));
  }
  void trim() override {
    if (enc_) enc_->trim();
  }

 private:
  std::unique_ptr<tok::Encoder> enc_;
};

}  // namespace

extern const Family tokens{"tokens", kRows, false, false, false, make_state<State>};

}  // namespace rsq::metrics
