// `rsq filter --where EXPR`: lossless filtering. Kept records go to stdout
// (or -o), the others to --rejects, both byte for byte as read and in input
// order; --reasons says why each reject was rejected; stderr gets the funnel.
// Invariant (tested): kept + rejected lines are exactly the input lines.
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>

#include "commands.h"
#include "common.h"
#include "rsq/annotate.h"
#include "rsq/metrics.h"
#include "rsq/error.h"

namespace rsq::cli {

struct FilterCmdOptions {
  InputOptions in;
  std::string where, output, rejects, reasons;
};

std::shared_ptr<FilterCmdOptions> setup_filter(CLI::App& app) {
  auto o = std::make_shared<FilterCmdOptions>();
  auto* c = app.add_subcommand("filter", "Keep the records that satisfy --where; route the rest to --rejects (byte for byte)");
  add_input_options(c, o->in);
  c->add_option("--where", o->where,
                "Condition over metric names: comparisons (< <= > >= == !=), && || !, parentheses, numbers; "
                "a bare name is true when non-zero (e.g. 'redundancy_ratio < 0.75 && reasoning_words >= 50 && !truncated')")
      ->required();
  c->add_option("-o,--output", o->output, "Write kept records to FILE (atomically) instead of stdout");
  c->add_option("--rejects", o->rejects, "Write rejected records to FILE");
  c->add_option("--reasons", o->reasons, "Write one JSONL line per reject: line and the failed clauses or the error code");
  return o;
}

namespace {
void json_str(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}
}  // namespace

int run_filter(const FilterCmdOptions& o) {
  auto inputs = resolve_inputs(o.in);
  const FilterExpr expr = FilterExpr::parse(o.where);
  PipelineOptions po = pipeline_options(o.in);
  // Only the metric groups the expression names are computed: filtering on
  // lengths and flags does not pay for n-grams and compression.
  restrict_text_options(expr.metrics_used(), po.text);
  std::vector<std::unique_ptr<ByteSource>> sources;
  for (const auto& in : inputs) sources.push_back(open_source(in));
  OutputStream kept(o.output);
  std::unique_ptr<OutputStream> rej, why;
  if (!o.rejects.empty()) rej = std::make_unique<OutputStream>(o.rejects);
  if (!o.reasons.empty()) why = std::make_unique<OutputStream>(o.reasons);

  const size_t nclauses = expr.clauses().size();
  std::vector<std::atomic<uint64_t>> clause_fail(nclauses);
  std::atomic<uint64_t> n_kept{0}, n_rejected{0}, n_uncopied{0};
  std::mutex codes_m;
  std::map<std::string, uint64_t> codes;  // unscorable records by reason

  po.outputs = 3;
  po.render = [&](const RecordEvent& ev, std::vector<std::string>& outs) {
    if (ev.framing != Framing::jsonl)
      throw Error(ErrorKind::usage, "rsq filter reads JSONL (one record per line); convert a JSON array first, e.g. jq -c '.[]'");
    const char* eol = ev.crlf ? "\r\n" : "\n";
    auto reject_line = [&](const std::string& reason_json) {
      ++n_rejected;
      if (ev.raw.empty() && ev.status == RecordStatus::rejected) {
        ++n_uncopied;  // the reader dropped an over-long line: its bytes are gone
      } else {
        outs[1].append(ev.raw);
        outs[1] += eol;
      }
      outs[2] += "{\"line\":" + std::to_string(ev.line) + "," + reason_json + "}\n";
    };
    if (ev.status != RecordStatus::scored) {
      {
        std::lock_guard<std::mutex> g(codes_m);
        ++codes[std::string(ev.reason)];
      }
      std::string r = "\"reason\":";
      json_str(r, std::string(ev.reason));
      if (ev.raw.empty() && ev.status == RecordStatus::rejected) r += ",\"copied\":false";
      reject_line(r);
      return;
    }
    std::vector<char> failed;
    if (expr.evaluate(ev.values, failed)) {
      ++n_kept;
      outs[0].append(ev.raw);
      outs[0] += eol;
      return;
    }
    std::string r = "\"failed\":[";
    bool first = true;
    for (size_t k = 0; k < nclauses; ++k)
      if (failed[k]) {
        ++clause_fail[k];
        if (!first) r += ',';
        first = false;
        json_str(r, expr.clauses()[k]);
      }
    r += ']';
    reject_line(r);
  };
  po.write = [&](std::vector<std::string>& outs) {
    kept.write(outs[0]);
    if (rej) rej->write(outs[1]);
    if (why) why->write(outs[2]);
  };

  ExitCode code = ExitCode::ok;
  uint64_t bad = 0, lines = 0;
  try {
    for (size_t i = 0; i < inputs.size(); ++i) {
      DatasetReport d = run_input(*sources[i], inputs[i], po, o.in);
      bad += d.rejected_total();
      lines += d.lines;
      if (!d.input_errors.empty()) code = worse(code, ExitCode::bad_data);
    }
  } catch (const PipeClosed&) {
    return 0;
  }
  kept.commit();
  if (rej) rej->commit();
  if (why) why->commit();
  if (!o.in.quiet) {
    std::fprintf(stderr, "rsq filter: kept %llu of %llu records (%.1f%%), rejected %llu\n",
                 static_cast<unsigned long long>(n_kept.load()), static_cast<unsigned long long>(lines),
                 lines ? 100.0 * static_cast<double>(n_kept.load()) / static_cast<double>(lines) : 0.0,
                 static_cast<unsigned long long>(n_rejected.load()));
    for (size_t k = 0; k < nclauses; ++k)
      std::fprintf(stderr, "  failed %-40s %llu\n", ("'" + expr.clauses()[k] + "'").c_str(),
                   static_cast<unsigned long long>(clause_fail[k].load()));
    for (const auto& [c, n] : codes)
      std::fprintf(stderr, "  not scored (%s) %*llu\n", c.c_str(), static_cast<int>(std::max<size_t>(1, 27 - c.size())),
                   static_cast<unsigned long long>(n));
    if (n_uncopied)
      std::fprintf(stderr, "rsq: warning: %llu over-long record(s) could not be copied to --rejects (raise --max-line-bytes)\n",
                   static_cast<unsigned long long>(n_uncopied.load()));
  }
  code = worse(code, bad_lines_verdict(bad, o.in, "could not be parsed"));
  return static_cast<int>(code);
}

}  // namespace rsq::cli
