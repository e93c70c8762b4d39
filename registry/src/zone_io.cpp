#include "rootsim/registry/zone_io.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <set>

namespace rootsim::registry {
namespace {

std::string describe(const dns::Record& r) {
  return r.owner.to_text() + " " + dns::to_text(r.type);
}

}  // namespace

bool is_dnssec_type(dns::RRType type) noexcept {
  switch (type) {
    case dns::RRType::kDnskey:
    case dns::RRType::kRrsig:
    case dns::RRType::kNsec:
    case dns::RRType::kNsec3:
    case dns::RRType::kNsec3param:
    case dns::RRType::kZonemd:
      return true;
    default:
      return false;
  }
}

Result<RegistryState> import_zone(const dns::ZoneContent& zone, const TldClassifier& classifier,
                                  std::int64_t now) {
  if (!zone.origin.is_root()) {
    return fail(Errc::kSemantic, "origin " + zone.origin.to_text() + " is not the root");
  }
  RegistryState state;
  auto tld_for = [&](const dns::Name& label) -> Tld& {
    auto it = state.tlds.find(label);
    if (it == state.tlds.end()) {
      Tld tld;
      tld.label = label.lowercased();
      const TldClassification c = classifier.classify(tld.label);
      tld.kind = c.kind;
      tld.iso_code = c.iso_code;
      tld.u_label = c.u_label;
      tld.created_at = now;
      tld.updated_at = now;
      it = state.tlds.emplace(tld.label, std::move(tld)).first;
    }
    return it->second;
  };
  for (const dns::Record& r : zone.records) {
    if (r.rrclass != dns::RRClass::kIn) {
      return fail(Errc::kSemantic, describe(r) + ": class other than IN in a root zone");
    }
    const std::size_t depth = r.owner.label_count();
    if (depth == 0) {
      state.apex.push_back(r);
      continue;
    }
    if (depth == 1) {
      switch (r.type) {
        case dns::RRType::kNs: {
          auto target = dns::read_name_rdata(r.rdata);
          if (!target) {
            return fail(Errc::kSemantic, describe(r) + ": " + target.error().message);
          }
          Tld& tld = tld_for(r.owner);
          tld.delegation.name_servers.push_back(*target);
          tld.delegation.ns_ttl = r.ttl;
          break;
        }
        case dns::RRType::kDs: {
          auto ds = dns::read_ds_rdata(r.rdata);
          if (!ds) {
            return fail(Errc::kSemantic, describe(r) + ": " + ds.error().message);
          }
          Tld& tld = tld_for(r.owner);
          tld.delegation.ds.push_back(std::move(*ds));
          tld.delegation.ds_ttl = r.ttl;
          break;
        }
        case dns::RRType::kRrsig:
        case dns::RRType::kNsec:
          break;  // the previous signer's; our signer makes its own
        default:
          return fail(Errc::kSemantic, describe(r) + ": not a delegation record (a root zone "
                                                     "holds only NS, DS, RRSIG and NSEC at a TLD)");
      }
      continue;
    }
    if (r.type != dns::RRType::kA && r.type != dns::RRType::kAaaa) {
      return fail(Errc::kSemantic, describe(r) + ": below a TLD a root zone holds only glue");
    }
    const dns::Name host_name = r.owner.lowercased();
    auto it = state.hosts.find(host_name);
    if (it == state.hosts.end()) {
      it = state.hosts.emplace(host_name, Host{host_name, {}}).first;
    }
    it->second.addresses.push_back(HostAddress{dns::Address{r.type, r.rdata}, r.ttl});
  }
  for (const auto& [label, tld] : state.tlds) {
    if (tld.delegation.name_servers.empty()) {
      return fail(Errc::kSemantic, label.to_text() + " DS: a DS record without a delegation");
    }
  }
  bool has_soa = false;
  for (const dns::Record& r : state.apex) {
    has_soa = has_soa || r.type == dns::RRType::kSoa;
  }
  if (!has_soa) {
    return fail(Errc::kSemantic, ". SOA: the zone has no SOA record");
  }
  return state;
}

std::vector<dns::Record> build_unsigned_zone(const RegistryState& state) {
  std::vector<dns::Record> out;
  out.reserve(state.tlds.size() * 16);
  std::set<dns::Name> glue_hosts;
  auto want_glue = [&](const dns::Name& host) {
    if (host.label_count() < 2) {
      return;
    }
    const Tld* tld = state.find_tld(host.suffix(1));
    if (tld != nullptr && tld->status != TldStatus::kRemoved) {
      glue_hosts.insert(host);
    }
  };
  for (const dns::Record& r : state.apex) {
    if (!is_dnssec_type(r.type)) {
      out.push_back(r);
      if (r.type == dns::RRType::kNs) {
        if (auto target = dns::read_name_rdata(r.rdata)) {
          want_glue(*target);
        }
      }
    }
  }
  for (const auto& [label, tld] : state.tlds) {
    if (tld.status == TldStatus::kRemoved) {
      continue;
    }
    for (const dns::Name& ns : tld.delegation.name_servers) {
      out.push_back(dns::Record{label, dns::RRType::kNs, dns::RRClass::kIn,
                                tld.delegation.ns_ttl, dns::make_name_rdata(ns)});
      want_glue(ns);
    }
    for (const dns::DsRdata& ds : tld.delegation.ds) {
      out.push_back(dns::Record{label, dns::RRType::kDs, dns::RRClass::kIn,
                                tld.delegation.ds_ttl, dns::make_ds_rdata(ds)});
    }
  }
  for (const dns::Name& name : glue_hosts) {
    if (const Host* host = state.find_host(name)) {
      for (const HostAddress& a : host->addresses) {
        out.push_back(dns::Record{host->name, a.address.type, dns::RRClass::kIn, a.ttl,
                                  a.address.rdata});
      }
    }
  }
  dns::sort_canonical(out);
  dns::move_soa_first(out);
  return out;
}

std::string zone_digest(const std::vector<dns::Record>& records) {
  const std::string text = dns::write_zone_text(records);
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return dns::to_hex(std::span<const std::uint8_t>(digest.data(), length));
}

Status set_serial(RegistryState& state, std::uint32_t serial) {
  for (dns::Record& r : state.apex) {
    if (r.type == dns::RRType::kSoa) {
      auto soa = dns::read_soa_rdata(r.rdata);
      if (!soa) {
        return fail(Errc::kSemantic, "apex SOA: " + soa.error().message);
      }
      soa->serial = serial;
      r.rdata = dns::make_soa_rdata(*soa);
      return {};
    }
  }
  return fail(Errc::kNotFound, "the registry has no apex SOA");
}

}  // namespace rootsim::registry
