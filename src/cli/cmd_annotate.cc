// `rsq annotate`: one output line per input record, in input order, for any
// -j: the record plus its metrics (or --metrics-only rows). Records that
// could not be scored are written too, with the reason: nothing disappears.
#include "commands.h"
#include "common.h"

namespace rsq::cli {

struct AnnotateCmdOptions {
  InputOptions in;
  UiOptions ui;
  AnnotateRequest req;
  std::string output;
};

std::shared_ptr<AnnotateCmdOptions> setup_annotate(CLI::App& app) {
  auto o = std::make_shared<AnnotateCmdOptions>();
  auto* c = app.add_subcommand("annotate", kAboutAnnotate);
  add_input_options(c, o->in);
  c->add_flag("--metrics-only", o->req.metrics_only, "One flat object per record: line, id, metrics");
  c->add_option("--id", o->req.id_pointer, "JSON Pointer of a record id copied into --metrics-only rows");
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  c->add_option("--metrics", o->req.metrics,
                "Compute and write only these metrics / groups (as rsq score --metrics; a leading '-' removes)")
      ->capture_default_str();
  add_ui_options(c, o->ui, false);
  return o;
}

namespace {
struct StreamSink final : RecordSink {
  explicit StreamSink(const std::string& p) : path(p) {}
  void open() override { out = std::make_unique<OutputStream>(path); }
  void write(std::vector<std::string>& outs) override { out->write(outs[0]); }
  std::string path;
  std::unique_ptr<OutputStream> out;
};
}  // namespace

int run_annotate(const AnnotateCmdOptions& o) {
  Terminal term(when(o.ui.color), When::never, o.in.quiet);
  AnnotateRequest req = o.req;
  req.in = input_request(o.in);
  TerminalObserver obs(term, o.in.quiet);
  obs.set_models(o.in.service.get());
  StreamSink sink(o.output);
  RunOutcome res;
  try {
    res = rsq::run_annotate(req, sink, obs);
  } catch (const PipeClosed&) {
    return 0;
  }
  sink.out->commit();
  print_messages(term, res, o.in.quiet);
  print_model_summary(term, o.in);
  return static_cast<int>(res.code);
}

}  // namespace rsq::cli
