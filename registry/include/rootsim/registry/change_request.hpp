// Change requests: what someone asks the root zone's registry to change about one TLD, parsed
// strictly from JSON (docs/change-requests.md), checked against the current RegistryState into a
// Mutation, and applied to give the next state. Thread-safety: plain values and pure functions.
// Ownership: every function returns values that own their data; nothing points into arguments.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/tld.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rootsim::registry {

class LabelReview;

/// The kinds of request, in the order of ChangeDetail's alternatives.
enum class RequestType : std::uint8_t {
  kNsUpdate,
  kDsUpdate,
  kGlueUpdate,
  kDelegate,
  kTransfer,
  kRevoke,
  kRetire,
};
[[nodiscard]] std::string_view to_string(RequestType type) noexcept;  ///< "ns-update", ...
[[nodiscard]] std::optional<RequestType> request_type_from_string(std::string_view text) noexcept;

/// Addresses for one name server host, as a request supplies them (order kept).
struct GlueEntry {
  dns::Name host;
  std::vector<dns::Address> addresses;
  friend bool operator==(const GlueEntry& a, const GlueEntry& b);
};

/// Replaces the TLD's NS set; `glue` sets the addresses of some of those hosts.
struct NsUpdate {
  std::vector<dns::Name> ns;
  std::vector<GlueEntry> glue;
  friend bool operator==(const NsUpdate&, const NsUpdate&) = default;
};
/// Replaces the TLD's DS set; an empty list makes the delegation insecure.
struct DsUpdate {
  std::vector<dns::DsRdata> ds;
  friend bool operator==(const DsUpdate&, const DsUpdate&) = default;
};
/// Sets the addresses of one host the TLD uses; an empty list removes its glue.
struct GlueUpdate {
  GlueEntry glue;
  friend bool operator==(const GlueUpdate&, const GlueUpdate&) = default;
};
/// Delegates a new TLD.
struct Delegate {
  TldKind kind = TldKind::kGeneric;
  std::optional<std::string> iso_code;  ///< upper case, "CZ"
  std::string manager;
  Contact admin;
  Contact tech;
  std::vector<dns::Name> ns;
  std::vector<GlueEntry> glue;
  std::vector<dns::DsRdata> ds;
  friend bool operator==(const Delegate&, const Delegate&) = default;
};
/// Hands the TLD to a new manager, optionally with a new NS and/or DS set.
struct Transfer {
  std::string manager;
  Contact admin;
  Contact tech;
  std::optional<std::vector<dns::Name>> ns;
  std::vector<GlueEntry> glue;
  std::optional<std::vector<dns::DsRdata>> ds;
  friend bool operator==(const Transfer&, const Transfer&) = default;
};
/// Removes the delegation now.
struct Revoke {
  friend bool operator==(const Revoke&, const Revoke&) = default;
};
/// Marks the TLD as retiring until `removal_date`; it stays delegated until then.
struct Retire {
  std::string removal_date;  ///< "YYYY-MM-DD", a valid calendar date
  friend bool operator==(const Retire&, const Retire&) = default;
};

using ChangeDetail =
    std::variant<NsUpdate, DsUpdate, GlueUpdate, Delegate, Transfer, Revoke, Retire>;

struct ChangeRequest {
  dns::Name tld;                      ///< one label, A-label form ("cz.", "xn--p1ai.")
  std::string requester;              ///< who asks, an actor id: "gov:CZ", "manager:cz", "iana"
  std::optional<std::string> reason;  ///< free text for people, never interpreted
  ChangeDetail change;

  [[nodiscard]] RequestType type() const noexcept {
    return static_cast<RequestType>(change.index());
  }
  friend bool operator==(const ChangeRequest&, const ChangeRequest&) = default;
};

/// Parses one request document (docs/change-requests.md). Strict: unknown keys, wrong types,
/// bad names, addresses, hex or dates, duplicates, and glue for hosts outside the request's NS
/// set fail the whole document. Errors: kParse whose message starts with the JSON pointer of
/// the offending value ("/ns/2: not a host name"; "/" is the document itself).
[[nodiscard]] Result<ChangeRequest> parse_change_request(std::string_view json_text);
/// The same for a document already parsed (e.g. embedded in a scenario); `pointer` is where it
/// lies and prefixes every error ("/events/3/request").
[[nodiscard]] Result<ChangeRequest> change_request_from_json(const nlohmann::json& document,
                                                             const std::string& pointer = {});

/// Canonical JSON (sorted keys, no optional members left empty, lower-case names, upper-case
/// hex), one line. parse_change_request(to_json(r)) == r, and to_json of that is the same text.
[[nodiscard]] std::string to_json(const ChangeRequest& request);
/// The canonical document as a value, for embedding in larger documents.
[[nodiscard]] nlohmann::json to_json_value(const ChangeRequest& request);

/// What applying a pending request does to a RegistryState.
struct Mutation {
  std::vector<Tld> upserts;        ///< complete new values of new or changed TLDs
  std::vector<Host> host_upserts;  ///< complete new values; no addresses = drop the glue
  std::vector<dns::Name> removed_tlds;
  /// Other TLDs whose delegation changes too because they share a host whose glue changes.
  std::vector<dns::Name> also_affected;
  friend bool operator==(const Mutation&, const Mutation&) = default;
};

/// Checks a request against the current state and plans its effect (docs/change-requests.md).
/// Errors: kNotFound when the TLD is not in the registry (all types but delegate); kConflict
/// for delegating an existing TLD, retiring a retiring one, or revoking a TLD under which the
/// name servers of other TLDs or of the root lie; kSemantic when the result would be wrong (an
/// in-domain name server without glue, a name server under an undelegated TLD, glue for a host
/// the TLD does not use, kind and ISO code disagreeing) or when the request changes nothing.
/// Complexity: O(TLDs) for revoke and host sharing, else O(log TLDs + request size).
/// With a `review`, delegations and transfers are also refused when it refuses the label
/// (kSemantic, or kNotFound when its data is missing), e.g. an IDN label the Root Zone LGR
/// rejects or a blocked variant of an existing TLD.
[[nodiscard]] Result<Mutation> plan_change(const ChangeRequest& request, const RegistryState& state,
                                           const LabelReview* review = nullptr);

/// Applies a planned mutation: upserted TLDs get updated_at = now (and created_at = now when
/// new), hosts are replaced, removed TLDs erased, and hosts no TLD or apex NS uses any more are
/// dropped. Pure; expects a mutation planned against `state`.
[[nodiscard]] RegistryState apply_mutation(RegistryState state, const Mutation& mutation,
                                           std::chrono::sys_seconds now);

}  // namespace rootsim::registry
