// rsq's entry point: builds the command line, dispatches to one subcommand,
// and is the one place where failures become exit codes (see README, "Exit
// codes"). Nothing below main() exits the process or catches rsq::Error.
#include <csignal>
#include <functional>
#include <utility>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>

#include "commands.h"
#include "terminal.h"
#include "rsq/error.h"
#include "rsq/version.h"

namespace {

constexpr const char* kFooter =
    "Exit codes:\n"
    "  0  success (bad records within --max-bad-lines)\n"
    "  1  a check failed (gate rules)\n"
    "  2  usage error: bad flags or configuration, nothing processed\n"
    "  3  bad data: more rejected records than --max-bad-lines, a damaged\n"
    "     (truncated) input, or an input with no scorable record\n"
    "  4  I/O error: cannot open, read or write a file\n"
    "  5  internal error (a bug: please report it)\n"
    "Docs: docs/cli.md, docs/metrics.md, docs/output-schema.md";

// Declares a subcommand's options now and returns how to run it later.
// Only the command argv names gets its options: declaring all seven
// commands' options cost ~3.6 M instructions (about a millisecond) on every
// run. The others are declared with their help line alone, so `rsq --help`
// and CLI11's handling of a second command name are what they were. When
// argv names no command (--help, --version, a typo), all are declared.
template <class Options>
std::pair<const char*, std::function<int()>> command(const char* name, const char* about, const char* chosen,
                                                     CLI::App& app, std::shared_ptr<Options> (*setup)(CLI::App&),
                                                     int (*run)(const Options&)) {
  if (chosen && std::strcmp(chosen, name) != 0) {
    app.add_subcommand(name, about);
    return {name, nullptr};
  }
  std::shared_ptr<Options> o = setup(app);
  return {name, [o, run] { return run(*o); }};
}

// argv[1] when it is one of the command names, else nullptr.
const char* named_command(int argc, char** argv) {
  static constexpr const char* kNames[] = {"score", "correlate", "annotate", "filter", "gate", "merge", "report"};
  if (argc < 2) return nullptr;
  for (const char* n : kNames)
    if (std::strcmp(argv[1], n) == 0) return n;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout is handled as a quiet success
  CLI::App app{"rsq - audit LLM reasoning-trace datasets before fine-tuning on them", "rsq"};
  app.set_version_flag("--version", std::string("rsq ") + RSQ_VERSION_STRING);
  app.require_subcommand(1);
  app.footer(kFooter);
  // The commands: name, then the function that runs it once argv is parsed.
  const char* chosen = named_command(argc, argv);
  using namespace rsq::cli;
  const std::pair<const char*, std::function<int()>> commands[] = {
      command("score", kAboutScore, chosen, app, setup_score, run_score),
      command("correlate", kAboutCorrelate, chosen, app, setup_correlate, run_correlate),
      command("annotate", kAboutAnnotate, chosen, app, setup_annotate, run_annotate),
      command("filter", kAboutFilter, chosen, app, setup_filter, run_filter),
      command("gate", kAboutGate, chosen, app, setup_gate, run_gate),
      command("merge", kAboutMerge, chosen, app, setup_merge, run_merge),
      command("report", kAboutReport, chosen, app, setup_report, run_report),
  };
  for (auto* sub : app.get_subcommands({})) sub->footer(kFooter);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    rsq::cli::stderr_line("rsq: error: " + what + "\nRun 'rsq --help' for usage.");
    return static_cast<int>(rsq::ExitCode::usage);
  }

  try {
    for (const auto& [name, run] : commands)
      if (run && app.got_subcommand(name)) return run();
    rsq::cli::stderr_line("rsq: error: no command given\nRun 'rsq --help' for usage.");
    return static_cast<int>(rsq::ExitCode::usage);
  } catch (const rsq::Error& e) {
    rsq::cli::stderr_line(std::string("rsq: error: ") + e.what());
    if (e.kind() == rsq::ErrorKind::usage) rsq::cli::stderr_line("Run 'rsq --help' for usage.");
    return static_cast<int>(rsq::exit_code_for(e.kind()));
  } catch (const std::bad_alloc&) {
    rsq::cli::stderr_line("rsq: error: out of memory");
    return static_cast<int>(rsq::ExitCode::io);
  } catch (const std::exception& e) {
    rsq::cli::stderr_line(std::string("rsq: internal error: ") + e.what() + " (please report this)");
    return static_cast<int>(rsq::ExitCode::internal);
  }
}
