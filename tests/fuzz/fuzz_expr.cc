// Fuzz target for the user-written languages: `rsq filter --where`
// expressions and `rsq gate` rules files. Invariant: any input either parses
// or raises rsq::Error (a usage error with a message) — never a crash or
// another exception; parsed expressions evaluate on any metric row.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "rsq/where.h"
#include "rsq/error.h"
#include "rsq/gate.h"
#include "rsq/metrics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto e = rsq::FilterExpr::parse(text);
    std::vector<double> row(rsq::all_metrics().size(), 0.5);
    row[0] = std::numeric_limits<double>::quiet_NaN();
    std::vector<char> failed;
    e.evaluate(row.data(), failed);
    if (failed.size() != e.clauses().size()) std::abort();
  } catch (const rsq::Error&) {
  }
  try {
    rsq::parse_gate_rules(text, "fuzz");
  } catch (const rsq::Error&) {
  }
  return 0;
}
