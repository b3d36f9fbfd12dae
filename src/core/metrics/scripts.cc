// Scripts family: reasoning letters in another script than the question's
// (language drift, docs/metrics.md "foreign_script_fraction"), counted by the
// scan against the question's dominant script.
#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"foreign_script_fraction", "question,reasoning", "ratio", MetricKind::value, 1,
     "reasoning letters in a script other than the question's main script / letters", "scripts"},
};

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty() || p.qscript < 0 || !p.sr.letters) return;
    out.set(0, static_cast<double>(p.sr.foreign) / static_cast<double>(p.sr.letters));
  }
};

}  // namespace

extern const Family scripts{"scripts", kRows, true, false, false, make_state<State>};

}  // namespace rsq::metrics
