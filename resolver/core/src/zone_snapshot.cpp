// ZoneSnapshot accessors and the Name-based lookup used by tests and tools (the answer path
// builds its QueryKey straight from the query bytes).
#include "rootsim/resolver/zone_snapshot.hpp"

#include "snapshot_data.hpp"

#include <stdexcept>

namespace rootsim::resolver {

Result<std::shared_ptr<ArenaBuffer>> ArenaBuffer::holding(
    std::span<const std::uint8_t> content, const std::shared_ptr<MappingPool>& pool) {
  auto buffer = std::make_shared<ArenaBuffer>();
  auto bytes =
      HugeArray<std::uint8_t>::for_overwrite(2 * content.size() + (std::size_t{64} << 10), pool);
  if (!bytes) {
    return fail(std::move(bytes).error());
  }
  buffer->bytes = std::move(*bytes);
  if (!content.empty()) {
    std::memcpy(buffer->bytes.data(), content.data(), content.size());
  }
  buffer->used.store(content.size(), std::memory_order_relaxed);
  return buffer;
}

bool ArenaBuffer::claim(std::size_t from, std::size_t count) noexcept {
  if (from + count > bytes.size()) {
    return false;
  }
  std::size_t expected = from;
  return used.compare_exchange_strong(expected, from + count, std::memory_order_acq_rel);
}

ZoneSnapshot::ZoneSnapshot(std::unique_ptr<const Data> data) noexcept : data_(std::move(data)) {}
ZoneSnapshot::~ZoneSnapshot() = default;

const dns::Name& ZoneSnapshot::origin() const noexcept { return data_->origin; }
std::uint32_t ZoneSnapshot::serial() const noexcept { return data_->serial; }
bool ZoneSnapshot::is_signed() const noexcept { return data_->is_signed; }
const SnapshotOptions& ZoneSnapshot::options() const noexcept { return data_->options; }
SnapshotStats ZoneSnapshot::stats() const noexcept { return data_->stats; }

std::span<const TransferChunk> ZoneSnapshot::transfer() const noexcept {
  return data_->transfer_chunks;
}

Lookup ZoneSnapshot::lookup(const dns::Name& qname) const {
  const auto wire = qname.wire();
  std::uint8_t starts[kMaxLabels];
  std::size_t labels = 0;
  for (std::size_t pos = 0; wire[pos] != 0; pos += 1U + wire[pos]) {
    starts[labels++] = static_cast<std::uint8_t>(pos);
  }
  const NameSearch search =
      find_name(*data_, wire.data(), wire.size(), starts, labels, KeyMode::kFull);
  Lookup result = search.lookup;
  result.predecessor = result.kind == LookupKind::kOutOfZone
                           ? data_->apex
                           : find_predecessor(*data_, search.key.key, search.key.len);
  return result;
}

dns::Name ZoneSnapshot::node_name(std::uint32_t id) const {
  if (id >= data_->nodes.size()) {
    throw std::out_of_range("ZoneSnapshot::node_name: no such node");
  }
  const Node& node = data_->nodes[id];
  // Lookup form back to wire: reverse the '\0'-terminated labels.
  std::vector<std::uint8_t> wire;
  std::size_t end = node.key_len;
  const char* key = data_->keys.data() + node.key;
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && key[start - 1] != '\0') {
      --start;
    }
    const std::size_t len = end - 1 - start;
    wire.push_back(static_cast<std::uint8_t>(len));
    wire.insert(wire.end(), key + start, key + start + len);
    end = start;
  }
  wire.push_back(0);
  auto name = dns::Name::from_wire(wire);
  return name ? *name : dns::Name();
}

}  // namespace rootsim::resolver
