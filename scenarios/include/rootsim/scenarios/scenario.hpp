// A scenario as data: the period simulated, the arrangements compared, the baseline root, the
// world (root server instances, resolvers, traffic), the change-request model and the events
// (delegations, transfers, revocations, rollovers, outages, partitions, alternate roots), with
// the governance circumstances (interests, injected failures) kept as JSON until the actor
// directory is at hand. Parsing is strict: unknown keys, wrong units, events after the end and
// impossible parameters are kParse errors naming the file and the JSON pointer.
// Thread-safety: a Scenario is a plain value. Ownership: values own their data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/dns/result.hpp"
#include "rootsim/dns/sim_time.hpp"

namespace rootsim::scenarios {

/// The events a scenario can schedule ("type" in the JSON, in this order).
enum class EventKind : std::uint8_t {
  kDelegationRound,  ///< "delegation-round": `count` new gTLDs, at most `per_year_cap` a year
  kDelegation,       ///< "delegation": one new TLD `tld` (ASCII or IDN, U- or A-label)
  kTransfer,         ///< "transfer": `tld` to a new manager; `consent` of the incumbent
  kRevoke,           ///< "revoke": `requester` asks that `tld` be removed
  kRetirement,       ///< "retirement": ISO 3166 code of `tld` removed; retire after `grace_days`
  kZskRollover,      ///< "zsk-rollover"
  kKskRollover,      ///< "ksk-rollover": `share` of validators lack the new trust anchor
  kInstanceOutage,   ///< "instance-outage": `share` of the instances of `letter` and/or in
                     ///< `region` down
  kOperatorOutage,   ///< "operator-outage": every instance of operator `operator` down
  kPartition,        ///< "partition": `region` cut off from the rest of the world
  kAlternateRoot,    ///< "alternate-root": `share` of `region`'s resolvers use a root without `remove`
  kModifiedZone,     ///< "modified-zone": operator `operator` ordered to serve the root without `tld`
  kTldOutage,        ///< "tld-outage": `tld`'s own name servers stop answering for `duration`;
                     ///< after `restore_after_days` `requester` asks for new name servers
};
inline constexpr std::size_t kEventKindCount = 13;
[[nodiscard]] std::string_view to_string(EventKind kind) noexcept;

struct ScenarioEvent {
  EventKind kind = EventKind::kDelegation;
  std::string pointer;  ///< where it was declared ("/events/3"), for later errors
  dns::SimTime at{};    ///< "at_days" from the epoch
  dns::SimTime duration{};  ///< "duration_days": outages, partitions, alternate roots (0 = to the end)
  std::string tld;          ///< label without the dot, as written ("cz", "рф", "xn--p1ai")
  std::string requester;    ///< actor id ("gov:US", "manager:cz"); default depends on the kind
  bool consent = true;      ///< transfer: the incumbent manager agrees
  std::uint32_t count = 1;  ///< delegation-round: how many TLDs
  double per_year_cap = 0;  ///< delegation-round: at most this many a year (0 = uncapped)
  double grace_days = 5 * 365;     ///< retirement: 5 years by default, 10 at most
  double share = 1.0;              ///< see EventKind
  std::string letter;              ///< instance-outage: "a".."m" (empty: every letter)
  std::string operator_id;         ///< operator-outage / modified-zone: "rso:verisign"
  std::string region;              ///< partition / alternate-root / instance-outage: an M49 region
  std::vector<std::string> remove; ///< alternate-root: TLD labels its zone leaves out
  double restore_after_days = 0;   ///< tld-outage: when the redelegation is asked for (0 = never)
};

/// The routine change requests: NS and DS updates by TLD managers. (Zone versions are published
/// on the schedule of the arrangement's publication stage, with or without changes.)
struct ChangeModel {
  double per_tld_per_year = 0.54;    ///< NS/DS change requests per TLD per year
  double weekend_factor = 0.15;      ///< weekend arrival rate relative to weekdays
  double ds_share = 0.35;            ///< share of requests that change the DS set
  /// Provisioning staff handling requests in parallel before the arrangement's process starts
  /// (0 = unlimited: no queue). Each request takes `work_hours` (exponential mean) of one.
  std::uint32_t staff = 0;
  double work_hours = 4;
};

/// Root server instances and how they pick up new zone versions.
struct ServerModel {
  std::string instances_table = "root_server_instances.csv";  ///< in the data folder
  double notify_loss = 0.02;            ///< share of NOTIFYs an instance misses
  double transfer_median_seconds = 90;  ///< lognormal transfer delay after a NOTIFY
  double transfer_sigma = 0.8;
  double refresh_seconds = 1800;        ///< SOA refresh: the fallback when NOTIFY is missed
  double same_region_ms = 20;           ///< round trip to an instance in the resolver's region
  double other_region_ms = 150;         ///< ... in another region
  double timeout_ms = 400;              ///< a resolver's wait before it tries the next instance
};

/// The resolver population.
struct ResolverModel {
  std::uint32_t count = 10000;
  double validating_share = 0.35;   ///< resolvers that validate DNSSEC
  double local_root_share = 0.02;   ///< resolvers with an RFC 8806 local root
  std::uint32_t instances_each = 3; ///< nearest instances a resolver uses (plus 2 elsewhere for failover)
};

/// Stub traffic.
struct TrafficModel {
  /// "step_minutes". Every resolver sends its stub queries once a step: a sample of the
  /// population's traffic (10,000 resolvers at one query per 4 hours give ~22 million stub
  /// queries a simulated year), large enough for shares by region and day.
  dns::SimTime step = dns::kSimHour * 4;
  std::uint32_t queries_per_step = 1;     ///< stub queries per resolver per step
  double zipf_exponent = 1.0;             ///< TLD popularity
  /// Stub queries for names under no delegated TLD. Calibrated so that NXDOMAIN answers are
  /// about half of what resolvers get from the root, as root traffic studies find.
  double junk_share = 0.45;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string question;
  std::vector<std::string> sources;
  /// Classroom narrative ("narrative": {"look_at", "discuss"}): what to look at, what to discuss.
  std::string narrative_look_at;
  std::string narrative_discuss;
  std::int64_t epoch_unix = 0;         ///< "start": "YYYY-MM-DD" (UTC midnight)
  dns::SimTime duration = dns::kSimDay * 365;  ///< "duration_days"
  std::vector<std::string> arrangements;  ///< built-in names or arrangement files
  std::string baseline = "builtin";       ///< "builtin" or a zone file path
  /// "baseline_tlds": start from a smaller root of this many TLDs (0 = all): the country codes
  /// first, then the gTLDs of before 2012, then the rest by name, as the root grew.
  std::uint32_t baseline_tlds = 0;
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
  ChangeModel changes;
  ServerModel servers;
  ResolverModel resolvers;
  TrafficModel traffic;
  /// The "/governance" member as JSON text (policy::Circumstances), parsed by the runner once
  /// the actor directory is loaded; "{}" when absent.
  std::string governance_json = "{}";
  std::vector<ScenarioEvent> events;  ///< sorted by `at`, declaration order kept for ties
  /// The folder of the file it was loaded from (not part of the document): relative paths of
  /// arrangement files and of a baseline zone are taken from there. Empty for parsed text.
  std::filesystem::path source_dir;
};

/// Parses a scenario document (scenarios/scenario.schema.json). Errors: kParse starting with
/// `source` and the JSON pointer ("s.json: /events/2/at_days: after the end (365 days)").
[[nodiscard]] Result<Scenario> parse_scenario(std::string_view json_text,
                                              const std::string& source);
/// Reads and parses a file. Errors: kIo naming the file; as parse_scenario.
[[nodiscard]] Result<Scenario> load_scenario(const std::filesystem::path& file);

/// The library's folder (scenarios/library in the source tree).
[[nodiscard]] std::filesystem::path library_dir();

}  // namespace rootsim::scenarios
