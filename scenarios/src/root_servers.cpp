// Instances, their zone versions and their reachability.
#include "root_servers.hpp"

#include <algorithm>
#include <cmath>

#include "rootsim/dns/random.hpp"
#include "sampling.hpp"

namespace rootsim::scenarios {
namespace {

constexpr std::size_t kLatencyBuckets = 8641;  // 10 s buckets for a day, then one open bucket
constexpr std::int64_t kLatencyBucketSeconds = 10;

dns::SimTime seconds(double s) {
  return dns::SimTime(static_cast<std::int64_t>(std::llround(s * 1e6)));
}

}  // namespace

RootServers::RootServers(const World& world, std::mt19937_64 rng)
    : world_(&world),
      rng_(std::move(rng)),
      instances_(world.instances.size()),
      latency_histogram_(kLatencyBuckets, 0) {
  const double refresh = world.scenario->servers.refresh_seconds;
  for (Instance& instance : instances_) {
    instance.refresh_phase = seconds(rootsim::uniform_real01(rng_) * refresh);
  }
}

void RootServers::publish(std::uint32_t version, dns::SimTime now) {
  const auto& servers = world_->scenario->servers;
  const dns::SimTime refresh = seconds(servers.refresh_seconds);
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    Instance& instance = instances_[i];
    dns::SimTime learn = now;
    if (rootsim::bernoulli(rng_, servers.notify_loss)) {
      // Missed the NOTIFY: the next SOA refresh tick after the publication finds it.
      const auto since_phase = (now - instance.refresh_phase).count();
      const auto period = refresh.count();
      const auto ticks = since_phase < 0 ? 0 : since_phase / period + 1;
      learn = instance.refresh_phase + dns::SimTime(ticks * period);
    }
    // Down or cut off from the distribution masters: it fetches once it is back.
    learn = std::max(learn, instance.down_until);
    learn = std::max(learn, cut_off_until_[world_->instances[i].region]);
    const dns::SimTime arrival =
        learn + seconds(draw_lognormal(rng_, servers.transfer_median_seconds, servers.transfer_sigma));
    instance.pending.push_back({arrival, version});
    const auto latency_s = std::chrono::duration_cast<std::chrono::seconds>(arrival - now).count();
    const auto bucket = static_cast<std::size_t>(
        std::min<std::int64_t>(latency_s / kLatencyBucketSeconds, kLatencyBuckets - 1));
    ++latency_histogram_[bucket];
  }
}

std::uint32_t RootServers::version_at(std::uint32_t index, dns::SimTime now) {
  Instance& instance = instances_[index];
  if (!instance.pending.empty()) {
    std::erase_if(instance.pending, [&](const Arrival& a) {
      if (a.at <= now) {
        instance.version = std::max(instance.version, a.version);
        return true;
      }
      return false;
    });
  }
  return instance.version;
}

dns::SimTime RootServers::ready_time(std::uint32_t index, std::uint32_t version,
                                     dns::SimTime now) const noexcept {
  const Instance& instance = instances_[index];
  dns::SimTime ready = dns::SimTime::max();
  for (const Arrival& a : instance.pending) {
    if (a.version >= version) {
      ready = std::min(ready, a.at);
    }
  }
  if (instance.version >= version) {
    return now;
  }
  return std::max(ready, now);
}

std::uint32_t RootServers::oldest_held(dns::SimTime now) {
  std::uint32_t oldest = UINT32_MAX;
  for (std::uint32_t i = 0; i < instances_.size(); ++i) {
    oldest = std::min(oldest, version_at(i, now));
  }
  return oldest;
}

bool RootServers::reachable(std::uint32_t index, std::uint16_t region,
                            dns::SimTime now) const noexcept {
  const Instance& instance = instances_[index];
  if (now < instance.down_until) {
    return false;
  }
  const std::uint16_t own = world_->instances[index].region;
  return own == region || (now >= cut_off_until_[own] && now >= cut_off_until_[region]);
}

const resolver::ZoneSnapshot* RootServers::modified(std::uint32_t index,
                                                    dns::SimTime now) const noexcept {
  for (const Modified& m : modified_) {
    if (m.rso == world_->instances[index].rso && now < m.until) {
      return m.zone.get();
    }
  }
  return nullptr;
}

void RootServers::take_down(std::uint32_t index, dns::SimTime from, dns::SimTime until) {
  Instance& instance = instances_[index];
  const dns::SimTime start = std::max(from, instance.down_until);
  if (until > start) {
    instance.downtime += until - start;
  }
  instance.down_until = std::max(instance.down_until, until);
}

void RootServers::cut_off(std::uint16_t region, dns::SimTime until) {
  cut_off_until_[region] = std::max(cut_off_until_[region], until);
}

void RootServers::serve_modified(policy::ActorIndex rso,
                                 std::shared_ptr<const resolver::ZoneSnapshot> zone,
                                 dns::SimTime until) {
  modified_.push_back({rso, std::move(zone), until});
}

double RootServers::publication_latency_minutes(double quantile) const {
  std::uint64_t total = 0;
  for (std::uint64_t n : latency_histogram_) {
    total += n;
  }
  if (total == 0) {
    return 0;
  }
  const auto target = static_cast<std::uint64_t>(std::ceil(quantile * static_cast<double>(total)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < latency_histogram_.size(); ++b) {
    seen += latency_histogram_[b];
    if (seen >= std::max<std::uint64_t>(target, 1)) {
      // The bucket's midpoint, in minutes.
      return (static_cast<double>(b) + 0.5) * kLatencyBucketSeconds / 60.0;
    }
  }
  return static_cast<double>(latency_histogram_.size()) * kLatencyBucketSeconds / 60.0;
}

double RootServers::median_availability(dns::SimTime end) const {
  if (instances_.empty() || end.count() <= 0) {
    return 1.0;
  }
  std::vector<double> shares;
  shares.reserve(instances_.size());
  for (const Instance& instance : instances_) {
    const auto down = std::min(instance.downtime, end);
    shares.push_back(1.0 - static_cast<double>(down.count()) / static_cast<double>(end.count()));
  }
  std::nth_element(shares.begin(), shares.begin() + static_cast<std::ptrdiff_t>(shares.size() / 2),
                   shares.end());
  return shares[shares.size() / 2];
}

}  // namespace rootsim::scenarios
