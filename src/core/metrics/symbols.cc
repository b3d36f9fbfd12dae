// Symbols family: the share of symbolic (non-alphanumeric) characters in the
// reasoning, counted by the scan (docs/metrics.md, "symbolic_fraction").
#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"symbolic_fraction", "reasoning", "ratio", MetricKind::value, 1,
     "non-alphanumeric non-space code points / non-space code points", "symbols"},
};

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty() || !p.sr.nonws) return;
    out.set(0, static_cast<double>(p.sr.sym) / static_cast<double>(p.sr.nonws));
  }
};

}  // namespace

extern const Family symbols{"symbols", kRows, true, false, false, make_state<State>};

}  // namespace rsq::metrics
