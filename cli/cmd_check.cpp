// rootsim --db FILE check TLD [--dnskey FILE] [--json]
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/request_workflow.hpp"
#include "rootsim/registry/technical_checks.hpp"
#include "tld_view.hpp"

namespace rootsim::cli {

int run_check(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("check");
  std::string label_text;
  std::string dnskey_file;
  bool json = false;
  options.add_options()("tld", po::value(&label_text)->required(), "the TLD to check")(
      "dnskey", po::value(&dnskey_file),
      "a master file with the TLD's DNSKEY records: each DS must match one")(
      "json", po::bool_switch(&json), "print the findings as JSON");
  po::positional_options_description positional;
  positional.add("tld", 1);
  int code = 0;
  if (!parse_args("rootsim --db FILE check TLD [--dnskey FILE] [--json]", options, positional,
                  args, code)) {
    return code;
  }
  auto label = parse_tld_label(label_text);
  if (!label) {
    return report(label.error());
  }
  registry::CheckInput input;
  if (!dnskey_file.empty()) {
    auto keys = dns::parse_zone_file(dnskey_file, *label);
    if (!keys) {
      return report(keys.error());
    }
    std::vector<dns::Bytes> dnskeys;
    for (const dns::Record& r : keys->records) {
      if (r.type == dns::RRType::kDnskey) {
        dnskeys.push_back(r.rdata);
      }
    }
    input.dnskeys = std::move(dnskeys);
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto state = store->load_state();
  if (!state) {
    return report(state.error());
  }
  const registry::Tld* tld = state->find_tld(*label);
  if (tld == nullptr) {
    return report(Error{Errc::kNotFound, "no TLD " + label->to_text() + " in the registry"});
  }
  const auto findings = registry::run_technical_checks(*tld, *state, input);
  const bool ok = registry::passed(findings);
  if (json) {
    std::cout << nlohmann::json{{"tld", label->to_text()},
                                {"passed", ok},
                                {"findings", nlohmann::json::parse(
                                                 registry::findings_to_json(findings))}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << label->to_text() << ": " << (ok ? "passes" : "FAILS")
              << " the IANA technical checks\n";
    for (const registry::CheckFinding& f : findings) {
      std::cout << "  " << registry::to_string(f.severity) << "\t" << registry::to_string(f.code)
                << "\t" << f.subject << ": " << f.message << "\n";
    }
  }
  return ok ? kExitOk : kExitFindings;
}

}  // namespace rootsim::cli
