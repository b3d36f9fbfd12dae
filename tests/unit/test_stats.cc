// Correlation statistics against an independent computation (scipy, run once;
// tests/data/spearman_pvalues.json), and the paper-sized n = 4 case.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "stats.h"

using namespace rsq;

TEST_CASE("average ranks share ties", "[stats]") {
  CHECK(average_ranks({10, 20, 20, 5}) == std::vector<double>{2, 3.5, 3.5, 1});
}

TEST_CASE("n = 4 without ties: exact two-sided p-values", "[stats]") {
  auto p = spearman_p({1, 2, 3, 4}, {1, 2, 3, 4});
  CHECK(p.exact);
  CHECK(p.p == Approx(2.0 / 24));  // rho = 1: the paper's best case, p = 0.083
  CHECK(p.min_attainable == Approx(2.0 / 24));
  CHECK(spearman_p({1, 2, 3, 4}, {1, 2, 4, 3}).p == Approx(8.0 / 24));  // rho = 0.8 -> 0.333
}

TEST_CASE("agrees with scipy on random cases with and without ties", "[stats]") {
  std::ifstream f(std::string(RSQ_SOURCE_DIR) + "/tests/data/spearman_pvalues.json");
  REQUIRE(f);
  nlohmann::json j = nlohmann::json::parse(f);
  REQUIRE(j["cases"].size() >= 20);
  for (const auto& c : j["cases"]) {
    auto x = c["x"].get<std::vector<double>>();
    auto y = c["y"].get<std::vector<double>>();
    INFO("n = " << x.size());
    CHECK(spearman(x, y) == Approx(c["spearman"].get<double>()).margin(1e-12));
    CHECK(pearson(x, y) == Approx(c["pearson"].get<double>()).margin(1e-12));
    CHECK(kendall_tau_b(x, y) == Approx(c["kendall_tau_b"].get<double>()).margin(1e-12));
    auto p = spearman_p(x, y);
    CHECK(p.exact == (c["method"] == "exact-permutation"));
    CHECK(p.p == Approx(c["p_two_sided"].get<double>()).margin(1e-9));
  }
}

TEST_CASE("incomplete beta and t tail", "[stats]") {
  CHECK(incomplete_beta(1, 1, 0.3) == Approx(0.3));
  CHECK(student_t_two_sided(0, 5) == Approx(1.0));
  CHECK(student_t_two_sided(2.0, 10) == Approx(0.0733880).margin(1e-6));
}
