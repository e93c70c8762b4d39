// build_snapshot(): zone content -> sorted node index (with empty non-terminals), cuts and glue,
// pre-rendered answer pieces, NSEC coverage, and the transfer stream.
#include "piece_writer.hpp"
#include "snapshot_data.hpp"

#include <algorithm>
#include <cstring>
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

std::uint32_t find_key(const ZoneSnapshot::Data& data, std::string_view key) {
  if (key == data.origin_key) {
    return data.apex;  // not in the hash table
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(key.data());
  return find_exact(data, bytes, key.size(), hash_key(bytes, key.size()),
                    load_prefix(bytes, key.size()));
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
    if (!owner.is_subdomain_of(origin)) {
      return fail(Errc::kSemantic, owner.to_text() + " is outside the zone " + origin.to_text());
    }
    if (!owner.is_root() && owner.first_label() == "*") {
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
  std::stable_sort(runs.begin(), runs.end(),
                   [](const Run& a, const Run& b) { return a.key < b.key; });

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
    std::stable_sort(st.order.begin() + owner.first, st.order.end(),
                     [&](std::uint32_t a, std::uint32_t b) {
                       return dns::to_number(records[a].type) < dns::to_number(records[b].type);
                     });
    path.push_back(st.nodes.size() - 1);
    r = s;
  }
  if (st.nodes.empty() || st.nodes.front().key != origin_key) {
    return fail(Errc::kSemantic, "no SOA at the zone apex " + origin.to_text());
  }
  return {};
}

// The hash table over node keys (not the apex: the walk starts below it). After rendering,
// names below cuts are left out: the walk from the apex stops at the cut above them, and a
// smaller table stays in cache.
Status fill_hash(ZoneSnapshot::Data& data, bool reachable_only) {
  auto wanted = [&](std::uint32_t id) {
    return id != data.apex && !(reachable_only && (data.nodes[id].flags & kBelowCut) != 0);
  };
  std::size_t count = 0;
  for (std::uint32_t i = 0; i < data.nodes.size(); ++i) {
    count += wanted(i) ? 1U : 0U;
  }
  std::size_t size = 16;
  while (size < count * 2) {
    size *= 2;
  }
  data.hash = HugeArray<HashSlot>();
  auto hash = HugeArray<HashSlot>::make(size);
  if (!hash) {
    return fail(std::move(hash).error());
  }
  data.hash = std::move(*hash);
  data.hash_mask = size - 1;
  for (std::uint32_t i = 0; i < data.nodes.size(); ++i) {
    if (!wanted(i)) {
      continue;
    }
    const Node& n = data.nodes[i];
    const std::uint64_t h =
        hash_key(reinterpret_cast<const std::uint8_t*>(data.keys.data() + n.key), n.key_len);
    std::uint64_t slot = h & data.hash_mask;
    while (data.hash[slot].key_len != 0) {
      slot = (slot + 1) & data.hash_mask;
    }
    data.hash[slot] = HashSlot{n.prefix, i,      n.key_len, n.flags, n.labels,
                               n.ns,     n.ds,   n.nsec,    n.glue};
  }
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
  return fill_hash(data, false);
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
  Result<std::uint32_t> address_piece(std::uint32_t id, const Dictionary& anchor, bool referral) {
    PieceWriter w(owner_name(id), false, &anchor);
    std::vector<std::uint32_t> targets;
    const Owner& o = st_.nodes[id];
    for (std::uint32_t k = 0; k < o.count; ++k) {
      const Record& r = records_[st_.order[o.first + k]];
      if (r.type != RRType::kNs) {
        continue;
      }
      auto target = dns::read_name_rdata(r.rdata);
      if (!target) {
        continue;
      }
      const std::uint32_t t = find_key(st_.data, target->lookup_key());
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
    if ((n.flags & kBelowCut) != 0 || o.count == 0) {
      return {};
    }
    const dns::Name& name = owner_name(id);
    const bool has_nsec = has_type(id, RRType::kNsec);
    if ((n.flags & kDelegation) != 0) {
      // One run in the arena for a referral: [NS], [DS][RRSIG] or [NSEC][RRSIG], the glue.
      PieceWriter ns(name, true, nullptr);
      add_rrset(ns, id, dns::to_number(RRType::kNs), false);
      auto ns_piece = ns.finish(st_.arena);
      if (!ns_piece) {
        return fail(std::move(ns_piece).error(), name.to_text() + ": ");
      }
      n.ns = *ns_piece;
      const bool has_ds = has_type(id, RRType::kDs);
      if (has_ds) {
        PieceWriter ds(name, false, nullptr);
        add_rrset(ds, id, dns::to_number(RRType::kDs), true);
        auto ds_piece = ds.finish(st_.arena);
        if (!ds_piece) {
          return fail(std::move(ds_piece).error(), name.to_text() + ": ");
        }
        n.ds = *ds_piece;
      } else if (has_nsec) {
        if (auto nsec = render_nsec(id); !nsec) {
          return nsec;
        }
      }
      auto glue = address_piece(id, ns.dictionary(), true);
      if (!glue) {
        return fail(std::move(glue).error(), name.to_text() + ": ");
      }
      n.glue = *glue;
      if (has_ds && has_nsec) {
        return render_nsec(id);
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
      PieceWriter w(name, true, nullptr);
      add_rrset(w, id, type, true);
      auto piece = w.finish(st_.arena);
      if (!piece) {
        return fail(std::move(piece).error(), name.to_text() + ": ");
      }
      std::uint32_t additional = kNone;
      if (type == dns::to_number(RRType::kNs)) {
        auto extra = address_piece(id, w.dictionary(), false);
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
    PieceWriter w(st_.zone.origin, false, nullptr);
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

void fill_nsec_coverage(ZoneSnapshot::Data& data) {
  std::uint32_t last = kNone;
  for (Node& n : data.nodes) {
    if ((n.flags & kOwnsNsec) != 0) {
      last = n.nsec;
    } else {
      n.nsec = last;
    }
  }
  // The NSEC covering the wildcard at a possible closest encloser (RFC 4035 §3.1.3.2).
  std::uint8_t key[260];
  for (Node& n : data.nodes) {
    if ((n.flags & (kBelowCut | kDelegation)) != 0 || n.key_len + 2U > sizeof key) {
      continue;
    }
    std::memcpy(key, data.keys.data() + n.key, n.key_len);
    key[n.key_len] = '*';
    key[n.key_len + 1U] = 0;
    n.wildcard_nsec = data.nodes[find_predecessor(data, key, n.key_len + 2U)].nsec;
  }
}

void append_wire(std::vector<std::uint8_t>& out, const Record& r) {
  const auto owner = r.owner.wire();
  out.insert(out.end(), owner.begin(), owner.end());
  dns::put_u16(out, dns::to_number(r.type));
  dns::put_u16(out, static_cast<std::uint16_t>(r.rrclass));
  dns::put_u32(out, r.ttl);
  dns::put_u16(out, static_cast<std::uint16_t>(r.rdata.size()));
  out.insert(out.end(), r.rdata.begin(), r.rdata.end());
}

// AXFR order (RFC 5936 §2.2): the SOA, every other record by node in canonical order, the SOA.
void build_transfer(const BuildState& st, const Record& soa) {
  auto& data = st.data;
  std::size_t total = 2 * (soa.owner.wire().size() + 10 + soa.rdata.size());
  for (const Record& r : st.zone.records) {
    total += r.owner.wire().size() + 10 + r.rdata.size();
  }
  data.transfer_bytes.reserve(total);  // exact: no growth slack in a big zone
  std::vector<std::pair<std::size_t, std::uint16_t>> chunks;  // start offset, count
  auto add = [&](const Record& r) {
    const std::size_t before = data.transfer_bytes.size();
    if (chunks.empty() ||
        before - chunks.back().first + r.owner.wire().size() + 10 + r.rdata.size() >
            kTransferChunkBytes ||
        chunks.back().second == 0xFFFF) {
      chunks.emplace_back(before, 0);
    }
    append_wire(data.transfer_bytes, r);
    ++chunks.back().second;
  };
  add(soa);
  for (const Owner& o : st.nodes) {
    for (std::uint32_t k = 0; k < o.count; ++k) {
      const Record& r = st.zone.records[st.order[o.first + k]];
      if (r.type != RRType::kSoa) {
        add(r);
      }
    }
  }
  add(soa);
  const std::uint8_t* base = data.transfer_bytes.data();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const std::size_t end =
        i + 1 < chunks.size() ? chunks[i + 1].first : data.transfer_bytes.size();
    data.transfer_chunks.push_back(
        TransferChunk{{base + chunks[i].first, end - chunks[i].first}, chunks[i].second});
  }
}

}  // namespace

Result<std::shared_ptr<const ZoneSnapshot>> build_snapshot(const dns::ZoneContent& zone,
                                                           const SnapshotOptions& options) {
  auto data = std::make_unique<ZoneSnapshot::Data>();
  data->origin = zone.origin;
  data->origin_key = zone.origin.lookup_key();
  data->origin_labels = static_cast<std::uint8_t>(zone.origin.label_count());
  data->options = options;
  BuildState st{zone, *data, {}, {}, {}};
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
  for (std::uint32_t id = 0; id < st.nodes.size(); ++id) {
    if (auto rendered = renderer.render_node(id); !rendered) {
      return fail(std::move(rendered).error());
    }
  }
  fill_nsec_coverage(*data);
  fill_tree_covers(*data);
  if (auto hashed = fill_hash(*data, true); !hashed) {
    return fail(std::move(hashed).error());
  }
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
  data->prefetch_pieces = data->arena.bytes() > (std::size_t{8} << 20);
  st.arena = std::vector<std::uint8_t>();
  if (options.keep_transfer_data) {
    build_transfer(st, *soa);
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
