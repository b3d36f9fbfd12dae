// CompressorSpec and the settings comparison (rsq/settings.h).
#include "rsq/settings.h"

#include <cmath>

#include "rsq/error.h"

namespace rsq {

CompressorSpec CompressorSpec::parse(std::string_view s, std::string_view what) {
  const std::string whole(s), w(what);
  size_t colon = whole.find(':');
  std::string name = whole.substr(0, colon);
  CompressorSpec c;
  int level = name == "zlib" ? 6 : 3;
  if (colon != std::string::npos) {
    const std::string digits = whole.substr(colon + 1);
    char* end = nullptr;
    errno = 0;
    double v = digits.empty() ? NAN : std::strtod(digits.c_str(), &end);
    if (digits.empty() || *end != '\0' || !std::isfinite(v) || v != std::floor(v) || std::fabs(v) > 1000)
      throw Error(ErrorKind::usage, w + ": bad level in '" + whole + "'");
    level = static_cast<int>(v);
  }
  if (name == "zstd" && level >= 1 && level <= 19) {
    c.codec = Codec::zstd;
  } else if (name == "zlib" && level >= 0 && level <= 9) {
    c.codec = Codec::zlib;
  } else {
    throw Error(ErrorKind::usage, w + ": expected zstd:1..19 or zlib:0..9, got '" + whole + "'");
  }
  c.level = level;
  return c;
}

std::string CompressorSpec::str() const { return (codec == Codec::zstd ? "zstd:" : "zlib:") + std::to_string(level); }

namespace {

std::string selection_text(const MetricSelection& m) {
  if (m.all()) return "all metrics";
  const auto n = m.names();
  if (n.size() > 4) return std::to_string(n.size()) + " selected metrics";
  std::string t = "--metrics ";
  for (size_t i = 0; i < n.size(); ++i) t += (i ? "," : "") + n[i];
  return t;
}

std::string tags_text(const std::vector<std::string>& t) {
  if (t.empty()) return "none";
  std::string s;
  for (size_t i = 0; i < t.size(); ++i) s += (i ? " " : "") + t[i];
  return s;
}

std::string or_none(const std::string& s) { return s.empty() ? "(detected)" : s; }

}  // namespace

std::optional<SettingsDifference> compare_settings(const ReportSettings& a, const ReportSettings& b, bool selection) {
  if (a.compressor != b.compressor) return SettingsDifference{"compressor", a.compressor.str(), b.compressor.str()};
  if (a.words != b.words) return SettingsDifference{"words", a.words, b.words};
  if (a.stem_prefix != b.stem_prefix)
    return SettingsDifference{"stem_prefix", std::to_string(a.stem_prefix), std::to_string(b.stem_prefix)};
  if (a.think_tags != b.think_tags) return SettingsDifference{"think_tags", tags_text(a.think_tags), tags_text(b.think_tags)};
  if (a.question_pointer != b.question_pointer)
    return SettingsDifference{"question_pointer", or_none(a.question_pointer), or_none(b.question_pointer)};
  if (a.reasoning_pointer != b.reasoning_pointer)
    return SettingsDifference{"reasoning_pointer", or_none(a.reasoning_pointer), or_none(b.reasoning_pointer)};
  if (a.answer_pointer != b.answer_pointer)
    return SettingsDifference{"answer_pointer", or_none(a.answer_pointer), or_none(b.answer_pointer)};
  if (!(a.tokenizer == b.tokenizer)) {
    auto t = [](const TokenizerIdentity& x) {
      return x.sha256.empty() ? std::string("(none)") : x.file + " (sha256 " + x.sha256.substr(0, 12) + ")";
    };
    return SettingsDifference{"tokenizer", t(a.tokenizer), t(b.tokenizer)};
  }
  const ModelSettings &ma = a.models, &mb = b.models;
  auto none = [](const std::string& s) { return s.empty() ? std::string("(none)") : s; };
  if (ma.embed_model != mb.embed_model) return SettingsDifference{"embed model", none(ma.embed_model), none(mb.embed_model)};
  if (ma.embed_prefix != mb.embed_prefix)
    return SettingsDifference{"embed query prefix", "'" + ma.embed_prefix + "'", "'" + mb.embed_prefix + "'"};
  if (ma.embed_max_chars != mb.embed_max_chars)
    return SettingsDifference{"embed piece size", std::to_string(ma.embed_max_chars), std::to_string(mb.embed_max_chars)};
  if (ma.lm_model != mb.lm_model) return SettingsDifference{"lm model", none(ma.lm_model), none(mb.lm_model)};
  if (ma.judge_model != mb.judge_model) return SettingsDifference{"judge model", none(ma.judge_model), none(mb.judge_model)};
  if (ma.judge_prompts != mb.judge_prompts)
    return SettingsDifference{"judge prompts", none(ma.judge_prompts), none(mb.judge_prompts)};
  if (ma.judge_sample != mb.judge_sample)
    return SettingsDifference{"judge sample", std::to_string(ma.judge_sample), std::to_string(mb.judge_sample)};
  if (selection && !(a.metrics == b.metrics))
    return SettingsDifference{"metrics", selection_text(a.metrics), selection_text(b.metrics)};
  return std::nullopt;
}

}  // namespace rsq
