// Structure family: 0/1 flags about how the record is built — trace state
// (truncated, close-only, untagged), empty trace, several think blocks,
// question and answer present, \boxed{} present (docs/metrics.md).
#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"truncated", "reasoning", "flag", MetricKind::flag, 1, "trace opened by a tag and never closed", "structure"},
    {"reasoning_empty", "reasoning", "flag", MetricKind::flag, 1, "trace present but empty", "structure"},
    {"close_only", "reasoning", "flag", MetricKind::flag, 1, "close tag without open tag (open tag was in the prompt template)",
     "structure"},
    {"untagged", "reasoning", "flag", MetricKind::flag, 1,
     "no tags and no reasoning field: the whole response is taken as the trace", "structure"},
    {"multiple_think_blocks", "reasoning", "flag", MetricKind::flag, 1, "more than one tagged block", "structure"},
    {"question_present", "question", "flag", MetricKind::flag, 1, "a non-empty question was found", "structure"},
    {"answer_present", "answer", "flag", MetricKind::flag, 1, "a non-empty final answer was found", "structure"},
    {"boxed_present", "answer,reasoning", "flag", MetricKind::flag, 1, "\\boxed{ occurs in answer or trace", "structure"},
};

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    const TraceState s = p.rec.state;
    out.set(0, s == TraceState::open_only);
    out.set(1, p.r.empty() ? 1 : 0);
    out.set(2, s == TraceState::close_only);
    out.set(3, s == TraceState::untagged);
    out.set(4, p.rec.think_blocks > 1);
    out.set(5, p.q.empty() ? 0 : 1);
    out.set(6, p.a.empty() ? 0 : 1);
    out.set(7, p.a.find("\\boxed{") != std::string_view::npos || p.r.find("\\boxed{") != std::string_view::npos);
  }
};

}  // namespace

extern const Family structure{"structure", kRows, true, false, false, make_state<State>};

}  // namespace rsq::metrics
