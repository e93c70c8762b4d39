#include "rootsim/registry/zonemd.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace rootsim::registry {
namespace {

struct Keyed {
  std::string owner_key;  // lookup form: byte order is canonical order
  std::uint16_t type = 0;
  dns::Bytes rdata;  // canonical
  dns::Bytes wire;   // canonical RR
};

}  // namespace

dns::Bytes make_zonemd_rdata(const ZonemdRdata& zonemd) {
  dns::Bytes out;
  dns::put_u32(out, zonemd.serial);
  out.push_back(zonemd.scheme);
  out.push_back(zonemd.hash_algorithm);
  out.insert(out.end(), zonemd.digest.begin(), zonemd.digest.end());
  return out;
}

Result<ZonemdRdata> read_zonemd_rdata(std::span<const std::uint8_t> rdata) {
  if (rdata.size() < 6) {
    return fail(Errc::kParse, "ZONEMD rdata shorter than 6 octets");
  }
  return ZonemdRdata{dns::get_u32(rdata, 0), rdata[4], rdata[5],
                     dns::Bytes(rdata.begin() + 6, rdata.end())};
}

dns::Bytes compute_zonemd_digest(const std::vector<dns::Record>& records, const dns::Name& origin) {
  std::vector<Keyed> keyed;
  keyed.reserve(records.size());
  for (const auto& record : records) {
    if (!record.owner.is_subdomain_of(origin)) {
      continue;
    }
    const bool apex = record.owner == origin;
    // RFC 8976 §3.3.1: the apex ZONEMD RRset and the RRSIGs covering it are left out.
    if (apex && record.type == dns::RRType::kZonemd) {
      continue;
    }
    if (apex && record.type == dns::RRType::kRrsig && record.rdata.size() >= 2 &&
        dns::get_u16(record.rdata, 0) == dns::to_number(dns::RRType::kZonemd)) {
      continue;
    }
    Keyed k;
    k.owner_key = record.owner.lookup_key();
    k.type = dns::to_number(record.type);
    k.rdata = dns::canonical_rdata(record.type, record.rdata);
    dns::append_canonical_wire(k.wire, record);
    keyed.push_back(std::move(k));
  }
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.owner_key != b.owner_key) {
      return a.owner_key < b.owner_key;
    }
    if (a.type != b.type) {
      return a.type < b.type;
    }
    return a.rdata < b.rdata;
  });
  crypto::Sha384 hash;
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    // RFC 8976 §3.3.1.1: duplicate RRs (same owner, type, class, rdata) are digested once.
    if (i > 0 && keyed[i].owner_key == keyed[i - 1].owner_key &&
        keyed[i].type == keyed[i - 1].type && keyed[i].rdata == keyed[i - 1].rdata) {
      continue;
    }
    hash.update(keyed[i].wire);
  }
  return hash.finish();
}

Status verify_zonemd(const std::vector<dns::Record>& records, const dns::Name& origin) {
  std::optional<std::uint32_t> soa_serial;
  std::vector<ZonemdRdata> zonemds;
  for (const auto& record : records) {
    if (record.owner != origin) {
      continue;
    }
    if (record.type == dns::RRType::kSoa) {
      auto soa = dns::read_soa_rdata(record.rdata);
      if (soa) {
        soa_serial = soa->serial;
      }
    } else if (record.type == dns::RRType::kZonemd) {
      auto zonemd = read_zonemd_rdata(record.rdata);
      if (zonemd && zonemd->scheme == kZonemdSchemeSimple &&
          zonemd->hash_algorithm == kZonemdHashSha384) {
        zonemds.push_back(std::move(*zonemd));
      }
    }
  }
  if (!soa_serial) {
    return fail(Errc::kNotFound, "no SOA at " + origin.to_text());
  }
  if (zonemds.empty()) {
    return fail(Errc::kNotFound, "no ZONEMD with scheme 1 and hash 1 at " + origin.to_text());
  }
  const dns::Bytes digest = compute_zonemd_digest(records, origin);
  for (const auto& zonemd : zonemds) {
    if (zonemd.serial != *soa_serial) {
      return fail(Errc::kSemantic, "ZONEMD serial " + std::to_string(zonemd.serial) +
                                       " differs from SOA serial " + std::to_string(*soa_serial));
    }
    if (zonemd.digest != digest) {
      return fail(Errc::kSemantic, "ZONEMD digest mismatch: zone has " +
                                       dns::to_hex(zonemd.digest) + ", computed " +
                                       dns::to_hex(digest));
    }
  }
  return {};
}

}  // namespace rootsim::registry
