// The replication's requests (routine updates and the scenario's events) and world events.
#include "rootsim/dns/random.hpp"
#include "rootsim/registry/key_rollover.hpp"

#include "sampling.hpp"
#include "simulation.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace rootsim::scenarios {
namespace {

constexpr dns::SimTime kZskPhase = dns::kSimDay * 10;  // pre-publication, then retirement
constexpr dns::SimTime kKskPhase = dns::kSimDay * 90;  // double signature, as the 2018 roll

std::string iso_date(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return text;
}

registry::Contact contact_for(const std::string& who) {
  return registry::Contact{who, who, "contact@example.net"};
}

dns::DsRdata random_ds(std::mt19937_64& rng) {
  dns::DsRdata ds;
  ds.key_tag = static_cast<std::uint16_t>(rootsim::uniform_int(rng, 1, 65535));
  ds.algorithm = 13;
  ds.digest_type = 2;
  ds.digest.resize(32);
  for (auto& b : ds.digest) {
    b = static_cast<std::uint8_t>(rootsim::uniform_int(rng, 0, 255));
  }
  return ds;
}

// The `index`-th element of an ordered map (index < size), walked to from the nearer end.
template <class Map>
typename Map::const_iterator nth(const Map& map, std::uint64_t index) {
  if (index < map.size() / 2) {
    return std::next(map.begin(), static_cast<std::ptrdiff_t>(index));
  }
  return std::prev(map.end(), static_cast<std::ptrdiff_t>(map.size() - index));
}

}  // namespace

std::vector<dns::Name> Simulation::borrowed_hosts(const dns::Name& tld, std::size_t count) {
  // Name servers of other TLDs' operators (outside `tld`, so no glue is needed here).
  const auto& hosts = publisher_.state().hosts;
  std::vector<dns::Name> chosen;
  for (int attempt = 0; attempt < 64 && chosen.size() < count && !hosts.empty(); ++attempt) {
    const dns::Name& host =
        nth(hosts, rootsim::uniform_int(requests_rng_, 0, hosts.size() - 1))->first;
    if (host.is_subdomain_of(tld) || host.label_count() < 2 ||
        publisher_.state().find_tld(host.suffix(1)) == nullptr ||
        std::find(chosen.begin(), chosen.end(), host) != chosen.end()) {
      continue;
    }
    chosen.push_back(host);
  }
  return chosen;
}

std::string Simulation::new_label() {
  static constexpr std::string_view kConsonants = "bcdfghklmnprstvz";
  static constexpr std::string_view kVowels = "aeiou";
  for (;;) {
    std::string label;
    const auto syllables = rootsim::uniform_int(requests_rng_, 2, 4);
    for (std::uint64_t i = 0; i < syllables; ++i) {
      label += kConsonants[rootsim::uniform_int(requests_rng_, 0, kConsonants.size() - 1)];
      label += kVowels[rootsim::uniform_int(requests_rng_, 0, kVowels.size() - 1)];
    }
    auto name = dns::Name::from_text(label);
    if (name && publisher_.state().find_tld(*name) == nullptr && !tlds_.find(*name)) {
      return label;
    }
  }
}

registry::ChangeRequest Simulation::routine_request() {
  const auto& tlds = publisher_.state().tlds;
  const registry::Tld& tld =
      nth(tlds, rootsim::uniform_int(requests_rng_, 0, tlds.size() - 1))->second;
  registry::ChangeRequest request;
  request.tld = tld.label;
  request.requester = "manager:" + tld.label.first_label();
  if (rootsim::bernoulli(requests_rng_, scenario_->changes.ds_share)) {
    request.change = registry::DsUpdate{{random_ds(requests_rng_)}};
    return request;
  }
  // Replace one name server with another operator's host.
  std::vector<dns::Name> ns = tld.delegation.name_servers;
  const auto replacement = borrowed_hosts(tld.label, 1);
  if (ns.empty() || replacement.empty() ||
      std::find(ns.begin(), ns.end(), replacement[0]) != ns.end()) {
    request.change = registry::DsUpdate{{random_ds(requests_rng_)}};
    return request;
  }
  ns[rootsim::uniform_int(requests_rng_, 0, ns.size() - 1)] = replacement[0];
  request.change = registry::NsUpdate{ns, {}};
  return request;
}

registry::ChangeRequest Simulation::delegation_request(const dns::Name& tld,
                                                       const std::string& requester,
                                                       registry::TldKind kind) {
  registry::Delegate delegate;
  delegate.kind = kind;
  if (kind == registry::TldKind::kCountryCode) {
    std::string code = tld.first_label();
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    delegate.iso_code = code;
  }
  delegate.manager = "Registry operator of " + tld.first_label();
  delegate.admin = contact_for(delegate.manager);
  delegate.tech = contact_for(delegate.manager);
  delegate.ns = borrowed_hosts(tld, 2);
  delegate.ds = {random_ds(requests_rng_)};
  registry::ChangeRequest request;
  request.tld = tld;
  request.requester = requester.empty() ? "manager:" + tld.first_label() : requester;
  request.change = std::move(delegate);
  return request;
}

std::uint32_t Simulation::add_request(registry::ChangeRequest change, std::string origin) {
  requests_.push_back(Request{std::move(change), std::move(origin), {}, {}});
  return static_cast<std::uint32_t>(requests_.size() - 1);
}

void Simulation::routine_arrival(dns::SimTime now) {
  const std::uint32_t index = add_request(routine_request(), "routine");
  submit(index, now);
}

void Simulation::submit(std::uint32_t index, dns::SimTime now) {
  Request& request = requests_[index];
  request.submitted = now;
  const std::string tld = request.change.tld.first_label();
  const std::string type(registry::to_string(request.change.type()));
  // With limited provisioning staff a request first waits for one of them and their work.
  dns::SimTime start = now;
  if (!staff_free_at_.empty()) {
    auto slot = std::min_element(staff_free_at_.begin(), staff_free_at_.end());
    start = std::max(now, *slot) +
            dns::sim_days(draw_exponential(staff_rng_, scenario_->changes.work_hours / 24.0));
    *slot = start;
  }
  auto outcome = governance_.decide(request.change, publisher_.state(), start, governance_rng_,
                                    participation_);
  if (!outcome) {
    // It no longer fits the registry (e.g. the TLD is gone): refused before any process.
    log(now, "request-refused",
        nlohmann::json{{"id", index},
                       {"tld", tld},
                       {"request", type},
                       {"origin", request.origin},
                       {"error", outcome.error().message}});
    return;
  }
  request.outcome = std::move(*outcome);
  const GovernanceOutcome& o = request.outcome;
  log(now, "request",
      nlohmann::json{{"id", index},
                     {"tld", tld},
                     {"request", type},
                     {"origin", request.origin},
                     {"requester", request.change.requester}});
  log(o.decision_at, "decision",
      nlohmann::json{{"id", index},
                     {"outcome", policy::to_string(o.outcome)},
                     {"reason", o.reason},
                     {"deciders", o.deciders},
                     {"foreign_decisions", o.foreign_decisions}});
  foreign_decisions_ += o.foreign_decisions;
  blocked_ += o.blocked_against_community ? 1 : 0;
  forced_ += o.forced_against_community ? 1 : 0;
  single_points_ += o.single_points_exercised;
  decisive_steps_ += o.decisive_steps;
  public_steps_ += o.public_steps;
  if (o.outcome != policy::FinalOutcome::kPending) {
    decision_days_.push_back(dns::to_days(o.decision_at - now));
  }
  switch (o.outcome) {
    case policy::FinalOutcome::kPublished:
      queue_.push(std::max(o.decided_at, now), EventClass::kApply, index);
      break;
    case policy::FinalOutcome::kRejected:
    case policy::FinalOutcome::kTimedOut:
      ++rejected_;
      break;
    case policy::FinalOutcome::kPending:
      ++pending_;
      break;
    case policy::FinalOutcome::kApproved:
      break;
  }
}

void Simulation::apply(std::uint32_t index, dns::SimTime now) {
  Request& request = requests_[index];
  auto mutation = publisher_.apply(request.change, now);
  if (!mutation) {
    log(now, "change-failed", nlohmann::json{{"id", index}, {"error", mutation.error().message}});
    return;
  }
  applied_since_publication_.push_back(index);
  changed_tlds_.push_back(tlds_.intern(request.change.tld, false));
  for (const Outage& outage : outages_) {
    if (outage.request == index) {
      restoring_.push_back(outage.tld);  // service comes back with the next version
    }
  }
  for (const dns::Name& other : mutation->also_affected) {
    changed_tlds_.push_back(tlds_.intern(other, false));
  }
}

Status Simulation::advance_keys(registry::KeyRole role, dns::SimTime now) {
  const std::int64_t unix_now =
      scenario_->epoch_unix + std::chrono::duration_cast<std::chrono::seconds>(now).count();
  auto keys = registry::roll_keys(publisher_.keys(), role, unix_now);
  if (!keys) {
    return fail(std::move(keys).error(), "key rollover: ");
  }
  publisher_.set_keys(std::move(*keys));
  auto status = registry::rollover_status(publisher_.keys(), role);
  const bool done = status && status->phase == registry::RolloverPhase::kIdle;
  log(now, role == registry::KeyRole::kKsk ? "ksk-rollover-step" : "zsk-rollover-step",
      nlohmann::json{{"done", done}});
  if (!done) {
    schedule_step(
        now + (role == registry::KeyRole::kKsk ? kKskPhase : kZskPhase),
        Step{role == registry::KeyRole::kKsk ? Step::Kind::kKskAdvance : Step::Kind::kZskAdvance,
             0});
  }
  return {};
}

Status Simulation::scenario_event(std::uint32_t index, dns::SimTime now) {
  const ScenarioEvent& event = scenario_->events[index];
  const World::EventTarget& target = world_->targets[index];
  const dns::SimTime until =
      event.duration.count() > 0 ? now + event.duration : dns::SimTime::max();
  log(now, to_string(event.kind), nlohmann::json{{"event", event.pointer}});
  switch (event.kind) {
    case EventKind::kDelegationRound: {
      const double gap_days = event.per_year_cap > 0 ? 365.0 / event.per_year_cap : 0;
      for (std::uint32_t i = 0; i < event.count; ++i) {
        const auto name = dns::Name::from_text(new_label());
        const std::uint32_t r = add_request(
            delegation_request(*name, event.requester, registry::TldKind::kGeneric), event.pointer);
        tlds_.intern(*name, false);
        schedule_step(now + dns::sim_days(gap_days * i), Step{Step::Kind::kRequest, r});
      }
      return {};
    }
    case EventKind::kDelegation: {
      const std::string label = target.tld.first_label();
      const registry::TldKind kind =
          label.size() == 2 ? registry::TldKind::kCountryCode : registry::TldKind::kGeneric;
      tlds_.intern(target.tld, false);
      submit(add_request(delegation_request(target.tld, event.requester, kind), event.pointer),
             now);
      return {};
    }
    case EventKind::kTransfer: {
      const registry::Tld* tld = publisher_.state().find_tld(target.tld);
      if (tld == nullptr) {
        return {};
      }
      registry::Transfer transfer;
      transfer.manager = "Successor of " + tld->manager;
      transfer.admin = contact_for(transfer.manager);
      transfer.tech = contact_for(transfer.manager);
      registry::ChangeRequest request;
      request.tld = target.tld;
      request.requester = event.consent ? "manager:" + target.tld.first_label()
                          : !event.requester.empty()
                              ? event.requester
                              : (tld->iso_code ? "gov:" + *tld->iso_code : "iana");
      request.change = std::move(transfer);
      submit(add_request(std::move(request), event.pointer), now);
      return {};
    }
    case EventKind::kRevoke:
    case EventKind::kRetirement: {
      const registry::Tld* tld = publisher_.state().find_tld(target.tld);
      if (tld == nullptr) {
        return {};
      }
      registry::ChangeRequest request;
      request.tld = target.tld;
      request.requester =
          !event.requester.empty()
              ? event.requester
              : (tld->iso_code ? "gov:" + *tld->iso_code : "manager:" + target.tld.first_label());
      if (event.kind == EventKind::kRevoke) {
        request.change = registry::Revoke{};
        submit(add_request(std::move(request), event.pointer), now);
        return {};
      }
      // ISO 3166 removal: the TLD retires and is removed when the grace period ends.
      const dns::SimTime removal = now + dns::sim_days(event.grace_days);
      request.change = registry::Retire{
          iso_date(scenario_->epoch_unix +
                   std::chrono::duration_cast<std::chrono::seconds>(removal).count())};
      submit(add_request(request, event.pointer), now);
      if (removal < scenario_->duration) {
        registry::ChangeRequest remove{target.tld, "iana", std::nullopt, registry::Revoke{}};
        schedule_step(removal,
                      Step{Step::Kind::kRequest, add_request(std::move(remove), event.pointer)});
      }
      return {};
    }
    case EventKind::kZskRollover:
      return advance_keys(registry::KeyRole::kZsk, now);
    case EventKind::kKskRollover: {
      std::uint16_t old_tag = 0;
      for (const registry::SigningKey& key : publisher_.keys()) {
        if (key.role == registry::KeyRole::kKsk) {
          old_tag = key.key_tag;
        }
      }
      if (auto s = advance_keys(registry::KeyRole::kKsk, now); !s) {
        return s;
      }
      std::uint16_t new_tag = old_tag;
      for (const registry::SigningKey& key : publisher_.keys()) {
        if (key.role == registry::KeyRole::kKsk && key.key_tag != old_tag) {
          new_tag = key.key_tag;
        }
      }
      resolvers_.miss_trust_anchor(event.share, old_tag, new_tag);
      return {};
    }
    case EventKind::kInstanceOutage: {
      std::vector<std::uint32_t> of_letter;  // the instances the event names
      for (std::uint32_t i = 0; i < servers_.size(); ++i) {
        const bool letter = event.letter.empty() || servers_.spec(i).letter == event.letter[0];
        const bool region = event.region.empty() || servers_.spec(i).region == target.region;
        if (letter && region) {
          of_letter.push_back(i);
        }
      }
      const auto down = static_cast<std::size_t>(
          std::llround(event.share * static_cast<double>(of_letter.size())));
      for (std::size_t i = 0; i < down && !of_letter.empty(); ++i) {
        const auto pick = rootsim::uniform_int(events_rng_, i, of_letter.size() - 1);
        std::swap(of_letter[i], of_letter[pick]);
        servers_.take_down(of_letter[i], now, std::min(until, scenario_->duration));
      }
      return {};
    }
    case EventKind::kOperatorOutage:
      for (std::uint32_t i = 0; i < servers_.size(); ++i) {
        if (target.rso && servers_.spec(i).rso == *target.rso) {
          servers_.take_down(i, now, std::min(until, scenario_->duration));
        }
      }
      return {};
    case EventKind::kPartition:
      servers_.cut_off(target.region, until);
      return {};
    case EventKind::kTldOutage: {
      // The TLD's own name servers go dark; after restore_after_days someone asks for a
      // redelegation to an interim operator, which goes through the arrangement like any other.
      const std::uint32_t id = tlds_.intern(target.tld, false);
      tlds_.set_dark(id, now + event.duration);
      outages_.push_back({id, SIZE_MAX, now, now + event.duration, dns::SimTime::max()});
      if (event.restore_after_days > 0) {
        const registry::Tld* tld = publisher_.state().find_tld(target.tld);
        registry::Transfer transfer;
        transfer.manager = "Interim operator of " + target.tld.first_label();
        transfer.admin = contact_for(transfer.manager);
        transfer.tech = contact_for(transfer.manager);
        transfer.ns = borrowed_hosts(target.tld, 2);
        registry::ChangeRequest request;
        request.tld = target.tld;
        request.requester = !event.requester.empty()            ? event.requester
                            : (tld != nullptr && tld->iso_code) ? "gov:" + *tld->iso_code
                                                                : "iana";
        request.change = std::move(transfer);
        const std::uint32_t r = add_request(std::move(request), event.pointer);
        outages_.back().request = r;
        schedule_step(now + dns::sim_days(event.restore_after_days), Step{Step::Kind::kRequest, r});
      }
      return {};
    }
    case EventKind::kAlternateRoot:
    case EventKind::kModifiedZone: {
      std::vector<dns::Name> removed = event.kind == EventKind::kAlternateRoot
                                           ? target.remove
                                           : std::vector<dns::Name>{target.tld};
      auto zone = publisher_.variant_without(removed);
      if (!zone) {
        return fail(std::move(zone).error(), event.pointer + ": ");
      }
      std::vector<std::uint32_t> ids;
      for (const dns::Name& name : removed) {
        ids.push_back(tlds_.intern(name, false));
        if (tlds_.at(ids.back()).in_start &&
            std::find(probe_tlds_.begin(), probe_tlds_.end(), ids.back()) == probe_tlds_.end()) {
          probe_tlds_.push_back(ids.back());
        }
      }
      if (event.kind == EventKind::kAlternateRoot) {
        resolvers_.adopt_alternate_root(target.region, event.share, std::move(*zone),
                                        std::move(ids), until);
      } else if (target.rso) {
        servers_.serve_modified(*target.rso, std::move(*zone), until);
        resolvers_.set_modified_tlds(std::move(ids));
      }
      return {};
    }
  }
  return {};
}

}  // namespace rootsim::scenarios
