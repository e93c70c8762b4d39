// RequestType names and the canonical JSON form of a ChangeRequest.
#include "rootsim/registry/change_request.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <type_traits>
#include <utility>

namespace rootsim::registry {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<RequestType, std::string_view>, 7> kTypes{{
    {RequestType::kNsUpdate, "ns-update"},
    {RequestType::kDsUpdate, "ds-update"},
    {RequestType::kGlueUpdate, "glue-update"},
    {RequestType::kDelegate, "delegate"},
    {RequestType::kTransfer, "transfer"},
    {RequestType::kRevoke, "revoke"},
    {RequestType::kRetire, "retire"},
}};

// Host names are written absolute and lower case ("a.ns.nic.cz.").
std::string host_text(const dns::Name& host) { return host.lowercased().to_text(); }

// The TLD is written without the final dot ("cz", "xn--p1ai"), as people write TLDs.
std::string tld_text(const dns::Name& tld) {
  std::string text = tld.lowercased().to_text();
  if (text.size() > 1 && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

json names_json(const std::vector<dns::Name>& names) {
  json out = json::array();
  for (const dns::Name& name : names) {
    out.push_back(host_text(name));
  }
  return out;
}

json addresses_json(const std::vector<dns::Address>& addresses) {
  json out = json::array();
  for (const dns::Address& address : addresses) {
    out.push_back(dns::address_to_text(address.rdata));
  }
  return out;
}

json glue_json(const std::vector<GlueEntry>& glue) {
  json out = json::object();
  for (const GlueEntry& entry : glue) {
    out[host_text(entry.host)] = addresses_json(entry.addresses);
  }
  return out;
}

json ds_json(const std::vector<dns::DsRdata>& ds_set) {
  json out = json::array();
  for (const dns::DsRdata& ds : ds_set) {
    out.push_back(json{{"key_tag", ds.key_tag},
                       {"algorithm", ds.algorithm},
                       {"digest_type", ds.digest_type},
                       {"digest", dns::to_hex(ds.digest)}});
  }
  return out;
}

json contact_json(const Contact& contact) {
  return json{
      {"name", contact.name}, {"organisation", contact.organisation}, {"email", contact.email}};
}

void add_detail(json& out, const NsUpdate& change) {
  out["ns"] = names_json(change.ns);
  if (!change.glue.empty()) {
    out["glue"] = glue_json(change.glue);
  }
}
void add_detail(json& out, const DsUpdate& change) { out["ds"] = ds_json(change.ds); }
void add_detail(json& out, const GlueUpdate& change) {
  out["host"] = host_text(change.glue.host);
  out["addresses"] = addresses_json(change.glue.addresses);
}
void add_detail(json& out, const Delegate& change) {
  out["kind"] = std::string(to_string(change.kind));
  if (change.iso_code) {
    out["iso_code"] = *change.iso_code;
  }
  out["manager"] = change.manager;
  out["admin"] = contact_json(change.admin);
  out["tech"] = contact_json(change.tech);
  out["ns"] = names_json(change.ns);
  if (!change.glue.empty()) {
    out["glue"] = glue_json(change.glue);
  }
  if (!change.ds.empty()) {
    out["ds"] = ds_json(change.ds);
  }
}
void add_detail(json& out, const Transfer& change) {
  out["manager"] = change.manager;
  out["admin"] = contact_json(change.admin);
  out["tech"] = contact_json(change.tech);
  if (change.ns) {
    out["ns"] = names_json(*change.ns);
  }
  if (!change.glue.empty()) {
    out["glue"] = glue_json(change.glue);
  }
  if (change.ds) {
    out["ds"] = ds_json(*change.ds);
  }
}
void add_detail(json& /*out*/, const Revoke& /*change*/) {}
void add_detail(json& out, const Retire& change) { out["removal_date"] = change.removal_date; }

}  // namespace

bool operator==(const GlueEntry& a, const GlueEntry& b) {
  if (!(a.host == b.host) || a.addresses.size() != b.addresses.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.addresses.size(); ++i) {
    if (a.addresses[i].type != b.addresses[i].type ||
        a.addresses[i].rdata != b.addresses[i].rdata) {
      return false;
    }
  }
  return true;
}

std::string_view to_string(RequestType type) noexcept {
  for (const auto& [t, s] : kTypes) {
    if (t == type) {
      return s;
    }
  }
  return "ns-update";
}

std::optional<RequestType> request_type_from_string(std::string_view text) noexcept {
  for (const auto& [t, s] : kTypes) {
    if (s == text) {
      return t;
    }
  }
  return std::nullopt;
}

nlohmann::json to_json_value(const ChangeRequest& request) {
  json out = json::object();
  out["type"] = std::string(to_string(request.type()));
  out["tld"] = tld_text(request.tld);
  out["requester"] = request.requester;
  if (request.reason) {
    out["reason"] = *request.reason;
  }
  std::visit([&out](const auto& change) { add_detail(out, change); }, request.change);
  return out;
}

std::string to_json(const ChangeRequest& request) {
  // Strings were validated as UTF-8 when parsed, so dump() cannot throw on them; replace keeps
  // it total for requests built in code.
  return to_json_value(request).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace rootsim::registry
