// Decision primitives: the building blocks of an arrangement's stages (technical check, contact
// confirmation, single approver, vote, consensus, veto, local authority, review panel, appeal,
// publication, performance review). A primitive is parsed once from its stage's "params" into a
// typed config and then decides requests; the engine adds delays, timeouts and escalation. To
// add one, implement Primitive and a factory and add it to the catalog you hand to the parser.
// Thread-safety: primitives are immutable and may be shared between threads; StageContext is
// per call. Ownership: contexts borrow everything; decisions are values.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/dns/sim_time.hpp"
#include "rootsim/policy/actors.hpp"
#include "rootsim/policy/request.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::policy {

inline constexpr int kPrimitiveApiVersion = 1;

/// Why a step ended as it did. Stable; to_string() gives the code written in traces.
enum class ReasonCode : std::uint8_t {
  kChecksPassed,
  kChecksFailed,
  kCheckOverridden,
  kContactsConfirmed,
  kContactsDeclined,
  kRevocationConditionsMet,
  kApproved,
  kDeclined,
  kVoteCarried,
  kVoteFailed,
  kQuorumNotMet,
  kConsensusReached,
  kObjectionsExceeded,
  kNoVeto,
  kVetoed,
  kLocalDecision,
  kLocalRefusal,
  kNotApplicable,
  kPanelAccepted,
  kPanelRejected,
  kAppealLodged,
  kNoAppeal,
  kPublished,
  kUnpublishableChecksFailed,
  kWithheld,
  kTimeout,
  kDeemedApproved,
  kBypassed,
  kNoProcess,
  kThresholdsMet,
  kThresholdsMissed,
  kEscalationLimit,
};
[[nodiscard]] std::string_view to_string(ReasonCode reason) noexcept;  ///< "checks-passed", ...

enum class StepOutcome : std::uint8_t {
  kApproved,
  kRejected,
  kNoDecision,  ///< withheld, no consensus, no quorum: the timeout rule applies
  kTimedOut,
  kSkipped,    ///< not applicable to this request (not recorded) or bypassed
  kEscalated,  ///< an appeal was lodged: the body named by escalate_to decides next
};
[[nodiscard]] std::string_view to_string(StepOutcome outcome) noexcept;

/// Which injected failure shaped a step (kNone when none did).
enum class Injection : std::uint8_t { kNone, kCapture, kDeadlock, kInterference, kCollusion };
[[nodiscard]] std::string_view to_string(Injection injection) noexcept;

/// Counts behind a collective decision (votes, objections, vetoes); weights in 1/10000.
struct Tally {
  std::uint16_t yes = 0;
  std::uint16_t no = 0;
  std::uint16_t abstain = 0;
  std::uint16_t yes_weight = 0;
  std::uint16_t no_weight = 0;
  friend bool operator==(const Tally&, const Tally&) = default;
};

struct StageDecision {
  StepOutcome outcome = StepOutcome::kApproved;
  ReasonCode reason = ReasonCode::kApproved;
  ActorRef actor;
  Injection injection = Injection::kNone;
  Tally tally;
  std::optional<std::uint16_t> escalate_to;  ///< with kEscalated: the stage that decides next
};

enum class Choice : std::uint8_t { kYes, kNo, kWithhold };
struct ChoiceResult {
  Choice choice = Choice::kYes;
  Injection injection = Injection::kNone;
};

/// How actors choose: injected failures first (deadlock, interference, capture), then declared
/// interests, then a draw with the primitive's probability. Built once per Circumstances.
class Behaviour {
 public:
  Behaviour(const Circumstances& circumstances, const ActorDirectory& actors);
  /// `yes_probability` is the chance of supporting the request absent failures and interests.
  /// Draws at most one number from `rng`. O(failures + interests of `actor`).
  [[nodiscard]] ChoiceResult choose(ActorRef actor, const RequestFacts& facts,
                                    double yes_probability, std::mt19937_64& rng) const;
  /// The actor `follower` copies in the same stage, if a collusion failure says so.
  [[nodiscard]] std::optional<ActorIndex> collusion_leader(ActorIndex follower) const;
  [[nodiscard]] bool has_failures_or_interests() const noexcept { return active_; }
  [[nodiscard]] const Circumstances& circumstances() const noexcept { return *circumstances_; }

 private:
  const Circumstances* circumstances_;  // borrowed: outlives the Behaviour
  const ActorDirectory* actors_;        // borrowed
  std::vector<std::uint8_t> touched_;   // per directory actor: named by a failure or interest
  bool active_ = false;
};

/// The IDN string-similarity panel as the review-panel primitive sees it.
enum class ReviewVerdict : std::uint8_t { kAccept, kAcceptWithMitigation, kReject };
class StringReview {
 public:
  virtual ~StringReview() = default;
  /// The panel's verdict on `label` (A-label, no dot) under the named rule set.
  [[nodiscard]] virtual ReviewVerdict verdict(std::string_view label,
                                              std::string_view rule_set) const = 0;
};

struct StageContext {
  const RequestFacts& facts;
  const ActorDirectory& actors;
  const Behaviour& behaviour;
  std::mt19937_64& rng;
  StepOutcome standing;        ///< kApproved, or kRejected when an appeal may reopen it
  const StringReview* review;  ///< nullable
};

/// Who can do what in a stage, for the structural analysis. Parties are actor ids or roles
/// ("@tld-government", "@tld-manager", "@requester").
struct StageStructure {
  bool applicable = true;    ///< false: the stage does nothing for this class of request
  bool ministerial = false;  ///< passes whatever anyone wants (a valid request; publication)
  std::vector<std::string> sole_passers;  ///< approving alone passes it against all others
  std::vector<std::string> blockers;      ///< refusing alone blocks it
  std::vector<std::string> participants;  ///< everyone with a say
  double trigger_probability = 1.0;       ///< appeals: the chance one is lodged
  std::optional<std::uint16_t> escalates_to;
  bool overturns_approval = false;  ///< appeal against an approval (body may reject)
};

struct StructureQuery {
  RequestKind kind = RequestKind::kNsUpdate;
  TldClass tld_class = TldClass::kGeneric;
};

class Primitive {
 public:
  virtual ~Primitive() = default;
  /// The catalog name ("vote").
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  /// Decides the request (the engine adds the stage's delay). May draw from ctx.rng.
  [[nodiscard]] virtual StageDecision decide(const StageContext& ctx) const = 0;
  /// When the stage ends if it starts at `start` and its work takes `delay` (meetings and
  /// publication batches wait for their next slot).
  [[nodiscard]] virtual dns::SimTime finish(dns::SimTime start, dns::SimTime delay) const {
    return start + delay;
  }
  /// The expected wait finish() adds on top of the delay, in days.
  [[nodiscard]] virtual double expected_wait_days() const { return 0; }
  /// True for publication by the root zone maintainer.
  [[nodiscard]] virtual bool publishes() const { return false; }
  /// True when the stage may run after a rejection (appeals against rejections).
  [[nodiscard]] virtual bool runs_after_rejection() const { return false; }
  /// Stages this one hands decisions to (appeal bodies), for cycle checks.
  [[nodiscard]] virtual std::vector<std::uint16_t> escalation_targets() const { return {}; }
  [[nodiscard]] virtual StageStructure structure(const StructureQuery& query,
                                                 const ActorDirectory& actors) const = 0;
};

/// What a factory may look at while parsing params.
struct ParseContext {
  const ActorDirectory& actors;
  const std::vector<std::string>& stage_names;  ///< every stage of the arrangement, by index
};

using PrimitiveFactory = Result<std::shared_ptr<const Primitive>> (*)(const nlohmann::json& params,
                                                                      const std::string& pointer,
                                                                      const ParseContext& context);

class PrimitiveCatalog {
 public:
  /// Adds or replaces a primitive kind.
  void add(std::string name, PrimitiveFactory factory);
  [[nodiscard]] PrimitiveFactory find(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::map<std::string, PrimitiveFactory, std::less<>> factories_;
};

/// The eleven primitives this module ships.
[[nodiscard]] PrimitiveCatalog builtin_primitives();

}  // namespace rootsim::policy
