// metrics/registry.h (internal) — the families behind the public registry
// (rsq/metrics.h), for the analyzer that runs them: each family with the
// columns its rows occupy in a value row.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "rsq/metrics.h"

namespace rsq::metrics {

struct Family;

struct Table {
  std::vector<MetricInfo> rows;                // report order
  std::vector<const Family*> families;         // registry order
  std::vector<std::vector<uint16_t>> columns;  // per family: its rows' columns
  std::vector<std::string_view> groups;        // per family
};

const Table& table();

}  // namespace rsq::metrics
