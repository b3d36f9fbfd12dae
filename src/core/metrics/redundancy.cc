// Redundancy family: how compressible the reasoning is. The paper's
// redundancy metric (docs/metrics.md, "redundancy_ratio"); zstd-3 by default,
// zlib:6 reproduces the paper's Python figure byte for byte.
#include "metrics/family.h"
#include "text/compressor.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"redundancy_ratio", "reasoning", "ratio", MetricKind::value, 1,
     "1 - compressed_bytes / utf8_bytes of the reasoning (zstd-3 default; --compressor)", "redundancy"},
};

class State final : public FamilyState {
 public:
  explicit State(const TextOptions& o) : comp_(o.compressor.codec, o.compressor.level) {}
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty()) return;
    out.set(0, 1.0 - static_cast<double>(comp_.compressed_size(p.r)) / static_cast<double>(p.r.size()));
  }

 private:
  text::Compressor comp_;
};

}  // namespace

extern const Family redundancy{"redundancy", kRows, false, false, false, make_state<State>};

}  // namespace rsq::metrics
