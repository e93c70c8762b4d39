// Resolvers, their caches and the stub traffic: the simulation's hot path.
#include "resolvers.hpp"

#include <algorithm>
#include <cmath>

#include "rootsim/dns/random.hpp"
#include "rootsim/resolver/answer.hpp"
#include "sampling.hpp"

namespace rootsim::scenarios {
namespace {

constexpr std::uint32_t kExists = 1;
constexpr std::uint32_t kWrong = 2;
constexpr std::uint32_t kFailed = 0x80000000U;  // a cached failure
constexpr std::uint32_t kServfailRetrySeconds = 5;  // RFC 9520: failures are cached briefly
constexpr std::size_t kFailoverInstances = 2;      // instances in other regions, after the near ones

std::uint32_t sim_seconds(dns::SimTime t) {
  return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(t).count());
}

// Skips a possibly compressed name at `at`; returns the offset after it, or 0 when malformed.
std::size_t skip_name(std::span<const std::uint8_t> wire, std::size_t at) {
  while (at < wire.size()) {
    const std::uint8_t len = wire[at];
    if (len == 0) {
      return at + 1;
    }
    if ((len & 0xc0) == 0xc0) {
      return at + 2;
    }
    at += 1 + len;
  }
  return 0;
}

std::uint32_t read32(std::span<const std::uint8_t> w, std::size_t at) {
  return (std::uint32_t{w[at]} << 24) | (std::uint32_t{w[at + 1]} << 16) |
         (std::uint32_t{w[at + 2]} << 8) | std::uint32_t{w[at + 3]};
}

// The TTL a resolver caches a referral or a negative answer for: the first authority record's
// TTL (the NS RRset of a referral), or for a negative answer min(SOA TTL, SOA MINIMUM)
// (RFC 2308 §5). 0 when the response cannot be read.
std::uint32_t authority_ttl(std::span<const std::uint8_t> wire) {
  if (wire.size() < 12) {
    return 0;
  }
  const unsigned qd = (wire[4] << 8) | wire[5];
  const unsigned an = (wire[6] << 8) | wire[7];
  const unsigned ns = (wire[8] << 8) | wire[9];
  std::size_t at = 12;
  for (unsigned i = 0; i < qd && at != 0; ++i) {
    at = skip_name(wire, at);
    at = at == 0 ? 0 : at + 4;
  }
  for (unsigned i = 0; i < an && at != 0; ++i) {
    at = skip_name(wire, at);
    if (at == 0 || at + 10 > wire.size()) {
      return 0;
    }
    at += 10 + static_cast<std::size_t>((wire[at + 8] << 8) | wire[at + 9]);
  }
  if (ns == 0 || at == 0) {
    return 0;
  }
  at = skip_name(wire, at);
  if (at == 0 || at + 10 > wire.size()) {
    return 0;
  }
  const unsigned type = (wire[at] << 8) | wire[at + 1];
  const std::uint32_t ttl = read32(wire, at + 4);
  if (type != 6) {  // not SOA: a referral's NS
    return ttl;
  }
  std::size_t rdata = at + 10;
  rdata = skip_name(wire, rdata);
  rdata = rdata == 0 ? 0 : skip_name(wire, rdata);
  if (rdata == 0 || rdata + 20 > wire.size()) {
    return ttl;
  }
  return std::min(ttl, read32(wire, rdata + 16));
}

}  // namespace

Resolvers::Resolvers(const World& world, RootServers& servers, const ZonePublisher& publisher,
                     TldTable& tlds, std::mt19937_64 population_rng, std::mt19937_64 traffic_rng)
    : world_(&world),
      servers_(&servers),
      publisher_(&publisher),
      tlds_(&tlds),
      rng_(std::move(traffic_rng)),
      query_buffer_(300),
      answer_buffer_(resolver::kMaxResponseSize) {
  const auto& model = world.scenario->resolvers;
  // Instances by region and letter, for choosing each resolver's nearest ones.
  std::array<std::array<std::vector<std::uint32_t>, 13>, kRegions.size()> by_region{};
  for (std::uint32_t i = 0; i < world.instances.size(); ++i) {
    const InstanceSpec& s = world.instances[i];
    by_region[s.region][static_cast<std::size_t>(s.letter - 'a')].push_back(i);
  }
  std::vector<std::uint64_t> weights;
  for (double share : world.population_share) {
    weights.push_back(static_cast<std::uint64_t>(std::llround(share * 1e9)));
  }
  resolvers_.resize(model.count);
  for (Resolver& r : resolvers_) {
    r.region = static_cast<std::uint16_t>(rootsim::pick_weighted(population_rng, weights));
    r.validating = rootsim::bernoulli(population_rng, model.validating_share);
    r.local_root = rootsim::bernoulli(population_rng, model.local_root_share);
    r.refresh_phase = dns::SimTime(static_cast<std::int64_t>(
        rootsim::uniform_real01(population_rng) * world.scenario->servers.refresh_seconds * 1e6));
    // Letters in a random order; for each, the nearest instance: its own region's if the
    // letter has one there, else one elsewhere (latency: own region first).
    std::array<std::uint8_t, 13> letters{};
    for (std::uint8_t l = 0; l < 13; ++l) {
      letters[l] = l;
    }
    for (std::size_t i = 13; i > 1; --i) {
      std::swap(letters[i - 1], letters[rootsim::uniform_int(population_rng, 0, i - 1)]);
    }
    // The nearest ones first (own region), then, for failover, instances of other letters in
    // the other regions, nearest region first: a resolver that loses its region's instances
    // still reaches the root, at the other region's latency.
    std::vector<std::uint32_t> near;
    std::vector<std::uint32_t> far;
    for (std::uint8_t l : letters) {
      const auto& own = by_region[r.region][l];
      if (!own.empty() && near.size() < model.instances_each) {
        near.push_back(own[rootsim::uniform_int(population_rng, 0, own.size() - 1)]);
        continue;
      }
      for (std::size_t step = 1; step < kRegions.size(); ++step) {
        const auto& other = by_region[(r.region + step) % kRegions.size()][l];
        if (!other.empty()) {
          far.push_back(other[rootsim::uniform_int(population_rng, 0, other.size() - 1)]);
          break;
        }
      }
    }
    // Too few letters in the region: the nearest of the others take their places.
    while (near.size() < model.instances_each && !far.empty()) {
      near.push_back(far.front());
      far.erase(far.begin());
    }
    const std::size_t failover = std::min<std::size_t>(far.size(), kFailoverInstances);
    near.insert(near.end(), far.begin(), far.begin() + static_cast<std::ptrdiff_t>(failover));
    r.instance_count = static_cast<std::uint8_t>(std::min<std::size_t>(near.size(), r.instances.size()));
    std::copy_n(near.begin(), r.instance_count, r.instances.begin());
  }
  cache_.assign(resolvers_.size() * tlds.capacity(), CacheEntry{});
  for (const registry::SigningKey& key : publisher.keys()) {
    if (key.role == registry::KeyRole::kKsk) {
      old_anchor_ = key.key_tag;
    }
  }
}

bool Resolvers::trusts(const Resolver& r, std::uint32_t version) const {
  if (!r.validating) {
    return true;
  }
  for (std::uint16_t tag : publisher_->versions()[version].ksk_tags) {
    if (tag == old_anchor_ || (rollover_started_ && !r.lacks_new_anchor && tag == new_anchor_)) {
      return true;
    }
  }
  return false;
}

std::uint32_t Resolvers::local_version(const Resolver& r, dns::SimTime now) const {
  // The copy refreshed at the last SOA refresh tick: the newest version published by then.
  const auto period = static_cast<std::int64_t>(world_->scenario->servers.refresh_seconds * 1e6);
  const auto since = (now - r.refresh_phase).count();
  const dns::SimTime tick = since < 0 ? dns::SimTime{0}
                                      : r.refresh_phase + dns::SimTime(since / period * period);
  const auto& versions = publisher_->versions();
  const auto it = std::upper_bound(versions.begin(), versions.end(), tick,
                                   [](dns::SimTime t, const ZoneVersion& v) { return t < v.published; });
  return it == versions.begin() ? 0 : static_cast<std::uint32_t>(it - versions.begin() - 1);
}

Resolvers::RootAnswer Resolvers::ask_root(Resolver& r, std::span<const std::uint8_t> query,
                                          std::uint32_t tld, dns::SimTime now) {
  RootAnswer out;
  auto run = [&](const resolver::ZoneSnapshot& zone) {
    ++totals_.core_lookups;
    const resolver::AnswerResult a = resolver::answer(zone, query, answer_buffer_);
    out.answered = a.kind == resolver::AnswerKind::kReferral ||
                   a.kind == resolver::AnswerKind::kNxdomain ||
                   a.kind == resolver::AnswerKind::kAnswer || a.kind == resolver::AnswerKind::kNodata;
    out.exists = a.kind == resolver::AnswerKind::kReferral;
    totals_.nxdomain_answers += a.kind == resolver::AnswerKind::kNxdomain ? 1 : 0;
    out.ttl = authority_ttl(std::span<const std::uint8_t>(answer_buffer_.data(), a.size));
    return out.answered;
  };
  auto removed_here = [&](const std::vector<std::uint32_t>& removed) {
    return tld != UINT32_MAX && std::find(removed.begin(), removed.end(), tld) != removed.end();
  };
  if (r.alternate >= 0) {
    const Alternate& alt = alternates_[static_cast<std::size_t>(r.alternate)];
    if (now < alt.until) {
      ++totals_.root_attempts;
      // Signed with keys no validator trusts: validators get nothing.
      if (r.validating || !run(*alt.zone)) {
        return RootAnswer{};
      }
      ++totals_.root_answered;
      ++totals_.answers;
      record_latency(world_->scenario->servers.same_region_ms);
      out.wrong = removed_here(alt.removed);
      return out;
    }
    r.alternate = -1;
  }
  if (r.local_root) {
    // RFC 8806: a validated copy (ZONEMD) of the legitimate zone; modified zones are refused.
    const std::uint32_t v = local_version(r, now);
    if (trusts(r, v) && run(*publisher_->versions()[v].snapshot)) {
      ++totals_.answers;
      ++totals_.legit_answers;
      out.version = v;
      return out;
    }
    return RootAnswer{};
  }
  ++totals_.root_attempts;
  const auto& servers = world_->scenario->servers;
  double waited_ms = 0;
  for (std::uint8_t i = 0; i < r.instance_count; ++i) {
    const std::uint32_t instance = r.instances[i];
    if (!servers_->reachable(instance, r.region, now)) {
      waited_ms += servers.timeout_ms;
      continue;  // a timeout, then the next instance
    }
    waited_ms += servers_->spec(instance).region == r.region ? servers.same_region_ms
                                                             : servers.other_region_ms;
    const std::uint32_t v = servers_->version_at(instance, now);
    const resolver::ZoneSnapshot* modified = servers_->modified(instance, now);
    const resolver::ZoneSnapshot& zone = modified ? *modified : *publisher_->versions()[v].snapshot;
    if (!run(zone)) {
      continue;
    }
    ++totals_.answers;
    const bool altered = modified != nullptr && removed_here(modified_tlds_);
    totals_.legit_answers += modified == nullptr ? 1 : 0;
    if (altered && r.validating) {
      continue;  // the proofs do not verify: bogus, try another server
    }
    if (!trusts(r, v)) {
      break;  // no trust anchor for this zone's keys: every server gives the same
    }
    ++totals_.root_answered;
    record_latency(waited_ms);
    out.wrong = altered;
    out.version = v;
    return out;
  }
  return RootAnswer{};
}

void Resolvers::junk_query(Resolver& r, dns::SimTime now, ResolutionSample& sample) {
  // A name under no delegated TLD: every one is new, so it goes to the root. One draw makes
  // the whole name: its top 2 bits the length (8 to 11 letters), the other 62 read as a
  // fraction whose base-26 digits are the letters (26^11 < 2^62: all names about equally likely).
  const std::uint64_t draw = rng_();
  const auto length = static_cast<std::size_t>(8 + (draw >> 62));
  std::uint64_t fraction = draw << 2;
  std::uint8_t* w = query_buffer_.data();
  const std::uint8_t header[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
  std::copy(std::begin(header), std::end(header), w);
  w[12] = static_cast<std::uint8_t>(length);
  for (std::size_t i = 0; i < length; ++i) {
    __extension__ using Wide = unsigned __int128;
    const Wide scaled = static_cast<Wide>(fraction) * 26U;
    w[13 + i] = static_cast<std::uint8_t>('a' + static_cast<unsigned>(scaled >> 64));
    fraction = static_cast<std::uint64_t>(scaled);
  }
  std::size_t at = 13 + length;
  const std::uint8_t tail[] = {0, 0, 1, 0, 1, 0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0};
  std::copy(std::begin(tail), std::end(tail), w + at);
  w[at + 12] = r.validating ? 0x80 : 0;  // the DO bit (RFC 3225)
  at += sizeof(tail);
  const RootAnswer a = ask_root(r, std::span<const std::uint8_t>(w, at), UINT32_MAX, now);
  if (!a.answered) {
    ++sample.failed;
  } else if (a.exists) {
    ++sample.wrong;  // a junk name that resolves: an alternate root delegates it
  } else {
    ++sample.correct;
  }
}

void Resolvers::tld_query(Resolver& r, CacheEntry& entry, std::uint32_t tld, std::uint32_t rank,
                          dns::SimTime now, ResolutionSample& sample) {
  const std::uint32_t now_s = sim_seconds(now);
  if (entry.expires_s <= now_s) {
    const TldEntry& t = tlds_->at(tld);
    const RootAnswer a = ask_root(r, r.validating ? t.query_do : t.query, tld, now);
    if (!a.answered) {
      entry.expires_s = now_s + kServfailRetrySeconds;
      entry.flags = kFailed;
    } else {
      entry.expires_s = now_s + std::max<std::uint32_t>(a.ttl, 1);
      entry.flags = (a.exists ? kExists : 0) | (a.wrong ? kWrong : 0) | (a.version << 2);
    }
  }
  if ((entry.flags & kFailed) != 0 ||
      ((entry.flags & kExists) != 0 && tlds_->unreachable(rank, entry.flags >> 2 & 0x1fffffffU, now))) {
    ++sample.failed;
    return;
  }
  if ((entry.flags & kWrong) != 0) {
    ++sample.wrong;
  } else {
    ++sample.correct;
  }
  if ((entry.flags & kExists) == 0 && tlds_->in_start_at_rank(rank)) {
    r.lost_a_tld = true;
  }
}

void Resolvers::step(dns::SimTime now, std::vector<ResolutionSample>& day_by_region) {
  // Stub queries are drawn a batch ahead and their cache entries prefetched: the caches of
  // thousands of resolvers do not fit in the CPU's caches, and each query touches one entry.
  constexpr std::size_t kBatch = 64;
  struct Pending {
    std::uint32_t resolver;
    std::uint32_t tld;  ///< UINT32_MAX: a junk name
    std::uint32_t rank;
  };
  std::array<Pending, kBatch> batch{};
  const auto& traffic = world_->scenario->traffic;
  const std::size_t resolver_count = resolvers_.size();
  std::size_t filled = 0;
  auto drain = [&] {
    for (std::size_t i = 0; i < filled; ++i) {
      const Pending& p = batch[i];
      Resolver& r = resolvers_[p.resolver];
      ResolutionSample& sample = day_by_region[r.region];
      if (p.tld == UINT32_MAX) {
        junk_query(r, now, sample);
      } else {
        tld_query(r, cache_[p.rank * resolver_count + p.resolver], p.tld, p.rank, now, sample);
      }
    }
    filled = 0;
  };
  for (std::size_t index = 0; index < resolver_count; ++index) {
    for (std::uint32_t q = 0; q < traffic.queries_per_step; ++q) {
      ++totals_.stub_queries;
      Pending& p = batch[filled++];
      p.resolver = static_cast<std::uint32_t>(index);
      if (rootsim::bernoulli(rng_, traffic.junk_share)) {
        p.tld = UINT32_MAX;
      } else {
        const auto drawn = tlds_->draw(rng_);
        p.tld = drawn.id;
        p.rank = drawn.rank;
        __builtin_prefetch(&cache_[p.rank * resolver_count + index], 1);
      }
      if (filled == kBatch) {
        drain();
      }
    }
  }
  drain();
}

std::pair<double, double> Resolvers::propagation_hours(std::uint32_t tld, std::uint32_t version,
                                                       dns::SimTime now) {
  std::vector<double> hours;
  hours.reserve(resolvers_.size());
  const std::size_t rank = tlds_->rank_of(tld);
  const double now_s = static_cast<double>(sim_seconds(now));
  const double refresh_s = world_->scenario->servers.refresh_seconds;
  for (std::size_t index = 0; index < resolvers_.size(); ++index) {
    const Resolver& r = resolvers_[index];
    double ready_s = now_s;
    if (r.local_root) {
      ready_s = now_s + refresh_s;  // at most one refresh period; the next tick takes it up
    } else {
      const CacheEntry& entry = cache_[rank * resolvers_.size() + index];
      if (entry.expires_s > now_s && (entry.flags & kFailed) == 0 &&
          (entry.flags >> 2) < version) {
        ready_s = entry.expires_s;
      }
      if (r.instance_count > 0) {
        const dns::SimTime at = servers_->ready_time(r.instances[0], version, now);
        if (at != dns::SimTime::max()) {
          ready_s = std::max(ready_s, static_cast<double>(sim_seconds(at)));
        }
      }
    }
    hours.push_back((ready_s - now_s) / 3600.0);
  }
  auto quantile = [&](double q) {
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(hours.size()))) - 1;
    std::nth_element(hours.begin(), hours.begin() + static_cast<std::ptrdiff_t>(k), hours.end());
    return hours[k];
  };
  if (hours.empty()) {
    return {0, 0};
  }
  const double p50 = quantile(0.5);
  const double p95 = quantile(0.95);
  return {p50, p95};
}

void Resolvers::record_latency(double ms) {
  if (probing_) {
    return;  // probes are not traffic
  }
  const auto bucket = static_cast<std::size_t>(std::max(0.0, ms));
  ++latency_histogram_[std::min(bucket, latency_histogram_.size() - 1)];
}

double Resolvers::latency_ms(double quantile) const {
  std::uint64_t total = 0;
  for (std::uint64_t n : latency_histogram_) {
    total += n;
  }
  if (total == 0) {
    return 0;
  }
  const auto target = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(quantile * static_cast<double>(total))));
  std::uint64_t seen = 0;
  for (std::size_t ms = 0; ms < latency_histogram_.size(); ++ms) {
    seen += latency_histogram_[ms];
    if (seen >= target) {
      return static_cast<double>(ms);
    }
  }
  return static_cast<double>(latency_histogram_.size() - 1);
}

void Resolvers::probe_loss(std::uint32_t tld, dns::SimTime now) {
  const std::size_t rank = tlds_->rank_of(tld);
  const std::uint32_t now_s = sim_seconds(now);
  const TldEntry& entry = tlds_->at(tld);
  for (std::size_t index = 0; index < resolvers_.size(); ++index) {
    Resolver& r = resolvers_[index];
    if (r.lost_a_tld) {
      continue;
    }
    const CacheEntry& cached = cache_[rank * resolvers_.size() + index];
    if (cached.expires_s > now_s && (cached.flags & kFailed) == 0) {
      r.lost_a_tld = (cached.flags & kExists) == 0;
      continue;
    }
    const TrafficTotals kept = totals_;
    probing_ = true;
    const RootAnswer a = ask_root(r, r.validating ? entry.query_do : entry.query, tld, now);
    probing_ = false;
    const std::uint64_t lookups = totals_.core_lookups;
    totals_ = kept;
    totals_.core_lookups = lookups;
    r.lost_a_tld = a.answered && !a.exists;
  }
}

void Resolvers::miss_trust_anchor(double share, std::uint16_t old_tag, std::uint16_t new_tag) {
  old_anchor_ = old_tag;
  new_anchor_ = new_tag;
  rollover_started_ = true;
  for (Resolver& r : resolvers_) {
    if (r.validating && rootsim::bernoulli(rng_, share)) {
      r.lacks_new_anchor = true;
    }
  }
}

void Resolvers::adopt_alternate_root(std::uint16_t region, double share,
                                     std::shared_ptr<const resolver::ZoneSnapshot> zone,
                                     std::vector<std::uint32_t> removed, dns::SimTime until) {
  const auto index = static_cast<std::int32_t>(alternates_.size());
  alternates_.push_back({std::move(zone), std::move(removed), until});
  for (Resolver& r : resolvers_) {
    if (r.region == region && !r.local_root && rootsim::bernoulli(rng_, share)) {
      r.alternate = index;
    }
  }
}

std::uint64_t Resolvers::resolvers_losing_a_tld() const noexcept {
  return static_cast<std::uint64_t>(
      std::count_if(resolvers_.begin(), resolvers_.end(), [](const Resolver& r) { return r.lost_a_tld; }));
}

}  // namespace rootsim::scenarios
