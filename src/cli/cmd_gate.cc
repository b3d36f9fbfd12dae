// `rsq gate`: score one new dataset drop and check it against a rules file
// and, optionally, the last release's report (rsq::run_gate). Exit 0 = all
// rules pass, 1 = a rule failed, 2 = bad rules/baseline/flags, 3 = bad data.
#include "commands.h"
#include "common.h"
#include "rsq/gate.h"

namespace rsq::cli {

struct GateCmdOptions {
  InputOptions in;
  UiOptions ui;
  GateRequest req;
  std::string format = "table", output;
};

std::shared_ptr<GateCmdOptions> setup_gate(CLI::App& app) {
  auto o = std::make_shared<GateCmdOptions>();
  auto* c = app.add_subcommand("gate", kAboutGate);
  add_input_options(c, o->in);
  c->add_option("--rules", o->req.rules, "Rules JSON (docs/gate.md; example: data/gate-example.json)")->required();
  c->add_option("--baseline", o->req.baseline, "rsq score --format json report of the last release");
  c->add_option("--scale", o->req.scale, "Model size for utility rules (8b, 11b, ...)");
  c->add_option("--profile", o->req.profile, "Utility profile JSON for utility rules");
  c->add_option("--format", o->format, "table, markdown (PR comment), junit (XML), github (workflow annotations), html")
      ->check(CLI::IsMember({"table", "markdown", "junit", "github", "html"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  add_ui_options(c, o->ui, false);
  return o;
}

int run_gate(const GateCmdOptions& o) {
  Terminal term(when(o.ui.color), When::never, o.in.quiet);
  GateRequest req = o.req;
  req.in = input_request(o.in);
  TerminalObserver obs(term, o.in.quiet);
  obs.set_models(o.in.service.get());
  GateRunResult res = rsq::run_gate(req, obs);
  RunOutcome warnings, errors;  // warnings before the result, the verdict's reason after it
  for (const auto& m : res.messages) (m.level == Message::error ? errors : warnings).messages.push_back(m);
  print_messages(term, warnings, o.in.quiet);
  print_model_summary(term, o.in);
  write_output(o.output, o.format == "html" ? emit_gate_html(res.report, res.gate) : emit_gate(res.gate, o.format));
  print_messages(term, errors, o.in.quiet);
  return static_cast<int>(res.code);
}

}  // namespace rsq::cli
