// Between root zone files and the registry: import a zone into a RegistryState, and build the
// registry's unsigned root zone (RFC 1035 records in canonical order) for export and signing.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/tld_classifier.hpp"

namespace rootsim::registry {

/// Builds a registry from a root zone: every TLD with its NS, DS and glue, the apex records as
/// given (including the DNSSEC ones, kept for reference). RRSIG and NSEC below the apex are the
/// old signer's and are dropped. Kinds come from `classifier`. `now` stamps created_at.
/// Errors (kSemantic, naming owner and type): a zone whose origin is not the root, records that
/// are neither apex, delegation (NS, DS, RRSIG, NSEC at a TLD) nor glue (A/AAAA below a TLD),
/// a DS without NS, a class other than IN.
[[nodiscard]] Result<RegistryState> import_zone(const dns::ZoneContent& zone,
                                                const TldClassifier& classifier,
                                                std::int64_t now);

/// The registry's unsigned root zone: the SOA first, then canonical order; the apex records other than DNSSEC
/// ones (SOA, NS), then for every TLD not removed its NS and DS, and the A/AAAA glue of every
/// name server (the apex's too) that lies below a TLD in the zone.
[[nodiscard]] std::vector<dns::Record> build_unsigned_zone(const RegistryState& state);

/// True for the record types a signer produces (DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM, ZONEMD).
[[nodiscard]] bool is_dnssec_type(dns::RRType type) noexcept;

/// Hex SHA-256 of the zone's presentation text (dns::write_zone_text), as zone versions record.
[[nodiscard]] std::string zone_digest(const std::vector<dns::Record>& records);

/// Replaces the apex SOA's serial. kNotFound when the state has no SOA.
[[nodiscard]] Status set_serial(RegistryState& state, std::uint32_t serial);

}  // namespace rootsim::registry
