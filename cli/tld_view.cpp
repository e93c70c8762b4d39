#include "tld_view.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

#include "rootsim/registry/idn/idn_review.hpp"

namespace rootsim::cli {
namespace {

std::string ds_text(const dns::DsRdata& ds) {
  return std::to_string(ds.key_tag) + " " + std::to_string(ds.algorithm) + " " +
         std::to_string(ds.digest_type) + " " + dns::to_hex(ds.digest);
}

std::vector<std::string> addresses_of(const dns::Name& host, const registry::RegistryState& state) {
  std::vector<std::string> out;
  if (const registry::Host* h = state.find_host(host)) {
    for (const registry::HostAddress& a : h->addresses) {
      out.push_back(dns::address_to_text(a.address.rdata));
    }
  }
  return out;
}

nlohmann::json contact_json(const registry::Contact& c) {
  return {{"name", c.name}, {"organisation", c.organisation}, {"email", c.email}};
}

}  // namespace

nlohmann::json tld_to_json(const registry::Tld& tld, const registry::RegistryState& state) {
  nlohmann::json ns = nlohmann::json::array();
  for (const dns::Name& host : tld.delegation.name_servers) {
    ns.push_back({{"host", host.to_text()}, {"addresses", addresses_of(host, state)}});
  }
  nlohmann::json ds = nlohmann::json::array();
  for (const dns::DsRdata& d : tld.delegation.ds) {
    ds.push_back(ds_text(d));
  }
  return {
      {"label", tld.label.to_text()},
      {"u_label", tld.u_label},
      {"kind", registry::to_string(tld.kind)},
      {"iso_code", tld.iso_code ? nlohmann::json(*tld.iso_code) : nlohmann::json(nullptr)},
      {"manager", tld.manager},
      {"admin", contact_json(tld.admin)},
      {"tech", contact_json(tld.tech)},
      {"status", registry::to_string(tld.status)},
      {"removal_date",
       tld.removal_date ? nlohmann::json(*tld.removal_date) : nlohmann::json(nullptr)},
      {"ns", ns},
      {"ns_ttl", tld.delegation.ns_ttl},
      {"ds", ds},
      {"ds_ttl", tld.delegation.ds_ttl},
      {"created_at", tld.created_at},
      {"updated_at", tld.updated_at},
  };
}

std::string tld_to_text(const registry::Tld& tld, const registry::RegistryState& state) {
  std::ostringstream out;
  out << tld.label.to_text();
  if (!tld.u_label.empty()) {
    out << " (" << tld.u_label << ")";
  }
  out << "\n  kind:     " << registry::to_string(tld.kind);
  if (tld.iso_code) {
    out << " (" << *tld.iso_code << ")";
  }
  out << "\n  manager:  " << (tld.manager.empty() ? "(not recorded)" : tld.manager);
  out << "\n  admin:    " << (tld.admin.name.empty() ? "(not recorded)" : tld.admin.name + " <" + tld.admin.email + ">");
  out << "\n  tech:     " << (tld.tech.name.empty() ? "(not recorded)" : tld.tech.name + " <" + tld.tech.email + ">");
  out << "\n  status:   " << registry::to_string(tld.status);
  if (tld.removal_date) {
    out << " (removal " << *tld.removal_date << ")";
  }
  out << "\n  name servers (TTL " << tld.delegation.ns_ttl << "):";
  for (const dns::Name& host : tld.delegation.name_servers) {
    out << "\n    " << host.to_text();
    for (const std::string& a : addresses_of(host, state)) {
      out << "  " << a;
    }
  }
  out << "\n  DS (TTL " << tld.delegation.ds_ttl << "):";
  if (tld.delegation.ds.empty()) {
    out << " none (unsigned delegation)";
  }
  for (const dns::DsRdata& d : tld.delegation.ds) {
    out << "\n    " << ds_text(d);
  }
  out << "\n";
  return out.str();
}

std::optional<nlohmann::json> variant_set_json(const registry::Tld& tld,
                                               const registry::RegistryState& state,
                                               const std::filesystem::path& lgr_dir) {
  if (tld.label.first_label().rfind("xn--", 0) != 0) {
    return std::nullopt;
  }
  auto lgr = registry::idn::LgrSet::load_directory(lgr_dir);
  if (!lgr) {
    return nlohmann::json{{"error", lgr.error().message}};
  }
  auto set = registry::idn::variant_set(*lgr, tld, state);
  if (!set) {
    return nlohmann::json{{"error", set.error().message}};
  }
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : set->members) {
    members.push_back(
        {{"label", m.u_label},
         {"a_label", m.a_label},
         {"disposition", registry::idn::to_string(m.disposition)},
         {"delegated", m.delegated},
         {"manager", m.delegated ? nlohmann::json(m.manager) : nlohmann::json(nullptr)}});
  }
  return nlohmann::json{
      {"members", members}, {"blocked", set->blocked}, {"truncated", set->truncated}};
}

std::string variant_set_text(const nlohmann::json& variants) {
  std::ostringstream out;
  out << "  variant set (Root Zone LGR):";
  if (variants.contains("error")) {
    out << " unknown: " << variants["error"].get<std::string>() << "\n";
    return out.str();
  }
  for (const auto& m : variants["members"]) {
    out << "\n    " << m["label"].get<std::string>() << "  " << m["a_label"].get<std::string>()
        << "  " << m["disposition"].get<std::string>();
    if (m["delegated"].get<bool>()) {
      out << "  delegated (manager: " << m["manager"].get<std::string>() << ")";
    }
  }
  out << "\n    + " << variants["blocked"].get<std::size_t>() << " blocked variant labels"
      << (variants["truncated"].get<bool>() ? " (list cut)" : "") << "\n";
  return out.str();
}

Result<dns::Name> parse_tld_label(const std::string& text) {
  auto name = dns::Name::from_text(text);
  if (!name) {
    return fail(Errc::kParse, "'" + text + "': " + name.error().message);
  }
  if (name->label_count() != 1) {
    return fail(Errc::kSemantic, "'" + text + "' is not a top-level domain (one label)");
  }
  return name->lowercased();
}

}  // namespace rootsim::cli
