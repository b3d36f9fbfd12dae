// Correlation statistics for `rsq correlate`. The exact permutation test
// enumerates every ordering of y (Heap's algorithm, n! <= 3,628,800 for
// n <= 10), which is what makes n = 4 results honest: the smallest attainable
// two-sided p is 1/12 there, and the report says so.
#include "stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace rsq {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> average_ranks(const std::vector<double>& x) {
  size_t n = x.size();
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(n);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && x[idx[j + 1]] == x[idx[i]]) ++j;
    double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  size_t n = x.size();
  if (n < 2 || y.size() != n) return kNaN;
  long double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<long double>(n);
  my /= static_cast<long double>(n);
  long double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    long double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx == 0 || syy == 0) return kNaN;
  return static_cast<double>(sxy / std::sqrt(sxx * syy));
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(average_ranks(x), average_ranks(y));
}

double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y) {
  size_t n = x.size();
  if (n < 2 || y.size() != n) return kNaN;
  long long conc = 0, disc = 0, tx = 0, ty = 0;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0) continue;
      if (dx == 0) {
        ++tx;
      } else if (dy == 0) {
        ++ty;
      } else if ((dx > 0) == (dy > 0)) {
        ++conc;
      } else {
        ++disc;
      }
    }
  double denom = std::sqrt(static_cast<double>(conc + disc + tx) * static_cast<double>(conc + disc + ty));
  if (denom == 0) return kNaN;
  return static_cast<double>(conc - disc) / denom;
}

// Continued fraction for the incomplete beta (Lentz), as in Numerical Recipes.
static double betacf(double a, double b, double x) {
  const int kMax = 300;
  const double kEps = 1e-15, kTiny = 1e-300;
  double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMax; ++m) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double lbeta = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  double front = std::exp(lbeta);
  if (x < (a + 1) / (a + b + 2)) return front * betacf(a, b, x) / a;
  return 1 - front * betacf(b, a, 1 - x) / b;
}

double student_t_two_sided(double t, double df) {
  if (!std::isfinite(t)) return 0;
  return incomplete_beta(df / 2, 0.5, df / (df + t * t));
}

PValue spearman_p(const std::vector<double>& x, const std::vector<double>& y) {
  PValue out;
  size_t n = x.size();
  double rho = spearman(x, y);
  if (std::isnan(rho) || n < 3) {
    out.p = kNaN;
    return out;
  }
  if (n <= 10) {
    // Exact: Pearson of ranks under every ordering of y's ranks.
    std::vector<double> rx = average_ranks(x), ry = average_ranks(y);
    double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / static_cast<double>(n);
    double my = std::accumulate(ry.begin(), ry.end(), 0.0) / static_cast<double>(n);
    double sxx = 0, syy = 0;
    for (size_t i = 0; i < n; ++i) {
      sxx += (rx[i] - mx) * (rx[i] - mx);
      syy += (ry[i] - my) * (ry[i] - my);
    }
    double norm = std::sqrt(sxx * syy);
    std::vector<double> dx(n), perm = ry;
    for (size_t i = 0; i < n; ++i) dx[i] = rx[i] - mx;
    double obs = std::fabs(rho) - 1e-9;
    uint64_t total = 0, hits = 0, at_max = 0;
    double best = 0;
    auto visit = [&] {
      double s = 0;
      for (size_t i = 0; i < n; ++i) s += dx[i] * (perm[i] - my);
      double r = std::fabs(s / norm);
      ++total;
      if (r >= obs) ++hits;
      if (r > best + 1e-9) {
        best = r;
        at_max = 1;
      } else if (std::fabs(r - best) <= 1e-9) {
        ++at_max;
      }
    };
    // Heap's algorithm (iterative).
    std::vector<size_t> c(n, 0);
    visit();
    for (size_t i = 1; i < n;) {
      if (c[i] < i) {
        std::swap(perm[i % 2 == 0 ? 0 : c[i]], perm[i]);
        visit();
        ++c[i];
        i = 1;
      } else {
        c[i] = 0;
        ++i;
      }
    }
    out.exact = true;
    out.p = static_cast<double>(hits) / static_cast<double>(total);
    out.min_attainable = static_cast<double>(at_max) / static_cast<double>(total);
    return out;
  }
  double df = static_cast<double>(n) - 2;
  if (std::fabs(rho) >= 1) {
    out.p = 0;
    return out;
  }
  double t = rho * std::sqrt(df / (1 - rho * rho));
  out.p = student_t_two_sided(t, df);
  return out;
}

}  // namespace rsq
