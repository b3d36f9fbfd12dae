// Gate results as CI systems read them (rsq/gate.h emit_gate): a table,
// Markdown for a PR comment, JUnit XML, GitHub workflow annotations.
#include <cmath>
#include <cstdio>

#include "output/report_text.h"
#include "rsq/gate.h"

namespace rsq {
namespace {

// As the rules' conditions print numbers (gate.cc): 6 significant digits.
std::string num(double x) {
  if (!std::isfinite(x)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", x);
  return b;
}

}  // namespace

std::string emit_gate(const GateResult& g, const std::string& format) {
  std::string o;
  char b[1024];
  const size_t n = g.results.size();
  auto label = [](const RuleResult& r) { return r.metric == "utility" ? std::string("utility") : r.metric + " " + r.stat; };
  if (format == "junit") {
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    std::snprintf(b, sizeof b, "<testsuites name=\"rsq gate\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, g.failed);
    o += b;
    std::snprintf(b, sizeof b, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
                  out::escape_markup("rsq gate: " + g.input).c_str(), n, g.failed);
    o += b;
    for (const auto& r : g.results) {
      o += "    <testcase classname=\"rsq.gate\" name=\"" + out::escape_markup(r.name) + "\">\n";
      if (!r.passed)
        o += "      <failure message=\"" + out::escape_markup(label(r) + " " + r.detail) + "\" type=\"threshold\">" +
             out::escape_markup(label(r) + " = " + num(r.value) + "; required " + r.condition) + "</failure>\n";
      o += "      <system-out>" + out::escape_markup(label(r) + " = " + num(r.value) + (r.baseline ? " (baseline " + num(*r.baseline) + ")" : "")) +
           "</system-out>\n";
      o += "    </testcase>\n";
    }
    o += "  </testsuite>\n</testsuites>\n";
    return o;
  }
  if (format == "github") {
    for (const auto& r : g.results)
      if (!r.passed) o += "::error title=rsq gate: " + r.name + "::" + label(r) + " = " + num(r.value) + "; required " + r.condition + " (" + r.detail + ")\n";
    std::snprintf(b, sizeof b, "::%s title=rsq gate::%s: %zu of %zu rules passed\n", g.failed ? "error" : "notice",
                  g.input.c_str(), n - g.failed, n);
    o += b;
    return o;
  }
  if (format == "markdown") {
    std::snprintf(b, sizeof b, "### rsq gate: %s — %zu of %zu rules passed\n\n`%s`\n\n", g.failed ? "**FAILED**" : "passed",
                  n - g.failed, n, g.input.c_str());
    o += b;
    o += "| | rule | value | baseline | required | detail |\n|---|---|---:|---:|---|---|\n";
    for (const auto& r : g.results)
      o += std::string("| ") + (r.passed ? "pass" : "**FAIL**") + " | " + r.name + " (" + label(r) + ") | " + num(r.value) + " | " +
           (r.baseline ? num(*r.baseline) : "-") + " | " + r.condition + " | " + r.detail + " |\n";
    return o;
  }
  o += "rsq gate: " + g.input + "\n";
  for (const auto& r : g.results) {
    std::snprintf(b, sizeof b, "  %-4s  %-32s %-26s %12s  %s\n", r.passed ? "PASS" : "FAIL", r.name.substr(0, 32).c_str(),
                  label(r).substr(0, 26).c_str(), num(r.value).c_str(), (r.condition + (r.passed ? "" : ": " + r.detail)).c_str());
    o += b;
  }
  std::snprintf(b, sizeof b, "rules: %zu passed, %zu failed\n", n - g.failed, g.failed);
  o += b;
  return o;
}

}  // namespace rsq
