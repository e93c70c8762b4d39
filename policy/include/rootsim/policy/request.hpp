// What a governance arrangement decides about: the facts of one request (its kind, the TLD and
// its country, who asks, whether the technical checks passed), taken once from a registry
// ChangeRequest and RegistryState (plan + apply + technical checks, as registry::submit_request
// does) or from a governance-level request (root server operator designation or removal, a
// change of principles). Also the circumstances a scenario declares: actors' interests and
// injected failures. Thread-safety: plain values and pure functions. Ownership: values.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/policy/actors.hpp"
#include "rootsim/registry/change_request.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/technical_checks.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::policy {

/// The registry's seven request types, then the governance-level ones.
enum class RequestKind : std::uint8_t {
  kNsUpdate,
  kDsUpdate,
  kGlueUpdate,
  kDelegate,
  kTransfer,
  kRevoke,
  kRetire,
  kRsoDesignation,   ///< "rso-designation": a new root server operator
  kRsoRemoval,       ///< "rso-removal": remove a root server operator
  kPrincipleChange,  ///< "principle-change": a new public-policy principle (e.g. for delegations)
};
inline constexpr std::size_t kRequestKindCount = 10;
[[nodiscard]] std::string_view to_string(RequestKind kind) noexcept;
[[nodiscard]] std::optional<RequestKind> request_kind_from_string(std::string_view text) noexcept;
[[nodiscard]] RequestKind request_kind(registry::RequestType type) noexcept;
/// True for the kinds that change the root zone (the registry's seven).
[[nodiscard]] bool changes_zone(RequestKind kind) noexcept;

/// Country-code (incl. IDN ccTLDs), generic (incl. sponsored, infrastructure, test), or none.
enum class TldClass : std::uint8_t { kCountryCode, kGeneric, kNone };
inline constexpr std::size_t kTldClassCount = 3;
[[nodiscard]] std::string_view to_string(TldClass tld_class) noexcept;  ///< "cctld", "gtld", "none"

/// An actor as a decision sees it: a directory actor, the manager of the request's TLD, or
/// the manager of another TLD.
struct ActorRef {
  enum class Kind : std::uint8_t { kNone, kDirectory, kTldManager, kOtherManager };
  Kind kind = Kind::kNone;
  ActorIndex index = 0;  ///< for kDirectory
  friend bool operator==(const ActorRef&, const ActorRef&) = default;
};

struct RequestFacts {
  RequestKind kind = RequestKind::kNsUpdate;
  TldClass tld_class = TldClass::kNone;
  std::string tld;                           ///< label without the dot ("cz"); empty if none
  std::optional<std::string> country;        ///< ISO 3166-1 code of a ccTLD
  std::optional<ActorIndex> tld_government;  ///< gov:<country> when the code is assigned
  std::string requester;                     ///< the id as given ("gov:FR", "manager:cz")
  ActorRef requester_ref;
  std::optional<std::string> requester_country;  ///< a government's or a ccTLD manager's
  bool checks_passed = true;
  std::uint32_t check_errors = 0;
  bool persistent_problems = false;            ///< FoI revocation conditions hold for the TLD
  bool idn = false;                            ///< the label is an A-label (xn--)
  std::optional<ActorIndex> subject_operator;  ///< rso-designation / rso-removal
};

/// Resolves an actor id: a directory id, or "manager:<label>" (kTldManager when the label is
/// `tld`, else kOtherManager). Errors: kParse "unknown actor 'x'".
[[nodiscard]] Result<ActorRef> resolve_actor(std::string_view id, const ActorDirectory& actors,
                                             std::string_view tld);

// --- circumstances -----------------------------------------------------------------------

enum class Stance : std::uint8_t { kSupport, kOppose };
/// An actor's stance toward requests about one TLD or about every TLD of one country.
struct Interest {
  ActorIndex actor = 0;
  std::optional<std::string> tld;      ///< "cz"
  std::optional<std::string> country;  ///< "CZ"
  Stance stance = Stance::kOppose;
};

enum class FailureKind : std::uint8_t {
  kCapture,       ///< actors[0] decides in the interest of `party`
  kDeadlock,      ///< every actor of the coalition refuses (votes no, objects, vetoes)
  kInterference,  ///< actors[0] forces or withholds decisions on TLDs not its own
  kCollusion,     ///< actors[1] does whatever actors[0] does in the same stage
  kModifiedZone,  ///< root server operator actors[0] is ordered by `party` to alter `tld`
};
[[nodiscard]] std::string_view to_string(FailureKind kind) noexcept;
enum class InterferenceMode : std::uint8_t { kForce, kWithhold };

struct Failure {
  FailureKind kind = FailureKind::kCapture;
  std::vector<ActorIndex> actors;
  std::optional<ActorIndex> party;
  InterferenceMode mode = InterferenceMode::kForce;
  std::optional<std::string> tld;  ///< limits the failure to one TLD (label without the dot)
};

/// RSSAC047-style measurements of one operator, for performance reviews.
struct OperatorPerformance {
  ActorIndex rso = 0;
  double availability = 1.0;  ///< share of time answering
  double median_latency_ms = 0;
  double publication_latency_min = 0;
  bool serves_legitimate_zone = true;
};

struct Circumstances {
  std::vector<Interest> interests;
  std::vector<Failure> failures;
  std::vector<std::string> persistent_problems;  ///< TLD labels meeting FoI revocation grounds
  std::vector<OperatorPerformance> operators;
};

/// Parses {"interests":[...], "failures":[...], "persistent_problems":[...], "operators":[...]}
/// (docs/governance.md). Strict; errors are kParse starting with the JSON pointer under
/// `pointer` ("/failures/0/actor: unknown actor 'gov:XX'").
[[nodiscard]] Result<Circumstances> circumstances_from_json(const nlohmann::json& document,
                                                            const std::string& pointer,
                                                            const ActorDirectory& actors);
[[nodiscard]] Result<Circumstances> parse_circumstances(std::string_view json_text,
                                                        const ActorDirectory& actors);

// --- facts ---------------------------------------------------------------------------------

/// The facts of a registry request: plans it against `state` (errors as registry::plan_change:
/// a request that cannot apply is an error, not a decision), applies the plan and runs the
/// technical checks on every TLD it writes, as registry::submit_request does. kParse when the
/// requester is not a known actor. Complexity: dominated by apply_mutation (O(TLDs)).
[[nodiscard]] Result<RequestFacts> assess(const registry::ChangeRequest& request,
                                          const registry::RegistryState& state,
                                          const ActorDirectory& actors,
                                          const Circumstances& circumstances,
                                          const registry::CheckInput& checks = {});

/// A governance-level request {"type": "rso-removal", "requester": "rss-gb",
/// "operator": "rso:x"} or {"type": "principle-change", "requester": "gov:BR"}; registry
/// types are refused here (use assess). Errors: kParse with the JSON pointer under `pointer`.
[[nodiscard]] Result<RequestFacts> governance_request_from_json(const nlohmann::json& document,
                                                                const std::string& pointer,
                                                                const ActorDirectory& actors);

}  // namespace rootsim::policy
