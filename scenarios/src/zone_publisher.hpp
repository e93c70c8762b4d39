// The root zone maintainer of one replication: holds the registry state, applies approved
// changes, and publishes numbered, signed zone versions (incremental DNSSEC signing with the
// world's keys, ZONEMD), each compiled into a resolver-core snapshot that every instance
// holding the version shares. Private to rootsim::scenarios. Thread-safety: one replication's
// thread. Ownership: versions hold shared_ptrs to snapshots; old ones are released by
// release_before().
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "rootsim/dns/sim_time.hpp"
#include "rootsim/registry/change_request.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/signature_cache.hpp"
#include "rootsim/registry/signing_key.hpp"
#include "rootsim/registry/zone_signer.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

namespace rootsim::scenarios {

struct ZoneVersion {
  std::uint32_t serial = 0;
  dns::SimTime published{};
  /// Null once released. A version that changed nothing but the serial and signatures shares
  /// its predecessor's snapshot.
  std::shared_ptr<const resolver::ZoneSnapshot> snapshot;
  std::vector<std::uint16_t> ksk_tags;  ///< active KSKs signing the DNSKEY RRset
  std::uint32_t changes = 0;            ///< changes applied since the previous version
};

class ZonePublisher {
 public:
  /// `signatures` (borrowed, may be null): shared with the run's other replications.
  ZonePublisher(registry::RegistryState baseline, std::vector<registry::SigningKey> keys,
                std::int64_t epoch_unix, registry::SignatureCache* signatures);

  [[nodiscard]] const registry::RegistryState& state() const noexcept { return state_; }
  [[nodiscard]] const std::vector<registry::SigningKey>& keys() const noexcept { return keys_; }

  /// Plans and applies a change now (it goes out with the next publication). Errors as
  /// registry::plan_change (the request no longer fits the registry).
  [[nodiscard]] Result<registry::Mutation> apply(const registry::ChangeRequest& request,
                                                 dns::SimTime now);
  /// Replaces the key set (rollover steps); takes effect at the next publication.
  void set_keys(std::vector<registry::SigningKey> keys) {
    keys_ = std::move(keys);
    keys_changed_ = true;
  }

  /// Signs and compiles the current state as the next version. Errors: signing or snapshot
  /// failures (kSemantic, kIo). Cost: diff + changed signatures + ZONEMD + snapshot build.
  [[nodiscard]] Result<std::uint32_t> publish(dns::SimTime now);

  /// A zone like version `index` without the delegations of `removed` (a modified or
  /// alternate root), compiled; its signatures are the legitimate zone's, so validators find
  /// the proofs for the removed names broken. Errors as publish.
  [[nodiscard]] Result<std::shared_ptr<const resolver::ZoneSnapshot>> variant_without(
      const std::vector<dns::Name>& removed) const;

  [[nodiscard]] const std::vector<ZoneVersion>& versions() const noexcept { return versions_; }
  [[nodiscard]] std::uint32_t latest() const noexcept {
    return static_cast<std::uint32_t>(versions_.size() - 1);
  }
  /// Releases the snapshots of versions below `index` (no instance holds them any more).
  void release_before(std::uint32_t index);

  /// True when the signed zone's unsigned part equals registry::build_unsigned_zone(state())
  /// (what the incremental publication must keep true; for tests). O(records log records).
  [[nodiscard]] bool consistent_with_state() const;

 private:
  registry::RegistryState state_;
  std::vector<registry::SigningKey> keys_;
  std::int64_t epoch_unix_;
  /// Threads and the borrowed signature cache set once (a SigningPolicy asks the system for the
  /// core count when made); publish() sets the time.
  registry::SigningPolicy policy_;
  /// The memory of released versions' snapshots, for the next ones: a version differs from the
  /// one before by a few TLDs, so its arrays have about the same sizes.
  std::shared_ptr<resolver::MappingPool> snapshot_memory_ =
      std::make_shared<resolver::MappingPool>();
  /// Adds the names `mutation` touches in the current state (called before and after applying).
  void note_changed(const registry::Mutation& mutation);
  [[nodiscard]] std::vector<dns::Record> records_at(const std::set<dns::Name>& owners) const;

  registry::ZoneSigner signer_;
  std::set<dns::Name> changed_owners_;  ///< since the last publication
  std::uint32_t pending_changes_ = 0;
  bool keys_changed_ = false;
  std::uint32_t released_below_ = 0;
  std::vector<ZoneVersion> versions_;
};

}  // namespace rootsim::scenarios
