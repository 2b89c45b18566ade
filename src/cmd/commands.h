// SPDX-License-Identifier: MIT
// Registration functions of the subcommands, one per file in src/cmd/.
#pragma once

#include "cmd/common.h"

namespace safetywash::cmd {

Command add_analyze_command(CLI::App& parent);
Command add_pca_command(CLI::App& parent);
Command add_benchmarks_command(CLI::App& parent);
Command add_simulate_command(CLI::App& parent);
Command add_adjust_command(CLI::App& parent);
Command add_import_command(CLI::App& parent);
Command add_validate_command(CLI::App& parent);

}  // namespace safetywash::cmd
