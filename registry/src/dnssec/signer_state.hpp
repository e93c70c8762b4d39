// Private to rootsim::registry: the state a ZoneSigner keeps between updates (nodes in canonical
// order, parsed keys and per-thread signing contexts, the zone's ZONEMD wire in one buffer) and
// the passes over it. Thread-safety: one thread drives a State; its passes start workers that
// touch disjoint nodes.
#pragma once

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/zone_signer.hpp"

#include "crypto.hpp"
#include "signer_nodes.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace rootsim::registry {

namespace signer {

/// Below this many nodes (or signatures) a pass stays on the calling thread: starting a worker
/// costs about as much as the work.
inline constexpr std::size_t kParallelNodes = 512;

struct KeySet {
  std::vector<const SigningKey*> active;  // keys that sign, each with its EVP key below
  std::vector<const EVP_PKEY*> pkeys;
  std::vector<std::size_t> ksk;  // indices into active: sign the DNSKEY RRset
  std::vector<std::size_t> zsk;  // indices into active: sign everything else
};

struct SoaFacts {
  std::uint32_t serial = 0;
  std::uint32_t ttl = 0;      // the ZONEMD RRset's TTL
  std::uint32_t minimum = 0;  // the NSEC TTL (RFC 4034 §4)
};

// One signature to make: the RRset, which slot of its sigs, which key (index into active).
struct Job {
  RRsetEntry* entry;
  std::size_t slot;
  std::size_t key;
};

/// Runs fn(part, begin, end) over [0, count) cut into `parts` contiguous ranges, part 0 on the
/// calling thread and the others on threads of their own; returns when all are done.
template <class Fn>
void for_ranges(std::size_t count, std::size_t parts, Fn&& fn) {
  parts = std::clamp<std::size_t>(parts, 1, std::max<std::size_t>(count, 1));
  std::vector<std::thread> pool;
  pool.reserve(parts - 1);
  for (std::size_t p = 1; p < parts; ++p) {
    pool.emplace_back(
        [&fn, count, parts, p] { fn(p, count * p / parts, count * (p + 1) / parts); });
  }
  fn(std::size_t{0}, std::size_t{0}, count / parts);
  for (auto& thread : pool) {
    thread.join();
  }
}

}  // namespace signer

struct ZoneSigner::State {
  dns::Name origin;
  std::vector<signer::Node> nodes;            // canonical order; nodes.front() is the apex
  std::map<std::string, crypto::PKey> pkeys;  // by PEM text, so keys are parsed once
  // Signing contexts made once and reused: [thread][active key], for the keys in signer_pems.
  std::vector<std::vector<crypto::Signer>> signers;
  std::vector<std::string> signer_pems;
  dns::Bytes zone_wire;   // every node's ZONEMD wire, in order: one SHA-384 update
  dns::Bytes spare_wire;  // the other buffer when the layout changes
  std::uint32_t serial = 0;
  unsigned threads = 1;
  // What the last signing plan saw: the signing keys, and the earliest expiration among all
  // kept signatures (ZONEMD's left out), or a lower bound of it (see finish()).
  std::vector<std::pair<std::uint16_t, bool>> planned_with;
  std::int64_t earliest_expiration = 0;
  // Names changed since the last finish() by a named update (added, changed or gone), as
  // sorted lookup keys; when `all_changed` (a whole-zone update, or nothing hashed yet) every
  // name is looked at again. `layout_changed`: names came or went, so the ZONEMD buffer's
  // layout moves.
  std::vector<std::string> changed_keys;
  bool all_changed = true;
  bool layout_changed = true;
  // Running totals over the nodes (each node's share is in its in_chain and counted_* fields),
  // so that an update that changed a few names does not walk them all.
  std::size_t chain_total = 0;
  std::size_t records_total = 0;
  std::size_t signatures_total = 0;
  dns::ZoneContent output_zone;  // see cached_output()
  bool output_ready = false;     // output_zone holds every node not marked output_stale
  struct OutputRun {
    std::uint64_t node;  // Node::output_id
    std::size_t count;   // records
  };
  std::vector<OutputRun> output_runs;  // output_zone.records as the nodes' runs, in order
  std::uint64_t last_output_id = 0;

  Result<signer::KeySet> prepare_keys(const std::vector<SigningKey>& keys);
  /// Replaces the nodes with the zone `records` (owners contiguous in canonical order, all in
  /// the zone), keeping nodes (and their signatures) whose content is unchanged.
  void merge_groups(std::vector<dns::Record>& records, const std::vector<std::size_t>& starts);
  /// Takes the node's share out of the running totals, before it is replaced or erased.
  void forget(const signer::Node& node) noexcept;
  /// After the nodes changed: cuts, DNSKEY (every key in `all_keys`), NSEC chain, the
  /// signatures needed, ZONEMD. After a named update only the changed names, the names below
  /// them and their NSEC predecessors are looked at (unless signatures need refreshing or the
  /// keys changed: then every RRset is planned). On failure the state is reset.
  Result<SigningStats> finish(const std::vector<SigningKey>& all_keys, const signer::KeySet& keys,
                              const SigningPolicy& policy, const signer::SoaFacts& soa);
  /// The signed records in canonical order.
  [[nodiscard]] std::vector<dns::Record> output() const;
  /// The same, kept in `output_zone` between calls: records of nodes not marked output_stale
  /// are moved over from the previous call's, the others written afresh. `changed`, when
  /// given, receives the owners written afresh or gone (every owner when nothing was kept).
  [[nodiscard]] const dns::ZoneContent& cached_output(std::vector<dns::Name>* changed);
  /// The same, moved out of the nodes; the state is reset.
  [[nodiscard]] std::vector<dns::Record> take_output();

 private:
  /// Marks cuts and occluded names; a name whose status moved is marked changed (!wire_valid).
  void mark_cuts();
  /// The same for the changed names and the names below them only; returns their indices
  /// (and the apex's), sorted, and in `positions` where each changed name is or would be.
  std::vector<std::size_t> mark_cuts_near_changes(std::vector<std::size_t>& positions);
  /// Adds or removes the node's share of chain_total as its cut status says.
  void count_in_chain(signer::Node& node) noexcept;
  void make_nsec_chain(std::uint32_t ttl);
  /// Re-links the NSEC records of the nodes in `dirty` and of the authoritative names before
  /// each of `positions`, which are added to `dirty`.
  void relink_nsec(std::vector<std::size_t>& dirty, const std::vector<std::size_t>& positions,
                   std::uint32_t ttl);
  /// Sets the node's NSEC to link to `next` (unless it already does, with the same types).
  void link_nsec(signer::Node& node, const signer::Node& next, std::uint32_t ttl,
                 dns::Bytes& scratch);
  void plan(signer::Node& node, signer::RRsetEntry& entry, const signer::KeySet& keys,
            const SigningPolicy& policy, std::vector<signer::Job>& jobs, SigningStats& stats) const;
  Status run_jobs(std::vector<signer::Job>& jobs, const signer::KeySet& keys,
                  SignatureCache* cache);
  /// `candidates`: the only nodes that may be stale, sorted (null: any node may be).
  dns::Bytes refresh_zone_wire_and_hash(const std::vector<std::size_t>* candidates);
};

}  // namespace rootsim::registry
