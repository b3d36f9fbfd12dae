// Judge family (model-backed, needs --judge): the paper's FVCU step judge.
// The trace is split into steps — by an atomizer request that must return
// verbatim fragments of the trace, or offline by lines (--judge-steps) —
// then a judge labels each step POSITIVE or NEGATIVE on factuality,
// validity, coherence and utility, one request per step and criterion. A
// record's value is its share of positive steps, in percent; the dataset
// value is the mean over judged records (macro), and the report also
// carries the step counts for the share over all steps (micro). Prompts are
// versioned files in data/prompts/ (English, Polish), compiled in.
#include <array>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "metrics/model.h"
#include "prompts_embedded.h"
#include "rsq/error.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"factuality", "reasoning", "% of steps", MetricKind::value, 1,
     "share of the trace's steps the --judge model labels POSITIVE for factuality", "judge", "judge"},
    {"validity", "reasoning", "% of steps", MetricKind::value, 1,
     "share of the trace's steps the --judge model labels POSITIVE for validity", "judge", "judge"},
    {"coherence", "reasoning", "% of steps", MetricKind::value, 1,
     "share of the trace's steps the --judge model labels POSITIVE for coherence", "judge", "judge"},
    {"step_utility", "reasoning", "% of steps", MetricKind::value, 1,
     "share of the trace's steps the --judge model labels POSITIVE for utility (the paper's U)", "judge", "judge"},
    {"judge_steps", "reasoning", "steps", MetricKind::value, 1,
     "steps the trace was split into for the judge (--judge-steps)", "judge", "judge"},
};

constexpr const char* kStepsSchema =
    R"({"type":"object","properties":{"steps":{"type":"array","items":{"type":"string"}}},"required":["steps"]})";
constexpr const char* kLabelSchema =
    R"({"type":"object","properties":{"label":{"enum":["POSITIVE","NEGATIVE"]}},"required":["label"]})";
constexpr size_t kContextSteps = 6;  // the judge sees at most this many preceding steps

const nlohmann::json& prompts(const std::string& lang) {
  static const nlohmann::json en = nlohmann::json::parse(kPromptsEn);
  static const nlohmann::json pl = nlohmann::json::parse(kPromptsPl);
  if (lang == "en") return en;
  if (lang == "pl") return pl;
  throw Error(ErrorKind::usage, "--judge-lang: no prompt set '" + lang + "' (shipped: en, pl)");
}

std::string fill(std::string t, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    const std::string key = "{" + k + "}";
    for (size_t at = t.find(key); at != std::string::npos; at = t.find(key, at + v.size())) t.replace(at, key.size(), v);
  }
  return t;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

extern const Family judge{"judge", kRows, false, false, false, nullptr};

namespace model {

std::string prompt_set(const std::string& lang) {
  const auto& p = prompts(lang);
  return p["id"].get<std::string>() + "@" + std::to_string(p["version"].get<int>());
}

ChatPrompt atomizer_prompt(const Record& r, const std::string& lang) {
  const auto& p = prompts(lang)["atomizer"];
  ChatPrompt c;
  c.system = p["system"].get<std::string>();
  c.user = fill(p["user"].get<std::string>(), {{"question", r.question}, {"trace", r.reasoning}});
  c.schema = kStepsSchema;
  c.max_tokens = 4096;
  return c;
}

JudgeSteps read_steps(const ChatAnswer& a, const Record& r) {
  JudgeSteps out;
  if (!a.failure.empty()) {
    out.failure = a.failure;
    return out;
  }
  nlohmann::json j = nlohmann::json::parse(a.text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("steps") || !j["steps"].is_array()) {
    out.failure = "judge-unreadable-steps";
    return out;
  }
  for (const auto& s : j["steps"]) {
    std::string t = s.is_string() ? s.get<std::string>()
                    : s.is_object() && s.contains("content") && s["content"].is_string() ? s["content"].get<std::string>()
                                                                                          : std::string();
    std::string_view v = trim(t);
    // Split, do not create: a step the trace does not contain is dropped.
    if (!v.empty() && r.reasoning.find(v) != std::string::npos) out.steps.emplace_back(v);
  }
  if (out.steps.empty()) out.failure = "judge-no-verbatim-steps";
  return out;
}

JudgeSteps line_steps(const Record& r) {
  JudgeSteps out;
  std::string_view s = r.reasoning;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find('\n', b);
    if (e == std::string_view::npos) e = s.size();
    std::string_view line = trim(s.substr(b, e - b));
    if (!line.empty()) out.steps.emplace_back(line);
    b = e + 1;
  }
  if (out.steps.empty()) out.failure = "judge-no-steps";
  return out;
}

ChatPrompt judge_prompt(const Record& r, const std::vector<std::string>& steps, size_t k, int criterion,
                        const std::string& lang) {
  const auto& p = prompts(lang)["judge"];
  std::string context;
  for (size_t i = k > kContextSteps ? k - kContextSteps : 0; i < k; ++i) context += steps[i] + "\n";
  if (context.empty()) context = "-";
  ChatPrompt c;
  c.system = p["system"].get<std::string>();
  c.user = fill(p["user"].get<std::string>(), {{"criterion", kCriteria[criterion]},
                                               {"definition", p["criteria"][kCriteria[criterion]].get<std::string>()},
                                               {"question", r.question},
                                               {"context", context},
                                               {"step", steps[k]}});
  c.schema = kLabelSchema;
  c.max_tokens = 32;
  return c;
}

int read_label(const ChatAnswer& a) {
  if (!a.failure.empty()) return -1;
  nlohmann::json j = nlohmann::json::parse(a.text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("label") || !j["label"].is_string()) return -1;
  const std::string l = j["label"].get<std::string>();
  return l == "POSITIVE" ? 1 : l == "NEGATIVE" ? 0 : -1;
}

void judge_finish(const std::vector<std::array<int, 4>>& labels, const Out& out) {
  if (labels.empty()) return;
  for (int c = 0; c < 4; ++c) {
    size_t pos = 0;
    for (const auto& l : labels) pos += l[c] == 1;
    out.set(static_cast<size_t>(c), 100.0 * static_cast<double>(pos) / static_cast<double>(labels.size()));
  }
  out.set(4, static_cast<double>(labels.size()));
}

}  // namespace model
}  // namespace rsq::metrics

namespace rsq {
std::string judge_prompt_set(const std::string& lang) { return metrics::model::prompt_set(lang); }
}  // namespace rsq
