// The top-level subcommands, one file each (cli/cmd_<name>.cpp).
#pragma once

#include <string>
#include <vector>

#include "cli_support.hpp"

namespace rootsim::cli {

int run_init(const GlobalOptions& global, const std::vector<std::string>& args);
int run_tld(const GlobalOptions& global, const std::vector<std::string>& args);
int run_zone(const GlobalOptions& global, const std::vector<std::string>& args);
int run_check(const GlobalOptions& global, const std::vector<std::string>& args);
int run_request(const GlobalOptions& global, const std::vector<std::string>& args);
int run_audit(const GlobalOptions& global, const std::vector<std::string>& args);
int run_serve(const GlobalOptions& global, const std::vector<std::string>& args);
int run_bench(const GlobalOptions& global, const std::vector<std::string>& args);
int run_idn(const GlobalOptions& global, const std::vector<std::string>& args);
int run_arrangement(const GlobalOptions& global, const std::vector<std::string>& args);
int run_scenario(const GlobalOptions& global, const std::vector<std::string>& args);
int run_run(const GlobalOptions& global, const std::vector<std::string>& args);
int run_report(const GlobalOptions& global, const std::vector<std::string>& args);
int run_compare(const GlobalOptions& global, const std::vector<std::string>& args);
int run_sweep(const GlobalOptions& global, const std::vector<std::string>& args);
int run_merge(const GlobalOptions& global, const std::vector<std::string>& args);
int run_demo(const GlobalOptions& global, const std::vector<std::string>& args);

}  // namespace rootsim::cli
