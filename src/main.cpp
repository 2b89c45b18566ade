// SPDX-License-Identifier: MIT
// Entry point: builds the command line, runs a subcommand, maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <new>
#include <string>

#include "cmd/commands.h"
#include "safetywash/error.h"

namespace {

// Exit codes; see README.md.
constexpr int kExitUsage = 2;
constexpr int kExitInput = 3;

void print_error(const char* message) { std::fprintf(stderr, "safetywash: error: %s\n", message); }

}  // namespace

int main(int argc, char** argv) {
  using namespace safetywash;
  // A closed pipe shows up as a failed write (EPIPE), handled quietly.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"safetywash: does a safety benchmark measure safety, or just capabilities?"};
  app.set_version_flag("--version", "safetywash " SAFETYWASH_VERSION);
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("safetywash: error: ") + e.what() + "\nRun with --help for the options.\n";
  });
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success, 1 a --fail-above gate tripped, 2 usage error, 3 input error.\n"
             "Run 'safetywash COMMAND --help' for the options of a command.");
  std::vector<cmd::Command> commands = {cmd::add_analyze_command(app), cmd::add_pca_command(app),
                                        cmd::add_benchmarks_command(app),
                                        cmd::add_adjust_command(app),
                                        cmd::add_import_command(app),
                                        cmd::add_validate_command(app),
                                        cmd::add_simulate_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  try {
    for (const cmd::Command& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const cmd::BrokenPipe&) {
    return 0;
  } catch (const Error& e) {
    print_error(e.what());
    return e.kind() == ErrorKind::Usage ? kExitUsage : kExitInput;
  } catch (const std::bad_alloc&) {
    print_error("out of memory while processing the input");
    return kExitInput;
  } catch (const std::exception& e) {
    print_error((std::string("unexpected failure: ") + e.what()).c_str());
    return kExitInput;
  }
  return kExitUsage;
}
