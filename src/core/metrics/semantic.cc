// Semantic family (model-backed, needs --embed): embedding cosines between
// the question, the reasoning and the answer, and between consecutive
// sentences of the reasoning — the paper's semantic alignment and semantic
// flow (docs/metrics.md). A text longer than the endpoint's limit is split
// into pieces at sentence ends and its vector is the length-weighted mean of
// the pieces' vectors: never truncated, never silently.
#include <array>
#include <cmath>

#include "metrics/model.h"
#include "text/scan.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"semantic_alignment", "question,reasoning", "cosine", MetricKind::value, 1,
     "cosine of the question's and the reasoning's embeddings (--embed model)", "semantic", "embed"},
    {"semantic_answer_alignment", "reasoning,answer", "cosine", MetricKind::value, 1,
     "cosine of the reasoning's and the answer's embeddings (--embed model)", "semantic", "embed"},
    {"semantic_flow", "reasoning", "cosine", MetricKind::value, 1,
     "mean cosine of the embeddings of consecutive sentences of the reasoning (--embed model)", "semantic", "embed"},
};

size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

bool blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

}  // namespace

extern const Family semantic{"semantic", kRows, false, false, false, nullptr};

namespace model {

std::vector<std::string_view> sentences(std::string_view text) {
  text::Scanner sc;
  sc.keep_tokens = false;
  std::vector<text::Token> toks;
  text::Scan scan;
  sc.begin_record();
  sc.scan(text, toks, scan, -1);
  std::vector<std::string_view> out;
  for (auto [b, e] : scan.sentences) out.push_back(text.substr(b, e - b));
  return out;
}

std::vector<Piece> pieces(std::string_view text, uint64_t max_chars) {
  std::vector<Piece> out;
  auto push = [&](std::string_view p, double w) {
    if (!blank(p)) out.push_back({p, w});
  };
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); i += utf8_len(static_cast<unsigned char>(text[i]))) ++chars;
  if (max_chars == 0 || chars <= max_chars) {
    push(text, static_cast<double>(chars));
    return out;
  }
  // Greedy: the longest run of whole sentences that fits; a sentence longer
  // than the budget is cut at code points.
  std::vector<size_t> ends;  // byte offsets where a sentence ends
  for (auto s : sentences(text)) ends.push_back(static_cast<size_t>(s.data() + s.size() - text.data()));
  size_t start = 0, si = 0;
  while (start < text.size()) {
    size_t i = start, n = 0, cut = 0, cut_chars = 0;
    while (i < text.size() && n < max_chars) {
      i += utf8_len(static_cast<unsigned char>(text[i]));
      ++n;
      while (si < ends.size() && ends[si] < i) ++si;
      if (si < ends.size() && ends[si] == i) {
        cut = i;
        cut_chars = n;
      }
    }
    if (i >= text.size()) {
      cut = text.size();
      cut_chars = n;
    } else if (cut == 0 || cut <= start) {
      cut = std::min(i, text.size());
      cut_chars = n;
    }
    push(text.substr(start, cut - start), static_cast<double>(cut_chars));
    start = cut;
  }
  return out;
}

double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.empty()) return std::nan("");
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (aa <= 0 || bb <= 0) return std::nan("");
  return ab / (std::sqrt(aa) * std::sqrt(bb));
}

Semantic::Segment Semantic::add(std::string_view text, const std::string& prefix,
                                std::vector<std::string>& texts) const {
  Segment seg;
  for (const Piece& p : pieces(text, s_.embed_max_chars)) {
    seg.at.push_back(texts.size());
    seg.w.push_back(p.weight);
    texts.push_back(prefix + std::string(p.text));
  }
  return seg;
}

void Semantic::plan(const Record& r, std::vector<std::string>& texts) {
  Plan p;
  if (!blank(r.reasoning)) {
    p.r = add(r.reasoning, "", texts);
    if (!blank(r.question)) p.q = add(r.question, s_.embed_prefix, texts);
    if (!blank(r.answer)) p.a = add(r.answer, "", texts);
    auto sents = sentences(r.reasoning);
    if (sents.size() >= 2)
      for (auto s : sents) p.sentences.push_back(add(s, "", texts));
  }
  plans_.push_back(std::move(p));
}

std::string Semantic::finish(size_t i, const std::vector<EmbedAnswer>& answers, const Out& out) const {
  const Plan& p = plans_[i];
  std::string failure;
  // The weighted mean of a segment's piece vectors; empty if any failed.
  auto pooled = [&](const Segment& s) -> std::vector<double> {
    if (s.at.empty()) return {};
    std::vector<double> v;
    double wsum = 0;
    for (size_t k = 0; k < s.at.size(); ++k) {
      const EmbedAnswer& a = answers[s.at[k]];
      if (!a.failure.empty()) {
        if (failure.empty()) failure = a.failure;
        return {};
      }
      if (v.empty()) v.assign(a.vector.size(), 0.0);
      for (size_t d = 0; d < v.size() && d < a.vector.size(); ++d) v[d] += s.w[k] * a.vector[d];
      wsum += s.w[k];
    }
    for (double& x : v) x /= wsum;
    return v;
  };
  std::vector<double> r = pooled(p.r);
  if (!r.empty()) {
    if (!p.q.at.empty()) {
      auto q = pooled(p.q);
      if (!q.empty()) out.set(0, cosine(q, r));
    }
    if (!p.a.at.empty()) {
      auto a = pooled(p.a);
      if (!a.empty()) out.set(1, cosine(r, a));
    }
  }
  if (!p.sentences.empty()) {
    std::vector<double> prev = pooled(p.sentences[0]);
    double sum = 0;
    size_t n = 0;
    bool ok = !prev.empty();
    for (size_t k = 1; ok && k < p.sentences.size(); ++k) {
      std::vector<double> cur = pooled(p.sentences[k]);
      if (cur.empty()) {
        ok = false;
        break;
      }
      double c = cosine(prev, cur);
      if (std::isfinite(c)) {
        sum += c;
        ++n;
      }
      prev = std::move(cur);
    }
    if (ok && n) out.set(2, sum / static_cast<double>(n));
  }
  return failure;
}

}  // namespace model
}  // namespace rsq::metrics
