// rootsim tld list|show
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands.hpp"
#include "rootsim/registry/idn/lgr_set.hpp"
#include "tld_view.hpp"

namespace rootsim::cli {
namespace {

int tld_list(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("tld list");
  bool json = false;
  std::string kind;
  options.add_options()("json", po::bool_switch(&json), "one JSON object per TLD per line")(
      "kind", po::value(&kind), "only this kind (country-code, generic, idn-country-code, ...)");
  int code = 0;
  if (!parse_args("rootsim --db FILE tld list [--json] [--kind KIND]", options, {}, args, code)) {
    return code;
  }
  if (!kind.empty() && !registry::tld_kind_from_string(kind)) {
    return report(Error{Errc::kParse, "--kind: unknown kind '" + kind + "'"});
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto state = store->load_state();
  if (!state) {
    return report(state.error());
  }
  for (const auto& [label, tld] : state->tlds) {
    if (!kind.empty() && registry::to_string(tld.kind) != kind) {
      continue;
    }
    if (json) {
      std::cout << tld_to_json(tld, *state).dump() << "\n";
    } else {
      std::cout << label.to_text() << "\t" << registry::to_string(tld.kind) << "\t"
                << tld.iso_code.value_or("-") << "\t" << tld.delegation.name_servers.size()
                << " NS\t" << tld.delegation.ds.size() << " DS\t" << registry::to_string(tld.status)
                << (tld.u_label.empty() ? "" : "\t" + tld.u_label) << "\n";
    }
  }
  return kExitOk;
}

int tld_show(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("tld show");
  bool json = false;
  std::string label_text;
  options.add_options()("json", po::bool_switch(&json), "print JSON")(
      "tld", po::value(&label_text)->required(), "the TLD (cz, xn--p1ai)");
  po::positional_options_description positional;
  positional.add("tld", 1);
  int code = 0;
  if (!parse_args("rootsim --db FILE tld show TLD [--json]", options, positional, args, code)) {
    return code;
  }
  auto label = parse_tld_label(label_text);
  if (!label) {
    return report(label.error());
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
  const auto variants =
      variant_set_json(*tld, *state, registry::idn::lgr_directory(global.data_dir.parent_path()));
  if (json) {
    nlohmann::json out = tld_to_json(*tld, *state);
    if (variants) {
      out["variants"] = *variants;
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << tld_to_text(*tld, *state) << (variants ? variant_set_text(*variants) : "");
  }
  return kExitOk;
}

}  // namespace

int run_tld(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("tld",
                  {{"list", "list the TLDs (--json: one object per line)", tld_list},
                   {"show", "one TLD: kind, manager, NS, glue, DS", tld_show}},
                  global, args);
}

}  // namespace rootsim::cli
