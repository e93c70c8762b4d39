// Publishing numbered, signed zone versions and compiling them into shared snapshots.
#include "zone_publisher.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/zone_io.hpp"

namespace rootsim::scenarios {
namespace {

std::uint32_t date_serial(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return static_cast<std::uint32_t>((tm.tm_year + 1900) * 1000000 + (tm.tm_mon + 1) * 10000 +
                                     tm.tm_mday * 100);
}

Result<std::shared_ptr<const resolver::ZoneSnapshot>> compile(std::vector<dns::Record> records) {
  dns::ZoneContent zone{dns::Name{}, std::move(records)};
  resolver::SnapshotOptions options;
  options.keep_transfer_data = false;  // instances here answer queries; nobody transfers
  return resolver::build_snapshot(zone, options);
}

}  // namespace

ZonePublisher::ZonePublisher(registry::RegistryState baseline,
                             std::vector<registry::SigningKey> keys, std::int64_t epoch_unix)
    : state_(std::move(baseline)), keys_(std::move(keys)), epoch_unix_(epoch_unix) {}

Result<registry::Mutation> ZonePublisher::apply(const registry::ChangeRequest& request,
                                                dns::SimTime now) {
  auto mutation = registry::plan_change(request, state_);
  if (!mutation) {
    return mutation;
  }
  const auto seconds = epoch_unix_ + std::chrono::duration_cast<std::chrono::seconds>(now).count();
  state_ = registry::apply_mutation(std::move(state_), *mutation,
                                    std::chrono::sys_seconds(std::chrono::seconds(seconds)));
  ++pending_changes_;
  return mutation;
}

Result<std::uint32_t> ZonePublisher::publish(dns::SimTime now) {
  const std::int64_t unix_now =
      epoch_unix_ + std::chrono::duration_cast<std::chrono::seconds>(now).count();
  // YYYYMMDDNN, as the root: the next number of the day, or one more than the last serial.
  const std::uint32_t previous = state_.serial();
  const std::uint32_t serial = std::max(date_serial(unix_now), previous + 1);
  if (auto s = registry::set_serial(state_, serial); !s) {
    return fail(std::move(s).error());
  }
  registry::SigningPolicy policy;
  policy.now = unix_now;
  policy.threads = 1;  // replications run in parallel already
  auto stats = signer_.update(registry::build_unsigned_zone(state_), keys_, policy);
  if (!stats) {
    return fail(std::move(stats).error(), "publishing serial " + std::to_string(serial) + ": ");
  }
  auto snapshot = compile(signer_.records());
  if (!snapshot) {
    return fail(std::move(snapshot).error(), "compiling serial " + std::to_string(serial) + ": ");
  }
  ZoneVersion version;
  version.serial = serial;
  version.published = now;
  version.snapshot = std::move(*snapshot);
  version.changes = pending_changes_;
  for (const registry::SigningKey& key : keys_) {
    if (key.role == registry::KeyRole::kKsk && key.state == registry::KeyState::kActive) {
      version.ksk_tags.push_back(key.key_tag);
    }
  }
  pending_changes_ = 0;
  versions_.push_back(std::move(version));
  return latest();
}

Result<std::shared_ptr<const resolver::ZoneSnapshot>> ZonePublisher::variant_without(
    const std::vector<dns::Name>& removed) const {
  std::vector<dns::Record> records = signer_.records();
  std::erase_if(records, [&](const dns::Record& r) {
    if (r.owner.is_root()) {
      return false;
    }
    return std::any_of(removed.begin(), removed.end(),
                       [&](const dns::Name& tld) { return r.owner.is_subdomain_of(tld); });
  });
  return compile(std::move(records));
}

void ZonePublisher::release_before(std::uint32_t index) {
  for (std::uint32_t i = released_below_; i < index && i < versions_.size(); ++i) {
    versions_[i].snapshot.reset();
  }
  released_below_ = std::max(released_below_, index);
}

}  // namespace rootsim::scenarios
