// The `zone` subcommands live in several files; this joins them.
#pragma once

#include <string>
#include <vector>

#include "cli_support.hpp"

namespace rootsim::cli {

/// Writes `text` to `out_file` atomically, or to stdout for "" and "-".
int write_output(const std::string& out_file, const std::string& text);

int zone_sign_command(const GlobalOptions& global, const std::vector<std::string>& args);
int zone_keys(const GlobalOptions& global, const std::vector<std::string>& args);

}  // namespace rootsim::cli
