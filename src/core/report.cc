// The report data model (rsq/report.h): reading a report back (merge, gate
// baselines), merging shards exactly, and the small file helpers reports
// need. Writing it as JSON is output/report_json.cc.
#include "rsq/report.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <cerrno>
#include <cstring>
#include <cmath>
#include <fstream>
#include <sstream>

#include "rsq/error.h"
#include "rsq/metrics.h"
#include "rsq/version.h"

namespace rsq {

uint64_t DatasetReport::skipped_total() const {
  uint64_t n = 0;
  for (auto& [k, v] : skipped) n += v;
  return n;
}
uint64_t DatasetReport::rejected_total() const {
  uint64_t n = 0;
  for (auto& [k, v] : rejected) n += v;
  return n;
}

namespace {
Report report_from_json_unguarded(const nlohmann::json& j, const std::string& origin);
}  // namespace

Report report_from_json(const nlohmann::json& j, const std::string& origin) {
  try {
    return json_guard(origin, ErrorKind::data, [&] { return report_from_json_unguarded(j, origin); });
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind(origin + ":", 0) == 0) throw;
    throw Error(e.kind(), origin + ": " + what);  // a state loader's message, without the file
  }
}

namespace {
Report report_from_json_unguarded(const nlohmann::json& j, const std::string& origin) {
  auto bad = [&](const std::string& what) { throw Error(ErrorKind::data, origin + ": " + what); };
  if (!j.is_object() || !j.contains("schema_version") || !j.contains("datasets") || !j["datasets"].is_array())
    bad("not an rsq score JSON report");
  if (j["schema_version"] != kSchemaVersion) bad("schema_version " + j["schema_version"].dump() + " (this rsq reads " + std::to_string(kSchemaVersion) + ")");
  Report r;
  r.settings = settings_from_json(j.value("settings", nlohmann::json::object()), origin, ErrorKind::data);
  const MetricSelection& sel = r.settings.metrics;
  const auto& defs = j.value("metric_definitions", nlohmann::json::object());
  for (size_t mi = 0; mi < all_metrics().size(); ++mi) {
    const auto& m = all_metrics()[mi];
    if (!sel.has(mi)) continue;
    std::string n(m.name);
    if (!defs.contains(n) || defs[n].value("version", 0) != m.version)
      bad("metric '" + n + "' is missing or has another definition version; re-score with this rsq");
  }
  auto metrics = all_metrics();
  for (size_t i = 0; i < j["datasets"].size(); ++i) {
    const auto& d = j["datasets"][i];
    DatasetReport x;
    x.input = d.value("input", "");
    x.framing = d.value("framing", "");
    x.compression = d.value("compression", "");
    const std::string where = "datasets[" + std::to_string(i) + "]";
    // Counts are non-negative integers (a negative one would wrap to 2^64 - 1).
    auto count = [&](const char* k) -> uint64_t {
      if (!d.contains(k)) return 0;
      if (!d[k].is_number_unsigned()) bad(where + "." + k + " must be a non-negative integer, got " + d[k].dump());
      return d[k].get<uint64_t>();
    };
    auto counts = [&](const char* k, const std::set<std::string>* known) {
      std::map<std::string, uint64_t> out;
      if (!d.contains(k)) return out;
      if (!d[k].is_object()) bad(where + "." + k + " must be an object of counts");
      for (auto it = d[k].begin(); it != d[k].end(); ++it) {
        if (!it.value().is_number_unsigned())
          bad(where + "." + k + "." + it.key() + " must be a non-negative integer, got " + it.value().dump());
        if (known && !known->count(it.key())) bad(where + "." + k + " names '" + it.key() + "', which this rsq never writes");
        out[it.key()] = it.value().get<uint64_t>();
      }
      return out;
    };
    static const std::set<std::string> kSkipReasons{"blank-line", "no-trace"};
    static const std::set<std::string> kRejectCodes{"bad-json", "bad-utf8", "not-object", "line-too-long", "truncated-input"};
    x.bytes = count("bytes");
    x.lines = count("lines");
    x.scored = count("scored");
    x.skipped = counts("skipped", &kSkipReasons);
    x.rejected = counts("rejected", &kRejectCodes);
    x.layouts = counts("layouts", nullptr);
    x.trace_states = counts("trace_states", nullptr);
    if (d.contains("shard")) {
      const auto& sh = d["shard"];
      if (!sh.is_object() || !sh.contains("index") || !sh.contains("count") || !sh["index"].is_number_unsigned() ||
          !sh["count"].is_number_unsigned() || sh["index"].get<uint64_t>() >= sh["count"].get<uint64_t>())
        bad(where + ".shard must be {\"index\": I, \"count\": N} with I < N");
      x.shard = DatasetReport::Shard{sh["index"].get<uint64_t>(), sh["count"].get<uint64_t>()};
    }
    x.unknown_tags = counts("unknown_tags", nullptr);
    x.model_failures = counts("model_failures", nullptr);
    x.model_failed_records = count("model_failed_records");
    if (x.model_failed_records > x.scored) bad(where + ": model_failed_records exceeds scored; the report was altered");
    x.model_counts = counts("model_counts", nullptr);
    // lines = scored + skipped + rejected, checked without overflow.
    {
      uint64_t sum = x.scored;
      bool overflow = false;
      for (const auto* m : {&x.skipped, &x.rejected})
        for (auto& [k, v] : *m) overflow |= __builtin_add_overflow(sum, v, &sum);
      if (overflow || sum != x.lines)
        bad(where + ": lines (" + std::to_string(x.lines) + ") is not scored + skipped + rejected; the report was altered");
    }
    x.input_errors = d.value("input_errors", std::vector<std::string>{});
    // Looked up, not indexed: a const operator[] on a missing key is undefined.
    auto mit = d.find("metrics");
    if (mit == d.end() || !mit->is_object()) bad(where + " has no 'metrics' object");
    const nlohmann::json& dm = *mit;
    for (size_t mi = 0; mi < metrics.size(); ++mi) {
      const auto& m = metrics[mi];
      if (!sel.has(mi)) {  // not computed (--metrics): an empty summary keeps registry order
        x.metrics.emplace_back();
        continue;
      }
      std::string n(m.name);
      if (!dm.contains(n) || !dm[n].is_object() || !dm[n].contains("state"))
        bad("datasets[" + std::to_string(i) + "].metrics." + n + " has no 'state': write shard reports with rsq score --state --format json");
      x.metrics.push_back(MetricSummary::from_state(dm[n]["state"]));
      if (x.metrics.back().count > x.scored)
        bad(where + ".metrics." + n + " counts more values than scored records; the report was altered");
    }
    for (auto it = dm.begin(); it != dm.end(); ++it)
      if (it.value().is_object() && it.value().value("imported", false) && it.value().contains("state")) {
        x.field_names.push_back(it.key());
        x.field_metrics.push_back(MetricSummary::from_state(it.value()["state"]));
      }
    r.datasets.push_back(std::move(x));
  }
  return r;
}

}  // namespace

void merge_dataset(DatasetReport& a, const DatasetReport& b) {
  a.lines += b.lines;
  a.scored += b.scored;
  a.bytes += b.bytes;
  for (const auto& [k, v] : b.skipped) a.skipped[k] += v;
  for (const auto& [k, v] : b.rejected) a.rejected[k] += v;
  for (const auto& [k, v] : b.layouts) a.layouts[k] += v;
  for (const auto& [k, v] : b.unknown_tags) a.unknown_tags[k] += v;
  for (const auto& [k, v] : b.trace_states) a.trace_states[k] += v;
  a.input_errors.insert(a.input_errors.end(), b.input_errors.begin(), b.input_errors.end());
  if (a.metrics.size() < b.metrics.size()) a.metrics.resize(b.metrics.size());
  for (size_t i = 0; i < b.metrics.size(); ++i) a.metrics[i].merge(b.metrics[i]);
  for (const auto& [k, v] : b.model_failures) a.model_failures[k] += v;
  a.model_failed_records += b.model_failed_records;
  for (const auto& [k, v] : b.model_counts) a.model_counts[k] += v;
  for (size_t k = 0; k < b.field_names.size(); ++k) {
    auto it = std::find(a.field_names.begin(), a.field_names.end(), b.field_names[k]);
    if (it == a.field_names.end()) {
      a.field_names.push_back(b.field_names[k]);
      a.field_metrics.push_back(b.field_metrics[k]);
    } else {
      a.field_metrics[static_cast<size_t>(it - a.field_names.begin())].merge(b.field_metrics[k]);
    }
  }
}

Utility utility_of(const Profile& p, const DatasetReport& d) {
  std::map<std::string, MetricValue> values;
  auto metrics = all_metrics();
  for (size_t m = 0; m < metrics.size() && m < d.metrics.size(); ++m)
    if (d.metrics[m].count) values[std::string(metrics[m].name)] = {d.metrics[m].mean(), false};
  for (size_t k = 0; k < d.field_names.size() && k < d.field_metrics.size(); ++k)
    if (d.field_metrics[k].count) values[d.field_names[k]] = {d.field_metrics[k].mean(), true};
  for (const auto& [k, v] : d.imported) values[k] = {v, true};
  return compute_utility(p, values);
}

ReportSettings settings_from_json(const nlohmann::json& s, const std::string& origin, ErrorKind kind) {
  auto bad = [&](const std::string& field, const std::string& what) {
    throw Error(kind, origin + ": settings." + field + " " + what);
  };
  if (!s.is_object()) throw Error(kind, origin + ": 'settings' must be an object");
  ReportSettings r;
  auto str = [&](const char* k, std::string& dst) {
    if (!s.contains(k)) return;
    if (!s[k].is_string()) bad(k, "must be a string, got " + s[k].dump());
    dst = s[k].get<std::string>();
  };
  std::string comp = r.compressor.str();
  str("compressor", comp);
  try {
    r.compressor = CompressorSpec::parse(comp, "compressor");
  } catch (const Error& e) {
    bad("compressor", "is not a compressor of this rsq ('" + comp + "')");
  }
  str("words", r.words);
  if (s.contains("stem_prefix")) {
    if (!s["stem_prefix"].is_number_integer()) bad("stem_prefix", "must be an integer, got " + s["stem_prefix"].dump());
    r.stem_prefix = s["stem_prefix"].get<int>();
  }
  str("question_pointer", r.question_pointer);
  str("reasoning_pointer", r.reasoning_pointer);
  str("answer_pointer", r.answer_pointer);
  if (s.contains("think_tags")) {
    if (!s["think_tags"].is_array()) bad("think_tags", "must be an array of strings");
    for (const auto& t : s["think_tags"]) {
      if (!t.is_string()) bad("think_tags", "must be an array of strings");
      r.think_tags.push_back(t.get<std::string>());
    }
  }
  if (s.contains("metrics") && s["metrics"].is_array()) {
    std::vector<std::string> names;
    for (const auto& n : s["metrics"]) {
      if (!n.is_string() || !find_metric(n.get<std::string>()))
        throw Error(kind, origin + ": settings.metrics names " + n.dump() +
                              ", which is not a metric of this rsq; re-score the shard with this rsq");
      names.push_back(n.get<std::string>());
    }
    r.metrics = MetricSelection::of_names(names);
  }
  if (s.contains("tokenizer")) {
    const auto& t = s["tokenizer"];
    if (!t.is_object() || !t.contains("sha256") || !t["sha256"].is_string()) bad("tokenizer", "must be an object with a sha256");
    r.tokenizer.sha256 = t["sha256"].get<std::string>();
    if (t.contains("file") && t["file"].is_string()) r.tokenizer.file = t["file"].get<std::string>();
    if (t.contains("model") && t["model"].is_string()) r.tokenizer.model = t["model"].get<std::string>();
    if (t.contains("vocab") && t["vocab"].is_number_unsigned()) r.tokenizer.vocab = t["vocab"].get<uint64_t>();
  }
  if (s.contains("models")) {
    const auto& m = s["models"];
    if (!m.is_object()) bad("models", "must be an object");
    auto mstr = [&](const char* k, std::string& dst) {
      if (!m.contains(k)) return;
      if (!m[k].is_string()) bad(std::string("models.") + k, "must be a string, got " + m[k].dump());
      dst = m[k].get<std::string>();
    };
    mstr("embed_model", r.models.embed_model);
    mstr("embed_query_prefix", r.models.embed_prefix);
    mstr("lm_model", r.models.lm_model);
    mstr("judge_model", r.models.judge_model);
    mstr("judge_prompts", r.models.judge_prompts);
    if (m.contains("embed_piece_chars")) {
      if (!m["embed_piece_chars"].is_number_unsigned()) bad("models.embed_piece_chars", "must be a non-negative integer");
      r.models.embed_max_chars = m["embed_piece_chars"].get<uint64_t>();
    }
    if (m.contains("judge_sample")) {
      if (!m["judge_sample"].is_number()) bad("models.judge_sample", "must be a number");
      r.models.judge_sample = m["judge_sample"].get<double>();
    }
  }
  return r;
}

nlohmann::json parse_json_text(const std::string& text, const std::string& origin, ErrorKind kind) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw Error(kind, origin + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON");
  } catch (const nlohmann::json::exception& e) {
    rethrow_json_error(e, origin, kind);  // e.g. a number beyond a double's range
  }
}

nlohmann::json read_json_file(const std::string& path, ErrorKind bad_json_kind) {
  return parse_json_text(read_file(path), path, bad_json_kind);
}

void rethrow_json_error(const nlohmann::json::exception& e, const std::string& origin, ErrorKind kind) {
  std::string what = e.what();
  // "[json.exception.type_error.302] (/rules/0/name) type must be ..." -> "(/rules/0/name) type must be ..."
  if (what.rfind("[json.exception.", 0) == 0) {
    size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
  }
  if (what.find("number overflow") != std::string::npos) what += " (a number beyond a double's range)";
  throw Error(kind, origin + ": " + what);
}

std::string dataset_stem(const std::string& path) {
  std::string b = path.substr(path.find_last_of('/') + 1);
  for (const char* ext : {".gz", ".zst", ".jsonl", ".json", ".ndjson"}) {
    std::string e = ext;
    if (b.size() > e.size() && b.compare(b.size() - e.size(), e.size(), e) == 0) b.resize(b.size() - e.size());
  }
  return b;
}

std::string read_file(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw Error(ErrorKind::io, "cannot read '" + path + "': it is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(ErrorKind::io, "cannot open '" + path + "': " + std::strerror(errno));
  std::stringstream ss;
  ss << f.rdbuf();
  if (f.bad()) throw Error(ErrorKind::io, "cannot read '" + path + "'");
  return ss.str();
}

bool parse_double(const std::string& s, double& out) {
  size_t used = 0;
  try {
    out = std::stod(s, &used);
  } catch (...) {
    return false;
  }
  return !s.empty() && used == s.size();
}

std::vector<std::string> dataset_notes(const DatasetReport& d) {
  std::vector<std::string> notes;
  if (!d.scored) return notes;
  auto it = d.trace_states.find("untagged");
  const uint64_t untagged = it == d.trace_states.end() ? 0 : it->second;
  const std::string pc = std::to_string(static_cast<int>(std::lround(100.0 * static_cast<double>(untagged) /
                                                                       static_cast<double>(d.scored)))) + "%";
  if (untagged == d.scored && d.unknown_tags.empty())
    notes.push_back("no record has reasoning tags or a reasoning field: every response was scored whole as its "
                    "trace (plain question-answer data?). If the traces are delimited by other tags, name them with "
                    "--think-tags OPEN,CLOSE.");
  else if (untagged == d.scored)
    notes.push_back("no record has reasoning tags rsq knows or a reasoning field: every response was scored whole as "
                    "its trace.");
  else if (2 * untagged >= d.scored)
    notes.push_back(pc + " of the records have no reasoning tags: their whole response was scored as the trace.");
  // The most frequent pairs first (ties by name), at most three.
  std::vector<std::pair<std::string, uint64_t>> pairs(d.unknown_tags.begin(), d.unknown_tags.end());
  std::stable_sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (size_t k = 0; k < pairs.size() && k < 3; ++k) {
    const auto& [pair, n] = pairs[k];
    const size_t comma = pair.find(',');
    notes.push_back(std::to_string(n) + (n == 1 ? " untagged response contains " : " untagged responses contain ") +
                    pair.substr(0, comma) + "..." + pair.substr(comma + 1) + ", tags rsq does not know: try --think-tags '" +
                    pair + "'.");
  }
  return notes;
}

}  // namespace rsq
