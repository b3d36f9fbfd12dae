// `rsq filter --where EXPR`: lossless filtering (rsq::run_filter). Kept
// records go to stdout (or -o), the others to --rejects, both byte for byte
// as read and in input order; --reasons says why each reject was rejected;
// stderr gets the funnel. Invariant (tested): kept + rejected lines are
// exactly the input lines.
#include "commands.h"
#include "common.h"
#include "rsq/emit.h"

namespace rsq::cli {

struct FilterCmdOptions {
  InputOptions in;
  UiOptions ui;
  FilterRequest req;
  std::string output, rejects, reasons;
};

std::shared_ptr<FilterCmdOptions> setup_filter(CLI::App& app) {
  auto o = std::make_shared<FilterCmdOptions>();
  auto* c = app.add_subcommand("filter", kAboutFilter);
  add_input_options(c, o->in);
  c->add_option("--where", o->req.where,
                "Condition over metric names: comparisons (< <= > >= == !=), && || !, parentheses, numbers; "
                "a bare name is true when non-zero (e.g. 'redundancy_ratio < 0.75 && reasoning_words >= 50 && !truncated')")
      ->required();
  c->add_option("-o,--output", o->output, "Write kept records to FILE (atomically) instead of stdout");
  c->add_option("--rejects", o->rejects, "Write rejected records to FILE");
  c->add_option("--reasons", o->reasons, "Write one JSONL line per reject: line and the failed clauses or the error code");
  add_ui_options(c, o->ui, false);
  return o;
}

namespace {
struct FilterSink final : RecordSink {
  const FilterCmdOptions& o;
  std::unique_ptr<OutputStream> kept, rej, why;
  explicit FilterSink(const FilterCmdOptions& opt) : o(opt) {}
  void open() override {
    kept = std::make_unique<OutputStream>(o.output);
    if (!o.rejects.empty()) rej = std::make_unique<OutputStream>(o.rejects);
    if (!o.reasons.empty()) why = std::make_unique<OutputStream>(o.reasons);
  }
  void write(std::vector<std::string>& outs) override {
    kept->write(outs[0]);
    if (rej) rej->write(outs[1]);
    if (why) why->write(outs[2]);
  }
  void commit() {
    for (auto* s : {kept.get(), rej.get(), why.get()})
      if (s) s->commit();
  }
};
}  // namespace

int run_filter(const FilterCmdOptions& o) {
  Terminal term(when(o.ui.color), When::never, o.in.quiet);
  FilterRequest req = o.req;
  req.in = input_request(o.in);
  TerminalObserver obs(term, o.in.quiet);
  obs.set_models(o.in.service.get());
  FilterSink sink(o);
  FilterResult res;
  try {
    res = rsq::run_filter(req, sink, obs);
  } catch (const PipeClosed&) {
    return 0;
  }
  sink.commit();
  if (!o.in.quiet) term.message(emit_filter_summary(res));
  print_messages(term, res, o.in.quiet);
  print_model_summary(term, o.in);
  return static_cast<int>(res.code);
}

}  // namespace rsq::cli
