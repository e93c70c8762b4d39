// rootsim: the command-line front of the testbed. Global options come before the command:
//   rootsim [--db FILE] [--now UNIX_SECONDS] <command> [args]
#include <chrono>
#include <exception>
#include <iostream>
#include <map>

#include "cli_support.hpp"
#include "commands.hpp"

namespace {

using rootsim::cli::GlobalOptions;
namespace po = rootsim::cli::po;

struct TopCommand {
  const char* name;
  const char* summary;
  rootsim::cli::Command run;
};

const std::vector<TopCommand>& top_commands() {
  static const std::vector<TopCommand> kCommands = {
      {"init", "create a registry from a root zone file or the built-in baseline",
       rootsim::cli::run_init},
      {"tld", "list and show TLDs", rootsim::cli::run_tld},
      {"zone", "export, sign, diff root zones; manage signing keys", rootsim::cli::run_zone},
      {"check", "IANA technical checks on a delegation", rootsim::cli::run_check},
      {"request", "submit, list, show and apply change requests", rootsim::cli::run_request},
      {"audit", "list and verify the hash-chained audit log", rootsim::cli::run_audit},
      {"serve", "answer DNS over UDP and TCP from a zone file or the registry", rootsim::cli::run_serve},
      {"bench", "in-process benchmarks (bench resolver)", rootsim::cli::run_bench},
      {"idn", "IDN labels: IDNA2008, Root Zone LGR, variants, similarity panel",
       rootsim::cli::run_idn},
      {"arrangement", "governance arrangements: list, show, validate, analyze",
       rootsim::cli::run_arrangement},
      {"scenario", "scenarios: list the library, validate a file", rootsim::cli::run_scenario},
      {"run", "run a scenario: arrangements x replications, results and summary",
       rootsim::cli::run_run},
      {"report", "a self-contained HTML report from a run's results", rootsim::cli::run_report},
      {"compare", "two runs' results side by side", rootsim::cli::run_compare},
      {"sweep", "run (one shard of) a parameter sweep", rootsim::cli::run_sweep},
      {"merge", "merge sweep shards into one result", rootsim::cli::run_merge},
      {"demo", "the classroom comparison on the built-in baseline, with its report",
       rootsim::cli::run_demo},
  };
  return kCommands;
}

void usage(std::ostream& out, const po::options_description& global) {
  out << "usage: rootsim [global options] <command> [args]\n\n" << global << "\ncommands:\n";
  for (const TopCommand& c : top_commands()) {
    const std::string name = c.name;
    out << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ') << c.summary
        << "\n";
  }
  out << "\n'rootsim <command> --help' describes one.\n";
}

int run(int argc, char** argv) {
  po::options_description global("global options");
  std::string db;
  std::int64_t now = 0;
  global.add_options()("help,h", "show this help")("db", po::value<std::string>(),
                                                    "the registry database (SQLite)")(
      "now", po::value<std::int64_t>(),
      "the time to act at, as unix seconds (default: the clock); makes runs repeatable");
  // Global options precede the command word; everything after it belongs to the command.
  std::string command;
  std::vector<std::string> rest;
  bool help = false;
  bool now_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value_of = [&](const std::string& option, std::string& out) -> bool {
      if (arg == option) {
        if (i + 1 >= argc) {
          throw po::error("option '" + option + "' needs a value");
        }
        out = argv[++i];
        return true;
      }
      if (arg.rfind(option + "=", 0) == 0) {
        out = arg.substr(option.size() + 1);
        return true;
      }
      return false;
    };
    std::string now_text;
    if (value_of("--db", db)) {
      continue;
    }
    if (value_of("--now", now_text)) {
      try {
        std::size_t used = 0;
        now = std::stoll(now_text, &used);
        if (used != now_text.size()) {
          throw std::invalid_argument(now_text);
        }
      } catch (const std::exception&) {
        throw po::error("--now takes unix seconds, not '" + now_text + "'");
      }
      now_given = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      help = true;
      continue;
    }
    if (!arg.empty() && arg[0] == '-') {
      throw po::error("unknown global option '" + arg + "'");
    }
    command = arg;
    rest.assign(argv + i + 1, argv + argc);
    break;
  }
  if (command.empty()) {
    usage(help ? std::cout : std::cerr, global);
    return help ? rootsim::cli::kExitOk : rootsim::cli::kExitBadInput;
  }
  GlobalOptions options;
  if (!db.empty()) {
    options.db = db;
  }
  options.now = now_given
                    ? now
                    : std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  options.data_dir = ROOTSIM_DATA_DIR;
  for (const TopCommand& c : top_commands()) {
    if (command == c.name) {
      return c.run(options, rest);
    }
  }
  std::cerr << "rootsim: unknown command '" << command << "'\n";
  usage(std::cerr, global);
  return rootsim::cli::kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const po::error& e) {
    std::cerr << "rootsim: " << e.what() << "\n";
    return rootsim::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "rootsim: internal error: " << e.what() << "\n";
    return rootsim::cli::kExitInternal;
  }
}
