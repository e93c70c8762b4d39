// Private to resolver/core: the state of compiling zone content into a snapshot and the renderer
// of its answer pieces, shared by build_snapshot() (snapshot_builder.cpp, every node) and
// patch_snapshot() (snapshot_patch.cpp, the nodes that changed). Build time only.
#pragma once

#include "rootsim/dns/zone_file.hpp"

#include "piece_writer.hpp"
#include "snapshot_data.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootsim::resolver {

/// A node's records: `count` indices into BuildState::order from `first`.
struct Owner {
  std::string key;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

struct BuildState {
  const dns::ZoneContent& zone;
  ZoneSnapshot::Data& data;
  std::vector<std::uint32_t> order;  // record indices grouped by node, sorted by type
  std::vector<Owner> nodes;          // parallel to data.nodes (key moved into data.keys)
  std::vector<std::uint8_t> arena;   // the pieces, copied into data.arena when complete
  /// Every node but the apex (HashSlot::record = node id). Empty when patching: names are then
  /// found by binary search over data.nodes, which are in key order.
  std::vector<HashSlot> names;
  std::uint64_t names_mask = 0;
  /// Node id -> its NodeRecord in the arena, or kNone. Rendering a node places a new one right
  /// before its pieces (patching: the other nodes keep theirs).
  std::vector<std::uint32_t> record_of;
  /// Patching: names below cuts that are new since the snapshot patched, with ids from
  /// data.nodes.size() on (their Owners follow in `nodes`). They carry glue to render; the
  /// index does not hold them (nothing reaches a name below a cut).
  std::vector<std::pair<std::string, std::uint32_t>> added_below_cuts;
  /// Patching: `arena` holds the arena's bytes from here on (the patched snapshot's come first).
  std::size_t arena_base = 0;

  /// The key of node `id`, added ones included.
  [[nodiscard]] std::string_view key_of(std::uint32_t id) const;
};

[[nodiscard]] std::uint16_t covered_type(const dns::Record& rrsig);
/// `child` is a name strictly below `parent` (lookup keys).
[[nodiscard]] bool is_prefix_label(std::string_view parent, std::string_view child);
[[nodiscard]] std::string_view node_key(const ZoneSnapshot::Data& data, std::uint32_t id);
/// Node id of `key` (any node, glue below cuts too), or kNone.
[[nodiscard]] std::uint32_t find_key(const BuildState& st, std::string_view key);
/// Appends records [begin, end) of the zone to st.order as records of `owner` (whose records
/// must end at the end of st.order), keeping them sorted by type, stable.
void add_owner_records(BuildState& st, Owner& owner, std::uint32_t begin, std::uint32_t end);
/// Statistics and the figures derived from the arena, once a snapshot is complete.
void finish_stats(ZoneSnapshot::Data& data, std::size_t records);
/// The NodeRecord of node `id`: a copy of its Node fields.
[[nodiscard]] NodeRecord node_record(const ZoneSnapshot::Data& data, std::uint32_t id);
/// Writes each reachable node's NodeRecord at st.record_of into st.arena (a fresh build's).
void write_node_records(BuildState& st);

/// Renders nodes' answer pieces into st.arena, filling their Node fields.
class Renderer {
 public:
  explicit Renderer(BuildState& st) : st_(st), records_(st.zone.records) {}

  /// Appends to `w` the records of node `id` of `type` (a unit), then their RRSIGs (a unit).
  void add_rrset(PieceWriter& w, std::uint32_t id, std::uint16_t type, bool with_sigs);
  [[nodiscard]] bool has_type(std::uint32_t id, dns::RRType type) const;
  [[nodiscard]] const dns::Name& owner_name(std::uint32_t id) const;
  /// Every piece of node `id` (a referral's run, an NSEC, an authoritative node's RRsets).
  [[nodiscard]] Status render_node(std::uint32_t id);
  /// The apex's [SOA][RRSIG] piece for negative answers, and the zone's serial and whether it
  /// is signed. Errors: kSemantic without exactly one SOA or without NS at the apex, or an
  /// unreadable SOA.
  [[nodiscard]] Status render_apex_soa();

 private:
  // Addresses of the NS targets of node `id`: in-domain ones (under `cut`) first, as units.
  // `w` must not be the writer that holds `anchor`.
  Result<std::uint32_t> address_piece(PieceWriter& w, std::uint32_t id, const Dictionary& anchor,
                                      bool referral);
  Status render_nsec(std::uint32_t id);

  BuildState& st_;
  const std::vector<dns::Record>& records_;
  // Reused for every piece, so that rendering allocates nothing once the buffers are warm:
  // [0] the anchor (NS, an authoritative RRset), [1] DS or addresses, [2] NSEC.
  PieceWriter writers_[3];
  std::vector<std::uint32_t> targets_;
  std::string key_;
};

}  // namespace rootsim::resolver
