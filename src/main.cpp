// SPDX-License-Identifier: MIT
// Entry point: builds the command line, runs a subcommand, maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <malloc.h>

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
  // The analysis of a large table allocates and frees buffers of a few
  // hundred KiB per benchmark. By default glibc maps each from the kernel
  // and trims freed memory back, so every buffer costs fresh page faults.
  // Keeping freed memory for reuse made sorting a 20,000-value column about
  // twice as fast in a micro-benchmark. Blocks of 32 MiB and more are still
  // mapped apart.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);

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
