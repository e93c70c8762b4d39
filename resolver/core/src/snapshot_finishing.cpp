// The last steps of build_snapshot(): NSEC coverage per node and the zone-transfer stream.
#include "snapshot_finishing.hpp"

#include <cstring>
#include <utility>

namespace rootsim::resolver {

using dns::Record;

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
    if (n.key_len > 0) {  // the root's key is empty (and keys may hold nothing at all)
      std::memcpy(key, data.keys.data() + n.key, n.key_len);
    }
    key[n.key_len] = '*';
    key[n.key_len + 1U] = 0;
    n.wildcard_nsec = data.nodes[find_predecessor(data, key, n.key_len + 2U)].nsec;
  }
}

namespace {

void append_wire(std::vector<std::uint8_t>& out, const Record& r) {
  const auto owner = r.owner.wire();
  out.insert(out.end(), owner.begin(), owner.end());
  dns::put_u16(out, dns::to_number(r.type));
  dns::put_u16(out, static_cast<std::uint16_t>(r.rrclass));
  dns::put_u32(out, r.ttl);
  dns::put_u16(out, static_cast<std::uint16_t>(r.rdata.size()));
  out.insert(out.end(), r.rdata.begin(), r.rdata.end());
}

}  // namespace

// AXFR order (RFC 5936 §2.2): the SOA, every other record by node in canonical order, the SOA.
void build_transfer(ZoneSnapshot::Data& data, const Record& soa,
                    std::span<const Record* const> records) {
  std::size_t total = 2 * (soa.owner.wire().size() + 10 + soa.rdata.size());
  for (const Record* r : records) {
    total += r->owner.wire().size() + 10 + r->rdata.size();
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
  for (const Record* r : records) {
    add(*r);
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

}  // namespace rootsim::resolver
