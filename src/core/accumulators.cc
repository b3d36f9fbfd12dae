// Exact sums, the quantile sketch and the per-metric summary. The exact sum is
// what makes reports split-invariant: floating-point addition is not
// associative, so a plain double sum would depend on how chunks were merged.
#include "rsq/accumulators.h"

#include <algorithm>
#include <bit>
#include <charconv>

#include "rsq/error.h"

#include <cmath>
#include <limits>

namespace rsq {
__extension__ typedef unsigned __int128 u128;

// ---- ExactSum ---------------------------------------------------------------

void ExactSum::add(double x) {
  if (x == 0 || !std::isfinite(x)) return;
  int64_t mant;
  int pos;  // bit position of mant's lowest bit
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  if (const int e = static_cast<int>((bits >> 52) & 0x7FF); e != 0) {
    // A normal double read from its bits: the 53-bit integer mantissa and
    // its exponent are exactly what frexp and ldexp(m, 53) give below, at a
    // fraction of the cost (this runs once per metric per record).
    const auto m = static_cast<int64_t>((bits & ((uint64_t{1} << 52) - 1)) | (uint64_t{1} << 52));
    mant = (bits >> 63) ? -m : m;
    pos = e - 1075 + kBias;
  } else {
    int exp;
    double m = std::frexp(x, &exp);  // x = m * 2^exp, 0.5 <= |m| < 1
    // 53-bit integer mantissa: x = mant * 2^(exp-53)
    mant = static_cast<int64_t>(std::ldexp(m, 53));
    pos = exp - 53 + kBias;
  }
  if (pos < 0) {               // far below anything we keep: subnormal noise, drop exactly-representable bits
    mant >>= -pos;
    pos = 0;
  }
  int li = pos / 32, sh = pos % 32;
  // Spread mant << sh over up to three 32-bit limbs (signed limbs absorb the sign).
  bool neg = mant < 0;
  uint64_t a = static_cast<uint64_t>(neg ? -mant : mant);
  u128 v = static_cast<u128>(a) << sh;
  for (int k = 0; k < 3 && li + k < kLimbs; ++k) {
    int64_t part = static_cast<int64_t>(static_cast<uint64_t>(v & 0xFFFFFFFFu));
    limb_[static_cast<size_t>(li + k)] += neg ? -part : part;
    v >>= 32;
  }
  if (++pending_ >= (1u << 30)) normalize();
}

void ExactSum::normalize() const {
  // Carry so every limb but the top is in [0, 2^32); the top keeps the sign.
  int64_t carry = 0;
  for (int i = 0; i < kLimbs; ++i) {
    int64_t v = limb_[static_cast<size_t>(i)] + carry;
    if (i == kLimbs - 1) {
      limb_[static_cast<size_t>(i)] = v;
      break;
    }
    int64_t low = v & 0xFFFFFFFF;
    carry = (v - low) / (int64_t{1} << 32);
    limb_[static_cast<size_t>(i)] = low;
  }
  pending_ = 0;
}

void ExactSum::merge(const ExactSum& o) {
  o.normalize();
  normalize();
  for (int i = 0; i < kLimbs; ++i) limb_[static_cast<size_t>(i)] += o.limb_[static_cast<size_t>(i)];
  pending_ = 2;
  normalize();
}

double ExactSum::value() const {
  normalize();
  // The represented number is sum(limb[i] * 2^(32 i - bias)); evaluate from the
  // top in long double. Deterministic because the normalized form is unique.
  long double r = 0;
  for (int i = kLimbs - 1; i >= 0; --i) {
    if (limb_[static_cast<size_t>(i)] == 0) continue;
    r += std::ldexp(static_cast<long double>(limb_[static_cast<size_t>(i)]), 32 * i - kBias);
  }
  return static_cast<double>(r);
}

bool ExactSum::operator==(const ExactSum& o) const {
  normalize();
  o.normalize();
  return limb_ == o.limb_;
}

nlohmann::json ExactSum::to_json() const {
  normalize();
  nlohmann::json j = nlohmann::json::object();
  for (int i = 0; i < kLimbs; ++i)
    if (limb_[static_cast<size_t>(i)]) j[std::to_string(i)] = limb_[static_cast<size_t>(i)];
  return j;
}

ExactSum ExactSum::from_json(const nlohmann::json& j) {
  ExactSum s;
  for (auto it = j.begin(); it != j.end(); ++it) {
    int i = -1;
    const std::string& k = it.key();
    auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), i);
    if (ec != std::errc() || end != k.data() + k.size() || i < 0 || i >= kLimbs)
      throw Error(ErrorKind::data, "an exact-sum state has the limb key '" + k + "' (expected 0.." + std::to_string(kLimbs - 1) + ")");
    if (i >= 0 && i < kLimbs) s.limb_[static_cast<size_t>(i)] = it.value().get<int64_t>();
  }
  s.pending_ = 1;
  s.normalize();
  return s;
}

// ---- QuantileSketch ---------------------------------------------------------

namespace {
const double kGamma = (1 + QuantileSketch::kAlpha) / (1 - QuantileSketch::kAlpha);
const double kLogGamma = std::log(kGamma);
constexpr double kMinPositive = 1e-12;  // smaller magnitudes count as zero
}  // namespace

namespace {
// The bucket of |x|, for 1e-12 <= |x|; infinity gets the bucket past
// DBL_MAX's (the cast of an infinite log would be undefined).
const int32_t kMinIndex = static_cast<int32_t>(std::ceil(std::log(kMinPositive) / kLogGamma));
const int32_t kMaxIndex = static_cast<int32_t>(std::ceil(std::log(std::numeric_limits<double>::max()) / kLogGamma)) + 1;
int32_t index_of(double a) {
  if (!(a <= std::numeric_limits<double>::max())) return kMaxIndex;
  return static_cast<int32_t>(std::ceil(std::log(a) / kLogGamma));
}
}  // namespace

QuantileSketch::Bucket& QuantileSketch::Buckets::grow(int32_t idx) {
  const int32_t pg = idx >> kShift;
  if (pages_.empty()) {
    first_ = pg;
    pages_.resize(1);
  } else if (pg < first_) {
    pages_.insert(pages_.begin(), static_cast<size_t>(first_ - pg), std::vector<Bucket>());
    first_ = pg;
  } else if (static_cast<size_t>(pg - first_) >= pages_.size()) {
    pages_.resize(static_cast<size_t>(pg - first_) + 1);
  }
  auto& page = pages_[static_cast<size_t>(pg - first_)];
  if (page.empty()) page.resize(size_t{1} << kShift);
  return page[static_cast<size_t>(idx & kMask)];
}

bool QuantileSketch::Buckets::operator==(const Buckets& o) const {
  std::vector<std::pair<int32_t, Bucket>> a, b;
  each([&](int32_t i, const Bucket& x) { a.emplace_back(i, x); return false; });
  o.each([&](int32_t i, const Bucket& x) { b.emplace_back(i, x); return false; });
  return a == b;
}

void QuantileSketch::add(double x) {
  ++n_;
  double a = std::fabs(x);
  if (a < kMinPositive) {
    ++zero_;
    return;
  }
  Bucket& b = (x > 0 ? pos_ : neg_).at(index_of(a));
  if (b.n == 0 || a < b.rep) b.rep = a;
  ++b.n;
}

void QuantileSketch::merge(const QuantileSketch& o) {
  auto m = [](Buckets& into, const Buckets& from) {
    from.each([&](int32_t k, const Bucket& b) {
      Bucket& t = into.at(k);
      if (t.n == 0 || b.rep < t.rep) t.rep = b.rep;
      t.n += b.n;
      return false;
    });
  };
  m(pos_, o.pos_);
  m(neg_, o.neg_);
  zero_ += o.zero_;
  n_ += o.n_;
}

double QuantileSketch::quantile(double q) const {
  double v;
  quantiles(&q, 1, &v);
  return v;
}

void QuantileSketch::quantiles(const double* qs, size_t n, double* out) const {
  if (n == 0) return;
  if (n_ == 0) {
    for (size_t i = 0; i < n; ++i) out[i] = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  auto rank = [&](size_t i) { return static_cast<uint64_t>(std::floor(qs[i] * static_cast<double>(n_ - 1) + 0.5)); };
  size_t i = 0;
  uint64_t seen = 0;
  // Negative values first, most negative first (largest index first), then
  // the zeros, then the positive ones: each q takes the first bucket whose
  // running count passes its rank.
  auto take = [&](double v) {
    while (i < n && seen > rank(i)) out[i++] = v;
    return i == n;
  };
  if (neg_.each_desc([&](int32_t, const Bucket& b) {
        seen += b.n;
        return take(-b.rep);
      }))
    return;
  seen += zero_;
  if (take(0.0)) return;
  double last = 0;
  if (pos_.each([&](int32_t, const Bucket& b) {
        seen += b.n;
        last = b.rep;
        return take(b.rep);
      }))
    return;
  while (i < n) out[i++] = last;  // not reached: the counts add up to n_
}

nlohmann::json QuantileSketch::to_json() const {
  nlohmann::json j;
  j["zero"] = zero_;
  auto m = [](const Buckets& b) {
    nlohmann::json a = nlohmann::json::array();
    b.each([&](int32_t k, const Bucket& c) {
      a.push_back({k, c.n, c.rep});
      return false;
    });
    return a;
  };
  j["pos"] = m(pos_);
  j["neg"] = m(neg_);
  return j;
}

QuantileSketch QuantileSketch::from_json(const nlohmann::json& j) {
  QuantileSketch s;
  s.zero_ = j.at("zero").get<uint64_t>();
  s.n_ = s.zero_;
  auto load = [&](const nlohmann::json& arr, Buckets& into) {
    for (const auto& e : arr) {
      const int64_t k = e.at(0).get<int64_t>();
      if (k < kMinIndex || k > kMaxIndex)
        throw Error(ErrorKind::data, "a quantile-sketch state has the bucket " + std::to_string(k) + " (expected " +
                                         std::to_string(kMinIndex) + ".." + std::to_string(kMaxIndex) + ")");
      Bucket b{e.at(1).get<uint64_t>(), e.at(2).get<double>()};
      Bucket& t = into.at(static_cast<int32_t>(k));
      s.n_ -= t.n;  // a repeated bucket replaces the earlier one
      t = b;
      s.n_ += b.n;
    }
  };
  load(j.at("pos"), s.pos_);
  load(j.at("neg"), s.neg_);
  return s;
}

// ---- MetricSummary ----------------------------------------------------------

void MetricSummary::add(double x) {
  if (std::isnan(x)) return;
  if (count == 0) {
    min = max = x;
  } else {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  ++count;
  sum.add(x);
  sumsq.add(x * x);
  sketch.add(x);
}

void MetricSummary::merge(const MetricSummary& o) {
  if (o.count == 0) return;
  if (count == 0) {
    min = o.min;
    max = o.max;
  } else {
    if (o.min < min) min = o.min;
    if (o.max > max) max = o.max;
  }
  count += o.count;
  sum.merge(o.sum);
  sumsq.merge(o.sumsq);
  sketch.merge(o.sketch);
}

double MetricSummary::mean() const {
  return count ? sum.value() / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

double MetricSummary::stddev() const {
  if (count == 0) return std::numeric_limits<double>::quiet_NaN();
  if (count == 1) return 0.0;
  long double n = static_cast<long double>(count);
  long double s = sum.value(), ss = sumsq.value();
  long double var = (ss - s * s / n) / (n - 1);
  if (var < 0) var = 0;
  return static_cast<double>(std::sqrt(var));
}

double MetricSummary::quantile(double q) const {
  if (count == 0) return std::numeric_limits<double>::quiet_NaN();
  if (q <= 0) return min;
  if (q >= 1) return max;
  double v = sketch.quantile(q);
  return v < min ? min : v > max ? max : v;
}

void MetricSummary::quantiles(const double* qs, size_t n, double* out) const {
  std::vector<size_t> mid;  // the qs strictly inside (0, 1), by ascending q
  for (size_t i = 0; i < n; ++i) {
    if (count == 0) out[i] = std::numeric_limits<double>::quiet_NaN();
    else if (qs[i] <= 0) out[i] = min;
    else if (qs[i] >= 1) out[i] = max;
    else mid.push_back(i);
  }
  if (mid.empty()) return;
  std::stable_sort(mid.begin(), mid.end(), [&](size_t a, size_t b) { return qs[a] < qs[b]; });
  std::vector<double> q(mid.size()), v(mid.size());
  for (size_t k = 0; k < mid.size(); ++k) q[k] = qs[mid[k]];
  sketch.quantiles(q.data(), q.size(), v.data());
  for (size_t k = 0; k < mid.size(); ++k) out[mid[k]] = v[k] < min ? min : v[k] > max ? max : v[k];
}

nlohmann::json MetricSummary::state() const {
  return {{"count", count}, {"sum", sum.to_json()}, {"sumsq", sumsq.to_json()}, {"min", min}, {"max", max},
          {"sketch", sketch.to_json()}};
}

MetricSummary MetricSummary::from_state(const nlohmann::json& j) {
  MetricSummary m;
  m.count = j.at("count").get<uint64_t>();
  m.sum = ExactSum::from_json(j.at("sum"));
  m.sumsq = ExactSum::from_json(j.at("sumsq"));
  m.min = j.at("min").get<double>();
  m.max = j.at("max").get<double>();
  m.sketch = QuantileSketch::from_json(j.at("sketch"));
  return m;
}

}  // namespace rsq
