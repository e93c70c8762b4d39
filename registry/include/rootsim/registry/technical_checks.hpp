// IANA's technical conformance checks for one TLD delegation: predicates over the Tld, the
// registry's hosts (glue) and optionally the DNSKEYs the manager supplies. Checks that need the
// network run only when a NetworkProbe is given. Thread-safety: pure functions over their
// arguments (a probe is called from the calling thread); the catalog is immutable.
// Ownership: results are values; CheckInput borrows the probe.
#pragma once

#include "rootsim/dns/message.hpp"
#include "rootsim/dns/record.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/tld.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry {

/// Stable identifiers of the checks; to_string() gives the code written in reports and JSON.
enum class CheckCode : std::uint8_t {
  kNsCount,                ///< "ns-count": at least two NS
  kNsDistinctAddresses,    ///< "ns-distinct-addresses": the NS reach >= 2 distinct addresses
  kHostNameSyntax,         ///< "host-name-syntax": RFC 1123 host names
  kGlueMissing,            ///< "glue-missing": in-bailiwick NS have addresses
  kGlueInconsistent,       ///< "glue-inconsistent": no orphan or duplicate glue
  kAddressSpecialPurpose,  ///< "address-special-purpose": RFC 6890 registries
  kReferralSize,           ///< "referral-size": NS + one glue fit in 512 octets
  kDsAlgorithm,            ///< "ds-algorithm": IANA DNSSEC algorithm numbers
  kDsDigestType,           ///< "ds-digest-type"
  kDsDigestLength,         ///< "ds-digest-length"
  kDsMatchesDnskey,        ///< "ds-matches-dnskey": each DS matches a supplied zone key
  kNsAuthoritative,        ///< "ns-authoritative" (network): each address answers SOA with AA
};
enum class Severity : std::uint8_t { kInfo, kWarning, kError };

[[nodiscard]] std::string_view to_string(CheckCode code) noexcept;
[[nodiscard]] std::string_view to_string(Severity severity) noexcept;
[[nodiscard]] std::optional<CheckCode> check_code_from_string(std::string_view text) noexcept;

/// One result of one check, JSON-friendly: to_string(code), to_string(severity), subject, message.
struct CheckFinding {
  CheckCode code = CheckCode::kNsCount;
  Severity severity = Severity::kError;
  std::string subject;  ///< the offending item: host name, address, "DS 20237 13 2", or the TLD
  std::string message;  ///< a sentence naming the item and the rule
  friend bool operator==(const CheckFinding&, const CheckFinding&) = default;
};

/// How checks that need the network reach a name server. The simulation implements it over the
/// resolver core; a real implementation would use UDP. Not thread-safe unless it says so.
class NetworkProbe {
 public:
  virtual ~NetworkProbe() = default;
  /// Sends `query` (a whole DNS message) to `server` and returns the response bytes. Errors:
  /// kIo when the server does not answer (timeout, unreachable).
  [[nodiscard]] virtual Result<dns::Bytes> exchange(const dns::Address& server,
                                                    std::span<const std::uint8_t> query) = 0;
};

struct CheckInput {
  /// DNSKEY rdata the manager supplied with the change; nullopt skips ds-matches-dnskey.
  std::optional<std::vector<dns::Bytes>> dnskeys;
  /// Borrowed, nullable: without a probe the checks with needs_network are not run.
  NetworkProbe* probe = nullptr;
  /// The referral-size query is `<label>.<tld>` A without EDNS, the label this long (1..63):
  /// 63 is the worst case for a name one label below the TLD.
  std::size_t referral_label_length = 63;
  std::size_t referral_size_limit = 512;
};

/// What one check sees.
struct CheckContext {
  const Tld& tld;
  const RegistryState& state;
  const CheckInput& input;
};

using CheckFunction = std::vector<CheckFinding> (*)(const CheckContext&);

struct CheckDescriptor {
  CheckCode code;
  bool needs_network;
  std::string_view summary;  ///< one line for `--list` style output
  CheckFunction run;
};

/// Every check, in the order run_technical_checks() runs them. The simulation can run a subset.
[[nodiscard]] std::span<const CheckDescriptor> technical_check_catalog() noexcept;

/// Runs every check of the catalog on `tld` (those needing the network only with input.probe)
/// and returns the findings in catalog order; an empty result means every check passed.
[[nodiscard]] std::vector<CheckFinding> run_technical_checks(const Tld& tld,
                                                             const RegistryState& state,
                                                             const CheckInput& input);

/// True when no finding is an error (warnings and info do not fail a delegation).
[[nodiscard]] bool passed(std::span<const CheckFinding> findings) noexcept;

// --- building blocks the checks use, public for the CLI and tests ---

/// An entry of the IANA IPv4/IPv6 Special-Purpose Address Registries (RFC 6890 and updates),
/// or of the multicast space, which the registries omit but no name server may use.
struct SpecialPurposeBlock {
  std::string_view prefix;  ///< "192.0.2.0/24"
  std::string_view name;    ///< "Documentation (TEST-NET-1)"
  std::string_view rfc;     ///< "RFC 5737"
  /// The registry's "Globally Reachable" column: true (a name server may sit there, e.g. AS112),
  /// false, or nullopt where the registry says N/A (6to4, Teredo, deprecated blocks).
  std::optional<bool> globally_reachable;
};

/// The most specific registry entry covering the address (A or AAAA rdata, 4 or 16 octets), or
/// nullptr when none does. O(table size).
[[nodiscard]] const SpecialPurposeBlock* find_special_purpose_block(
    std::span<const std::uint8_t> address) noexcept;

/// RFC 1123 §2.1 / RFC 952 host name syntax: letters, digits and hyphens, no label starting or
/// ending with a hyphen, labels of 1..63 octets, at most 255 octets in wire form. Returns the
/// reason when invalid.
[[nodiscard]] std::optional<std::string> host_name_problem(const dns::Name& host);

/// The referral a root server gives for `<label>.<tld>` A without EDNS: NS in authority, then
/// as much glue (A and AAAA of the NS hosts under any TLD of the registry) as fits.
struct ReferralSize {
  std::size_t size = 0;                   ///< octets of the referral as sent (within the limit)
  std::size_t full_size = 0;              ///< octets with every glue record, limit or not
  std::size_t glue_total = 0;             ///< glue records available
  std::size_t glue_fitted = 0;            ///< glue records that fit
  bool ns_fit = false;                    ///< the whole NS set fits
  bool in_bailiwick_glue_needed = false;  ///< some NS host is under the TLD itself
};
[[nodiscard]] ReferralSize measure_referral(const Tld& tld, const RegistryState& state,
                                            std::size_t label_length, std::size_t size_limit);

}  // namespace rootsim::registry
