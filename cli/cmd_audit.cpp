// rootsim --db FILE audit list|verify
#include <nlohmann/json.hpp>

#include <iostream>

#include "commands.hpp"

namespace rootsim::cli {
namespace {

int audit_list(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("audit list");
  bool json = false;
  options.add_options()("json", po::bool_switch(&json), "one JSON object per entry per line");
  int code = 0;
  if (!parse_args("rootsim --db FILE audit list [--json]", options, {}, args, code)) {
    return code;
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto entries = store->list_audit();
  if (!entries) {
    return report(entries.error());
  }
  for (const registry::AuditEntry& e : *entries) {
    if (json) {
      std::cout << nlohmann::json{{"seq", e.seq},           {"at", e.record.at},
                                  {"actor", e.record.actor}, {"action", e.record.action},
                                  {"subject", e.record.subject},
                                  {"detail", nlohmann::json::parse(e.record.detail, nullptr, false)},
                                  {"prev_hash", e.prev_hash}, {"hash", e.hash}}
                       .dump()
                << "\n";
    } else {
      std::cout << e.seq << "\t" << e.record.at << "\t" << e.record.actor << "\t"
                << e.record.action << "\t" << e.record.subject << "\t" << e.hash.substr(0, 16)
                << "\n";
    }
  }
  return kExitOk;
}

int audit_verify(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("audit verify");
  bool json = false;
  options.add_options()("json", po::bool_switch(&json), "print the verdict as JSON");
  int code = 0;
  if (!parse_args("rootsim --db FILE audit verify [--json]", options, {}, args, code)) {
    return code;
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto verdict = store->verify_audit();
  if (!verdict) {
    return report(verdict.error());
  }
  if (json) {
    std::cout << nlohmann::json{{"intact", verdict->intact},
                                {"entries", verdict->entries},
                                {"first_bad_seq", verdict->first_bad_seq
                                                      ? nlohmann::json(*verdict->first_bad_seq)
                                                      : nlohmann::json(nullptr)},
                                {"problem", verdict->problem}}
                     .dump(2)
              << "\n";
  } else if (verdict->intact) {
    std::cout << "audit log intact: " << verdict->entries << " entries, hash chain holds\n";
  } else {
    std::cout << "audit log BROKEN: " << verdict->problem << "\n";
  }
  return verdict->intact ? kExitOk : kExitFindings;
}

}  // namespace

int run_audit(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("audit",
                  {{"list", "the audit log's entries", audit_list},
                   {"verify", "check that the hash chain holds (exit 1 if not)", audit_verify}},
                  global, args);
}

}  // namespace rootsim::cli
