#include "rootsim/registry/zone_signer.hpp"

#include "rootsim/registry/zonemd.hpp"

#include "crypto.hpp"
#include "signer_nodes.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace rootsim::registry {
namespace {

using signer::Node;
using signer::RRsetEntry;
using signer::Signature;

// One signature to make: the RRset, which slot of its sigs, which key (index into the signers).
struct Job {
  RRsetEntry* entry;
  std::size_t slot;
  std::size_t key;
};

struct KeySet {
  std::vector<const SigningKey*> active;  // keys that sign, each with its EVP key below
  std::vector<const EVP_PKEY*> pkeys;
  std::vector<std::size_t> ksk;  // indices into active: sign the DNSKEY RRset
  std::vector<std::size_t> zsk;  // indices into active: sign everything else
};

bool owner_less(const dns::Record& a, const dns::Record& b) { return a.owner < b.owner; }

// Records of one owner must be contiguous and owners in canonical order; sort only when not.
void group_by_owner(std::vector<dns::Record>& records) {
  bool grouped = true;
  for (std::size_t i = 1; i < records.size() && grouped; ++i) {
    grouped = records[i].owner == records[i - 1].owner || owner_less(records[i - 1], records[i]);
  }
  if (grouped) {
    return;
  }
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    keys.emplace_back(records[i].owner.lookup_key(), i);
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<dns::Record> sorted;
  sorted.reserve(records.size());
  for (const auto& key : keys) {
    sorted.push_back(std::move(records[key.second]));
  }
  records = std::move(sorted);
}

std::size_t group_end(const std::vector<dns::Record>& records, std::size_t begin) {
  std::size_t end = begin + 1;
  while (end < records.size() && records[end].owner == records[begin].owner) {
    ++end;
  }
  return end;
}

dns::Bytes rrsig_prefix(const Node& node, const RRsetEntry& entry, const SigningKey& key,
                        const dns::Name& origin, std::uint32_t inception,
                        std::uint32_t expiration) {
  dns::Bytes out;
  dns::put_u16(out, dns::to_number(entry.type));
  out.push_back(key.algorithm);
  out.push_back(signer::rrsig_labels(node.owner));
  dns::put_u32(out, entry.ttl);
  dns::put_u32(out, expiration);
  dns::put_u32(out, inception);
  dns::put_u16(out, key.key_tag);
  const auto signer_name = origin.lowercased();
  out.insert(out.end(), signer_name.wire().begin(), signer_name.wire().end());
  return out;
}

Status run_jobs(std::vector<Job>& jobs, const KeySet& keys, unsigned threads) {
  if (jobs.empty()) {
    return {};
  }
  const std::size_t count = std::clamp<std::size_t>(threads, 1, jobs.size() / 8 + 1);
  // Signers are set up here, on one thread; each worker then owns its own.
  std::vector<std::vector<crypto::Signer>> signers(count);
  for (auto& per_thread : signers) {
    for (std::size_t k = 0; k < keys.active.size(); ++k) {
      auto s = crypto::Signer::create(*keys.pkeys[k], keys.active[k]->algorithm);
      if (!s) {
        return fail(std::move(s).error());
      }
      per_thread.push_back(std::move(*s));
    }
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::optional<Error>> errors(count);
  const auto work = [&](std::size_t t) {
    constexpr std::size_t kChunk = 16;
    for (;;) {
      const std::size_t begin = next.fetch_add(kChunk, std::memory_order_relaxed);
      if (begin >= jobs.size()) {
        return;
      }
      for (std::size_t i = begin; i < std::min(begin + kChunk, jobs.size()); ++i) {
        Job& job = jobs[i];
        Signature& sig = job.entry->sigs[job.slot];
        auto signature = signers[t][job.key].sign(sig.rdata, job.entry->wire);
        if (!signature) {
          errors[t] = std::move(signature).error();
          return;
        }
        sig.rdata.insert(sig.rdata.end(), signature->begin(), signature->end());
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < count; ++t) {
    pool.emplace_back(work, t);
  }
  work(0);
  for (auto& thread : pool) {
    thread.join();
  }
  for (auto& error : errors) {
    if (error) {
      return fail(std::move(*error));
    }
  }
  return {};
}

}  // namespace

struct ZoneSigner::State {
  dns::Name origin;
  std::vector<dns::Record> input;  // the last unsigned input, grouped by owner
  std::vector<Node> nodes;         // canonical order (a flat array: cheap to walk and to rebuild)
  std::map<std::string, crypto::PKey> pkeys;  // by PEM text, so keys are parsed once
  std::uint32_t serial = 0;

  Result<KeySet> prepare_keys(const std::vector<SigningKey>& keys);
  Status merge_input(std::vector<dns::Record> records);
  void mark_cuts();
  void make_nsec_chain(std::uint32_t ttl, SigningStats& stats);
  void plan(Node& node, RRsetEntry& entry, const KeySet& keys, const SigningPolicy& policy,
            std::vector<Job>& jobs, SigningStats& stats) const;
  Status sign_round(const KeySet& keys, const SigningPolicy& policy, bool zonemd_only,
                    SigningStats& stats);
};

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
  return set;
}

// Walks the previous and the next input owner by owner, in step with the nodes (one node per
// previous owner, same order); rebuilds only owners whose records differ. Errors: kSemantic for
// an owner outside the zone (the nodes are then inconsistent: the caller starts afresh).
Status ZoneSigner::State::merge_input(std::vector<dns::Record> records) {
  std::size_t i = 0;
  std::size_t j = 0;
  std::vector<Node> next;
  next.reserve(nodes.size() + 16);
  auto node = nodes.begin();
  const auto build = [&](std::size_t begin, std::size_t end, Node* previous) -> Result<Node> {
    if (!records[begin].owner.is_subdomain_of(origin)) {
      return fail(Errc::kSemantic,
                  records[begin].owner.to_text() + " is outside the zone " + origin.to_text());
    }
    return signer::build_node(std::span(records).subspan(begin, end - begin), previous);
  };
  while (i < input.size() || j < records.size()) {
    const std::size_t i_end = i < input.size() ? group_end(input, i) : i;
    const std::size_t j_end = j < records.size() ? group_end(records, j) : j;
    const bool same = i < input.size() && j < records.size() && input[i].owner == records[j].owner;
    if (!same && (j >= records.size() || (i < input.size() && owner_less(input[i], records[j])))) {
      ++node;  // the owner is gone
      i = i_end;
      continue;
    }
    if (!same) {  // a new owner, before `node`
      auto made = build(j, j_end, nullptr);
      if (!made) {
        return fail(std::move(made).error());
      }
      next.push_back(std::move(*made));
      j = j_end;
      continue;
    }
    if (!std::equal(input.begin() + static_cast<std::ptrdiff_t>(i),
                    input.begin() + static_cast<std::ptrdiff_t>(i_end),
                    records.begin() + static_cast<std::ptrdiff_t>(j),
                    records.begin() + static_cast<std::ptrdiff_t>(j_end))) {
      auto made = build(j, j_end, &*node);
      if (!made) {
        return fail(std::move(made).error());
      }
      *node = std::move(*made);
    }
    next.push_back(std::move(*node));
    ++node;
    i = i_end;
    j = j_end;
  }
  nodes = std::move(next);
  input = std::move(records);
  return {};
}

void ZoneSigner::State::mark_cuts() {
  const std::string* cut = nullptr;
  for (auto& node : nodes) {
    const std::string& key = node.key;
    node.occluded =
        cut != nullptr && key.size() > cut->size() && key.compare(0, cut->size(), *cut) == 0;
    if (!node.occluded) {
      cut = nullptr;
    }
    node.apex = node.owner == origin;
    node.delegation = !node.apex && !node.occluded && node.find(dns::RRType::kNs) != nullptr;
    if (node.delegation) {
      cut = &key;
    }
  }
}

// RFC 4034 §4: one NSEC per authoritative name, each naming the next; the last names the apex.
void ZoneSigner::State::make_nsec_chain(std::uint32_t ttl, SigningStats& stats) {
  std::vector<Node*> chain;
  for (auto& node : nodes) {
    if (node.authoritative()) {
      chain.push_back(&node);
    } else {
      signer::erase_entry(node, dns::RRType::kNsec);
    }
  }
  for (std::size_t k = 0; k < chain.size(); ++k) {
    Node& node = *chain[k];
    const auto next = chain[(k + 1) % chain.size()]->owner.wire();
    dns::Bytes rdata(next.begin(), next.end());
    const dns::Bytes bitmap = signer::nsec_bitmap(node);
    rdata.insert(rdata.end(), bitmap.begin(), bitmap.end());
    const RRsetEntry* old = node.find(dns::RRType::kNsec);
    if (old == nullptr || old->ttl != ttl || old->rdatas.size() != 1 || old->rdatas[0] != rdata) {
      signer::put_entry(node, signer::make_entry(node.owner, dns::RRType::kNsec, dns::RRClass::kIn,
                                                 ttl, {std::move(rdata)}));
    }
  }
  stats.nsec_records = chain.size();
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
    const Signature& sig = entry.sigs[s];
    keep = sig.key_tag == key.key_tag && sig.algorithm == key.algorithm &&
           static_cast<std::int64_t>(sig.expiration) >= fresh_until;
  }
  if (keep) {
    stats.signatures_reused += entry.sigs.size();
    return;
  }
  const auto inception = static_cast<std::uint32_t>(policy.now - policy.inception_offset);
  const auto expiration = static_cast<std::uint32_t>(policy.now + policy.validity);
  entry.sigs.assign(which.size(), Signature{});
  for (std::size_t s = 0; s < which.size(); ++s) {
    const SigningKey& key = *keys.active[which[s]];
    entry.sigs[s] = Signature{key.key_tag, key.algorithm, expiration,
                              rrsig_prefix(node, entry, key, origin, inception, expiration)};
    jobs.push_back(Job{&entry, s, which[s]});
  }
  node.wire_valid = false;
  ++stats.rrsets_signed;
}

Status ZoneSigner::State::sign_round(const KeySet& keys, const SigningPolicy& policy,
                                     bool zonemd_only, SigningStats& stats) {
  std::vector<Job> jobs;
  for (auto& node : nodes) {
    for (auto& entry : node.rrsets) {
      if ((entry.type == dns::RRType::kZonemd) == zonemd_only) {
        plan(node, entry, keys, policy, jobs, stats);
      }
    }
  }
  stats.signatures += jobs.size();
  return run_jobs(jobs, keys, policy.threads);
}

ZoneSigner::ZoneSigner() : state_(std::make_unique<State>()) {}
ZoneSigner::~ZoneSigner() = default;
ZoneSigner::ZoneSigner(ZoneSigner&&) noexcept = default;
ZoneSigner& ZoneSigner::operator=(ZoneSigner&&) noexcept = default;

Result<SigningStats> ZoneSigner::update(std::vector<dns::Record> records,
                                        const std::vector<SigningKey>& keys,
                                        const SigningPolicy& policy) {
  std::erase_if(records, [](const dns::Record& r) { return signer::is_made_by_signer(r.type); });
  const dns::Record* soa_record = nullptr;
  for (const auto& record : records) {
    if (record.type == dns::RRType::kSoa) {
      if (soa_record != nullptr) {
        return fail(Errc::kSemantic, "more than one SOA record");
      }
      soa_record = &record;
    }
  }
  if (soa_record == nullptr) {
    return fail(Errc::kSemantic, "no SOA record: cannot tell the zone apex");
  }
  const dns::Name origin = soa_record->owner.lowercased();
  auto soa = dns::read_soa_rdata(soa_record->rdata);
  if (!soa) {
    return fail(std::move(soa).error(), "SOA: ");
  }
  const std::uint32_t soa_ttl = soa_record->ttl;
  auto keyset = state_->prepare_keys(keys);
  if (!keyset) {
    return fail(std::move(keyset).error());
  }
  State& st = *state_;
  if (st.origin != origin || st.nodes.empty()) {
    st.nodes.clear();
    st.input.clear();
    st.origin = origin;
  }
  group_by_owner(records);
  if (Status merged = st.merge_input(std::move(records)); !merged) {
    *state_ = State{};
    return fail(std::move(merged).error());
  }
  st.mark_cuts();

  Node& apex = *std::find_if(st.nodes.begin(), st.nodes.end(),
                             [&](const Node& n) { return n.owner == origin; });
  std::vector<dns::Bytes> dnskeys;
  for (const auto& key : keys) {
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
  st.make_nsec_chain(soa->minimum, stats);
  Status signed_ok = st.sign_round(*keyset, policy, false, stats);
  if (signed_ok && policy.zonemd) {
    crypto::Sha384 hash;
    for (auto& node : st.nodes) {
      if (!node.wire_valid) {
        signer::refresh_zonemd_wire(node);
      }
      hash.update(node.zonemd_wire);
    }
    const ZonemdRdata zonemd{soa->serial, kZonemdSchemeSimple, kZonemdHashSha384, hash.finish()};
    RRsetEntry entry = signer::make_entry(origin, dns::RRType::kZonemd, dns::RRClass::kIn, soa_ttl,
                                          {make_zonemd_rdata(zonemd)});
    if (const RRsetEntry* old = apex.find(dns::RRType::kZonemd); old->wire != entry.wire) {
      signer::put_entry(apex, std::move(entry));
    }
    signed_ok = st.sign_round(*keyset, policy, true, stats);
  }
  if (!signed_ok) {
    *state_ = State{};  // half-signed state is useless: start afresh next time
    return fail(std::move(signed_ok).error());
  }
  st.serial = soa->serial;
  for (const auto& node : st.nodes) {
    for (const auto& entry : node.rrsets) {
      stats.records += entry.rdatas.size() + entry.sigs.size();
    }
  }
  return stats;
}

std::vector<dns::Record> ZoneSigner::records() const {
  std::vector<dns::Record> out;
  std::size_t count = 0;
  for (const auto& node : state_->nodes) {
    for (const auto& entry : node.rrsets) {
      count += entry.rdatas.size() + entry.sigs.size();
    }
  }
  out.reserve(count);
  for (const auto& node : state_->nodes) {
    signer::append_records(node, out);
  }
  return out;
}

std::uint32_t ZoneSigner::serial() const noexcept { return state_->serial; }

Result<SignedZone> sign_zone(std::vector<dns::Record> unsigned_records,
                             const std::vector<SigningKey>& keys, const SigningPolicy& policy) {
  ZoneSigner signer;
  auto stats = signer.update(std::move(unsigned_records), keys, policy);
  if (!stats) {
    return fail(std::move(stats).error());
  }
  return SignedZone{signer.records(), *stats};
}

}  // namespace rootsim::registry
