// patch_snapshot(): a new version of a zone compiled by copying the snapshot of an earlier one
// and rendering again only the nodes whose records changed (and the referrals whose glue did).
// Node ids, keys, the hash table and the predecessor tree depend only on the zone's names, so
// while the names stay the same they are copied; pieces rendered again go at the end of the
// arena, and each reachable node keeps its NodeRecord where it was (rewritten in place).
#include "snapshot_finishing.hpp"
#include "snapshot_keys.hpp"
#include "snapshot_render.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <string>

namespace rootsim::resolver {
namespace {

using dns::Record;
using dns::RRType;

template <class T>
Result<HugeArray<T>> copy_array(const HugeArray<T>& from,
                                const std::shared_ptr<MappingPool>& pool) {
  return HugeArray<T>::copy_of(std::span<const T>(from.data(), from.size()), pool);
}

// Everything of `base` but the transfer stream (patching is for snapshots built without one).
Result<std::unique_ptr<ZoneSnapshot::Data>> copy_data(const ZoneSnapshot::Data& base) {
  auto data = std::make_unique<ZoneSnapshot::Data>();
  data->origin = base.origin;
  data->origin_key = base.origin_key;
  data->origin_labels = base.origin_labels;
  data->serial = base.serial;
  data->is_signed = base.is_signed;
  data->options = base.options;
  data->apex = base.apex;
  data->hash_mask = base.hash_mask;
  std::copy(std::begin(base.tree_begin), std::end(base.tree_begin), std::begin(data->tree_begin));
  std::copy(std::begin(base.tree_size), std::end(base.tree_size), std::begin(data->tree_size));
  data->tree_levels = base.tree_levels;
  data->tree_prefetch_level = base.tree_prefetch_level;
  data->built_arena_bytes = base.built_arena_bytes;
  data->types = base.types;
  data->soa_piece = base.soa_piece;
  data->chaos_hostname_piece = base.chaos_hostname_piece;
  data->chaos_id_piece = base.chaos_id_piece;
  const auto& pool = base.options.memory;
  auto nodes = copy_array(base.nodes, pool);
  auto keys = copy_array(base.keys, pool);
  auto hash = copy_array(base.hash, pool);
  auto leaves = copy_array(base.leaves, pool);
  auto tree = copy_array(base.tree, pool);
  if (!nodes || !keys || !hash || !leaves || !tree) {
    return fail(Errc::kLimit, "cannot map a copy of the snapshot's index");
  }
  data->nodes = std::move(*nodes);
  data->keys = std::move(*keys);
  data->hash = std::move(*hash);
  data->leaves = std::move(*leaves);
  data->tree = std::move(*tree);
  return data;
}

// The records of one owner: [begin, end) of the zone's.
struct Run {
  std::uint32_t begin;
  std::uint32_t end;
};

// The records of the owner with lookup key `key` (byte order of keys is canonical order, the
// records' order), or an empty run when there are none. O(log records).
Run find_run(const std::vector<Record>& records, std::string_view key) {
  const auto it = std::partition_point(records.begin(), records.end(),
                                       [&](const Record& r) { return r.owner.lookup_key() < key; });
  auto begin = static_cast<std::uint32_t>(it - records.begin());
  if (it == records.end() || it->owner.lookup_key() != key) {
    return Run{begin, begin};
  }
  std::uint32_t end = begin + 1;
  while (end < records.size() && records[end].owner == it->owner) {
    ++end;
  }
  return Run{begin, end};
}

// Writes the NodeRecords of the patched snapshot into st.arena: those of the nodes rendered
// again, in the slots rendering gave them; any other whose fields moved (an empty
// non-terminal's covering NSEC) in a new slot after the new pieces. The base's bytes are
// never written: it and the versions before it read them.
Status place_records(BuildState& st, const ZoneSnapshot::Data& old) {
  for (std::uint32_t i = 0; i < st.data.nodes.size(); ++i) {
    std::uint32_t at = st.record_of[i];
    if (at == kNone) {
      continue;
    }
    const NodeRecord r = node_record(st.data, i);
    if (std::size_t{at} * 4 < st.arena_base) {
      if (std::memcmp(old.arena.data() + std::size_t{at} * 4, &r, sizeof r) == 0) {
        continue;  // as it was
      }
      const std::size_t end = st.arena_base + st.arena.size();
      const std::size_t slot = (end + 15) / 16 * 16;
      if (slot / 4 >= kNone) {
        return fail(Errc::kLimit, "the snapshot's answer pieces outgrow 16 GiB");
      }
      st.arena.resize(slot + sizeof r - st.arena_base);
      at = static_cast<std::uint32_t>(slot / 4);
      st.record_of[i] = at;
    }
    std::memcpy(st.arena.data() + std::size_t{at} * 4 - st.arena_base, &r, sizeof r);
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<const ZoneSnapshot>> patch_snapshot(const ZoneSnapshot& base,
                                                           const dns::ZoneContent& zone,
                                                           std::span<const dns::Name> changed) {
  const ZoneSnapshot::Data& old = base.data();
  auto afresh = [&] { return build_snapshot(zone, old.options); };
  if (old.options.keep_transfer_data || zone.origin != old.origin || changed.empty() ||
      changed.size() > old.nodes.size() / 8 + 1 || old.arena.bytes() > 2 * old.built_arena_bytes) {
    return afresh();
  }
  // Canonical order is the caller's promise (ZoneSigner::zone() keeps it); checked here in
  // debug builds only, where its O(records) comparisons cost nothing that matters.
  assert(std::is_sorted(zone.records.begin(), zone.records.end(),
                        [](const Record& a, const Record& b) {
                          return dns::compare_canonical(a.owner.wire(), b.owner.wire()) < 0;
                        }));
  auto copied = copy_data(old);
  if (!copied) {
    return fail(std::move(copied).error());
  }
  ZoneSnapshot::Data& data = **copied;
  BuildState st{zone, data, {}, std::vector<Owner>(data.nodes.size()), {}, {}, 0, {}, {}, 0};

  // The nodes to render again: every changed owner but glue, and the referrals (or the apex)
  // whose NS targets are changed glue. A name that appears, goes, or moves a cut changes the
  // index: build afresh.
  std::vector<std::uint32_t> render;
  std::vector<std::string> changed_glue;
  std::vector<Run> run_of(data.nodes.size(), Run{0, 0});
  // Whether the name of `key` lies below a cut of the snapshot (then nothing reaches it).
  auto below_cut = [&](const std::string& key) {
    for (std::size_t end = key.find('\0'); end != std::string::npos && end + 1 < key.size();
         end = key.find('\0', end + 1)) {
      const std::uint32_t above = find_key(st, std::string_view(key).substr(0, end + 1));
      if (above != kNone && (data.nodes[above].flags & (kDelegation | kBelowCut)) != 0) {
        return true;
      }
    }
    return false;
  };
  for (const dns::Name& name : changed) {
    const std::string key = name.lookup_key();
    const std::uint32_t id = find_key(st, key);
    const Run run = find_run(zone.records, key);
    const bool in_zone = run.end > run.begin;
    if (id == kNone && !in_zone) {
      continue;  // in neither: nothing to do
    }
    if (id == kNone || !in_zone) {
      // Glue that came or went: a name below a cut is in no answer by itself, so the index
      // keeps a name that went (it owns nothing now) and finds a new one only while rendering
      // the referrals that carry it. Any other name coming or going changes the index.
      if (!below_cut(key)) {
        return afresh();
      }
      changed_glue.push_back(key);  // the referrals naming it as a target render again
      continue;
    }
    const Node& n = data.nodes[id];
    const bool has_ns =
        std::any_of(zone.records.begin() + run.begin, zone.records.begin() + run.end,
                    [](const Record& r) { return r.type == RRType::kNs; });
    if ((n.flags & kBelowCut) != 0) {
      changed_glue.push_back(key);
      continue;
    }
    if ((n.flags & kApex) == 0 && has_ns != ((n.flags & kDelegation) != 0)) {
      return afresh();
    }
    run_of[id] = run;
    render.push_back(id);
  }
  if (!changed_glue.empty()) {
    // A name's wire form is one octet longer than its lookup key: most NS targets are settled
    // by their length, without making their key.
    std::array<bool, 257> wire_length{};
    for (const std::string& key : changed_glue) {
      wire_length[std::min<std::size_t>(key.size() + 1, 256)] = true;
    }
    std::string target;
    for (const Record& r : zone.records) {
      if (r.type != RRType::kNs || !wire_length[std::min<std::size_t>(r.rdata.size(), 256)] ||
          !rdata_name_key(r.rdata, target) ||
          std::find(changed_glue.begin(), changed_glue.end(), target) == changed_glue.end()) {
        continue;
      }
      const std::string owner = r.owner.lookup_key();
      const std::uint32_t id = find_key(st, owner);
      if (id == kNone) {
        return afresh();
      }
      run_of[id] = find_run(zone.records, owner);
      render.push_back(id);
    }
  }
  std::sort(render.begin(), render.end());
  render.erase(std::unique(render.begin(), render.end()), render.end());

  // Their records, and those of their NS targets (the glue their pieces carry).
  auto give_records = [&](std::uint32_t id, const Run& run) {
    Owner& owner = st.nodes[id];
    owner.key.assign(id < data.nodes.size() ? node_key(data, id)
                                            : st.added_below_cuts.back().first);
    owner.first = static_cast<std::uint32_t>(st.order.size());
    add_owner_records(st, owner, run.begin, run.end);
  };
  std::string target;
  for (const std::uint32_t id : render) {
    give_records(id, run_of[id]);
  }
  for (const std::uint32_t id : render) {
    const std::uint32_t first = st.nodes[id].first;  // not a reference: st.nodes may grow
    const std::uint32_t count = st.nodes[id].count;
    for (std::uint32_t k = 0; k < count; ++k) {
      const Record& r = zone.records[st.order[first + k]];
      if (r.type != RRType::kNs || !rdata_name_key(r.rdata, target)) {
        continue;
      }
      std::uint32_t t = find_key(st, target);
      const Run run = find_run(zone.records, target);
      if (run.end == run.begin || (t != kNone && st.nodes[t].count != 0)) {
        continue;
      }
      if (t == kNone) {
        if (!below_cut(target)) {
          return afresh();  // a new name the index would need
        }
        t = static_cast<std::uint32_t>(st.nodes.size());
        st.nodes.emplace_back();
        st.added_below_cuts.emplace_back(target, t);
      }
      give_records(t, run);
    }
  }

  // The reachable nodes' NodeRecords, found through the hash table: those rendered again get
  // new ones among their new pieces.
  st.record_of.assign(data.nodes.size(), kNone);
  for (const HashSlot& slot : data.hash) {
    if (slot.record != kNone) {
      st.record_of[old.record(slot.record).node] = slot.record;
    }
  }
  const std::vector<std::uint32_t> old_record_of = st.record_of;
  st.arena_base = old.arena.bytes();  // new pieces go after the old ones
  Renderer renderer(st);
  for (const std::uint32_t id : render) {
    Node& n = data.nodes[id];
    n.ns = n.ds = n.glue = n.cut_nsec = n.nsec = kNone;
    n.flags = static_cast<std::uint8_t>(n.flags & ~kOwnsNsec);
    n.types = 0;
    n.type_count = 0;
    if (id == data.apex && !renderer.render_apex_soa()) {
      return afresh();  // which reports the error as a build does
    }
    if (auto rendered = renderer.render_node(id); !rendered) {
      return fail(std::move(rendered).error());
    }
  }
  fill_nsec_coverage(data);
  fill_tree_covers(data);
  if (auto placed = place_records(st, old); !placed) {
    return fail(std::move(placed).error());
  }
  // The new pieces go into the base's buffer, right after its bytes, when nothing was appended
  // there since (the base is the newest version of its buffer) and there is room left.
  ArenaBuffer& buffer = old.arena.buffer();
  if (!buffer.claim(st.arena_base, st.arena.size())) {
    return afresh();
  }
  if (!st.arena.empty()) {
    std::memcpy(buffer.bytes.data() + st.arena_base, st.arena.data(), st.arena.size());
  }
  data.arena = ArenaView(old.arena.shared_buffer(), st.arena_base + st.arena.size());
  // The hash slots of the nodes whose NodeRecord moved point at the new one.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> moved;  // (old, new), by old
  for (std::size_t i = 0; i < old_record_of.size(); ++i) {
    if (old_record_of[i] != kNone && st.record_of[i] != old_record_of[i]) {
      moved.emplace_back(old_record_of[i], st.record_of[i]);
    }
  }
  std::sort(moved.begin(), moved.end());
  for (HashSlot& slot : data.hash) {
    const auto it = std::lower_bound(moved.begin(), moved.end(),
                                     std::pair<std::uint32_t, std::uint32_t>{slot.record, 0});
    if (slot.record != kNone && it != moved.end() && it->first == slot.record) {
      slot.record = it->second;
    }
  }
  finish_stats(data, zone.records.size());
  return std::shared_ptr<const ZoneSnapshot>(std::make_shared<ZoneSnapshot>(std::move(*copied)));
}

}  // namespace rootsim::resolver
