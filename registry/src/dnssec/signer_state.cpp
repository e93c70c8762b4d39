#include "signer_state.hpp"

#include "rootsim/registry/zonemd.hpp"

#include <atomic>
#include <cstring>
#include <limits>
#include <optional>
#include <set>

namespace rootsim::registry {

using signer::Job;
using signer::kParallelNodes;
using signer::KeySet;
using signer::Node;
using signer::RRsetEntry;
using signer::Signature;

namespace {

dns::Bytes rrsig_prefix(const Node& node, const RRsetEntry& entry, const SigningKey& key,
                        std::span<const std::uint8_t> signer_name, std::uint32_t inception,
                        std::uint32_t expiration) {
  dns::Bytes out;
  // The signature (at most 512 octets for RSA-4096) is appended later: one allocation.
  out.reserve(18 + signer_name.size() + 512);
  dns::put_u16(out, dns::to_number(entry.type));
  out.push_back(key.algorithm);
  out.push_back(signer::rrsig_labels(node.owner));
  dns::put_u32(out, entry.ttl);
  dns::put_u32(out, expiration);
  dns::put_u32(out, inception);
  dns::put_u16(out, key.key_tag);
  out.insert(out.end(), signer_name.begin(), signer_name.end());
  return out;
}

// A signature costs about 0.3 ms with RSA-2048 and 25 us with P-256; a thread about 50 us.
std::size_t worker_count(std::size_t jobs, const KeySet& keys, unsigned threads) {
  const bool rsa = std::any_of(keys.active.begin(), keys.active.end(), [](const SigningKey* k) {
    return k->algorithm != kAlgorithmEcdsaP256Sha256;
  });
  const std::size_t useful = rsa ? jobs : jobs / 16;
  return std::clamp<std::size_t>(std::min<std::size_t>(threads, useful), 1,
                                 std::max<unsigned>(threads, 1));
}

}  // namespace

Result<KeySet> ZoneSigner::State::prepare_keys(const std::vector<SigningKey>& keys) {
  std::set<std::uint16_t> tags;
  std::map<std::string, crypto::PKey> parsed;
  KeySet set;
  for (const auto& key : keys) {
    if (!tags.insert(key.key_tag).second) {
      return fail(Errc::kSemantic, "two keys share key tag " + std::to_string(key.key_tag));
    }
    if (key.state != KeyState::kActive) {
      continue;
    }
    auto it = pkeys.find(key.private_key_pem);
    if (it != pkeys.end()) {
      it = parsed.insert(pkeys.extract(it)).position;
    } else if (auto found = parsed.find(key.private_key_pem); found != parsed.end()) {
      it = found;
    } else {
      auto pkey = crypto::from_pem(key.private_key_pem);
      if (!pkey) {
        return fail(std::move(pkey).error(), "key " + std::to_string(key.key_tag) + ": ");
      }
      it = parsed.emplace(key.private_key_pem, std::move(*pkey)).first;
    }
    (key.role == KeyRole::kKsk ? set.ksk : set.zsk).push_back(set.active.size());
    set.active.push_back(&key);
    set.pkeys.push_back(it->second.get());
  }
  if (set.ksk.empty()) {
    return fail(Errc::kSemantic, "no active KSK to sign the DNSKEY RRset");
  }
  if (set.zsk.empty()) {
    set.zsk = set.ksk;  // a single key (CSK) signs everything
  }
  pkeys = std::move(parsed);
  std::vector<std::string> pems;
  for (const SigningKey* key : set.active) {
    pems.push_back(key->private_key_pem);
  }
  if (pems != signer_pems) {  // contexts hold the EVP keys: drop them with their keys
    signers.clear();
    signer_pems = std::move(pems);
  }
  return set;
}

void ZoneSigner::State::merge_groups(std::vector<dns::Record>& records,
                                     const std::vector<std::size_t>& starts) {
  // Pair each owner group with the node of the same owner, if any (both in canonical order).
  struct Pair {
    std::size_t begin;
    std::size_t end;
    Node* previous;
  };
  std::vector<Pair> pairs;
  pairs.reserve(starts.size());
  std::size_t n = 0;
  for (std::size_t g = 0; g < starts.size(); ++g) {
    const std::size_t end = g + 1 < starts.size() ? starts[g + 1] : records.size();
    const dns::Name& owner = records[starts[g]].owner;
    while (n < nodes.size() && nodes[n].owner < owner) {
      ++n;  // a name that is gone
    }
    Node* previous = n < nodes.size() && nodes[n].owner == owner ? &nodes[n] : nullptr;
    pairs.push_back(Pair{starts[g], end, previous});
  }
  const std::size_t parts = pairs.size() < kParallelNodes ? 1 : threads;
  std::vector<std::vector<Node>> built(parts);
  signer::for_ranges(
      pairs.size(), parts, [&](std::size_t part, std::size_t begin, std::size_t end) {
        auto& out = built[part];
        out.reserve(end - begin);
        for (std::size_t k = begin; k < end; ++k) {
          const Pair& pair = pairs[k];
          const auto group = std::span(records).subspan(pair.begin, pair.end - pair.begin);
          if (pair.previous != nullptr && signer::same_content(*pair.previous, group)) {
            out.push_back(std::move(*pair.previous));  // unchanged: signatures and wire kept
          } else {
            out.push_back(signer::build_node(group, pair.previous));
          }
        }
      });
  std::vector<Node> next;
  next.reserve(pairs.size());
  for (auto& part : built) {
    std::move(part.begin(), part.end(), std::back_inserter(next));
  }
  nodes = std::move(next);
}

void ZoneSigner::State::forget(const Node& node) noexcept {
  chain_total -= node.in_chain ? 1 : 0;
  records_total -= node.counted_records;
  signatures_total -= node.counted_signatures;
}

void ZoneSigner::State::plan(Node& node, RRsetEntry& entry, const KeySet& keys,
                             const SigningPolicy& policy, std::vector<Job>& jobs,
                             SigningStats& stats) const {
  if (!signer::is_signed(node, entry.type) || entry.rdatas.empty()) {
    if (!entry.sigs.empty()) {
      entry.sigs.clear();
      node.wire_valid = false;
    }
    return;
  }
  const auto& which = entry.type == dns::RRType::kDnskey ? keys.ksk : keys.zsk;
  const auto fresh_until = policy.now + policy.refresh;
  bool keep = entry.sigs.size() == which.size();
  for (std::size_t s = 0; keep && s < which.size(); ++s) {
    const SigningKey& key = *keys.active[which[s]];
    keep = std::any_of(entry.sigs.begin(), entry.sigs.end(), [&](const Signature& sig) {
      return sig.key_tag == key.key_tag && sig.algorithm == key.algorithm &&
             static_cast<std::int64_t>(sig.expiration) >= fresh_until;
    });
  }
  if (keep) {
    return;  // counted among the reused by finish(), from the running totals
  }
  const auto inception = static_cast<std::uint32_t>(policy.now - policy.inception_offset);
  const auto expiration = static_cast<std::uint32_t>(policy.now + policy.validity);
  entry.sigs.assign(which.size(), Signature{});
  for (std::size_t s = 0; s < which.size(); ++s) {
    const SigningKey& key = *keys.active[which[s]];
    entry.sigs[s] = Signature{key.key_tag, key.algorithm, expiration,
                              rrsig_prefix(node, entry, key, origin.wire(), inception, expiration)};
    jobs.push_back(Job{&entry, s, which[s]});
  }
  node.wire_valid = false;
  ++stats.rrsets_signed;
}

Status ZoneSigner::State::run_jobs(std::vector<Job>& jobs, const KeySet& keys,
                                   SignatureCache* cache) {
  if (jobs.empty()) {
    return {};
  }
  const std::size_t count = worker_count(jobs.size(), keys, threads);
  // Contexts are made on this thread, once per thread and key, and kept for the next update.
  while (signers.size() < count) {
    std::vector<crypto::Signer> per_thread;
    for (std::size_t k = 0; k < keys.active.size(); ++k) {
      auto s = crypto::Signer::create(*keys.pkeys[k], keys.active[k]->algorithm);
      if (!s) {
        return fail(std::move(s).error());
      }
      per_thread.push_back(std::move(*s));
    }
    signers.push_back(std::move(per_thread));
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::optional<Error>> errors(count);
  const std::size_t total = jobs.size();
  signer::for_ranges(count, count, [&](std::size_t t, std::size_t, std::size_t) {
    for (;;) {
      // Guided chunks: large while much is left, single jobs at the end so threads end together.
      std::size_t begin = next.load(std::memory_order_relaxed);
      std::size_t chunk = 0;
      do {
        if (begin >= total) {
          return;
        }
        chunk = std::clamp<std::size_t>((total - begin) / (count * 8), 1, 16);
      } while (!next.compare_exchange_weak(begin, begin + chunk, std::memory_order_relaxed));
      for (std::size_t i = begin; i < std::min(begin + chunk, total); ++i) {
        Job& job = jobs[i];
        Signature& sig = job.entry->sigs[job.slot];
        // A ZONEMD digest is new with every version: its signature is never asked for again.
        SignatureCache* keep = job.entry->type == dns::RRType::kZonemd ? nullptr : cache;
        auto signature = signers[t][job.key].sign(sig.rdata, job.entry->wire, keep);
        if (!signature) {
          errors[t] = std::move(signature).error();
          next.store(total, std::memory_order_relaxed);
          return;
        }
        sig.rdata.insert(sig.rdata.end(), signature->begin(), signature->end());
      }
    }
  });
  for (auto& error : errors) {
    if (error) {
      return fail(std::move(*error));
    }
  }
  return {};
}

// Writes the ZONEMD wire of every node whose wire is stale: in place when no length or position
// changed, else into the spare buffer (copying the others' bytes), then hashes the whole buffer.
dns::Bytes ZoneSigner::State::refresh_zone_wire_and_hash(
    const std::vector<std::size_t>* candidates) {
  std::vector<std::size_t> stale;
  if (candidates != nullptr) {
    for (const std::size_t i : *candidates) {
      if (!nodes[i].wire_valid) {
        stale.push_back(i);
      }
    }
  } else {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (!nodes[i].wire_valid) {
        stale.push_back(i);
      }
    }
  }
  const std::size_t parts = stale.size() < kParallelNodes ? 1 : threads;
  std::vector<std::size_t> sizes(stale.size());
  signer::for_ranges(stale.size(), parts, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      sizes[k] = signer::zonemd_wire_size(nodes[stale[k]]);
    }
  });
  bool in_place = true;
  std::size_t offset = 0;
  if (!layout_changed) {
    // No name came or went since the buffer was laid out: it holds if no length changed.
    for (std::size_t k = 0; k < stale.size() && in_place; ++k) {
      in_place = nodes[stale[k]].wire_size == sizes[k];
    }
  }
  if (layout_changed || !in_place) {
    in_place = true;
    for (std::size_t i = 0, k = 0; i < nodes.size(); ++i) {
      Node& node = nodes[i];
      const std::size_t size = k < stale.size() && stale[k] == i ? sizes[k++] : node.wire_size;
      in_place = in_place && node.wire_offset == offset && node.wire_size == size;
      offset += size;
    }
    in_place = in_place && offset == zone_wire.size();
  }
  dns::Bytes& out = in_place ? zone_wire : spare_wire;
  if (!in_place) {
    out.resize(offset);
  }
  const std::size_t copy_parts = in_place || nodes.size() < kParallelNodes ? 1 : threads;
  std::vector<std::size_t> new_offsets(in_place ? 0 : nodes.size());
  offset = 0;
  for (std::size_t i = 0, k = 0; !in_place && i < nodes.size(); ++i) {
    new_offsets[i] = offset;
    offset += k < stale.size() && stale[k] == i ? sizes[k++] : nodes[i].wire_size;
  }
  if (!in_place) {  // nodes whose wire is current move over to the new buffer
    signer::for_ranges(nodes.size(), copy_parts,
                       [&](std::size_t, std::size_t begin, std::size_t end) {
                         for (std::size_t i = begin; i < end; ++i) {
                           Node& node = nodes[i];
                           if (node.wire_valid && node.wire_size > 0) {
                             std::memcpy(out.data() + new_offsets[i],
                                         zone_wire.data() + node.wire_offset, node.wire_size);
                           }
                           node.wire_offset = new_offsets[i];
                         }
                       });
  }
  signer::for_ranges(stale.size(), parts, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      Node& node = nodes[stale[k]];
      node.wire_size = sizes[k];
      signer::write_zonemd_wire(node, std::span(out).subspan(node.wire_offset, node.wire_size));
      node.wire_valid = true;
    }
  });
  if (!in_place) {
    std::swap(zone_wire, spare_wire);
  }
  layout_changed = false;
  crypto::Sha384 hash;
  hash.update(zone_wire);
  return hash.finish();
}

Result<SigningStats> ZoneSigner::State::finish(const std::vector<SigningKey>& all_keys,
                                               const KeySet& keys, const SigningPolicy& policy,
                                               const signer::SoaFacts& soa) {
  threads = std::max(policy.threads, 1U);
  // After a named update only the changed names and their neighbourhood are looked at; a
  // whole-zone update, or a zone not yet wholly hashed (every node current), walks them all.
  const bool everything = all_changed || !policy.zonemd;
  std::vector<std::size_t> dirty;
  std::vector<std::size_t> positions;
  if (everything) {
    mark_cuts();
    chain_total = 0;
    for (auto& node : nodes) {
      node.in_chain = false;
      count_in_chain(node);
    }
  } else {
    dirty = mark_cuts_near_changes(positions);
    for (const std::size_t i : dirty) {
      count_in_chain(nodes[i]);
    }
  }
  Node& apex = nodes.front();
  std::vector<dns::Bytes> dnskeys;
  dnskeys.reserve(all_keys.size());
  for (const auto& key : all_keys) {
    dnskeys.push_back(key.dnskey_rdata);
  }
  RRsetEntry dnskey = signer::make_entry(origin, dns::RRType::kDnskey, dns::RRClass::kIn,
                                         policy.dnskey_ttl, std::move(dnskeys));
  if (const RRsetEntry* old = apex.find(dns::RRType::kDnskey); !old || old->wire != dnskey.wire) {
    signer::put_entry(apex, std::move(dnskey));
  }
  if (!policy.zonemd) {
    signer::erase_entry(apex, dns::RRType::kZonemd);
  } else if (apex.find(dns::RRType::kZonemd) == nullptr) {
    RRsetEntry placeholder;  // so the apex NSEC bitmap names ZONEMD; filled in below
    placeholder.type = dns::RRType::kZonemd;
    signer::put_entry(apex, std::move(placeholder));
  }

  SigningStats stats;
  if (everything) {
    make_nsec_chain(soa.minimum);
  } else {
    relink_nsec(dirty, positions, soa.minimum);
  }
  stats.nsec_records = chain_total;
  // With the signing keys of the last run, only the nodes that changed (a name whose cut status
  // moved counts as changed, see mark_cuts) and the nodes holding a signature that expires
  // within policy.refresh need signatures; other keys mean planning every RRset.
  std::vector<std::pair<std::uint16_t, bool>> signing;  // key tag, signs the DNSKEY RRset
  for (std::size_t k = 0; k < keys.active.size(); ++k) {
    signing.emplace_back(keys.active[k]->key_tag,
                         std::find(keys.ksk.begin(), keys.ksk.end(), k) != keys.ksk.end());
  }
  const bool keys_same = signing == planned_with;
  const std::int64_t fresh_until = policy.now + policy.refresh;
  const bool every_node = everything || !keys_same;
  // The earliest expiration, after this run, among the nodes not looked at (see below).
  std::int64_t unseen_earliest = earliest_expiration;
  if (!every_node && fresh_until > earliest_expiration) {
    // Some kept signatures are due: their nodes are looked at too (one field read per node).
    unseen_earliest = std::numeric_limits<std::int64_t>::max();
    std::vector<std::size_t> looked_at;
    looked_at.reserve(dirty.size() + 64);
    std::size_t d = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const bool changed = d < dirty.size() && dirty[d] == i;
      d += changed ? 1 : 0;
      if (changed || nodes[i].earliest_expiration < fresh_until) {
        looked_at.push_back(i);
      } else {
        unseen_earliest = std::min<std::int64_t>(unseen_earliest, nodes[i].earliest_expiration);
      }
    }
    dirty = std::move(looked_at);
  }
  // The nodes this update looks at again: `dirty`, or all of them.
  const auto for_each_looked_at = [&](auto&& fn) {
    if (every_node) {
      for (auto& node : nodes) {
        fn(node);
      }
    } else {
      for (const std::size_t i : dirty) {
        fn(nodes[i]);
      }
    }
  };
  std::vector<Job> jobs;
  for_each_looked_at([&](Node& node) {
    if (keys_same && node.wire_valid && node.earliest_expiration >= fresh_until) {
      return;  // unchanged, and every signature stays fresh
    }
    for (auto& entry : node.rrsets) {
      if (entry.type != dns::RRType::kZonemd) {
        plan(node, entry, keys, policy, jobs, stats);
      }
    }
  });
  planned_with = std::move(signing);
  stats.signatures += jobs.size();
  Status signed_ok = run_jobs(jobs, keys, policy.signature_cache);
  if (signed_ok) {
    for_each_looked_at([](Node& node) {
      if (!node.wire_valid) {
        signer::sort_signatures(node);
        node.output_stale = true;  // its records or signatures changed in this update
      }
    });
    apex.output_stale = true;  // the SOA and ZONEMD change with any update
  }
  if (signed_ok && policy.zonemd) {
    const ZonemdRdata zonemd{soa.serial, kZonemdSchemeSimple, kZonemdHashSha384,
                             refresh_zone_wire_and_hash(every_node ? nullptr : &dirty)};
    // The apex wire leaves ZONEMD and its signatures out (RFC 8976 §3.3.1): it stays current.
    RRsetEntry entry = signer::make_entry(origin, dns::RRType::kZonemd, dns::RRClass::kIn, soa.ttl,
                                          {make_zonemd_rdata(zonemd)});
    RRsetEntry* old = apex.find(dns::RRType::kZonemd);
    if (old->wire != entry.wire) {
      *old = std::move(entry);
    }
    std::vector<Job> zonemd_jobs;
    plan(apex, *old, keys, policy, zonemd_jobs, stats);
    apex.wire_valid = true;
    stats.signatures += zonemd_jobs.size();
    signed_ok = run_jobs(zonemd_jobs, keys, policy.signature_cache);
    signer::sort_signatures(apex);
  }
  if (!signed_ok) {
    *this = State{};  // half-signed state is useless: start afresh next time
    return fail(std::move(signed_ok).error());
  }
  serial = soa.serial;
  if (every_node) {
    records_total = 0;
    signatures_total = 0;
    for (auto& node : nodes) {
      node.counted_records = 0;
      node.counted_signatures = 0;
    }
  }
  earliest_expiration = every_node ? std::numeric_limits<std::int64_t>::max() : unseen_earliest;
  for_each_looked_at([&](Node& node) {
    std::size_t sigs = 0;
    std::uint32_t earliest = std::numeric_limits<std::uint32_t>::max();
    for (const auto& entry : node.rrsets) {
      sigs += entry.sigs.size();
      for (const Signature& sig : entry.sigs) {
        if (entry.type != dns::RRType::kZonemd) {
          earliest = std::min(earliest, sig.expiration);
        }
      }
    }
    records_total += signer::record_count(node) - node.counted_records;
    signatures_total += sigs - node.counted_signatures;
    node.counted_records = static_cast<std::uint32_t>(signer::record_count(node));
    node.counted_signatures = static_cast<std::uint32_t>(sigs);
    node.earliest_expiration = earliest;
    earliest_expiration = std::min<std::int64_t>(earliest_expiration, earliest);
  });
  stats.records = records_total;
  stats.signatures_reused = signatures_total - stats.signatures;
  changed_keys.clear();
  all_changed = !policy.zonemd;  // without ZONEMD nodes are never marked current
  return stats;
}

}  // namespace rootsim::registry
