// What a run produces: for each arrangement and replication the metric values, the lead-time
// samples, the event log lines and the resolution time series; and the metric definitions that
// summary.json, results.db and `rootsim run --help` share.
// Thread-safety: plain values. Ownership: values own their data.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::scenarios {

/// One headline metric: its key (summary.json, results.db) and a one-line definition.
struct MetricDefinition {
  std::string_view key;
  std::string_view unit;
  std::string_view definition;
};

/// Indices into ReplicationResult::values, in the order of metric_definitions().
enum class Metric : std::uint8_t {
  kChangesPerYear,
  kPublicationsPerDay,
  kLeadTimeP50,
  kLeadTimeP90,
  kLeadTimeP95,
  kDecisionTimeP50,
  kResolvers50HoursP50,
  kResolvers95HoursP50,
  kResolutionCorrect,
  kResolutionWrong,
  kResolutionFailed,
  kTldsRemoved,
  kTldLostDays,
  kResolversLosingATld,
  kTldDarkDays,
  kForeignDecisionsOnCctlds,
  kBlockedAgainstCommunity,
  kForcedAgainstCommunity,
  kSinglePointsOfControlExercised,
  kPublicDecisionShare,
  kRequestsRejected,
  kRequestsPending,
  kSystemAvailability,
  kInstanceAvailabilityMedian,
  kAnswerCorrectness,
  kRootNxdomainShare,
  kRootLatencyP50,
  kRootLatencyP95,
  kPublicationLatencyP50,
  kPublicationLatencyP95,
  kEvents,
  kCoreLookups,
  kStubQueries,
};
inline constexpr std::size_t kMetricCount = 33;

[[nodiscard]] const std::array<MetricDefinition, kMetricCount>& metric_definitions() noexcept;
[[nodiscard]] const MetricDefinition& definition(Metric metric) noexcept;

/// Stub query outcomes of one region over one day.
struct ResolutionSample {
  std::uint32_t day = 0;
  std::uint16_t region = 0;  ///< index into RunResults::regions
  std::uint64_t correct = 0;
  std::uint64_t wrong = 0;
  std::uint64_t failed = 0;
};

/// One replication of one arrangement.
struct ReplicationResult {
  std::string arrangement;
  std::uint32_t replication = 0;
  std::uint64_t seed = 0;  ///< the replication's own seed, split from the scenario's
  std::array<double, kMetricCount> values{};
  std::vector<double> lead_times_days;  ///< request -> publication, every published change
  /// Decision steps by Tunis Agenda stakeholder group and by M49 region of governments.
  std::vector<std::pair<std::string, std::uint64_t>> participation;
  std::vector<ResolutionSample> resolution;  ///< by day and region
  std::vector<std::string> events;           ///< JSON lines, in simulated-time order
};

struct RunResults {
  std::string scenario;
  std::uint64_t seed = 0;
  std::vector<std::string> regions;            ///< M49 regions, index = ResolutionSample::region
  std::vector<std::string> arrangements;       ///< in the order run
  /// Where each arrangement came from: a built-in's name or the file as the scenario (or
  /// --arrangements) names it.
  std::vector<std::string> arrangement_sources;
  std::vector<ReplicationResult> replications; ///< arrangement-major, then replication
  double wall_seconds = 0;                     ///< not written to deterministic outputs
};

}  // namespace rootsim::scenarios
