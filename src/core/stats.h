// stats.h — rank correlation and its significance, for `rsq correlate`
// (the paper's analysis: dataset metric vs downstream gain). Pure functions.
#pragma once
#include <cstdint>
#include <vector>

namespace rsq {

// Average ranks (1-based; ties share the mean of their positions).
std::vector<double> average_ranks(const std::vector<double>& x);
double pearson(const std::vector<double>& x, const std::vector<double>& y);   // NaN if a side is constant
double spearman(const std::vector<double>& x, const std::vector<double>& y);  // Pearson of average ranks
double kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y);

struct PValue {
  double p = 0;            // two-sided
  bool exact = false;      // full permutation enumeration (n <= 10)
  double min_attainable = 0;  // smallest two-sided p any ordering of y could give (exact mode)
};
// Two-sided p-value of Spearman's rho: exact over all n! orderings of y for
// n <= 10 (ties kept as they are), otherwise Student's t approximation with
// n - 2 degrees of freedom.
PValue spearman_p(const std::vector<double>& x, const std::vector<double>& y);

// Regularized incomplete beta I_x(a, b) and Student's t two-sided tail.
double incomplete_beta(double a, double b, double x);
double student_t_two_sided(double t, double df);

}  // namespace rsq
