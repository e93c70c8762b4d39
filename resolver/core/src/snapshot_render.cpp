// Rendering a snapshot's answer pieces from zone content (see snapshot_render.hpp).
#include "snapshot_render.hpp"

#include "snapshot_keys.hpp"

#include <algorithm>
#include <cstring>

namespace rootsim::resolver {

using dns::Record;
using dns::RRType;

std::uint16_t covered_type(const Record& rrsig) {
  return rrsig.rdata.size() >= 2 ? dns::get_u16(rrsig.rdata, 0) : 0;
}

bool is_prefix_label(std::string_view parent, std::string_view child) {
  return child.size() > parent.size() && child.substr(0, parent.size()) == parent;
}

std::string_view node_key(const ZoneSnapshot::Data& data, std::uint32_t id) {
  const Node& n = data.nodes[id];
  return {data.keys.data() + n.key, n.key_len};
}

std::uint32_t find_key(const BuildState& st, std::string_view key) {
  const ZoneSnapshot::Data& data = st.data;
  if (key == data.origin_key) {
    return data.apex;  // not in the table
  }
  if (st.names.empty()) {
    // Patching: data.nodes are complete and in key order.
    std::uint32_t lo = 0;
    auto hi = static_cast<std::uint32_t>(data.nodes.size());
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      if (node_key(data, mid) < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo < data.nodes.size() && node_key(data, lo) == key) {
      return lo;
    }
    for (const auto& [added, id] : st.added_below_cuts) {
      if (added == key) {
        return id;
      }
    }
    return kNone;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(key.data());
  const std::uint64_t h = hash_key(bytes, key.size());
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  for (std::uint64_t i = h & st.names_mask;; i = (i + 1) & st.names_mask) {
    const HashSlot& s = st.names[i];
    if (s.record == kNone) {
      return kNone;
    }
    if (s.tag == tag && node_key(data, s.record) == key) {
      return s.record;
    }
  }
}

std::string_view BuildState::key_of(std::uint32_t id) const {
  return id < data.nodes.size() ? node_key(data, id) : std::string_view(nodes[id].key);
}

void add_owner_records(BuildState& st, Owner& owner, std::uint32_t begin, std::uint32_t end) {
  const auto& records = st.zone.records;
  for (std::uint32_t k = begin; k < end; ++k) {
    st.order.push_back(k);
  }
  owner.count = static_cast<std::uint32_t>(st.order.size()) - owner.first;
  // Stable insertion sort by type: an owner has a handful of records, and std::stable_sort
  // would allocate a buffer for each of a million owners.
  for (std::size_t x = owner.first + 1; x < st.order.size(); ++x) {
    const std::uint32_t moving = st.order[x];
    const auto type = dns::to_number(records[moving].type);
    std::size_t y = x;
    for (; y > owner.first && dns::to_number(records[st.order[y - 1]].type) > type; --y) {
      st.order[y] = st.order[y - 1];
    }
    st.order[y] = moving;
  }
}

void finish_stats(ZoneSnapshot::Data& data, std::size_t records) {
  // 1 MiB, not more: on a shared machine the last-level cache left to us is a few MiB (random
  // reads over 4 MiB already cost ~65 ns here), so prefetching pays from 1 MiB on.
  data.prefetch_pieces = data.arena.bytes() > (std::size_t{1} << 20);
  SnapshotStats& stats = data.stats;
  stats.names = data.nodes.size();
  stats.records = records;
  stats.delegations = static_cast<std::size_t>(
      std::count_if(data.nodes.begin(), data.nodes.end(),
                    [](const Node& n) { return (n.flags & kDelegation) != 0; }));
  stats.bytes = data.nodes.bytes() + data.keys.bytes() + data.hash.bytes() + data.leaves.bytes() +
                data.tree.bytes() + data.arena.bytes() + data.types.capacity() * sizeof(TypeEntry) +
                data.transfer_bytes.capacity() +
                data.transfer_chunks.capacity() * sizeof(TransferChunk);
}

NodeRecord node_record(const ZoneSnapshot::Data& data, std::uint32_t id) {
  const Node& n = data.nodes[id];
  // A referral's no-DS proof is the cut's own NSEC, compressed against the question.
  return NodeRecord{n.prefix, id,   n.key_len, n.flags,
                    n.labels, n.ns, n.ds,      n.cut_nsec != kNone ? n.cut_nsec : n.nsec,
                    n.glue};
}

void write_node_records(BuildState& st) {
  for (std::uint32_t i = 0; i < st.data.nodes.size(); ++i) {
    const std::uint32_t at = st.record_of[i];
    if (at != kNone) {
      const NodeRecord r = node_record(st.data, i);
      std::memcpy(st.arena.data() + std::size_t{at} * 4, &r, sizeof r);
    }
  }
}

void Renderer::add_rrset(PieceWriter& w, std::uint32_t id, std::uint16_t type, bool with_sigs) {
  const Owner& o = st_.nodes[id];
  for (std::uint32_t k = 0; k < o.count; ++k) {
    const Record& r = records_[st_.order[o.first + k]];
    if (dns::to_number(r.type) == type) {
      w.add(r);
    }
  }
  w.end_unit();
  if (!with_sigs || type == dns::to_number(RRType::kRrsig)) {
    return;
  }
  for (std::uint32_t k = 0; k < o.count; ++k) {
    const Record& r = records_[st_.order[o.first + k]];
    if (r.type == RRType::kRrsig && covered_type(r) == type) {
      w.add(r);
    }
  }
  w.end_unit();
}

bool Renderer::has_type(std::uint32_t id, RRType type) const {
  const Owner& o = st_.nodes[id];
  for (std::uint32_t k = 0; k < o.count; ++k) {
    if (records_[st_.order[o.first + k]].type == type) {
      return true;
    }
  }
  return false;
}

const dns::Name& Renderer::owner_name(std::uint32_t id) const {
  return records_[st_.order[st_.nodes[id].first]].owner;
}

Result<std::uint32_t> Renderer::address_piece(PieceWriter& w, std::uint32_t id,
                                              const Dictionary& anchor, bool referral) {
  w.start(owner_name(id), false, &anchor);
  std::vector<std::uint32_t>& targets = targets_;
  targets.clear();
  const Owner& o = st_.nodes[id];
  for (std::uint32_t k = 0; k < o.count; ++k) {
    const Record& r = records_[st_.order[o.first + k]];
    if (r.type != RRType::kNs || !rdata_name_key(r.rdata, key_)) {
      continue;
    }
    const std::uint32_t t = find_key(st_, key_);
    if (t != kNone && std::find(targets.begin(), targets.end(), t) == targets.end()) {
      targets.push_back(t);
    }
  }
  const std::string_view cut_key = node_key(st_.data, id);
  std::uint16_t required = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::uint32_t t : targets) {
      const bool in_domain = is_prefix_label(cut_key, st_.key_of(t));
      if (in_domain != (pass == 0)) {
        continue;
      }
      for (const RRType type : {RRType::kA, RRType::kAaaa}) {
        if (has_type(t, type)) {
          add_rrset(w, t, dns::to_number(type), false);
          if (referral && in_domain) {
            ++required;
          }
        }
      }
    }
  }
  if (w.unit_count() == 0) {
    return kNone;
  }
  return w.finish(st_.arena, st_.arena_base, required);
}

Status Renderer::render_node(std::uint32_t id) {
  Node& n = st_.data.nodes[id];
  const Owner& o = st_.nodes[id];
  if ((n.flags & (kApex | kBelowCut)) == 0) {
    // The node's record goes right before its pieces (filled in by write_node_records).
    auto& arena = st_.arena;
    const std::size_t end = st_.arena_base + arena.size();
    arena.resize((end + 15) / 16 * 16 - st_.arena_base + sizeof(NodeRecord));
    const std::size_t at = (st_.arena_base + arena.size() - sizeof(NodeRecord)) / 4;
    if (at >= kNone) {
      return fail(Errc::kLimit, "the snapshot's answer pieces outgrow 16 GiB");
    }
    st_.record_of[id] = static_cast<std::uint32_t>(at);
  }
  if ((n.flags & kBelowCut) != 0 || o.count == 0) {
    return {};
  }
  const dns::Name& name = owner_name(id);
  const bool has_nsec = has_type(id, RRType::kNsec);
  if ((n.flags & kDelegation) != 0) {
    // One run in the arena for a referral: [NS], [DS][RRSIG] or [NSEC][RRSIG], the glue.
    PieceWriter& ns = writers_[0];
    ns.start(name, true, nullptr);
    add_rrset(ns, id, dns::to_number(RRType::kNs), false);
    auto ns_piece = ns.finish(st_.arena, st_.arena_base);
    if (!ns_piece) {
      return fail(std::move(ns_piece).error(), name.to_text() + ": ");
    }
    n.ns = *ns_piece;
    const bool has_ds = has_type(id, RRType::kDs);
    if (has_ds) {
      PieceWriter& ds = writers_[1];
      ds.start(name, false, nullptr);
      add_rrset(ds, id, dns::to_number(RRType::kDs), true);
      auto ds_piece = ds.finish(st_.arena, st_.arena_base);
      if (!ds_piece) {
        return fail(std::move(ds_piece).error(), name.to_text() + ": ");
      }
      n.ds = *ds_piece;
    } else if (has_nsec) {
      // RFC 4035 §3.1.4: the NSEC proving there is no DS, owner names pointing into the
      // question (every qname referred here ends with the cut), so that NS, NSEC and its
      // RRSIG fit where a peer's compressed answer does (512 octets with DO).
      PieceWriter& proof = writers_[2];
      proof.start(name, false, nullptr);
      add_rrset(proof, id, dns::to_number(RRType::kNsec), true);
      auto proof_piece = proof.finish(st_.arena, st_.arena_base);
      if (!proof_piece) {
        return fail(std::move(proof_piece).error(), name.to_text() + ": ");
      }
      n.cut_nsec = *proof_piece;
    }
    auto glue = address_piece(writers_[1], id, ns.dictionary(), true);
    if (!glue) {
      return fail(std::move(glue).error(), name.to_text() + ": ");
    }
    n.glue = *glue;
    if (has_nsec) {
      return render_nsec(id);  // for NXDOMAIN proofs of the names after this one
    }
    return {};
  }
  if (has_nsec) {
    if (auto nsec = render_nsec(id); !nsec) {
      return nsec;
    }
  }
  n.types = static_cast<std::uint32_t>(st_.data.types.size());
  std::uint16_t last = 0;
  bool first = true;
  for (std::uint32_t k = 0; k < o.count; ++k) {
    const std::uint16_t type = dns::to_number(records_[st_.order[o.first + k]].type);
    if (!first && type == last) {
      continue;
    }
    first = false;
    last = type;
    PieceWriter& w = writers_[0];
    w.start(name, true, nullptr);
    add_rrset(w, id, type, true);
    auto piece = w.finish(st_.arena, st_.arena_base);
    if (!piece) {
      return fail(std::move(piece).error(), name.to_text() + ": ");
    }
    std::uint32_t additional = kNone;
    if (type == dns::to_number(RRType::kNs)) {
      auto extra = address_piece(writers_[1], id, w.dictionary(), false);
      if (!extra) {
        return fail(std::move(extra).error(), name.to_text() + ": ");
      }
      additional = *extra;
    }
    st_.data.types.push_back(TypeEntry{type, *piece, additional});
    ++n.type_count;
  }
  return {};
}

Status Renderer::render_nsec(std::uint32_t id) {
  Node& n = st_.data.nodes[id];
  PieceWriter& w = writers_[2];
  w.start(st_.zone.origin, false, nullptr);
  add_rrset(w, id, dns::to_number(RRType::kNsec), true);
  auto piece = w.finish(st_.arena, st_.arena_base);
  if (!piece) {
    return fail(std::move(piece).error(), owner_name(id).to_text() + ": ");
  }
  n.nsec = *piece;
  n.flags |= kOwnsNsec;
  return {};
}

Status Renderer::render_apex_soa() {
  ZoneSnapshot::Data& data = st_.data;
  const dns::Name& origin = st_.zone.origin;
  const Record* soa = nullptr;
  const Owner& apex = st_.nodes[data.apex];
  for (std::uint32_t k = 0; k < apex.count; ++k) {
    const Record& r = records_[st_.order[apex.first + k]];
    if (r.type == RRType::kSoa) {
      if (soa != nullptr) {
        return fail(Errc::kSemantic, "more than one SOA at the apex");
      }
      soa = &r;
    }
  }
  if (soa == nullptr) {
    return fail(Errc::kSemantic, "no SOA at the zone apex " + origin.to_text());
  }
  if (!has_type(data.apex, RRType::kNs)) {
    return fail(Errc::kSemantic, "no NS at the zone apex " + origin.to_text());
  }
  auto soa_rdata = dns::read_soa_rdata(soa->rdata);
  if (!soa_rdata) {
    return fail(std::move(soa_rdata).error(), "apex SOA: ");
  }
  data.serial = soa_rdata->serial;
  data.is_signed = has_type(data.apex, RRType::kDnskey);
  PieceWriter soa_writer(origin, true, nullptr);
  add_rrset(soa_writer, data.apex, dns::to_number(RRType::kSoa), true);
  auto soa_piece = soa_writer.finish(st_.arena, st_.arena_base);
  if (!soa_piece) {
    return fail(std::move(soa_piece).error());
  }
  data.soa_piece = *soa_piece;
  return {};
}

}  // namespace rootsim::resolver
