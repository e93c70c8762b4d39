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

Result<std::shared_ptr<const resolver::ZoneSnapshot>> compile(
    const dns::ZoneContent& zone, std::shared_ptr<resolver::MappingPool> memory) {
  resolver::SnapshotOptions options;
  options.keep_transfer_data = false;  // instances here answer queries; nobody transfers
  options.memory = std::move(memory);
  return resolver::build_snapshot(zone, options);
}

}  // namespace

ZonePublisher::ZonePublisher(registry::RegistryState baseline,
                             std::vector<registry::SigningKey> keys, std::int64_t epoch_unix,
                             registry::SignatureCache* signatures)
    : state_(std::move(baseline)),
      keys_(std::move(keys)),
      epoch_unix_(epoch_unix) {
  policy_.threads = 1;  // replications run in parallel already
  policy_.signature_cache = signatures;
}

Result<registry::Mutation> ZonePublisher::apply(const registry::ChangeRequest& request,
                                                dns::SimTime now) {
  auto mutation = registry::plan_change(request, state_);
  if (!mutation) {
    return mutation;
  }
  const auto seconds = epoch_unix_ + std::chrono::duration_cast<std::chrono::seconds>(now).count();
  note_changed(*mutation);  // what it touches before ...
  state_ = registry::apply_mutation(std::move(state_), *mutation,
                                    std::chrono::sys_seconds(std::chrono::seconds(seconds)));
  note_changed(*mutation);  // ... and after
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
  registry::SigningPolicy& policy = policy_;
  // Signatures are dated from the start of the publication's UTC day (inception an hour before
  // it, expiration 13 days after), so that replications re-signing an RRset on the same day
  // sign the same data and share one signature through the run's cache. The refresh is then
  // decided per day too: an RRset whose signatures expire within 3 days is re-signed by the
  // day's first publication.
  policy.now = unix_now - unix_now % 86400;
  // The first version is signed in full; later ones re-sign only the names that changed.
  Result<registry::SigningStats> stats =
      versions_.empty() ? signer_.update(registry::build_unsigned_zone(state_), keys_, policy)
                        : [&] {
                            changed_owners_.insert(dns::Name{});
                            const std::vector<dns::Name> owners(changed_owners_.begin(),
                                                                changed_owners_.end());
                            return signer_.update(records_at(changed_owners_), owners, keys_,
                                                  policy);
                          }();
  changed_owners_.clear();
  if (!stats) {
    return fail(std::move(stats).error(), "publishing serial " + std::to_string(serial) + ": ");
  }
  ZoneVersion version;
  version.serial = serial;
  version.published = now;
  if (pending_changes_ == 0 && !keys_changed_ && !versions_.empty() &&
      versions_.back().snapshot != nullptr) {
    // Only the serial and signatures moved: every answer a resolver reads (delegations, DS,
    // existence, TTLs) is the previous version's, so the compiled snapshot is shared. The SOA
    // serial inside negative answers is the one thing that differs; nothing here reads it.
    version.snapshot = versions_.back().snapshot;
  } else if (!versions_.empty() && versions_.back().snapshot != nullptr) {
    // Most versions change a few TLDs: the previous version's snapshot is patched where they
    // are (patch_snapshot builds afresh when names come or go, or too much changed).
    std::vector<dns::Name> changed;
    const dns::ZoneContent& zone = signer_.zone(&changed);
    auto snapshot = resolver::patch_snapshot(*versions_.back().snapshot, zone, changed);
    if (!snapshot) {
      return fail(std::move(snapshot).error(), "compiling serial " + std::to_string(serial) + ": ");
    }
    version.snapshot = std::move(*snapshot);
  } else {
    auto snapshot = compile(signer_.zone(), snapshot_memory_);
    if (!snapshot) {
      return fail(std::move(snapshot).error(), "compiling serial " + std::to_string(serial) + ": ");
    }
    version.snapshot = std::move(*snapshot);
  }
  keys_changed_ = false;
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
  return compile(dns::ZoneContent{dns::Name{}, std::move(records)}, snapshot_memory_);
}

void ZonePublisher::note_changed(const registry::Mutation& mutation) {
  std::vector<dns::Name> labels;
  for (const registry::Tld& tld : mutation.upserts) {
    labels.push_back(tld.label);
  }
  labels.insert(labels.end(), mutation.removed_tlds.begin(), mutation.removed_tlds.end());
  labels.insert(labels.end(), mutation.also_affected.begin(), mutation.also_affected.end());
  for (const registry::Host& host : mutation.host_upserts) {
    changed_owners_.insert(host.name);
  }
  for (const dns::Name& label : labels) {
    changed_owners_.insert(label);
    if (const registry::Tld* tld = state_.find_tld(label)) {
      // Its name servers' glue may appear or go with it.
      changed_owners_.insert(tld->delegation.name_servers.begin(),
                             tld->delegation.name_servers.end());
    }
    // Glue of hosts below the TLD (canonical order keeps them together after the label).
    for (auto it = state_.hosts.lower_bound(label);
         it != state_.hosts.end() && it->first.is_subdomain_of(label); ++it) {
      changed_owners_.insert(it->first);
    }
  }
}

std::vector<dns::Record> ZonePublisher::records_at(const std::set<dns::Name>& owners) const {
  // The same records build_unsigned_zone writes at these names.
  std::vector<dns::Record> out;
  for (const dns::Name& owner : owners) {
    if (owner.is_root()) {
      for (const dns::Record& r : state_.apex) {
        if (!registry::is_dnssec_type(r.type)) {
          out.push_back(r);
        }
      }
      continue;
    }
    if (const registry::Tld* tld = state_.find_tld(owner);
        tld != nullptr && tld->status != registry::TldStatus::kRemoved) {
      for (const dns::Name& ns : tld->delegation.name_servers) {
        out.push_back(dns::Record{owner, dns::RRType::kNs, dns::RRClass::kIn,
                                  tld->delegation.ns_ttl, dns::make_name_rdata(ns)});
      }
      for (const dns::DsRdata& ds : tld->delegation.ds) {
        out.push_back(dns::Record{owner, dns::RRType::kDs, dns::RRClass::kIn,
                                  tld->delegation.ds_ttl, dns::make_ds_rdata(ds)});
      }
    }
    const registry::Host* host = state_.find_host(owner);
    if (host == nullptr || owner.label_count() < 2) {
      continue;
    }
    const registry::Tld* parent = state_.find_tld(owner.suffix(1));
    if (parent == nullptr || parent->status == registry::TldStatus::kRemoved) {
      continue;
    }
    for (const registry::HostAddress& a : host->addresses) {
      out.push_back(dns::Record{owner, a.address.type, dns::RRClass::kIn, a.ttl, a.address.rdata});
    }
  }
  return out;
}

bool ZonePublisher::consistent_with_state() const {
  std::vector<dns::Record> signed_part;
  for (dns::Record& r : signer_.records()) {
    if (!registry::is_dnssec_type(r.type)) {
      signed_part.push_back(std::move(r));
    }
  }
  std::vector<dns::Record> expected = registry::build_unsigned_zone(state_);
  dns::sort_canonical(signed_part);
  dns::sort_canonical(expected);
  return signed_part == expected;
}

void ZonePublisher::release_before(std::uint32_t index) {
  for (std::uint32_t i = released_below_; i < index && i < versions_.size(); ++i) {
    versions_[i].snapshot.reset();
  }
  released_below_ = std::max(released_below_, index);
}

}  // namespace rootsim::scenarios
