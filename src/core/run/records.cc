// rsq annotate's and rsq filter's use cases (rsq/run.h): per-record output
// rendered on the workers through the pipeline's renderer hook, written in
// input order by the caller's RecordSink.
#include <atomic>
#include <mutex>

#include "rsq/emit.h"
#include "output/annotate.h"
#include "rsq/where.h"
#include "rsq/error.h"
#include "rsq/run.h"
#include "run/run_internal.h"

namespace rsq {

RunOutcome run_annotate(const AnnotateRequest& req, RecordSink& sink, RunObserver& obs) {
  using namespace run_detail;
  if (!req.id_pointer.empty() && req.id_pointer[0] != '/')
    throw Error(ErrorKind::usage, "--id '" + req.id_pointer + "' must be a JSON Pointer starting with '/'");
  PipelineOptions po = plan_pipeline(req.in);
  AnnotateOptions ann;
  ann.metrics_only = req.metrics_only;
  ann.id_pointer = req.id_pointer;
  ann.selected = select_metrics(req.metrics, req.in);
  po.text.metrics = ann.selected;
  auto sources = open_all(req.in);
  sink.open();
  po.outputs = 1;
  po.render = [ann](const RecordEvent& ev, std::vector<std::string>& outs) { render_annotation(ev, ann, outs[0]); };
  po.write = [&sink](std::vector<std::string>& outs) { sink.write(outs); };
  RunOutcome out;
  uint64_t rejected = 0, model_failed = 0;
  for (size_t i = 0; i < req.in.inputs.size(); ++i) {
    DatasetReport d = read_input(*sources[i], req.in.inputs[i], po, req.in, obs, {});
    rejected += d.rejected_total() + d.model_failed_records;
    model_failed += d.model_failed_records;
    if (!d.input_errors.empty() || d.scored == 0) out.code = worse(out.code, ExitCode::bad_data);
  }
  bad_lines_verdict(rejected, req.in, model_failed ? "rejected or without a model metric" : "rejected", out);
  return out;
}

FilterResult run_filter(const FilterRequest& req, RecordSink& sink, RunObserver& obs) {
  using namespace run_detail;
  const FilterExpr expr = FilterExpr::parse(req.where);
  PipelineOptions po = plan_pipeline(req.in);
  // Only the metric groups the expression names are computed: filtering on
  // lengths and flags does not pay for n-grams and compression.
  po.text.metrics = expr.metrics_used();
  check_endpoints(po.text.metrics, req.in);
  auto sources = open_all(req.in);
  sink.open();

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
    // The reader drops the bytes of an over-long line: they cannot be copied.
    const bool copied = !(ev.raw.empty() && ev.status == RecordStatus::rejected);
    auto reject = [&](const std::string& reason_line) {
      ++n_rejected;
      if (copied) {
        outs[1].append(ev.raw);
        outs[1] += eol;
      } else {
        ++n_uncopied;
      }
      outs[2] += reason_line;
    };
    if (ev.status != RecordStatus::scored) {
      {
        std::lock_guard<std::mutex> g(codes_m);
        ++codes[std::string(ev.reason)];
      }
      reject(filter_reason_line(ev.line, ev.reason, copied));
      return;
    }
    std::vector<char> failed;
    if (expr.evaluate(ev.values, failed)) {
      ++n_kept;
      outs[0].append(ev.raw);
      outs[0] += eol;
      return;
    }
    for (size_t k = 0; k < nclauses; ++k) clause_fail[k] += failed[k];
    reject(filter_failed_line(ev.line, expr.clauses(), failed));
  };
  po.write = [&sink](std::vector<std::string>& outs) { sink.write(outs); };

  FilterResult res;
  uint64_t bad = 0;
  for (size_t i = 0; i < req.in.inputs.size(); ++i) {
    DatasetReport d = read_input(*sources[i], req.in.inputs[i], po, req.in, obs, {});
    if (d.framing != framing_name(Framing::jsonl))  // an empty array never reaches the renderer's check
      throw Error(ErrorKind::usage, "rsq filter reads JSONL (one record per line); convert a JSON array first, e.g. jq -c '.[]'");
    bad += d.rejected_total();
    res.lines += d.lines;
    if (!d.input_errors.empty() || d.scored == 0) res.code = worse(res.code, ExitCode::bad_data);
  }
  res.kept = n_kept;
  res.rejected = n_rejected;
  res.uncopied = n_uncopied;
  res.clauses = expr.clauses();
  for (auto& c : clause_fail) res.clause_failures.push_back(c);
  res.unscored = codes;
  if (res.uncopied)
    res.warn(std::to_string(res.uncopied) + " over-long record(s) could not be copied to --rejects (raise --max-line-bytes)");
  bad_lines_verdict(bad, req.in, "could not be parsed", res);
  return res;
}

}  // namespace rsq
