// Shared plumbing of the rootsim subcommands: global options, option parsing with --help,
// exit codes, and opening the registry. Only cli/ uses Boost.Program_options.
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "rootsim/dns/result.hpp"
#include "rootsim/registry/registry_store.hpp"

namespace rootsim::cli {

namespace po = boost::program_options;

/// Exit codes: success; a check or verification that ran and found problems; bad input or
/// usage (with a message naming the place); an unexpected failure.
enum ExitCode : int { kExitOk = 0, kExitFindings = 1, kExitBadInput = 2, kExitInternal = 3 };

struct GlobalOptions {
  std::optional<std::filesystem::path> db;
  std::int64_t now = 0;  ///< unix seconds: --now, else the wall clock
  std::filesystem::path data_dir;  ///< the project's data/ (statistics, recipes)
};

using Command = std::function<int(const GlobalOptions&, const std::vector<std::string>&)>;

/// Parses a subcommand's arguments. Prints usage and returns nullopt with `exit_code` set to 0
/// for --help, or 2 (with the error) for bad arguments.
[[nodiscard]] std::optional<po::variables_map> parse_args(
    const std::string& usage, po::options_description options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    int& exit_code);

/// Prints "rootsim: <message>" to stderr and returns the exit code for the error's kind.
int report(const Error& error);

/// Opens the registry named by --db (kExisting) or reports why not.
[[nodiscard]] Result<registry::RegistryStore> open_registry(const GlobalOptions& global);

/// Runs a table of subcommands ("tld list", "tld show"): args[0] picks the entry.
struct SubCommand {
  std::string name;
  std::string summary;
  Command run;
};
int dispatch(const std::string& group, const std::vector<SubCommand>& table,
             const GlobalOptions& global, const std::vector<std::string>& args);

}  // namespace rootsim::cli
