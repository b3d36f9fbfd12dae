// Merge laws: merging the partials of any split equals one pass, bit for bit.
#include <catch2/catch.hpp>
#include <bit>
#include <cmath>
#include <random>

#include "rsq/accumulators.h"

using namespace rsq;

TEST_CASE("exact sum is exact and order-independent", "[accumulators]") {
  ExactSum a, b;
  a.add(1e20);
  a.add(1.0);
  a.add(-1e20);
  CHECK(a.value() == 1.0);
  b.add(1.0);
  CHECK(a == b);
  ExactSum c;
  c.add(0.1);
  c.add(0.2);
  CHECK(c.value() == 0.30000000000000004);  // the exact sum of the two doubles, rounded
}

TEST_CASE("exact sum holds every finite double exactly", "[accumulators]") {
  // Random bit patterns cover every exponent, normal and subnormal, of both
  // signs: one value reads back unchanged, x equals x/2 + x/2 limb for limb
  // wherever halving is exact, and x - x is zero.
  std::mt19937_64 rng(7);
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    uint64_t bits = rng();
    if (i % 4 == 0) bits &= ~(uint64_t{0x7FF} << 52);  // subnormal (or zero)
    const double x = std::bit_cast<double>(bits);
    if (!std::isfinite(x) || x == 0) continue;
    ExactSum a;
    a.add(x);
    CHECK(a.value() == x);
    const double h = x / 2;
    if (h * 2 == x && h != 0) {
      ExactSum b;
      b.add(h);
      b.add(h);
      CHECK(a == b);
    }
    a.add(-x);
    CHECK(a.value() == 0.0);
    ++checked;
  }
  CHECK(checked > 15000);
}

TEST_CASE("any split merges to the same summary", "[accumulators]") {
  std::mt19937_64 rng(42);
  std::vector<double> xs;
  std::lognormal_distribution<double> d(3.0, 2.0);
  for (int i = 0; i < 5000; ++i) xs.push_back(i % 17 == 0 ? -d(rng) : (i % 29 == 0 ? 0.0 : d(rng)));
  MetricSummary one;
  for (double x : xs) one.add(x);
  for (int trial = 0; trial < 20; ++trial) {
    MetricSummary merged;
    size_t pos = 0;
    while (pos < xs.size()) {
      size_t len = 1 + rng() % 700;
      MetricSummary part;
      for (size_t i = pos; i < std::min(xs.size(), pos + len); ++i) part.add(xs[i]);
      merged.merge(part);
      pos += len;
    }
    REQUIRE(merged.count == one.count);
    REQUIRE(merged.sum == one.sum);
    REQUIRE(merged.sumsq == one.sumsq);
    REQUIRE(merged.min == one.min);
    REQUIRE(merged.max == one.max);
    REQUIRE(merged.sketch == one.sketch);
    REQUIRE(merged.mean() == one.mean());
    REQUIRE(merged.stddev() == one.stddev());
  }
}

TEST_CASE("quantiles are data values within the sketch's relative error", "[accumulators]") {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(1.0, 1000.0);
  std::vector<double> xs;
  MetricSummary s;
  for (int i = 0; i < 10001; ++i) {
    xs.push_back(u(rng));
    s.add(xs.back());
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.1, 0.5, 0.9, 0.99}) {
    double exact = xs[static_cast<size_t>(std::lround(q * (xs.size() - 1)))];
    CHECK(std::fabs(s.quantile(q) - exact) / exact < 0.011);
  }
  MetricSummary ints;
  for (int i = 1; i <= 99; ++i) ints.add(i);
  CHECK(ints.quantile(0.5) == 50);  // small integers are exact
  CHECK(ints.quantile(0.1) == 11);
  MetricSummary ones;
  for (int i = 0; i < 10; ++i) ones.add(1.0);
  CHECK(ones.quantile(0.5) == 1.0);
}

TEST_CASE("state round-trips through JSON", "[accumulators]") {
  MetricSummary s;
  for (double x : {0.0, 1.5, -2.25, 1e9, 3.0}) s.add(x);
  auto back = MetricSummary::from_state(nlohmann::json::parse(s.state().dump()));
  CHECK(back.sum == s.sum);
  CHECK(back.sketch == s.sketch);
  CHECK(back.mean() == s.mean());
  CHECK(back.quantile(0.5) == s.quantile(0.5));
  CHECK(std::isnan(MetricSummary{}.mean()));
}
