// Profiles, --scale parsing and interpolation, and the utility arithmetic.
#include <catch2/catch.hpp>
#include <cmath>

#include "rsq/error.h"
#include "rsq/profile.h"

using namespace rsq;

TEST_CASE("scale strings", "[profile]") {
  CHECK(parse_scale("8b") == 8);
  CHECK(parse_scale("11B") == 11);
  CHECK(parse_scale("8") == 8);
  CHECK(parse_scale("7.5b") == 7.5);
  CHECK(parse_scale("70b") == 70);
  CHECK(parse_scale("1.5b") == 1.5);
  CHECK(parse_scale("405b") == 405);
  CHECK(parse_scale("800m") == Approx(0.8));
  CHECK(parse_scale("8e9") == 8);
  for (const char* bad : {"", "b", "eight", "-8b", "8x", "0b", "nan"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_scale(bad), Error);
  }
}

TEST_CASE("interpolation between anchors and extrapolation warning", "[profile]") {
  std::string w;
  Profile p8 = profile_for_scale(8, w);
  CHECK(w.empty());
  Profile p11 = profile_for_scale(11, w);
  CHECK(w.empty());
  Profile mid = profile_for_scale(std::exp((std::log(8.0) + std::log(11.0)) / 2), w);
  CHECK(w.empty());
  auto weight = [](const Profile& p, const std::string& n) {
    for (const auto& m : p.metrics)
      if (m.name == n) return m.weight;
    return std::nan("");
  };
  CHECK(weight(p8, "redundancy_ratio") == Approx(-0.25));
  CHECK(weight(p11, "redundancy_ratio") == Approx(0.27));
  CHECK(weight(mid, "redundancy_ratio") == Approx(0.01));
  Profile big = profile_for_scale(70, w);
  CHECK(w.find("8B-11B") != std::string::npos);
  CHECK(weight(big, "redundancy_ratio") == Approx(0.27));
  profile_for_scale(1.5, w);
  CHECK(!w.empty());
}

TEST_CASE("utility arithmetic, coverage and direction", "[profile]") {
  Profile p = parse_profile(R"({"rsq_profile": 1, "name": "t", "params_b": 8, "metrics": {
      "a": {"weight": 0.6, "range": [0, 10], "source": "rsq"},
      "b": {"weight": -0.2, "range": [0, 1], "source": "rsq"},
      "c": {"weight": 0.2, "range": [0, 1], "source": "import"}}})",
                            "test");
  auto u = compute_utility(p, {{"a", {5, false}}, {"b", {0.25, false}}});
  CHECK(u.coverage == Approx(0.8));
  // (0.6 * 0.5 + 0.2 * (1 - 0.25)) / 0.8 * 100
  CHECK(u.score == Approx(56.25));
  CHECK(u.contributions["a"].contribution == Approx(37.5));
  CHECK(!u.contributions["c"].measured);
  auto clamped = compute_utility(p, {{"a", {99, false}}, {"b", {-5, false}}, {"c", {1, true}}});
  CHECK(clamped.score == Approx(100));
  CHECK(clamped.contributions["c"].imported);
}

TEST_CASE("bad profiles name the field", "[profile]") {
  auto msg = [](const char* text) {
    try {
      parse_profile(text, "p.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(msg("{").find("invalid JSON") != std::string::npos);
  CHECK(msg(R"({"metrics": {}})").find("rsq_profile") != std::string::npos);
  CHECK(msg(R"({"rsq_profile": 1, "metrics": {"a": {"range": [0, 1]}}})").find("metrics.a.weight") != std::string::npos);
  CHECK(msg(R"({"rsq_profile": 1, "metrics": {"a": {"weight": 1, "range": [1, 0]}}})").find("low < high") != std::string::npos);
  CHECK(msg(R"({"rsq_profile": 2, "metrics": {"a": {"weight": 1, "range": [0, 1]}}})").find("unsupported") != std::string::npos);
}

TEST_CASE("built-in profiles load", "[profile]") {
  CHECK(builtin_profile("8b").metrics.size() == 9);
  CHECK(builtin_profile("11b").metrics.size() == 9);
}
