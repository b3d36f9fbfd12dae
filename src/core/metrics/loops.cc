// Loops family: a trace that ends by repeating itself (a generation stuck in
// a loop): the tail_loop flag and the share of the trace inside the loop
// (docs/metrics.md). A Z-function over the reversed last 16 KiB.
#include "metrics/loops.h"

#include <string.h>

#include <algorithm>

#include "metrics/family.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"tail_loop_fraction", "reasoning", "ratio", MetricKind::value, 1,
     "share of reasoning bytes inside a loop that ends the trace (0 if none)", "loops"},
    {"tail_loop", "reasoning", "flag", MetricKind::flag, 1,
     "the trace ends in a span repeated >= 3 times back to back covering >= 256 bytes", "loops"},
};

bool is_ws_byte(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty()) return;
    TailLoop tl = find_tail_loop(p.r, zbuf_);
    out.set(1, tl.found);
    out.set(0, tl.found ? static_cast<double>(tl.covered) / static_cast<double>(p.r.size()) : 0.0);
  }

 private:
  std::vector<int> zbuf_;
};

}  // namespace

TailLoop find_tail_loop(std::string_view s, std::vector<int>& z) {
  TailLoop out;
  while (!s.empty() && is_ws_byte(s.back())) s.remove_suffix(1);
  constexpr size_t kWindow = 16384, kMinCover = 256;
  size_t n = std::min(s.size(), kWindow);
  if (n < kMinCover) return out;
  // Any loop that qualifies repeats the last 32 bytes at distance p (run - p >=
  // 32 always holds), so a trace whose last 32 bytes do not occur earlier in
  // the window has no loop: skip the O(n) Z pass (most traces).
  {
    std::string_view win = s.substr(s.size() - n);
    std::string_view tail = win.substr(n - 32);
    if (!memmem(win.data(), n - 1, tail.data(), tail.size())) return out;
  }
  const char* t = s.data() + s.size();  // reversed view: r[i] = t[-1-i]
  auto r = [&](size_t i) { return t[-1 - static_cast<long>(i)]; };
  z.assign(n, 0);
  size_t l = 0, rr = 0;
  for (size_t i = 1; i < n; ++i) {
    size_t zi = 0;
    if (i < rr) zi = std::min(rr - i, static_cast<size_t>(z[i - l]));
    while (i + zi < n && r(zi) == r(i + zi)) ++zi;
    z[i] = static_cast<int>(zi);
    if (i + zi > rr) {
      l = i;
      rr = i + zi;
    }
  }
  for (size_t p = 1; p * 3 <= n; ++p) {
    size_t run = p + static_cast<size_t>(z[p]);
    if (run >= 3 * p && run >= kMinCover) {
      out.found = true;
      out.period = p;
      out.covered = run;
      return out;
    }
  }
  return out;
}

extern const Family loops{"loops", kRows, false, false, false, make_state<State>};

}  // namespace rsq::metrics
