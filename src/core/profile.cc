// Profiles, --scale and the utility score (see rsq/profile.h and
// docs/profiles.md). The shipped profiles are compiled in from
// data/profiles/*.json so the binary needs no data directory at run time.
#include "rsq/profile.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "profiles_embedded.h"
#include "rsq/error.h"
#include "rsq/report.h"

namespace rsq {

namespace {

[[noreturn]] void bad(const std::string& origin, const std::string& what) {
  throw Error(ErrorKind::usage, "profile " + origin + ": " + what);
}

}  // namespace

namespace {
Profile profile_of(const nlohmann::json& j, const std::string& origin);
}  // namespace

Profile parse_profile(const std::string& text, const std::string& origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    bad(origin, std::string("invalid JSON at byte ") + std::to_string(e.byte) + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {
    rethrow_json_error(e, origin, ErrorKind::usage);
  }
  return json_guard(origin, ErrorKind::usage, [&] { return profile_of(j, origin); });
}

namespace {
Profile profile_of(const nlohmann::json& j, const std::string& origin) {
  if (!j.is_object()) bad(origin, "expected a JSON object");
  if (!j.contains("rsq_profile") || !j["rsq_profile"].is_number_integer())
    bad(origin, "missing 'rsq_profile' (format version, an integer)");
  if (j["rsq_profile"].get<int>() != kProfileFormat)
    bad(origin, "unsupported rsq_profile version " + j["rsq_profile"].dump() + " (this rsq reads 1)");
  Profile p;
  p.name = j.value("name", origin);
  if (j.contains("params_b")) {
    if (!j["params_b"].is_number() || j["params_b"].get<double>() <= 0) bad(origin, "'params_b' must be a positive number");
    p.params_b = j["params_b"].get<double>();
  }
  p.description = j.value("description", "");
  p.provenance = j.value("provenance", "");
  p.compressor = j.value("compressor", "");
  if (!j.contains("metrics") || !j["metrics"].is_object() || j["metrics"].empty())
    bad(origin, "'metrics' must be a non-empty object: metric name -> {weight, range, source, provenance}");
  for (auto it = j["metrics"].begin(); it != j["metrics"].end(); ++it) {
    const std::string field = "metrics." + it.key();
    const auto& m = it.value();
    if (!m.is_object()) bad(origin, "'" + field + "' must be an object");
    ProfileMetric pm;
    // Older profiles called the judge's utility share "utility",
    // the utility score's own name; it is read as step_utility.
    pm.name = it.key() == "utility" ? "step_utility" : it.key();
    if (!m.contains("weight") || !m["weight"].is_number()) bad(origin, "'" + field + ".weight' must be a number");
    pm.weight = m["weight"].get<double>();
    if (!std::isfinite(pm.weight)) bad(origin, "'" + field + ".weight' must be finite");
    if (!m.contains("range") || !m["range"].is_array() || m["range"].size() != 2 || !m["range"][0].is_number() ||
        !m["range"][1].is_number())
      bad(origin, "'" + field + ".range' must be [low, high]");
    pm.lo = m["range"][0].get<double>();
    pm.hi = m["range"][1].get<double>();
    if (!(pm.hi > pm.lo)) bad(origin, "'" + field + ".range' needs low < high");
    pm.source = m.value("source", "import");
    if (pm.source != "rsq" && pm.source != "import") bad(origin, "'" + field + ".source' must be \"rsq\" or \"import\"");
    pm.provenance = m.value("provenance", "");
    p.metrics.push_back(pm);
  }
  std::sort(p.metrics.begin(), p.metrics.end(), [](const ProfileMetric& a, const ProfileMetric& b) { return a.name < b.name; });
  if (!p.compressor.empty()) CompressorSpec::parse(p.compressor, origin + ": 'compressor'");
  return p;
}
}  // namespace

Profile load_profile_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw Error(ErrorKind::io, "cannot open profile '" + path + "'");
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_profile(ss.str(), "'" + path + "'");
}

const Profile& builtin_profile(const std::string& name) {
  static const Profile p8 = parse_profile(kProfile8b, "8b (built in)");
  static const Profile p11 = parse_profile(kProfile11b, "11b (built in)");
  if (name == "8b") return p8;
  if (name == "11b") return p11;
  throw Error(ErrorKind::usage, "no built-in profile '" + name + "' (built in: 8b, 11b)");
}

double parse_scale(const std::string& s) {
  std::string t;
  for (char c : s)
    if (c != ' ' && c != '_') t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double mult = 1;  // billions
  if (!t.empty() && (t.back() == 'b' || t.back() == 'm' || t.back() == 't')) {
    mult = t.back() == 'b' ? 1 : t.back() == 'm' ? 1e-3 : 1e3;
    t.pop_back();
  }
  double v = 0;
  if (!parse_double(t, v) || !std::isfinite(v) || v <= 0)
    throw Error(ErrorKind::usage, "--scale: cannot read '" + s + "' as a model size (examples: 8b, 11B, 7.5b, 70b, 800m)");
  v *= mult;
  if (v >= 1e6) v /= 1e9;  // a raw parameter count such as 8e9
  return v;
}

std::string format_scale(double b) {
  char buf[32];
  if (b >= 1 && std::fabs(b - std::round(b)) < 1e-9)
    std::snprintf(buf, sizeof buf, "%.0fb", b);
  else
    std::snprintf(buf, sizeof buf, "%gb", b);
  return buf;
}

Profile profile_for_scale(double b, std::string& warning) {
  const Profile& lo = builtin_profile("8b");
  const Profile& hi = builtin_profile("11b");
  warning.clear();
  if (b <= lo.params_b || b >= hi.params_b) {
    const Profile& near = b <= lo.params_b ? lo : hi;
    Profile p = near;
    if (std::fabs(b - near.params_b) > 1e-9)
      warning = "the paper's evidence covers 8B-11B models only; " + format_scale(b) + " uses the " + near.name +
                " profile unchanged (an extrapolation)";
    p.name = near.name;
    return p;
  }
  double t = (std::log(b) - std::log(lo.params_b)) / (std::log(hi.params_b) - std::log(lo.params_b));
  Profile p;
  p.name = format_scale(b) + " (interpolated 8b-11b)";
  p.params_b = b;
  p.description = "log-parameter interpolation between the 8b and 11b profiles, t = " + std::to_string(t);
  p.provenance = lo.provenance;
  p.compressor = lo.compressor;
  for (const auto& a : lo.metrics) {
    auto it = std::find_if(hi.metrics.begin(), hi.metrics.end(), [&](const ProfileMetric& m) { return m.name == a.name; });
    ProfileMetric m = a;
    if (it != hi.metrics.end()) {
      m.weight = (1 - t) * a.weight + t * it->weight;
      m.lo = (1 - t) * a.lo + t * it->lo;
      m.hi = (1 - t) * a.hi + t * it->hi;
      m.provenance = "interpolated: " + a.provenance + " | " + it->provenance;
    }
    p.metrics.push_back(m);
  }
  return p;
}

Utility compute_utility(const Profile& p, const std::map<std::string, MetricValue>& values) {
  Utility u;
  u.profile = p.name;
  u.scale = format_scale(p.params_b);
  double total = 0, measured = 0;
  for (const auto& m : p.metrics) {
    total += std::fabs(m.weight);
    auto it = values.find(m.name);
    Contribution c;
    c.weight = m.weight;
    if (it != values.end() && std::isfinite(it->second.value)) {
      c.measured = true;
      c.imported = it->second.imported;
      c.value = it->second.value;
      double n = (c.value - m.lo) / (m.hi - m.lo);
      c.normalized = std::clamp(n, 0.0, 1.0);
      measured += std::fabs(m.weight);
    } else {
      c.value = c.normalized = std::nan("");
    }
    u.contributions[m.name] = c;
  }
  u.coverage = total > 0 ? measured / total : 0;
  double score = 0;
  for (auto& [name, c] : u.contributions) {
    if (!c.measured || measured == 0) continue;
    double directed = c.weight >= 0 ? c.normalized : 1 - c.normalized;
    c.contribution = 100.0 * std::fabs(c.weight) * directed / measured;
    score += c.contribution;
  }
  u.score = measured > 0 ? score : std::nan("");
  return u;
}

void rank_utilities(std::vector<Utility*>& us) {
  for (auto* u : us) {
    int better = 0;
    for (auto* o : us)
      if (std::isfinite(o->score) && (!std::isfinite(u->score) || o->score > u->score)) ++better;
    u->rank = better + 1;
  }
}

RankingBasis ranking_basis(const std::vector<const Utility*>& us) {
  RankingBasis b;
  if (us.empty()) return b;
  b.coverage_min = b.coverage_max = us[0]->coverage;
  for (const auto* u : us) {
    b.coverage_min = std::min(b.coverage_min, u->coverage);
    b.coverage_max = std::max(b.coverage_max, u->coverage);
  }
  double total = 0;
  for (const auto& [name, c] : us[0]->contributions) total += std::fabs(c.weight);
  for (const auto& [name, c] : us[0]->contributions) {
    size_t measured = 0;
    for (const auto* u : us) {
      auto it = u->contributions.find(name);
      measured += it != u->contributions.end() && it->second.measured;
    }
    if (measured == us.size())
      b.measured.emplace_back(name, total > 0 ? std::fabs(c.weight) / total : 0.0);
    else if (measured == 0)
      b.unmeasured.push_back(name);
    else
      b.partly.push_back(name);
  }
  std::stable_sort(b.measured.begin(), b.measured.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  b.comparable = b.partly.empty();
  return b;
}

}  // namespace rsq
