// rsq/profile.h — scale-aware utility. A profile is a versioned JSON file:
// for each metric a signed weight, a normalisation range and provenance.
// Weights for the shipped 8b and 11b profiles come from the paper's Table 7
// (docs/profiles.md has the derivation and the limits of that evidence).
// The score is a pure function of a profile and a dataset's metric values.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rsq {

inline constexpr int kProfileFormat = 1;

struct ProfileMetric {
  std::string name;
  double weight = 0;
  double lo = 0, hi = 1;   // normalisation range
  std::string source;      // "rsq" (computed by rsq score) or "import" (a slot for an imported value)
  std::string provenance;  // where the numbers come from
};

struct Profile {
  std::string name;
  double params_b = 0;  // model size the profile describes, billions of parameters
  std::string description, provenance;
  std::string compressor;  // the redundancy setting the ranges assume (e.g. "zlib:6")
  std::vector<ProfileMetric> metrics;
};

// Parses and validates a profile (JSON text); `origin` names it in errors.
// Throws rsq::Error(usage) naming the file and the field.
Profile parse_profile(const std::string& json_text, const std::string& origin);
Profile load_profile_file(const std::string& path);
// The two shipped anchors (compiled in from data/profiles/).
const Profile& builtin_profile(const std::string& name);  // "8b" or "11b"

// "8b", "11B", "8", "7.5b", "70b", "1.5b", "405b", "1.5e9", "800m" → billions.
// Throws rsq::Error(usage) for anything else.
double parse_scale(const std::string& s);
// Interpolates weights and ranges on log(parameters) between the 8b and 11b
// anchors; outside them uses the nearest anchor and sets `warning`.
Profile profile_for_scale(double params_b, std::string& warning);
std::string format_scale(double params_b);

struct Contribution {
  double value = 0, normalized = 0, weight = 0, contribution = 0;
  bool measured = false, imported = false;
};

struct Utility {
  std::string scale, profile;
  double score = 0;     // 0..100 over the measured weight
  double coverage = 0;  // measured |weight| / total |weight|
  int rank = 0;         // 1 = best among the inputs
  std::map<std::string, Contribution> contributions;  // every profile metric
  std::vector<std::string> warnings;
};

struct MetricValue {
  double value;
  bool imported;
};

// score = 100 * sum_i |w_i| * n_i' / sum_measured |w_i|, with n_i the value
// clamped into [lo, hi] and scaled to [0, 1], n_i' = n_i for w_i > 0 and
// 1 - n_i for w_i < 0; contribution_i = 100 * |w_i| * n_i' / sum_measured |w_i|.
Utility compute_utility(const Profile& p, const std::map<std::string, MetricValue>& values);

struct DatasetReport;
// The dataset's values for a profile: rsq metric means, --metric-field means
// and --with-metrics values (imports win), then compute_utility.
Utility utility_of(const Profile& p, const DatasetReport& d);

// Ranks utilities in place (descending score; ties share the better rank).
void rank_utilities(std::vector<Utility*>& u);

// What a ranking of several inputs rests on, so that it cannot be over-read
// (docs/profiles.md, "Reading a ranking"): the share of the profile's total
// |weight| each metric measured for every input carries, what no input
// measured, and whether all inputs were measured on the same metrics —
// otherwise their scores are averages over different metrics and the ranks
// compare unlike things.
struct RankingBasis {
  bool comparable = true;
  double coverage_min = 0, coverage_max = 0;
  std::vector<std::pair<std::string, double>> measured;  // metric, |w| / total |w|; largest first
  std::vector<std::string> unmeasured;                   // measured for no input
  std::vector<std::string> partly;                       // measured for some inputs only
};
RankingBasis ranking_basis(const std::vector<const Utility*>& us);

}  // namespace rsq
