// The model stage (models/stage.h).
#include "models/stage.h"

#include <array>
#include <cmath>

#include "metrics/registry.h"
#include "text/hash.h"

namespace rsq::models {

namespace mm = metrics::model;

namespace {
std::vector<uint16_t> columns_of(std::string_view group) {
  const auto& t = metrics::table();
  for (size_t i = 0; i < t.groups.size(); ++i)
    if (t.groups[i] == group) return t.columns[i];
  return {};
}
}  // namespace

Stage::Stage(ModelService& svc, const MetricSelection& sel, const ModelOptions& opt)
    : svc_(svc), opt_(opt), semantic_(sel.has_group("semantic")), perplexity_(sel.has_group("perplexity")),
      judge_(sel.has_group("judge")), sem_cols_(columns_of("semantic")), ppl_cols_(columns_of("perplexity")),
      judge_cols_(columns_of("judge")) {}

bool Stage::sampled(const mm::Record& r, double rate) {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  std::string key = r.question;
  key += '\0';
  key += r.reasoning;
  key += '\0';
  key += r.answer;
  uint64_t h = text::mix(text::hash_bytes(key.data(), key.size()) ^ 0x7273712d6a756467ULL);  // "rsq-judg"
  return static_cast<double>(h >> 11) * 0x1.0p-53 < rate;
}

void Stage::run(std::vector<mm::Record>& recs, double* rows, size_t ncols,
                std::vector<std::vector<std::string>>& failures, std::map<std::string, uint64_t>& counts) {
  const size_t n = recs.size();
  failures.assign(n, {});
  if (n == 0) return;
  auto out = [&](size_t i, const std::vector<uint16_t>& cols) { return metrics::Out(rows + i * ncols, cols.data()); };

  if (semantic_) {
    mm::Semantic sem(svc_.settings());
    std::vector<std::string> texts;
    for (const auto& r : recs) sem.plan(r, texts);
    std::vector<EmbedAnswer> answers = texts.empty() ? std::vector<EmbedAnswer>{} : svc_.embed(texts);

    counts["embed.inputs"] += texts.size();
    for (size_t i = 0; i < n; ++i) {
      std::string f = sem.finish(i, answers, out(i, sem_cols_));
      if (!f.empty()) failures[i].push_back(f);
    }
  }

  if (perplexity_) {
    std::vector<std::string> texts;
    std::vector<size_t> who;
    for (size_t i = 0; i < n; ++i) {
      std::string t = mm::perplexity_text(recs[i]);
      if (t.empty()) continue;
      who.push_back(i);
      texts.push_back(std::move(t));
    }
    if (!texts.empty()) {
      std::vector<LogprobAnswer> answers = svc_.logprobs(texts);
      for (size_t k = 0; k < who.size(); ++k) {
        counts["lm.tokens"] += answers[k].logprobs.size();
        if (!answers[k].failure.empty()) failures[who[k]].push_back(answers[k].failure);
        mm::perplexity_finish(answers[k], out(who[k], ppl_cols_));
      }
    }
  }

  if (judge_) {
    // Steps: offline by lines, or one atomizer request per sampled record.
    std::vector<size_t> who;
    for (size_t i = 0; i < n; ++i)
      if (!recs[i].reasoning.empty() && (recs[i].judged = sampled(recs[i], opt_.judge_sample))) who.push_back(i);
    counts["judge.records"] += who.size();
    std::vector<mm::JudgeSteps> steps(who.size());
    if (opt_.judge_steps == "atomizer") {
      std::vector<ChatPrompt> prompts;
      for (size_t i : who) prompts.push_back(mm::atomizer_prompt(recs[i], opt_.judge_lang));
      std::vector<ChatAnswer> answers = prompts.empty() ? std::vector<ChatAnswer>{} : svc_.chat(prompts);
      for (size_t k = 0; k < who.size(); ++k) steps[k] = mm::read_steps(answers[k], recs[who[k]]);
    } else {
      for (size_t k = 0; k < who.size(); ++k) steps[k] = mm::line_steps(recs[who[k]]);
    }
    std::vector<ChatPrompt> prompts;
    for (size_t k = 0; k < who.size(); ++k) {
      auto& st = steps[k];
      if (st.steps.size() > opt_.judge_max_steps) {
        st.failure = "judge-too-many-steps";
        st.steps.clear();
      }
      if (!st.failure.empty()) continue;
      for (size_t s = 0; s < st.steps.size(); ++s)
        for (int c = 0; c < 4; ++c) prompts.push_back(mm::judge_prompt(recs[who[k]], st.steps, s, c, opt_.judge_lang));
    }
    std::vector<ChatAnswer> answers = prompts.empty() ? std::vector<ChatAnswer>{} : svc_.chat(prompts);
    size_t at = 0;
    for (size_t k = 0; k < who.size(); ++k) {
      const size_t i = who[k];
      if (!steps[k].failure.empty()) {
        failures[i].push_back(steps[k].failure);
        continue;
      }
      std::vector<std::array<int, 4>> labels(steps[k].steps.size());
      std::string failure;
      for (auto& l : labels)
        for (int c = 0; c < 4; ++c) {
          const ChatAnswer& a = answers[at++];
          l[c] = mm::read_label(a);
          if (l[c] < 0 && failure.empty()) failure = a.failure.empty() ? "judge-unreadable-label" : a.failure;
        }
      if (!failure.empty()) {
        failures[i].push_back(failure);
        continue;
      }
      counts["judge.steps"] += labels.size();
      for (const auto& l : labels)
        for (int c = 0; c < 4; ++c) counts[std::string("judge.positive.") + mm::kCriteria[c]] += l[c] == 1;
      mm::judge_finish(labels, out(i, judge_cols_));
    }
  }
}

}  // namespace rsq::models
