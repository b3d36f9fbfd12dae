// metrics/loops.h (internal) — the tail-loop search of the loops family,
// exposed for its unit tests.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace rsq::metrics {

// Length of the loop at the end of s: the shortest period p such that the
// last bytes repeat with period p at least 3 times and cover >= 256 bytes,
// looking at the last 16 KiB.
struct TailLoop {
  bool found = false;
  size_t period = 0, covered = 0;
};
TailLoop find_tail_loop(std::string_view s, std::vector<int>& scratch);

}  // namespace rsq::metrics
