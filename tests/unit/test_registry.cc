// The registry: unique snake_case names, the stable names the JSON contract
// promises, and a definition in docs/metrics.md for every metric.
#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "rsq/error.h"
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

TEST_CASE("metric groups and --metrics selections", "[registry]") {
  std::ifstream f(std::string(RSQ_SOURCE_DIR) + "/docs/metrics.md");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  auto groups = metric_groups();
  for (const auto& m : all_metrics()) {
    INFO(m.name);
    CHECK(std::find(groups.begin(), groups.end(), m.group) != groups.end());
  }
  for (auto g : groups) CHECK(doc.find(std::string("`").append(g).append("`")) != std::string::npos);

  auto count = [](const MetricSelection& s) { return static_cast<long>(s.count()); };
  auto select_metrics = [](std::string_view l) { return MetricSelection::parse(l); };
  // "all" is every offline metric; model-backed ones enter by name or group.
  const auto n = static_cast<long>(std::count_if(all_metrics().begin(), all_metrics().end(),
                                                 [](const MetricInfo& m) { return m.endpoint.empty(); }));
  CHECK(count(select_metrics("semantic")) == 3);
  CHECK(count(select_metrics("all,perplexity")) == n + 3);
  {
    MetricSelection s;
    CHECK(!s.needs("embed"));
    s.add_endpoint("embed");
    CHECK(s.needs("embed"));
    CHECK(!s.all());
    CHECK(count(s) == n + 3);
  }
  CHECK(count(select_metrics("all")) == n);
  CHECK(count(select_metrics("redundancy_ratio")) == 1);
  CHECK(count(select_metrics("ngrams")) == 9);
  CHECK(count(select_metrics("ngrams, redundancy_ratio")) == 10);
  CHECK(count(select_metrics("-ngrams")) == n - 9);
  CHECK(count(select_metrics("-ngrams,-alignment")) == n - 12);
  CHECK(count(select_metrics("ngrams,-top_2gram_char_fraction")) == 8);
  CHECK(count(select_metrics("-all,reasoning_words")) == 1);
  CHECK_THROWS_AS(select_metrics("ngram"), Error);
  CHECK_THROWS_AS(select_metrics("-all"), Error);
  CHECK_THROWS_AS(select_metrics(""), Error);

  CHECK(select_metrics("verbosity,redundancy").has_group("redundancy"));
  CHECK(!select_metrics("verbosity,redundancy").has_group("ngrams"));
  CHECK(MetricSelection().all());
  CHECK(MetricSelection::of_names({"utility", "reasoning_words"}).names() == std::vector<std::string>{"reasoning_words"});
}
