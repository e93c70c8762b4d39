// rootsim zone sign, rootsim zone keys list|roll
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/key_rollover.hpp"
#include "rootsim/registry/key_storage.hpp"
#include "rootsim/registry/zone_io.hpp"
#include "rootsim/registry/zone_signer.hpp"
#include "zone_commands.hpp"

namespace rootsim::cli {
namespace {

struct AlgorithmChoice {
  std::uint8_t algorithm;
  unsigned ksk_bits;
  unsigned zsk_bits;
};

Result<AlgorithmChoice> parse_algorithm(const std::string& name) {
  if (name == "rsasha256") {
    return AlgorithmChoice{registry::kAlgorithmRsaSha256, 2048, 2048};
  }
  if (name == "ecdsap256sha256") {
    return AlgorithmChoice{registry::kAlgorithmEcdsaP256Sha256, 256, 256};
  }
  return fail(Errc::kParse,
              "--algorithm: '" + name + "' is not rsasha256 or ecdsap256sha256");
}

// The registry's keys, generating a KSK and a ZSK on first use.
Result<std::vector<registry::SigningKey>> keys_for_signing(registry::RegistryStore& store,
                                                           const AlgorithmChoice& choice,
                                                           std::int64_t now) {
  auto keys = registry::load_signing_keys(store);
  if (!keys || !keys->empty()) {
    return keys;
  }
  auto ksk = registry::generate_key(registry::KeyRole::kKsk, choice.algorithm, choice.ksk_bits, now);
  auto zsk = registry::generate_key(registry::KeyRole::kZsk, choice.algorithm, choice.zsk_bits, now);
  if (!ksk || !zsk) {
    return fail(!ksk ? ksk.error() : zsk.error());
  }
  std::vector<registry::SigningKey> made = {std::move(*ksk), std::move(*zsk)};
  const nlohmann::json detail = {{"algorithm", choice.algorithm},
                                 {"ksk", made[0].key_tag},
                                 {"zsk", made[1].key_tag}};
  if (auto s = registry::save_signing_keys(
          store, made, registry::AuditRecord{now, "cli", "keys.generate", "zone", detail.dump()});
      !s) {
    return fail(std::move(s).error());
  }
  return made;
}

int zone_sign(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("zone sign");
  std::string out_file;
  std::string algorithm = "rsasha256";
  unsigned threads = 0;
  options.add_options()("output,o", po::value(&out_file), "write here (default: stdout)")(
      "algorithm", po::value(&algorithm)->default_value("rsasha256"),
      "for keys made on first use: rsasha256 (2048 bits, as the root) or ecdsap256sha256")(
      "threads", po::value(&threads)->default_value(0), "signing threads (0: one per core)");
  int code = 0;
  if (!parse_args("rootsim --db FILE zone sign [-o FILE] [--algorithm ALG]", options, {}, args,
                  code)) {
    return code;
  }
  auto choice = parse_algorithm(algorithm);
  if (!choice) {
    return report(choice.error());
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto state = store->load_state();
  if (!state) {
    return report(state.error());
  }
  auto keys = keys_for_signing(*store, *choice, global.now);
  if (!keys) {
    return report(keys.error());
  }
  registry::SigningPolicy policy;
  policy.now = global.now;
  if (threads != 0) {
    policy.threads = threads;
  }
  auto signed_zone = registry::sign_zone(registry::build_unsigned_zone(*state), *keys, policy);
  if (!signed_zone) {
    return report(signed_zone.error());
  }
  dns::move_soa_first(signed_zone->records);
  std::cerr << "signed serial " << state->serial() << ": " << signed_zone->stats.records
            << " records, " << signed_zone->stats.signatures << " signatures, "
            << signed_zone->stats.nsec_records << " NSEC\n";
  return write_output(out_file, dns::write_zone_text(signed_zone->records));
}

registry::KeyRole parse_role(bool ksk) { return ksk ? registry::KeyRole::kKsk : registry::KeyRole::kZsk; }

int keys_list(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("zone keys list");
  bool json = false;
  options.add_options()("json", po::bool_switch(&json), "one JSON object per key per line");
  int code = 0;
  if (!parse_args("rootsim --db FILE zone keys list [--json]", options, {}, args, code)) {
    return code;
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto keys = registry::load_signing_keys(*store);
  if (!keys) {
    return report(keys.error());
  }
  if (keys->empty() && !json) {
    std::cout << "no signing keys yet: 'zone sign' makes a KSK and a ZSK on first use\n";
  }
  for (const registry::SigningKey& k : *keys) {
    if (json) {
      const auto stored = registry::to_stored(k);
      std::cout << nlohmann::json{{"role", stored.role},        {"state", stored.state},
                                  {"algorithm", k.algorithm},    {"key_tag", k.key_tag},
                                  {"created_at", k.created_at}}
                       .dump()
                << "\n";
    } else {
      std::cout << registry::describe(k) << "\n";
    }
  }
  if (!json) {
    for (const bool ksk : {true, false}) {
      if (auto status = registry::rollover_status(*keys, parse_role(ksk)); status && !keys->empty()) {
        std::cout << (ksk ? "KSK" : "ZSK") << " rollover: " << status->description << "\n";
      }
    }
  }
  return kExitOk;
}

int keys_roll(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("zone keys roll");
  bool ksk = false;
  bool zsk = false;
  options.add_options()("ksk", po::bool_switch(&ksk), "advance the KSK double-signature rollover")(
      "zsk", po::bool_switch(&zsk), "advance the ZSK pre-publish rollover");
  int code = 0;
  if (!parse_args("rootsim --db FILE zone keys roll --zsk|--ksk", options, {}, args, code)) {
    return code;
  }
  if (ksk == zsk) {
    return report(Error{Errc::kParse, "zone keys roll: give exactly one of --ksk and --zsk"});
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto keys = registry::load_signing_keys(*store);
  if (!keys) {
    return report(keys.error());
  }
  if (keys->empty()) {
    return report(Error{Errc::kNotFound, "no signing keys yet: run 'zone sign' first"});
  }
  const auto role = parse_role(ksk);
  auto rolled = registry::roll_keys(*keys, role, global.now);
  if (!rolled) {
    return report(rolled.error());
  }
  auto status = registry::rollover_status(*rolled, role);
  const nlohmann::json detail = {{"role", ksk ? "ksk" : "zsk"},
                                 {"now", status ? status->description : ""}};
  if (auto s = registry::save_signing_keys(
          *store, *rolled,
          registry::AuditRecord{global.now, "cli", "keys.roll", "zone", detail.dump()});
      !s) {
    return report(s.error());
  }
  for (const registry::SigningKey& k : *rolled) {
    std::cout << registry::describe(k) << "\n";
  }
  if (status) {
    std::cout << (ksk ? "KSK" : "ZSK") << " rollover: " << status->description << "\n";
  }
  return kExitOk;
}

}  // namespace

int zone_keys(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("zone keys",
                  {{"list", "the signing keys and where their rollovers stand", keys_list},
                   {"roll", "advance a ZSK pre-publish or KSK double-signature rollover one step",
                    keys_roll}},
                  global, args);
}

int zone_sign_command(const GlobalOptions& global, const std::vector<std::string>& args) {
  return zone_sign(global, args);
}

}  // namespace rootsim::cli
