// The registry's model of a top-level domain: who runs it, and its delegation (NS, glue, DS).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/record.hpp"

namespace rootsim::registry {

enum class TldKind : std::uint8_t {
  kCountryCode,     ///< ISO 3166-1 alpha-2 and the exceptional ones (ac, eu, su, uk)
  kGeneric,         ///< gTLDs, including IDN gTLDs and brand TLDs
  kIdnCountryCode,  ///< IDN ccTLDs (.рф, .中国, ...)
  kSponsored,       ///< sponsored gTLDs (aero, coop, museum, ...)
  kInfrastructure,  ///< arpa
  kTest,            ///< test TLDs (none in today's root)
};
enum class TldStatus : std::uint8_t { kActive, kRetiring, kRemoved };

[[nodiscard]] std::string_view to_string(TldKind kind) noexcept;   ///< "country-code", ...
[[nodiscard]] std::string_view to_string(TldStatus status) noexcept;  ///< "active", ...
[[nodiscard]] std::optional<TldKind> tld_kind_from_string(std::string_view text) noexcept;
[[nodiscard]] std::optional<TldStatus> tld_status_from_string(std::string_view text) noexcept;

struct Contact {
  std::string name;
  std::string organisation;
  std::string email;
  friend bool operator==(const Contact&, const Contact&) = default;
};

/// What the root zone says about a TLD. TTLs are kept so that export reproduces the input.
struct Delegation {
  std::vector<dns::Name> name_servers;  ///< in the order given
  std::uint32_t ns_ttl = 172800;
  std::vector<dns::DsRdata> ds;
  std::uint32_t ds_ttl = 86400;
  friend bool operator==(const Delegation&, const Delegation&) = default;
};

struct Tld {
  dns::Name label;      ///< "cz.", "xn--p1ai."
  std::string u_label;  ///< Unicode form for IDN TLDs ("рф"), empty otherwise
  TldKind kind = TldKind::kGeneric;
  std::optional<std::string> iso_code;  ///< "CZ" for country-code TLDs
  std::string manager;                  ///< the manager organisation
  Contact admin;
  Contact tech;
  Delegation delegation;
  TldStatus status = TldStatus::kActive;
  std::optional<std::string> removal_date;  ///< "YYYY-MM-DD" while retiring
  std::int64_t created_at = 0;              ///< unix seconds
  std::int64_t updated_at = 0;
  friend bool operator==(const Tld&, const Tld&) = default;
};

/// A name server host and its addresses (glue), shared by every TLD that uses the host.
struct HostAddress {
  dns::Address address;
  std::uint32_t ttl = 172800;
  friend bool operator==(const HostAddress& a, const HostAddress& b) {
    return a.address.type == b.address.type && a.address.rdata == b.address.rdata && a.ttl == b.ttl;
  }
};
struct Host {
  dns::Name name;
  std::vector<HostAddress> addresses;  ///< in the order given
  friend bool operator==(const Host&, const Host&) = default;
};

}  // namespace rootsim::registry
