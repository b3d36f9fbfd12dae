// `rsq annotate`: one output line per input record, in input order, for any
// -j: the record plus its metrics (or --metrics-only rows). Records that
// could not be scored are written too, with the reason: nothing disappears.
#include "commands.h"
#include "common.h"
#include "rsq/annotate.h"
#include "rsq/error.h"
#include "rsq/metrics.h"

namespace rsq::cli {

struct AnnotateCmdOptions {
  InputOptions in;
  AnnotateOptions ann;
  std::string output;
  std::string metrics = "all";
};

std::shared_ptr<AnnotateCmdOptions> setup_annotate(CLI::App& app) {
  auto o = std::make_shared<AnnotateCmdOptions>();
  auto* c = app.add_subcommand("annotate", "Write every record with its metrics (JSONL), in input order");
  add_input_options(c, o->in);
  c->add_flag("--metrics-only", o->ann.metrics_only, "One flat object per record: line, id, metrics");
  c->add_option("--id", o->ann.id_pointer, "JSON Pointer of a record id copied into --metrics-only rows");
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  c->add_option("--metrics", o->metrics,
                "Compute and write only these metrics / groups (as rsq score --metrics; a leading '-' removes)")
      ->capture_default_str();
  return o;
}

int run_annotate(const AnnotateCmdOptions& o) {
  auto inputs = resolve_inputs(o.in);
  if (!o.ann.id_pointer.empty() && o.ann.id_pointer[0] != '/')
    throw Error(ErrorKind::usage, "--id '" + o.ann.id_pointer + "' must be a JSON Pointer starting with '/'");
  PipelineOptions po = pipeline_options(o.in);
  AnnotateOptions ann = o.ann;
  ann.selected = select_metrics(o.metrics);
  restrict_text_options(ann.selected, po.text);
  std::vector<std::unique_ptr<ByteSource>> sources;
  for (const auto& in : inputs) sources.push_back(open_source(in));
  OutputStream out(o.output);
  po.outputs = 1;
  po.render = [ann](const RecordEvent& ev, std::vector<std::string>& outs) { render_annotation(ev, ann, outs[0]); };
  po.write = [&out](std::vector<std::string>& outs) { out.write(outs[0]); };
  ExitCode code = ExitCode::ok;
  uint64_t rejected = 0;
  try {
    for (size_t i = 0; i < inputs.size(); ++i) {
      DatasetReport d = run_input(*sources[i], inputs[i], po, o.in);
      rejected += d.rejected_total();
      if (!d.input_errors.empty()) code = worse(code, ExitCode::bad_data);
    }
  } catch (const PipeClosed&) {
    return 0;
  }
  out.commit();
  code = worse(code, bad_lines_verdict(rejected, o.in, "rejected"));
  return static_cast<int>(code);
}

}  // namespace rsq::cli
