// Merge laws: merging the partials of any split equals one pass, bit for bit.
#include <catch2/catch.hpp>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
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

// The sketch's paged buckets against the definition they replaced: an ordered
// map from bucket index to (count, smallest value), walked in order. Values
// span every magnitude the sketch takes (1e-12 .. DBL_MAX, both signs,
// zeros), arriving in random order, so pages are allocated before, after
// and between existing ones.
TEST_CASE("quantile sketch equals an ordered-map sketch over every magnitude", "[accumulators]") {
  const double lg = std::log((1 + QuantileSketch::kAlpha) / (1 - QuantileSketch::kAlpha));
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> e10(-12.0, 308.0);
  for (int round = 0; round < 4; ++round) {
    QuantileSketch s, half1, half2;
    std::map<int32_t, std::pair<uint64_t, double>> pos, neg;
    uint64_t zero = 0, n = 0;
    const int values = round == 0 ? 50 : 4000;
    for (int i = 0; i < values; ++i) {
      double x = std::pow(10.0, round == 3 ? e10(rng) / 40 : e10(rng));  // round 3: a narrow span, many repeats
      if (x > std::numeric_limits<double>::max()) x = std::numeric_limits<double>::max();
      if (rng() % 3 == 0) x = -x;
      if (rng() % 50 == 0) x = 0;
      s.add(x);
      (i % 2 ? half1 : half2).add(x);
      ++n;
      const double a = std::fabs(x);
      if (a < 1e-12) {
        ++zero;
        continue;
      }
      auto& b = (x > 0 ? pos : neg)[static_cast<int32_t>(std::ceil(std::log(a) / lg))];
      if (b.first == 0 || a < b.second) b.second = a;
      ++b.first;
    }
    auto ref_quantile = [&](double q) {
      const auto rank = static_cast<uint64_t>(std::floor(q * static_cast<double>(n - 1) + 0.5));
      uint64_t seen = 0;
      for (auto it = neg.rbegin(); it != neg.rend(); ++it)
        if ((seen += it->second.first) > rank) return -it->second.second;
      if ((seen += zero) > rank) return 0.0;
      for (const auto& [k, b] : pos)
        if ((seen += b.first) > rank) return b.second;
      return pos.rbegin()->second.second;
    };
    for (int k = 0; k <= 100; ++k) REQUIRE(s.quantile(k / 100.0) == ref_quantile(k / 100.0));
    // The state lists exactly the map's buckets, in ascending index.
    const auto j = s.to_json();
    auto same = [](const nlohmann::json& arr, const std::map<int32_t, std::pair<uint64_t, double>>& m) {
      if (arr.size() != m.size()) return false;
      size_t i = 0;
      for (const auto& [k, b] : m) {
        const auto& e = arr[i++];
        if (e[0].get<int32_t>() != k || e[1].get<uint64_t>() != b.first || e[2].get<double>() != b.second) return false;
      }
      return true;
    };
    CHECK(same(j["pos"], pos));
    CHECK(same(j["neg"], neg));
    CHECK(j["zero"].get<uint64_t>() == zero);
    half1.merge(half2);
    CHECK(half1 == s);
    CHECK(QuantileSketch::from_json(j) == s);
  }
  // Infinity has its own bucket past DBL_MAX's; a state with a bucket no
  // value can reach is bad data, not a page table of a billion entries.
  QuantileSketch inf;
  inf.add(std::numeric_limits<double>::infinity());
  inf.add(1.0);
  CHECK(inf.quantile(1.0) == std::numeric_limits<double>::infinity());
  CHECK(QuantileSketch::from_json(inf.to_json()) == inf);
  auto bad = nlohmann::json::parse(R"({"zero":0,"pos":[[2000000000,1,1.0]],"neg":[]})");
  CHECK_THROWS(QuantileSketch::from_json(bad));
}

// The report's one-walk quantiles (MetricSummary::quantiles) against one
// quantile() call per q, for qs in any order, repeated, and at 0 and 1.
TEST_CASE("quantiles in one walk equal quantile() per q", "[accumulators]") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> g(0.0, 50.0);
  for (int n : {0, 1, 2, 7, 1000}) {
    MetricSummary m;
    for (int i = 0; i < n; ++i) m.add(i % 9 == 0 ? 0.0 : g(rng));
    std::vector<double> qs = {0.99, 0.10, 0.5, 0.0, 1.0, 0.5, 0.05, 0.95, 1e-9, 1 - 1e-9};
    for (int k = 1; k <= 19; ++k) qs.push_back(k / 20.0);
    std::vector<double> out(qs.size());
    m.quantiles(qs.data(), qs.size(), out.data());
    for (size_t i = 0; i < qs.size(); ++i) {
      const double want = m.quantile(qs[i]);
      if (std::isnan(want)) CHECK(std::isnan(out[i]));
      else CHECK(out[i] == want);
    }
  }
}
