// build_snapshot(): zone content -> sorted node index (with empty non-terminals), cuts and glue,
// pre-rendered answer pieces, NSEC coverage, and the transfer stream.
#include "snapshot_finishing.hpp"
#include "snapshot_keys.hpp"
#include "snapshot_render.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace rootsim::resolver {
namespace {

using dns::Record;
using dns::RRType;

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
      add_owner_records(st, st.nodes.back(), runs[s].begin, runs[s].end);
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
  write_node_records(st);
  const auto count = static_cast<std::size_t>(std::count_if(
      st.record_of.begin(), st.record_of.end(), [](std::uint32_t at) { return at != kNone; }));
  auto hash = HugeArray<HashSlot>::make(table_size(count), data.options.memory);
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
  auto nodes = HugeArray<Node>::make(st.nodes.size(), data.options.memory);
  auto keys = HugeArray<char>::make(total_key, data.options.memory);
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
    if (!o.key.empty()) {  // the root's key is empty, and a zone of the root alone has no keys
      std::memcpy(data.keys.data() + key_end, o.key.data(), o.key.size());
    }
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
  return w.finish(arena, 0);  // built afresh: the arena starts at 0
}

}  // namespace

Result<std::shared_ptr<const ZoneSnapshot>> build_snapshot(const dns::ZoneContent& zone,
                                                           const SnapshotOptions& options) {
  auto data = std::make_unique<ZoneSnapshot::Data>();
  data->origin = zone.origin;
  data->origin_key = zone.origin.lookup_key();
  data->origin_labels = static_cast<std::uint8_t>(zone.origin.label_count());
  data->options = options;
  BuildState st{zone, *data, {}, {}, {}, {}, 0, {}, {}, 0};
  if (auto collected = collect_nodes(st); !collected) {
    return fail(std::move(collected).error());
  }
  if (auto indexed = index_nodes(st); !indexed) {
    return fail(std::move(indexed).error());
  }
  data->apex = 0;

  Renderer renderer(st);
  if (auto apex = renderer.render_apex_soa(); !apex) {
    return fail(std::move(apex).error());
  }
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
  auto arena = ArenaBuffer::holding(st.arena, options.memory);
  if (!arena) {
    return fail(std::move(arena).error());
  }
  data->arena = ArenaView(std::move(*arena), st.arena.size());
  data->built_arena_bytes = data->arena.bytes();
  st.arena = std::vector<std::uint8_t>();
  if (options.keep_transfer_data) {
    std::vector<const Record*> ordered;  // every record but the SOA, node by node
    ordered.reserve(zone.records.size());
    const Record* soa = nullptr;  // the apex's (render_apex_soa found exactly one)
    for (const Owner& o : st.nodes) {
      for (std::uint32_t k = 0; k < o.count; ++k) {
        const Record& r = zone.records[st.order[o.first + k]];
        if (r.type != RRType::kSoa) {
          ordered.push_back(&r);
        } else if (&o == &st.nodes[data->apex]) {
          soa = &r;
        }
      }
    }
    build_transfer(*data, *soa, ordered);
  }

  finish_stats(*data, zone.records.size());
  return std::shared_ptr<const ZoneSnapshot>(std::make_shared<ZoneSnapshot>(std::move(data)));
}

}  // namespace rootsim::resolver
