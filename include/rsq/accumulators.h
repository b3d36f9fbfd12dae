// rsq/accumulators.h — mergeable dataset summaries. Every accumulator here
// merges exactly: sums are kept as exact fixed-point big numbers (no rounding
// until the report is made) and quantiles come from a log-bucket sketch whose
// state is integer counts. So merging the partials of *any* split of the input
// gives bit-for-bit the same report as one pass — which is what makes the
// report independent of -j, chunk size and (later) sharding.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rsq {

// Exact sum of doubles (a "superaccumulator": 2^-1100 .. 2^1100 in 32-bit limbs).
class ExactSum {
 public:
  void add(double x);
  void merge(const ExactSum& o);
  double value() const;  // deterministic rounding of the exact sum
  bool operator==(const ExactSum& o) const;
  nlohmann::json to_json() const;
  static ExactSum from_json(const nlohmann::json& j);

 private:
  static constexpr int kLimbs = 72;  // 72 * 32 bits covers all finite doubles (and squares' sums)
  static constexpr int kBias = 1100;  // bit position of 2^0
  void normalize() const;
  mutable std::array<int64_t, kLimbs> limb_{};
  mutable uint32_t pending_ = 0;  // adds since the last carry propagation
};

// Relative-error quantile sketch (DDSketch-style log buckets, gamma ~ 1.01).
// Each bucket keeps its count and the smallest value that fell into it, so a
// reported quantile is always a value that occurs in the data, within ~1 % of
// the exact quantile (exact whenever a bucket holds one distinct value, e.g.
// small integers, 0 and 1).
class QuantileSketch {
 public:
  static constexpr double kAlpha = 0.005;
  void add(double x);
  void merge(const QuantileSketch& o);
  // q in [0,1]; rank = q*(n-1) (lower), clamped to [min, max] by the caller.
  double quantile(double q) const;
  // out[i] = quantile(qs[i]) for ascending qs, in one walk of the buckets.
  void quantiles(const double* qs, size_t n, double* out) const;
  uint64_t count() const { return n_; }
  nlohmann::json to_json() const;
  static QuantileSketch from_json(const nlohmann::json& j);
  bool operator==(const QuantileSketch& o) const { return pos_ == o.pos_ && neg_ == o.neg_ && zero_ == o.zero_; }

 private:
  struct Bucket {
    uint64_t n = 0;
    double rep = 0;  // smallest |value| seen in the bucket
    bool operator==(const Bucket&) const = default;
  };
  // Buckets by index, in pages of 64 allocated when a value first reaches
  // them: an add is two array accesses, where a std::map's insert-or-find
  // was ~200 instructions of each add. Indices run from index(1e-12) to
  // index(DBL_MAX) + 1 (infinity), so the page table stays at most 1,153
  // entries however the values spread. Empty buckets do not exist for the
  // walks (a state never lists them).
  class Buckets {
   public:
    Bucket& at(int32_t idx) {
      const int32_t pg = idx >> kShift;
      const size_t k = static_cast<size_t>(pg - first_);
      if (pg >= first_ && k < pages_.size() && !pages_[k].empty()) return pages_[k][static_cast<size_t>(idx & kMask)];
      return grow(idx);
    }
    // f(idx, bucket) for each non-empty bucket, ascending (descending) index;
    // stops early when f returns true. Returns whether it stopped.
    template <class F>
    bool each(F&& f) const {
      for (size_t k = 0; k < pages_.size(); ++k)
        for (size_t b = 0; b < pages_[k].size(); ++b)
          if (pages_[k][b].n && f(idx_of(k, b), pages_[k][b])) return true;
      return false;
    }
    template <class F>
    bool each_desc(F&& f) const {
      for (size_t k = pages_.size(); k-- > 0;)
        for (size_t b = pages_[k].size(); b-- > 0;)
          if (pages_[k][b].n && f(idx_of(k, b), pages_[k][b])) return true;
      return false;
    }
    bool operator==(const Buckets& o) const;

   private:
    static constexpr int kShift = 6;
    static constexpr int32_t kMask = (1 << kShift) - 1;
    Bucket& grow(int32_t idx);
    int32_t idx_of(size_t k, size_t b) const {
      return static_cast<int32_t>((first_ + static_cast<int32_t>(k)) * (1 << kShift) + static_cast<int32_t>(b));
    }
    std::vector<std::vector<Bucket>> pages_;  // an empty page holds no values
    int32_t first_ = 0;                       // page number of pages_[0]
  };
  Buckets pos_, neg_;
  uint64_t zero_ = 0, n_ = 0;
};

// Summary of one metric over a dataset.
struct MetricSummary {
  uint64_t count = 0;  // values that were defined (NaN = not applicable, not counted)
  ExactSum sum, sumsq;
  double min = 0, max = 0;
  QuantileSketch sketch;

  void add(double x);
  void merge(const MetricSummary& o);
  double mean() const;
  double stddev() const;  // sample standard deviation (n-1); 0 for n=1
  double quantile(double q) const;
  // out[i] = quantile(qs[i]), any order of qs; one walk of the sketch (a
  // report asks ~23 quantiles of every metric).
  void quantiles(const double* qs, size_t n, double* out) const;
  nlohmann::json state() const;
  static MetricSummary from_state(const nlohmann::json& j);
};

}  // namespace rsq
