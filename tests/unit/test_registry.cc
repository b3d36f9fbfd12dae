// The registry: unique snake_case names, the stable names the JSON contract
// promises, and a definition in docs/metrics.md for every metric.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "rsq/metrics.h"

using namespace rsq;

TEST_CASE("metric names are unique, snake_case and documented", "[registry]") {
  std::ifstream f(std::string(RSQ_SOURCE_DIR) + "/docs/metrics.md");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string doc = ss.str();
  REQUIRE(!doc.empty());
  std::set<std::string> seen;
  for (const auto& m : all_metrics()) {
    std::string n(m.name);
    INFO(n);
    CHECK(seen.insert(n).second);
    for (char c : n) CHECK((std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'));
    CHECK(m.version >= 1);
    CHECK(doc.find("`" + n + "`") != std::string::npos);
  }
  for (const char* required : {"redundancy_ratio", "symbolic_fraction", "reasoning_bytes", "reasoning_chars", "reasoning_words"})
    CHECK(find_metric(required) != nullptr);
  CHECK(closest_metric("redundancy_ration") == "redundancy_ratio");
}
