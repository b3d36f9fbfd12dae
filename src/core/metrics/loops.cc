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
  // Any loop that qualifies repeats the last kProbe bytes at distance p: its
  // suffix of period p is run >= max(3p, 256) bytes long, so run - p >=
  // max(2p, 256 - p) >= 171 bytes match at distance p. A trace whose last
  // kProbe bytes do not occur earlier in the window has no loop: skip the
  // O(n) Z pass. (With 32 bytes, math traces that end the way they went,
  // "\boxed{...}" and all, passed the check and paid for the Z pass.)
  constexpr size_t kProbe = 160;
  const char* t = s.data() + s.size();  // reversed view: r[i] = t[-1-i]
  auto r = [&](size_t i) { return t[-1 - static_cast<long>(i)]; };
  {
    // Every such p is a distance at which the probe occurs again. With few
    // of them, the common suffix at each distance, shortest first, gives
    // the Z pass's answer (z[p] is exactly that length) for a fraction of
    // its cost; with many, or too much comparing, the Z pass runs.
    const char* w = s.data() + s.size() - n;
    const char* probe = w + n - kProbe;
    z.clear();
    bool many = false;
    for (const char* from = w;;) {
      const void* hit = memmem(from, static_cast<size_t>(w + n - 1 - from), probe, kProbe);
      if (!hit) break;
      const auto q = static_cast<size_t>(static_cast<const char*>(hit) - w);
      const size_t p = n - kProbe - q;
      if (p * 3 <= n) z.push_back(static_cast<int>(p));
      if (z.size() > 64) {
        many = true;
        break;
      }
      from = static_cast<const char*>(hit) + 1;
    }
    if (z.empty()) return out;
    if (!many) {
      size_t budget = 2 * n;  // bytes compared before giving up on the shortcut
      bool done = true;
      for (size_t k = z.size(); k-- > 0;) {  // ascending p
        const auto p = static_cast<size_t>(z[k]);
        size_t zp = 0;
        while (zp < n - p && r(zp) == r(p + zp)) ++zp;
        const size_t run = p + zp;
        if (run >= 3 * p && run >= kMinCover) {
          out.found = true;
          out.period = p;
          out.covered = run;
          return out;
        }
        if (zp > budget) {
          done = false;
          break;
        }
        budget -= zp;
      }
      if (done) return out;
    }
  }
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
