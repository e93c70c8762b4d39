// The replication's event loop, publications, traffic steps and the metrics at the end.
#include "simulation.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "rootsim/dns/random.hpp"
#include "sampling.hpp"

namespace rootsim::scenarios {
namespace {

double quantile(std::vector<double> values, double q) {
  if (values.empty()) {
    return 0;
  }
  std::sort(values.begin(), values.end());
  // Linear interpolation between closest ranks (type 7, as R and NumPy default).
  const double position = q * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const auto upper = std::min(lower + 1, values.size() - 1);
  return values[lower] + (values[upper] - values[lower]) * (position - static_cast<double>(lower));
}

}  // namespace

std::uint64_t replication_seed(std::uint64_t scenario_seed, std::uint32_t replication) {
  return rootsim::stream_seed(scenario_seed, "replication/" + std::to_string(replication));
}

Simulation::Simulation(const World& world, std::size_t arrangement, std::uint32_t replication)
    : world_(&world),
      scenario_(world.scenario),
      arrangement_(arrangement),
      replication_(replication),
      seed_(replication_seed(world.seed, replication)),
      arrivals_rng_(rootsim::make_stream(seed_, "arrivals")),
      requests_rng_(rootsim::make_stream(seed_, "requests")),
      governance_rng_(rootsim::make_stream(seed_, "governance")),
      events_rng_(rootsim::make_stream(seed_, "events")),
      staff_rng_(rootsim::make_stream(seed_, "staff")),
      staff_free_at_(world.scenario->changes.staff, dns::SimTime{0}),
      publisher_(world.baseline, world.keys, world.scenario->epoch_unix, world.signatures.get()),
      tlds_(world.baseline.tlds.size() + [&] {
              std::size_t extra = 16;
              for (const ScenarioEvent& e : world.scenario->events) {
                extra += e.kind == EventKind::kDelegationRound ? e.count
                         : e.kind == EventKind::kDelegation    ? 1
                                                               : 0;
              }
              return extra;
            }(),
            world.scenario->traffic.zipf_exponent),
      servers_(world, rootsim::make_stream(seed_, "servers")),
      resolvers_(world, servers_, publisher_, tlds_, rootsim::make_stream(seed_, "population"),
                 rootsim::make_stream(seed_, "traffic")),
      governance_(world, world.arrangements[arrangement]) {}

Simulation::~Simulation() = default;

void Simulation::log(dns::SimTime at, std::string_view type, nlohmann::json fields) {
  nlohmann::json line = std::move(fields);
  line["arrangement"] = world_->arrangements[arrangement_].name;
  line["replication"] = replication_;
  line["t_us"] = at.count();
  line["type"] = type;
  result_.events.push_back(line.dump());
}

dns::SimTime Simulation::next_publication(dns::SimTime after) const {
  // The arrangement's publication stage sets the schedule (slots from the epoch); without one,
  // the root's ~2.5 a day.
  const policy::Arrangement& arrangement = world_->arrangements[arrangement_];
  for (const policy::Stage& stage : arrangement.stages) {
    if (stage.primitive->publishes()) {
      return stage.primitive->finish(after + dns::SimTime(1), dns::SimTime{0});
    }
  }
  const auto period = dns::sim_days(1.0 / 2.5).count();
  return dns::SimTime(((after.count() / period) + 1) * period);
}

void Simulation::start() {
  for (const auto& [name, tld] : world_->baseline.tlds) {
    const std::uint32_t id = tlds_.intern(name, true);
    tlds_.at(id).exists = true;
  }
  auto popularity = rootsim::make_stream(seed_, "popularity");
  tlds_.shuffle_popularity(popularity, world_->popular_tlds);
  today_.assign(kRegions.size(), ResolutionSample{});
  for (std::size_t r = 0; r < kRegions.size(); ++r) {
    today_[r].region = static_cast<std::uint16_t>(r);
  }
  for (std::uint32_t i = 0; i < scenario_->events.size(); ++i) {
    schedule_step(scenario_->events[i].at, Step{Step::Kind::kEvent, i});
  }
  queue_.push(next_publication(dns::SimTime{0}), EventClass::kPublication);
  queue_.push(dns::SimTime{0}, EventClass::kTraffic);
  schedule_next_arrival(dns::SimTime{0});
}

void Simulation::schedule_step(dns::SimTime at, Step step) {
  steps_.push_back(step);
  queue_.push(at, EventClass::kScenario, static_cast<std::uint32_t>(steps_.size() - 1));
}

void Simulation::schedule_next_arrival(dns::SimTime now) {
  // Poisson arrivals with a weekday profile by thinning: the weekday rate w satisfies
  // 5w + 2fw = 7 x (the mean daily rate), weekend candidates are kept with probability f.
  const auto& changes = scenario_->changes;
  const double per_day = changes.per_tld_per_year * static_cast<double>(publisher_.state().tlds.size()) / 365.0;
  if (per_day <= 0) {
    return;
  }
  const double weekday_rate = 7.0 * per_day / (5.0 + 2.0 * changes.weekend_factor);
  dns::SimTime t = now;
  for (;;) {
    t += dns::sim_days(draw_exponential(arrivals_rng_, 1.0 / weekday_rate));
    if (t >= scenario_->duration) {
      return;
    }
    const std::int64_t unix_day =
        (scenario_->epoch_unix + std::chrono::duration_cast<std::chrono::seconds>(t).count()) / 86400;
    const bool weekend = (unix_day + 3) % 7 >= 5;  // 1970-01-01 was a Thursday: 0 = Monday
    if (!weekend || rootsim::bernoulli(arrivals_rng_, changes.weekend_factor)) {
      queue_.push(t, EventClass::kArrival);
      return;
    }
  }
}

Status Simulation::publish(dns::SimTime now) {
  auto version = publisher_.publish(now);
  if (!version) {
    return fail(std::move(version).error());
  }
  servers_.publish(*version, now);
  for (std::uint32_t id : restoring_) {
    tlds_.set_restored(id, *version);
    for (Outage& outage : outages_) {
      if (outage.tld == id) {
        outage.restored_at = std::min(outage.restored_at, now);
      }
    }
  }
  restoring_.clear();
  const ZoneVersion& published = publisher_.versions()[*version];
  // Which TLDs the legitimate zone now holds; how long the starting ones were missing.
  for (std::uint32_t id : changed_tlds_) {
    TldEntry& entry = tlds_.at(id);
    const bool exists = publisher_.state().find_tld(entry.name) != nullptr;
    if (entry.in_start && entry.exists && !exists) {
      entry.missing_since = now;
      probe_tlds_.push_back(id);
    } else if (entry.in_start && !entry.exists && exists) {
      tld_lost_days_ += dns::to_days(now - entry.missing_since);
    }
    entry.exists = exists;
  }
  std::sort(changed_tlds_.begin(), changed_tlds_.end());
  changed_tlds_.erase(std::unique(changed_tlds_.begin(), changed_tlds_.end()), changed_tlds_.end());
  for (std::uint32_t id : changed_tlds_) {
    const auto [p50, p95] = resolvers_.propagation_hours(id, *version, now);
    propagation50_hours_.push_back(p50);
    propagation95_hours_.push_back(p95);
  }
  for (std::uint32_t index : applied_since_publication_) {
    const Request& request = requests_[index];
    lead_times_days_.push_back(dns::to_days(now - request.submitted));
    ++published_changes_;
  }
  log(now, "publication",
      nlohmann::json{{"serial", published.serial},
                     {"changes", applied_since_publication_.size()}});
  applied_since_publication_.clear();
  changed_tlds_.clear();
  // Versions no instance and no local root can still serve are released.
  const auto& versions = publisher_.versions();
  const dns::SimTime horizon =
      now - dns::SimTime(static_cast<std::int64_t>(scenario_->servers.refresh_seconds * 1e6)) -
      dns::kSimSecond;
  std::uint32_t local_floor = 0;
  while (local_floor + 1 < versions.size() && versions[local_floor + 1].published <= horizon) {
    ++local_floor;
  }
  publisher_.release_before(std::min(servers_.oldest_held(now), local_floor));
  queue_.push(next_publication(now), EventClass::kPublication);
  return {};
}

void Simulation::traffic(dns::SimTime now) {
  const auto day = static_cast<std::uint32_t>(now.count() / dns::kSimDay.count());
  if (day != today_index_) {
    for (ResolutionSample& s : today_) {
      s.day = today_index_;
      if (s.correct + s.wrong + s.failed > 0) {
        result_.resolution.push_back(s);
      }
      s = ResolutionSample{.day = day, .region = s.region};
    }
    today_index_ = day;
  }
  resolvers_.step(now, today_);
  for (std::uint32_t tld : probe_tlds_) {
    resolvers_.probe_loss(tld, now);
  }
  const dns::SimTime next = now + scenario_->traffic.step;
  if (next < scenario_->duration) {
    queue_.push(next, EventClass::kTraffic);
  }
}

Status Simulation::handle(const Event& event) {
  switch (event.klass) {
    case EventClass::kScenario: {
      const Step step = steps_[event.payload];
      switch (step.kind) {
        case Step::Kind::kEvent:
          return scenario_event(step.index, event.at);
        case Step::Kind::kRequest:
          submit(step.index, event.at);
          return {};
        case Step::Kind::kZskAdvance:
          return advance_keys(registry::KeyRole::kZsk, event.at);
        case Step::Kind::kKskAdvance:
          return advance_keys(registry::KeyRole::kKsk, event.at);
      }
      return {};
    }
    case EventClass::kApply:
      apply(event.payload, event.at);
      return {};
    case EventClass::kPublication:
      return publish(event.at);
    case EventClass::kArrival:
      routine_arrival(event.at);
      schedule_next_arrival(event.at);
      return {};
    case EventClass::kTraffic:
      traffic(event.at);
      return {};
  }
  return {};
}

Result<ReplicationResult> Simulation::run(const std::function<void(double)>& progress,
                                          const std::atomic<bool>* cancel) {
  result_.arrangement = world_->arrangements[arrangement_].name;
  result_.replication = replication_;
  result_.seed = seed_;
  if (auto first = publisher_.publish(dns::SimTime{0}); !first) {
    return fail(std::move(first).error());
  }
  start();
  const double total = static_cast<double>(scenario_->duration.count());
  dns::SimTime reported{0};
  while (!queue_.empty() && queue_.top().at < scenario_->duration) {
    const Event event = queue_.pop();
    ++events_processed_;
    if (auto s = handle(event); !s) {
      return fail(std::move(s).error(), result_.arrangement + " replication " +
                                            std::to_string(replication_) + ": ");
    }
    if (event.at - reported >= dns::kSimDay) {
      reported = event.at;
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        return fail(Errc::kLimit, "interrupted");
      }
      if (progress) {
        progress(static_cast<double>(event.at.count()) / total);
      }
    }
  }
  return finish();
}

ReplicationResult Simulation::finish() {
  for (ResolutionSample& s : today_) {
    s.day = today_index_;
    if (s.correct + s.wrong + s.failed > 0) {
      result_.resolution.push_back(s);
    }
  }
  std::uint64_t correct = 0;
  std::uint64_t wrong = 0;
  std::uint64_t failed = 0;
  for (const ResolutionSample& s : result_.resolution) {
    correct += s.correct;
    wrong += s.wrong;
    failed += s.failed;
  }
  const double stub = static_cast<double>(std::max<std::uint64_t>(correct + wrong + failed, 1));
  std::uint64_t removed = 0;
  for (std::uint32_t id = 0; id < tlds_.size(); ++id) {
    const TldEntry& entry = tlds_.at(id);
    if (entry.in_start && !entry.exists) {
      ++removed;
      tld_lost_days_ += dns::to_days(scenario_->duration - entry.missing_since);
    }
  }
  const double days = dns::to_days(scenario_->duration);
  const TrafficTotals& totals = resolvers_.totals();
  auto& v = result_.values;
  auto set = [&](Metric m, double value) { v[static_cast<std::size_t>(m)] = value; };
  set(Metric::kChangesPerYear, static_cast<double>(published_changes_) * 365.0 / days);
  set(Metric::kPublicationsPerDay, static_cast<double>(publisher_.versions().size() - 1) / days);
  set(Metric::kLeadTimeP50, quantile(lead_times_days_, 0.50));
  set(Metric::kLeadTimeP90, quantile(lead_times_days_, 0.90));
  set(Metric::kLeadTimeP95, quantile(lead_times_days_, 0.95));
  set(Metric::kDecisionTimeP50, quantile(decision_days_, 0.50));
  set(Metric::kResolvers50HoursP50, quantile(propagation50_hours_, 0.5));
  set(Metric::kResolvers95HoursP50, quantile(propagation95_hours_, 0.5));
  set(Metric::kResolutionCorrect, static_cast<double>(correct) / stub);
  set(Metric::kResolutionWrong, static_cast<double>(wrong) / stub);
  set(Metric::kResolutionFailed, static_cast<double>(failed) / stub);
  set(Metric::kTldsRemoved, static_cast<double>(removed));
  set(Metric::kTldLostDays, tld_lost_days_);
  double dark_days = 0;
  for (const Outage& outage : outages_) {
    const dns::SimTime end =
        std::min({outage.dark_until, outage.restored_at, scenario_->duration});
    dark_days += dns::to_days(end - outage.start);
  }
  set(Metric::kTldDarkDays, outages_.empty() ? 0.0 : dark_days / static_cast<double>(outages_.size()));
  set(Metric::kResolversLosingATld, static_cast<double>(resolvers_.resolvers_losing_a_tld()));
  set(Metric::kForeignDecisionsOnCctlds, static_cast<double>(foreign_decisions_));
  set(Metric::kBlockedAgainstCommunity, static_cast<double>(blocked_));
  set(Metric::kForcedAgainstCommunity, static_cast<double>(forced_));
  set(Metric::kSinglePointsOfControlExercised, static_cast<double>(single_points_));
  set(Metric::kPublicDecisionShare,
      decisive_steps_ == 0 ? 0.0
                           : static_cast<double>(public_steps_) / static_cast<double>(decisive_steps_));
  set(Metric::kRequestsRejected, static_cast<double>(rejected_));
  set(Metric::kRequestsPending, static_cast<double>(pending_));
  set(Metric::kSystemAvailability,
      totals.root_attempts == 0 ? 1.0
                                : static_cast<double>(totals.root_answered) /
                                      static_cast<double>(totals.root_attempts));
  set(Metric::kInstanceAvailabilityMedian, servers_.median_availability(scenario_->duration));
  set(Metric::kAnswerCorrectness,
      totals.answers == 0 ? 1.0
                          : static_cast<double>(totals.legit_answers) /
                                static_cast<double>(totals.answers));
  set(Metric::kRootNxdomainShare,
      totals.answers == 0 ? 0.0
                          : static_cast<double>(totals.nxdomain_answers) /
                                static_cast<double>(totals.answers));
  set(Metric::kRootLatencyP50, resolvers_.latency_ms(0.50));
  set(Metric::kRootLatencyP95, resolvers_.latency_ms(0.95));
  set(Metric::kPublicationLatencyP50, servers_.publication_latency_minutes(0.50));
  set(Metric::kPublicationLatencyP95, servers_.publication_latency_minutes(0.95));
  set(Metric::kEvents, static_cast<double>(events_processed_));
  set(Metric::kCoreLookups, static_cast<double>(totals.core_lookups));
  set(Metric::kStubQueries, static_cast<double>(totals.stub_queries));
  result_.lead_times_days = lead_times_days_;
  result_.participation.assign(participation_.begin(), participation_.end());
  return std::move(result_);
}

}  // namespace rootsim::scenarios
