// The headline metrics' keys, units and one-line definitions, shared by summary.json,
// results.db and `rootsim run --help`. The order is Metric's.
#include "rootsim/scenarios/results.hpp"

namespace rootsim::scenarios {

const std::array<MetricDefinition, kMetricCount>& metric_definitions() noexcept {
  static constexpr std::array<MetricDefinition, kMetricCount> kDefinitions = {{
      {"changes_per_year", "changes/year",
       "NS, DS and delegation changes published, per simulated year"},
      {"publications_per_day", "publications/day",
       "zone versions published, per simulated day"},
      {"lead_time_p50_days", "days",
       "request submitted -> change published, 50th percentile over published changes"},
      {"lead_time_p90_days", "days",
       "request submitted -> change published, 90th percentile over published changes"},
      {"lead_time_p95_days", "days",
       "request submitted -> change published, 95th percentile over published changes"},
      {"decision_time_p50_days", "days",
       "request submitted -> final decision, median over decided requests"},
      {"resolvers_50_hours_p50", "hours",
       "publication -> half of the resolvers answer with the change, median over changes"},
      {"resolvers_95_hours_p50", "hours",
       "publication -> 95% of the resolvers answer with the change, median over changes"},
      {"resolution_correct", "share",
       "share of stub queries answered in agreement with the legitimate zone"},
      {"resolution_wrong", "share",
       "share of stub queries answered from a modified or alternate zone that disagrees with "
       "it"},
      {"resolution_failed", "share",
       "share of stub queries not answered (no instance reachable, validation failure, "
       "SERVFAIL)"},
      {"tlds_removed", "TLDs", "TLDs of the starting zone absent from the legitimate zone at the end"},
      {"tld_lost_days", "TLD-days",
       "days on which TLDs of the starting zone were missing from the legitimate zone, summed "
       "over TLDs"},
      {"resolvers_losing_a_tld", "resolvers",
       "resolvers that answered NXDOMAIN for a TLD of the starting zone at least once"},
      {"tld_dark_days", "days",
       "for a TLD whose own name servers went dark (tld-outage): days until they answered again "
       "or its redelegation was published, whichever came first; mean over such outages"},
      {"foreign_decisions_on_cctlds", "decisions",
       "decisive steps on a ccTLD request taken by a government or oversight actor of another "
       "country (Tunis Agenda para 63)"},
      {"blocked_against_community", "requests",
       "requests by a TLD's own manager or government that passed the technical checks but "
       "were not published"},
      {"forced_against_community", "requests",
       "changes published on a TLD against the declared or presumed opposition of its own "
       "manager or government"},
      {"single_points_of_control_exercised", "decisions",
       "decisive steps taken by an actor that can alone get such a request through"},
      {"public_decision_share", "share",
       "share of decisive steps taken in stages whose decisions are published (public_record)"},
      {"requests_rejected", "requests", "requests rejected or timed out"},
      {"requests_pending", "requests", "requests with no decision at the end"},
      {"system_availability", "share",
       "share of resolver-to-root query attempts that some instance answered (RSSAC047 system "
       "availability)"},
      {"instance_availability_median", "share",
       "median over instances of the share of time each answered (RSSAC047 per-instance "
       "availability)"},
      {"answer_correctness", "share",
       "share of root answers drawn from a legitimate zone version (RSSAC047 correctness)"},
      {"root_nxdomain_share", "share",
       "share of the answers resolvers got from the root that were NXDOMAIN (names under no "
       "delegated TLD), to compare with published root traffic studies"},
      {"root_latency_p50_ms", "ms",
       "median time a resolver waited for a root answer: round trip to the instance that "
       "answered plus a timeout for each one that did not (RSSAC047 latency)"},
      {"root_latency_p95_ms", "ms",
       "95th percentile of the same wait (RSSAC047 latency)"},
      {"publication_latency_p50_minutes", "minutes",
       "zone publication -> an instance serves it, 50th percentile over instances and versions "
       "(RSSAC047 publication latency)"},
      {"publication_latency_p95_minutes", "minutes",
       "zone publication -> an instance serves it, 95th percentile over instances and versions "
       "(RSSAC047 publication latency)"},
      {"events", "events", "simulation events processed"},
      {"core_lookups", "queries",
       "resolver queries answered by the resolver core (answer()) of an instance's snapshot"},
      {"stub_queries", "queries", "stub queries simulated"},
  }};
  return kDefinitions;
}

const MetricDefinition& definition(Metric metric) noexcept {
  return metric_definitions()[static_cast<std::size_t>(metric)];
}

}  // namespace rootsim::scenarios
