// Planning a run from an InputRequest (rsq/run.h) and reading inputs with
// capped diagnostics: the pieces every record-reading command shares.
#include <map>
#include <mutex>

#include "rsq/error.h"
#include "rsq/profile.h"
#include "rsq/run.h"
#include "run/run_internal.h"
#include "tokenizer/tokenizer.h"

namespace rsq {

namespace {
// A run plans its pipeline and its settings from one request: the
// tokenizer.json is read once per path (a 10 MB vocabulary takes ~0.1 s).
std::shared_ptr<const tok::Tokenizer> load_tokenizer(const std::string& path) {
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<const tok::Tokenizer>> loaded;
  std::lock_guard<std::mutex> lock(m);
  auto& t = loaded[path];
  if (!t) t = tok::Tokenizer::load(path);
  return t;
}
}  // namespace

PipelineOptions plan_pipeline(const InputRequest& in) {
  PipelineOptions po;
  po.threads = std::max(1u, in.threads);
  po.reader.max_record_bytes = in.max_line_bytes;
  po.reader.block_bytes = in.block_bytes;
  for (const auto& p : in.think_tags) {
    size_t c = p.find(',');
    if (c == std::string::npos || c == 0 || c + 1 == p.size())
      throw Error(ErrorKind::usage, "--think-tags expects OPEN,CLOSE (e.g. '<think>,</think>'), got '" + p + "'");
    po.record.extra_tags.push_back({p.substr(0, c), p.substr(c + 1)});
  }
  for (const auto* ptr : {&in.question_pointer, &in.reasoning_pointer, &in.answer_pointer})
    if (!ptr->empty() && (*ptr)[0] != '/')
      throw Error(ErrorKind::usage, "JSON Pointer '" + *ptr + "' must start with '/' (e.g. /messages/1/content)");
  po.record.question_pointer = in.question_pointer;
  po.record.reasoning_pointer = in.reasoning_pointer;
  po.record.answer_pointer = in.answer_pointer;
  po.text.compressor = CompressorSpec::parse(in.compressor);
  po.models = in.models;
  if (in.words != "fast" && in.words != "icu") throw Error(ErrorKind::usage, "--words: expected fast or icu, got '" + in.words + "'");
  po.text.words = in.words == "icu" ? WordMode::icu : WordMode::fast;
  po.text.stem_prefix = in.stem_prefix;
  if (!in.tokenizer.empty()) po.text.tokenizer = load_tokenizer(in.tokenizer);
  return po;
}

ReportSettings plan_settings(const InputRequest& in) {
  ReportSettings s;
  s.compressor = CompressorSpec::parse(in.compressor);
  if (in.models.service) s.models = in.models.service->settings();
  s.words = in.words;
  s.stem_prefix = in.stem_prefix;
  s.think_tags = in.think_tags;
  s.question_pointer = in.question_pointer;
  s.reasoning_pointer = in.reasoning_pointer;
  s.answer_pointer = in.answer_pointer;
  if (!in.tokenizer.empty()) s.tokenizer = load_tokenizer(in.tokenizer)->identity;
  return s;
}

ProfileChoice choose_profile(const std::string& scale, const std::string& profile_path) {
  ProfileChoice c;
  if (!profile_path.empty()) {
    c.profile = load_profile_file(profile_path);
    if (!scale.empty()) c.warning = "--profile overrides --scale";
  } else if (!scale.empty()) {
    c.profile = profile_for_scale(parse_scale(scale), c.warning);
  }
  return c;
}

namespace run_detail {

std::string shown_name(const std::string& input) { return input == "-" ? "<stdin>" : input; }

std::vector<std::unique_ptr<ByteSource>> open_all(const InputRequest& req) {
  std::vector<std::unique_ptr<ByteSource>> sources;
  if (req.shard_count) {
    if (req.inputs.size() != 1)
      throw Error(ErrorKind::usage, "--shard splits one file; give exactly one input (run one task per file to shard "
                                    "many files: docs/cluster.md)");
    sources.push_back(open_shard_source(req.inputs[0], req.shard_index, req.shard_count));
    return sources;
  }
  for (const auto& in : req.inputs) sources.push_back(open_source(in));
  return sources;
}

DatasetReport read_input(ByteSource& src, const std::string& input, const PipelineOptions& po, const InputRequest& in,
                         RunObserver& obs, InputPolicy policy, Progress* progress) {
  const bool named = input == "-" && !in.stdin_name.empty();
  const std::string shown = named ? in.stdin_name : shown_name(input);
  std::map<std::string, uint64_t> per_code;
  auto sink = [&](const Diagnostic& d) {
    if (d.code == "framing") {
      if (policy.framing_note && d.severity == Severity::note) obs.diagnostic(d, format_diagnostic(shown, d));
      return;
    }
    if (++per_code[d.code] <= in.max_diagnostics || (d.line == 0 && d.severity == Severity::error))
      obs.diagnostic(d, format_diagnostic(shown, d));
  };
  DatasetReport rep = score_source(src, named ? in.stdin_name : input, po, sink, progress);
  if (in.shard_count) rep.shard = DatasetReport::Shard{in.shard_index, in.shard_count};
  for (auto& [c, n] : per_code)
    if (n > in.max_diagnostics) {
      const Diagnostic note{Severity::note, "", std::to_string(n - in.max_diagnostics) + " more '" + c + "' diagnostics suppressed (--max-diagnostics)", 0, 0};
      obs.diagnostic(note, format_diagnostic(shown, note));
    }
  // A shard may hold no record at all (64 shards of a small file): that is
  // not an error of the shard; the merged report has the records.
  if (policy.require_scored && rep.scored == 0 && in.shard_count == 0) {
    const Diagnostic none{Severity::error, "nothing-scored",
                          rep.lines == 0 ? "empty input: no records" : "no record could be scored (see skipped/rejected counts)", 0, 0};
    obs.diagnostic(none, format_diagnostic(shown, none));
  }
  return rep;
}

void bad_lines_verdict(uint64_t bad, const InputRequest& in, const char* what, RunOutcome& out) {
  if (bad <= in.max_bad_lines) return;
  out.fail(ExitCode::bad_data, std::to_string(bad) + " record(s) " + what + ", more than --max-bad-lines=" +
                                   std::to_string(in.max_bad_lines));
}

bool endpoint_configured(const InputRequest& in, std::string_view kind) {
  if (kind == "tokenizer") return !in.tokenizer.empty();
  const ModelService* svc = in.models.service;
  if (!svc) return false;
  return kind == "embed" ? svc->embeds() : kind == "lm" ? svc->scores_text() : kind == "judge" && svc->judges();
}

namespace {
constexpr const char* kEndpointKinds[4] = {"embed", "lm", "judge", "tokenizer"};
}  // namespace

MetricSelection select_metrics(const std::string& list, const InputRequest& in) {
  MetricSelection sel = MetricSelection::parse(list);
  if (list == "all")
    for (const char* k : kEndpointKinds)
      if (endpoint_configured(in, k)) sel.add_endpoint(k);
  check_endpoints(sel, in);
  return sel;
}

void check_endpoints(const MetricSelection& sel, const InputRequest& in) {
  for (const char* k : kEndpointKinds)
    if (sel.needs(k) && !endpoint_configured(in, k)) {
      std::string names;
      for (const auto& n : sel.names())
        if (find_metric(n)->endpoint == k) names += (names.empty() ? "" : ", ") + n;
      const std::string need = std::string(k) == "tokenizer" ? " a tokenizer: give --tokenizer tokenizer.json (docs/tokenizers.md)"
                                                              : " a model endpoint: give --" + std::string(k) + " URL (docs/endpoints.md)";
      throw Error(ErrorKind::usage, "--metrics: " + names + " need" + (names.find(',') == std::string::npos ? "s" : "") + need);
    }
}

std::string unmeasured_hint(const Profile& p, const DatasetReport& d) {
  std::map<std::string, std::vector<std::string>> by_need;
  if (!d.utility) return "";
  for (const auto& m : p.metrics) {
    auto it = d.utility->contributions.find(m.name);
    if (it == d.utility->contributions.end() || it->second.measured) continue;
    const MetricInfo* info = find_metric(m.name);
    std::string need = info && !info->endpoint.empty() ? "--" + std::string(info->endpoint) : "--with-metrics";
    by_need[need].push_back(m.name);
  }
  std::string out;
  for (const auto& [need, names] : by_need) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    out += (out.empty() ? "" : "; ") + list + (names.size() > 1 ? " need " : " needs ") + need;
  }
  return out.empty() ? "every slot measured" : out;
}

}  // namespace run_detail
}  // namespace rsq
