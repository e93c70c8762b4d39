// rootsim --db FILE init [--from-zone FILE | --seed N]
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands.hpp"
#include "registry_setup.hpp"

namespace rootsim::cli {

int run_init(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("init");
  std::string zone_file;
  std::uint64_t seed = 1;
  bool json = false;
  options.add_options()("from-zone", po::value(&zone_file),
                        "import this root zone file (RFC 1035 master file)")(
      "seed", po::value(&seed)->default_value(1),
      "seed of the built-in baseline's generated name servers, glue and DS")(
      "json", po::bool_switch(&json), "print the summary as JSON");
  int code = 0;
  if (!parse_args("rootsim --db FILE init [--from-zone ROOT.ZONE] [--seed N]", options, {}, args,
                  code)) {
    return code;
  }
  if (!global.db) {
    return report(Error{Errc::kParse, "init needs --db FILE (the registry database to create)"});
  }
  // Build everything in memory first: bad input must not leave a database behind.
  auto state = zone_file.empty() ? baseline_state(global, seed)
                                 : imported_state(zone_file, global.now);
  if (!state) {
    return report(state.error());
  }
  const std::string source = zone_file.empty() ? "built-in baseline (seed " + std::to_string(seed) + ")"
                                               : zone_file;
  auto summary = create_registry(*global.db, *state, source, global.now);
  if (!summary) {
    return report(summary.error());
  }
  if (json) {
    std::cout << summary_to_json(*summary).dump(2) << "\n";
  } else {
    std::cout << summary_to_text(*summary);
  }
  return kExitOk;
}

}  // namespace rootsim::cli
