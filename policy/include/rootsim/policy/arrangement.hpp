// A governance arrangement as data: named stages (a primitive with its params, a delay
// distribution, a timeout and what happens on timeout) and, per request type and TLD class, the
// ordered list of stages a request passes (policy/arrangement.schema.json, docs/governance.md).
// Parsing is strict: unknown keys, bad values, unknown actors or stages, escalation cycles and
// impossible thresholds are kParse errors naming the JSON pointer. Thread-safety: an
// Arrangement is immutable after parsing and may be shared. Ownership: it owns its stages;
// primitives are shared immutable objects.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/dns/sim_time.hpp"
#include "rootsim/policy/primitive.hpp"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::policy {

enum class DelayKind : std::uint8_t { kFixed, kExponential, kLognormal, kEmpirical };

/// How long a stage's work takes. Parameters are in days; `business_days` counts only Monday
/// to Friday (UTC) from the stage's start.
struct Delay {
  DelayKind kind = DelayKind::kFixed;
  double days = 0;             ///< fixed: the value; exponential: the mean; lognormal: the median
  double sigma = 0;            ///< lognormal: of the underlying normal
  std::vector<double> values;  ///< empirical: equally likely values
  std::optional<double> max_days;
  bool business_days = false;

  /// One draw in days (at most one number from `rng`; none for fixed). Clamped to max_days.
  [[nodiscard]] double sample_days(std::mt19937_64& rng) const;
  /// The mean of sample_days(), computed in closed form (clamping included).
  [[nodiscard]] double expected_days() const;
};

enum class TimeoutAction : std::uint8_t { kApprove, kReject, kPending, kEscalate };

struct Stage {
  std::string name;
  std::string description;
  std::shared_ptr<const Primitive> primitive;
  Delay delay;
  std::optional<dns::SimTime> timeout;
  TimeoutAction on_timeout = TimeoutAction::kReject;
  std::optional<std::uint16_t> escalate_to;  ///< with kEscalate
  std::vector<ActorIndex> bypassed_by;       ///< requesters for whom the stage does not apply
  /// The stage's decision is published where anyone can read it (board resolutions, votes of
  /// a plenary, an authority's public notices); transparency metrics count these.
  bool public_record = false;
};

struct Pipeline {
  std::string key;  ///< "default", "transfer", "cctld/transfer"
  std::vector<std::uint16_t> stages;
};

struct Arrangement {
  std::string name;
  std::string description;
  std::vector<std::string> sources;
  std::vector<Stage> stages;
  std::vector<Pipeline> pipelines;
  /// [kind][class] -> index into pipelines ("cctld/<type>", else "<type>", else "default").
  std::array<std::array<std::optional<std::uint16_t>, kTldClassCount>, kRequestKindCount> lookup{};

  /// The stages a request of this kind and class passes, or nullptr when the arrangement has
  /// no process for it. O(1).
  [[nodiscard]] const Pipeline* pipeline(RequestKind kind, TldClass tld_class) const noexcept;
  [[nodiscard]] std::optional<std::uint16_t> stage_index(std::string_view name) const;
};

/// Parses an arrangement document; errors start with `source` and the JSON pointer
/// ("my.json: /stages/vote/params/threshold: must be in (0, 1]").
[[nodiscard]] Result<Arrangement> parse_arrangement(std::string_view json_text,
                                                    const std::string& source,
                                                    const PrimitiveCatalog& catalog,
                                                    const ActorDirectory& actors);
[[nodiscard]] Result<Arrangement> arrangement_from_json(const nlohmann::json& document,
                                                        const std::string& pointer,
                                                        const PrimitiveCatalog& catalog,
                                                        const ActorDirectory& actors);

/// The six built-ins, in the order the issue lists them.
[[nodiscard]] const std::vector<std::string>& builtin_arrangement_names();
/// Where the built-ins live (policy/arrangements in the source tree).
[[nodiscard]] std::filesystem::path builtin_arrangement_dir();
/// A built-in by name, or any file when `name_or_path` names one (contains '/' or ends in
/// .json). Errors: kNotFound listing the built-ins; kIo; parse errors.
[[nodiscard]] Result<Arrangement> load_arrangement(std::string_view name_or_path,
                                                   const PrimitiveCatalog& catalog,
                                                   const ActorDirectory& actors);

/// Adds `duration` of business time (Monday-Friday, UTC) to `start`, where SimTime 0 is the
/// unix time `epoch_unix_seconds`. O(1) per week plus at most a few days.
[[nodiscard]] dns::SimTime add_business_time(dns::SimTime start, dns::SimTime duration,
                                             std::int64_t epoch_unix_seconds) noexcept;

}  // namespace rootsim::policy
