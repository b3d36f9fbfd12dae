// metrics/family.h (internal) — the shape of a metric family: its registry
// rows (name, segment, unit, kind, version, summary, group), what it needs
// from the shared pass, and a per-worker state that computes its values for
// one record. One family per file in this folder; metrics/registry.cc lists
// the families and builds the report-order table from their rows. See
// docs/contributing.md for adding a metric or a family.
#pragma once
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string_view>

#include "rsq/metrics.h"
#include "rsq/text.h"
#include "text/prepared.h"

namespace rsq::metrics {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Where a family writes: its k-th row goes to column cols[k] of the record's
// value row (registry order). Columns a family leaves unset stay NaN.
class Out {
 public:
  Out(double* row, const uint16_t* cols) : row_(row), cols_(cols) {}
  void set(size_t k, double v) const { row_[cols_[k]] = v; }

 private:
  double* row_;
  const uint16_t* cols_;
};

class FamilyState {
 public:
  virtual ~FamilyState() = default;
  virtual void compute(const text::Prepared& p, const Out& out) = 0;
  // Frees scratch sized by a large record, so that one huge record does not
  // keep a worker's memory high for the rest of the run.
  virtual void trim() {}
};

struct Family {
  std::string_view group;             // what --metrics selects it by (docs/metrics.md)
  std::span<const MetricInfo> rows;   // in the family's own order; each row's group == group
  bool always;                        // computed even if unselected: its values come free with the scan
  bool tokens;                        // reads word tokens (Prepared::tq/tr/ta)
  bool ids;                           // reads interned ids (Token::id, fid, stop)
  std::unique_ptr<FamilyState> (*make)(const TextOptions&);
};

// Defines a family whose state is default-constructible or built from
// TextOptions, without a make function per file.
template <class State>
std::unique_ptr<FamilyState> make_state(const TextOptions& o) {
  if constexpr (std::is_constructible_v<State, const TextOptions&>) {
    return std::make_unique<State>(o);
  } else {
    return std::make_unique<State>();
  }
}

}  // namespace rsq::metrics
