// build_snapshot(): zone content -> sorted node index (with empty non-terminals), cuts and glue,
// pre-rendered answer pieces, NSEC coverage, and the transfer stream.
#include "piece_writer.hpp"
#include "snapshot_data.hpp"
#include "snapshot_finishing.hpp"
#include "snapshot_keys.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace rootsim::resolver {
namespace {

using dns::Record;
using dns::RRType;

struct Owner {
  std::string key;
  std::uint32_t first = 0;  // into BuildState::order
  std::uint32_t count = 0;
};

struct BuildState {
  const dns::ZoneContent& zone;
  ZoneSnapshot::Data& data;
  std::vector<std::uint32_t> order;  // record indices grouped by node, sorted by type
  std::vector<Owner> nodes;          // parallel to data.nodes (key moved into data.keys)
  std::vector<std::uint8_t> arena;   // the pieces, copied into data.arena when complete
  std::vector<HashSlot> names;       // every node but the apex; HashSlot::record = node id
  std::uint64_t names_mask = 0;
  std::vector<std::uint32_t> record_of;  // node id -> its NodeRecord in the arena, or kNone
};

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

std::uint64_t node_hash(const ZoneSnapshot::Data& data, std::uint32_t id) {
  const Node& n = data.nodes[id];
  return hash_key(reinterpret_cast<const std::uint8_t*>(data.keys.data() + n.key), n.key_len);
}

// An open-addressing table (load <= 1/2) over the nodes `wanted` picks; each slot stores
// value(id).
template <class Wanted, class Value>
std::uint64_t fill_table(const ZoneSnapshot::Data& data, std::span<HashSlot> table, Wanted wanted,
                         Value value) {
  const std::uint64_t mask = table.size() - 1;
  for (std::uint32_t i = 0; i < data.nodes.size(); ++i) {
    if (!wanted(i)) {
      continue;
    }
    const std::uint64_t h = node_hash(data, i);
    std::uint64_t slot = h & mask;
    while (table[slot].record != kNone) {
      slot = (slot + 1) & mask;
    }
    table[slot] = HashSlot{static_cast<std::uint32_t>(h >> 32), value(i)};
  }
  return mask;
}

// Node id of `key` (any node, glue below cuts too), or kNone.
std::uint32_t find_key(const BuildState& st, std::string_view key) {
  const ZoneSnapshot::Data& data = st.data;
  if (key == data.origin_key) {
    return data.apex;  // not in the table
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

// Groups the records by owner (sorted by lookup key, records by type) and adds the empty
// non-terminals, so that every name between the apex and an owner is a node.
Status collect_nodes(BuildState& st) {
  const auto& records = st.zone.records;
  const dns::Name& origin = st.zone.origin;
  struct Run {
    std::string key;
    std::uint32_t begin;
    std::uint32_t end;
  };
  std::vector<Run> runs;
  for (std::uint32_t i = 0; i < records.size();) {
    std::uint32_t j = i + 1;
    while (j < records.size() && records[j].owner == records[i].owner) {
      ++j;
    }
    const dns::Name& owner = records[i].owner;
    if (!origin.is_root() && !owner.is_subdomain_of(origin)) {
      return fail(Errc::kSemantic, owner.to_text() + " is outside the zone " + origin.to_text());
    }
    if (const auto w = owner.wire(); w.size() > 2 && w[0] == 1 && w[1] == '*') {
      return fail(Errc::kSemantic, owner.to_text() + ": wildcards are not supported");
    }
    for (std::uint32_t k = i; k < j; ++k) {
      const Record& r = records[k];
      if (r.rrclass != dns::RRClass::kIn) {
        return fail(Errc::kSemantic, to_text(r) + ": only class IN is served");
      }
      if (r.type == RRType::kCname || dns::to_number(r.type) == 39) {
        return fail(Errc::kSemantic, to_text(r) + ": CNAME and DNAME are not supported");
      }
    }
    runs.push_back(Run{owner.lookup_key(), i, j});
    i = j;
  }
  // Zone files are usually in canonical order already: then there is nothing to sort.
  auto by_key = [](const Run& a, const Run& b) { return a.key < b.key; };
  if (!std::is_sorted(runs.begin(), runs.end(), by_key)) {
    std::stable_sort(runs.begin(), runs.end(), by_key);
  }

  const std::string origin_key = origin.lookup_key();
  std::vector<std::size_t> path;  // indices into st.nodes of the current ancestors
  auto add_node = [&](std::string key) {
    st.nodes.push_back(Owner{std::move(key), static_cast<std::uint32_t>(st.order.size()), 0});
  };
  for (std::size_t r = 0; r < runs.size();) {
    const std::string& key = runs[r].key;
    while (!path.empty() && !is_prefix_label(st.nodes[path.back()].key, key)) {
      path.pop_back();
    }
    // Empty non-terminals between the deepest existing ancestor (or the origin) and `key`.
    std::size_t pos = path.empty() ? origin_key.size() : st.nodes[path.back()].key.size();
    for (;;) {
      const std::size_t end = key.find('\0', pos);
      if (end == std::string::npos || end + 1 >= key.size()) {
        break;
      }
      add_node(key.substr(0, end + 1));
      path.push_back(st.nodes.size() - 1);
      pos = end + 1;
    }
    add_node(key);
    std::size_t s = r;
    for (; s < runs.size() && runs[s].key == key; ++s) {
      for (std::uint32_t k = runs[s].begin; k < runs[s].end; ++k) {
        st.order.push_back(k);
      }
    }
    Owner& owner = st.nodes.back();
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
    path.push_back(st.nodes.size() - 1);
    r = s;
  }
  if (st.nodes.empty() || st.nodes.front().key != origin_key) {
    return fail(Errc::kSemantic, "no SOA at the zone apex " + origin.to_text());
  }
  return {};
}

// The answer path's table: the nodes the walk can reach (not the apex: the walk starts below it;
// not names below cuts: the walk stops at the cut above them), each pointing at its NodeRecord.
// Writes the records into the arena first.
Status fill_hash(BuildState& st) {
  ZoneSnapshot::Data& data = st.data;
  std::size_t count = 0;
  for (std::uint32_t i = 0; i < data.nodes.size(); ++i) {
    const std::uint32_t at = st.record_of[i];
    if (at == kNone) {
      continue;
    }
    ++count;
    const Node& n = data.nodes[i];
    // A referral's no-DS proof is the cut's own NSEC, compressed against the question.
    const NodeRecord r{n.prefix, i,    n.key_len, n.flags,
                       n.labels, n.ns, n.ds,      n.cut_nsec != kNone ? n.cut_nsec : n.nsec,
                       n.glue};
    std::memcpy(st.arena.data() + std::size_t{at} * 4, &r, sizeof r);
  }
  auto hash = HugeArray<HashSlot>::make(table_size(count));
  if (!hash) {
    return fail(std::move(hash).error());
  }
  data.hash = std::move(*hash);
  data.hash_mask = fill_table(
      data, std::span<HashSlot>(data.hash.data(), data.hash.size()),
      [&](std::uint32_t id) { return st.record_of[id] != kNone; },
      [&](std::uint32_t id) { return st.record_of[id]; });
  return {};
}

// Keys, flags, the hash table and the predecessor tree.
Status index_nodes(BuildState& st) {
  auto& data = st.data;
  const auto& records = st.zone.records;
  std::size_t total_key = 0;
  for (const Owner& o : st.nodes) {
    total_key += o.key.size();
  }
  if (total_key >= kNone) {
    return fail(Errc::kLimit, "the zone's names outgrow 4 GiB of keys");
  }
  auto nodes = HugeArray<Node>::make(st.nodes.size());
  auto keys = HugeArray<char>::make(total_key);
  if (!nodes || !keys) {
    return fail(Errc::kLimit, "cannot map the snapshot's index");
  }
  data.nodes = std::move(*nodes);
  data.keys = std::move(*keys);
  std::size_t key_end = 0;
  std::uint32_t cut = kNone;
  for (std::uint32_t i = 0; i < st.nodes.size(); ++i) {
    const Owner& o = st.nodes[i];
    Node& n = data.nodes[i];
    n.key = static_cast<std::uint32_t>(key_end);
    n.key_len = static_cast<std::uint16_t>(o.key.size());
    n.labels = static_cast<std::uint8_t>(std::count(o.key.begin(), o.key.end(), '\0'));
    std::memcpy(data.keys.data() + key_end, o.key.data(), o.key.size());
    key_end += o.key.size();
    n.prefix = load_prefix(reinterpret_cast<const std::uint8_t*>(o.key.data()), o.key.size());
    if (i == 0) {
      n.flags = kApex;
      continue;
    }
    if (cut != kNone && is_prefix_label(st.nodes[cut].key, o.key)) {
      n.flags = kBelowCut;
      continue;
    }
    cut = kNone;
    for (std::uint32_t k = 0; k < o.count; ++k) {
      if (records[st.order[o.first + k]].type == RRType::kNs) {
        n.flags = kDelegation;
        cut = i;
        break;
      }
    }
  }
  if (auto tree = build_tree(data); !tree) {
    return tree;
  }
  st.names.assign(table_size(data.nodes.size()), HashSlot{});
  st.names_mask = fill_table(
      data, std::span<HashSlot>(st.names), [&](std::uint32_t id) { return id != data.apex; },
      [](std::uint32_t id) { return id; });
  return {};
}

class Renderer {
 public:
  explicit Renderer(BuildState& st) : st_(st), records_(st.zone.records) {}

  // Appends to `w` the records of node `id` of `type` (a unit), then their RRSIGs (a unit).
  void add_rrset(PieceWriter& w, std::uint32_t id, std::uint16_t type, bool with_sigs) {
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

  bool has_type(std::uint32_t id, RRType type) const {
    const Owner& o = st_.nodes[id];
    for (std::uint32_t k = 0; k < o.count; ++k) {
      if (records_[st_.order[o.first + k]].type == type) {
        return true;
      }
    }
    return false;
  }

  const dns::Name& owner_name(std::uint32_t id) const {
    return records_[st_.order[st_.nodes[id].first]].owner;
  }

  // Addresses of the NS targets of node `id`: in-domain ones (under `cut`) first, as units.
  // `w` must not be the writer that holds `anchor`.
  Result<std::uint32_t> address_piece(PieceWriter& w, std::uint32_t id, const Dictionary& anchor,
                                      bool referral) {
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
        const bool in_domain = is_prefix_label(cut_key, node_key(st_.data, t));
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
    return w.finish(st_.arena, required);
  }

  Status render_node(std::uint32_t id) {
    Node& n = st_.data.nodes[id];
    const Owner& o = st_.nodes[id];
    if ((n.flags & (kApex | kBelowCut)) == 0) {
      // The node's record goes right before its pieces (filled in by fill_hash).
      auto& arena = st_.arena;
      arena.resize((arena.size() + 15) / 16 * 16 + sizeof(NodeRecord));
      const std::size_t at = (arena.size() - sizeof(NodeRecord)) / 4;
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
      auto ns_piece = ns.finish(st_.arena);
      if (!ns_piece) {
        return fail(std::move(ns_piece).error(), name.to_text() + ": ");
      }
      n.ns = *ns_piece;
      const bool has_ds = has_type(id, RRType::kDs);
      if (has_ds) {
        PieceWriter& ds = writers_[1];
        ds.start(name, false, nullptr);
        add_rrset(ds, id, dns::to_number(RRType::kDs), true);
        auto ds_piece = ds.finish(st_.arena);
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
        auto proof_piece = proof.finish(st_.arena);
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
      auto piece = w.finish(st_.arena);
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

 private:
  Status render_nsec(std::uint32_t id) {
    Node& n = st_.data.nodes[id];
    PieceWriter& w = writers_[2];
    w.start(st_.zone.origin, false, nullptr);
    add_rrset(w, id, dns::to_number(RRType::kNsec), true);
    auto piece = w.finish(st_.arena);
    if (!piece) {
      return fail(std::move(piece).error(), owner_name(id).to_text() + ": ");
    }
    n.nsec = *piece;
    n.flags |= kOwnsNsec;
    return {};
  }

  BuildState& st_;
  const std::vector<Record>& records_;
  // Reused for every piece, so that rendering allocates nothing once the buffers are warm:
  // [0] the anchor (NS, an authoritative RRset), [1] DS or addresses, [2] NSEC.
  PieceWriter writers_[3];
  std::vector<std::uint32_t> targets_;
  std::string key_;
};

Result<std::uint32_t> chaos_piece(std::vector<std::uint8_t>& arena, std::string_view qname,
                                  const std::string& instance) {
  auto name = dns::Name::from_text(qname);
  if (!name) {
    return fail(std::move(name).error());
  }
  Record txt{*name, RRType::kTxt, dns::RRClass::kCh, 0, {}};
  const std::size_t len = std::min<std::size_t>(instance.size(), 255);
  txt.rdata.push_back(static_cast<std::uint8_t>(len));
  txt.rdata.insert(txt.rdata.end(), instance.begin(),
                   instance.begin() + static_cast<std::ptrdiff_t>(len));
  PieceWriter w(*name, true, nullptr);
  w.add(txt);
  return w.finish(arena);
}

}  // namespace

Result<std::shared_ptr<const ZoneSnapshot>> build_snapshot(const dns::ZoneContent& zone,
                                                           const SnapshotOptions& options) {
  auto data = std::make_unique<ZoneSnapshot::Data>();
  data->origin = zone.origin;
  data->origin_key = zone.origin.lookup_key();
  data->origin_labels = static_cast<std::uint8_t>(zone.origin.label_count());
  data->options = options;
  BuildState st{zone, *data, {}, {}, {}, {}, 0, {}};
  if (auto collected = collect_nodes(st); !collected) {
    return fail(std::move(collected).error());
  }
  if (auto indexed = index_nodes(st); !indexed) {
    return fail(std::move(indexed).error());
  }
  data->apex = 0;

  Renderer renderer(st);
  const Record* soa = nullptr;
  const Owner& apex = st.nodes[0];
  for (std::uint32_t k = 0; k < apex.count; ++k) {
    const Record& r = zone.records[st.order[apex.first + k]];
    if (r.type == RRType::kSoa) {
      if (soa != nullptr) {
        return fail(Errc::kSemantic, "more than one SOA at the apex");
      }
      soa = &r;
    }
  }
  if (soa == nullptr) {
    return fail(Errc::kSemantic, "no SOA at the zone apex " + zone.origin.to_text());
  }
  if (!renderer.has_type(0, RRType::kNs)) {
    return fail(Errc::kSemantic, "no NS at the zone apex " + zone.origin.to_text());
  }
  auto soa_rdata = dns::read_soa_rdata(soa->rdata);
  if (!soa_rdata) {
    return fail(std::move(soa_rdata).error(), "apex SOA: ");
  }
  data->serial = soa_rdata->serial;
  data->is_signed = renderer.has_type(0, RRType::kDnskey);

  PieceWriter soa_writer(zone.origin, true, nullptr);
  renderer.add_rrset(soa_writer, 0, dns::to_number(RRType::kSoa), true);
  auto soa_piece = soa_writer.finish(st.arena);
  if (!soa_piece) {
    return fail(std::move(soa_piece).error());
  }
  data->soa_piece = *soa_piece;
  st.record_of.assign(st.nodes.size(), kNone);
  for (std::uint32_t id = 0; id < st.nodes.size(); ++id) {
    if (auto rendered = renderer.render_node(id); !rendered) {
      return fail(std::move(rendered).error());
    }
  }
  fill_nsec_coverage(*data);
  fill_tree_covers(*data);
  if (auto hashed = fill_hash(st); !hashed) {
    return fail(std::move(hashed).error());
  }
  st.names = std::vector<HashSlot>();
  if (!options.instance_name.empty()) {
    auto host = chaos_piece(st.arena, "hostname.bind.", options.instance_name);
    auto id = chaos_piece(st.arena, "id.server.", options.instance_name);
    if (!host || !id) {
      return fail(Errc::kSemantic, "cannot render the CH TXT instance name");
    }
    data->chaos_hostname_piece = *host;
    data->chaos_id_piece = *id;
  }
  auto arena = HugeArray<std::uint8_t>::copy_of(st.arena);
  if (!arena) {
    return fail(std::move(arena).error());
  }
  data->arena = std::move(*arena);
  // 1 MiB, not more: on a shared machine the last-level cache left to us is a few MiB (random
  // reads over 4 MiB already cost ~65 ns here), so prefetching pays from 1 MiB on.
  data->prefetch_pieces = data->arena.bytes() > (std::size_t{1} << 20);
  st.arena = std::vector<std::uint8_t>();
  if (options.keep_transfer_data) {
    std::vector<const Record*> ordered;  // every record but the SOA, node by node
    ordered.reserve(zone.records.size());
    for (const Owner& o : st.nodes) {
      for (std::uint32_t k = 0; k < o.count; ++k) {
        const Record& r = zone.records[st.order[o.first + k]];
        if (r.type != RRType::kSoa) {
          ordered.push_back(&r);
        }
      }
    }
    build_transfer(*data, *soa, ordered);
  }

  SnapshotStats& stats = data->stats;
  stats.names = data->nodes.size();
  stats.records = zone.records.size();
  stats.delegations = static_cast<std::size_t>(
      std::count_if(data->nodes.begin(), data->nodes.end(),
                    [](const Node& n) { return (n.flags & kDelegation) != 0; }));
  stats.bytes = data->nodes.bytes() + data->keys.bytes() + data->hash.bytes() + data->tree.bytes() +
                data->arena.bytes() + data->types.capacity() * sizeof(TypeEntry) +
                data->transfer_bytes.capacity() +
                data->transfer_chunks.capacity() * sizeof(TransferChunk);
  return std::shared_ptr<const ZoneSnapshot>(std::make_shared<ZoneSnapshot>(std::move(data)));
}

}  // namespace rootsim::resolver
