// rootsim zone export|sign|diff|keys
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "registry_setup.hpp"
#include "zone_commands.hpp"
#include "rootsim/registry/zone_diff.hpp"
#include "rootsim/registry/zone_io.hpp"

namespace rootsim::cli {

int write_output(const std::string& out_file, const std::string& text) {
  if (out_file.empty() || out_file == "-") {
    std::cout << text;
    return kExitOk;
  }
  if (auto s = dns::write_file_atomically(out_file, text); !s) {
    return report(s.error());
  }
  return kExitOk;
}

namespace {

int zone_export(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("zone export");
  std::string out_file;
  options.add_options()("output,o", po::value(&out_file), "write here (default: stdout)");
  int code = 0;
  if (!parse_args("rootsim --db FILE zone export [-o FILE]", options, {}, args, code)) {
    return code;
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto state = store->load_state();
  if (!state) {
    return report(state.error());
  }
  return write_output(out_file, dns::write_zone_text(registry::build_unsigned_zone(*state)));
}

int zone_check(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("zone check");
  std::string zone_file;
  bool json = false;
  options.add_options()("zone", po::value(&zone_file)->required(), "the root zone file")(
      "json", po::bool_switch(&json), "print the summary as JSON");
  po::positional_options_description positional;
  positional.add("zone", 1);
  int code = 0;
  if (!parse_args("rootsim zone check ZONE [--json]", options, positional, args, code)) {
    return code;
  }
  auto state = imported_state(zone_file, global.now);
  if (!state) {
    return report(state.error());
  }
  const RegistrySummary summary = summarise(*state, zone_file);
  std::cout << (json ? summary_to_json(summary).dump(2) + "\n" : summary_to_text(summary));
  return kExitOk;
}

int zone_diff(const GlobalOptions& /*global*/, const std::vector<std::string>& args) {
  po::options_description options("zone diff");
  std::string old_file;
  std::string new_file;
  bool json = false;
  bool dnssec = false;
  options.add_options()("old", po::value(&old_file)->required(), "the zone before")(
      "new", po::value(&new_file)->required(), "the zone after")(
      "json", po::bool_switch(&json), "print JSON")(
      "dnssec", po::bool_switch(&dnssec), "compare RRSIG, NSEC, DNSKEY and ZONEMD too");
  po::positional_options_description positional;
  positional.add("old", 1).add("new", 1);
  int code = 0;
  if (!parse_args("rootsim zone diff OLD.zone NEW.zone [--json] [--dnssec]", options, positional,
                  args, code)) {
    return code;
  }
  auto before = dns::parse_zone_file(old_file, dns::Name());
  if (!before) {
    return report(before.error());
  }
  auto after = dns::parse_zone_file(new_file, dns::Name());
  if (!after) {
    return report(after.error());
  }
  const auto diff = registry::diff_zones(*before, *after, {.include_dnssec = dnssec});
  std::cout << (json ? registry::render_json(diff) + "\n" : registry::render_text(diff));
  // As diff(1): 0 when the zones agree, 1 when they differ.
  return diff.empty() ? kExitOk : kExitFindings;
}

}  // namespace

int run_zone(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("zone",
                  {{"export", "the registry's unsigned root zone (RFC 1035, canonical order)",
                    zone_export},
                   {"sign", "sign the registry's zone: KSK+ZSK, NSEC, RRSIG, ZONEMD",
                    zone_sign_command},
                   {"keys", "list signing keys, roll them (zone keys list|roll)", zone_keys},
                   {"diff", "which TLDs changed between two zone files, and how", zone_diff},
                   {"check", "read a root zone file as an import would, and summarise it",
                    zone_check}},
                  global, args);
}

}  // namespace rootsim::cli
