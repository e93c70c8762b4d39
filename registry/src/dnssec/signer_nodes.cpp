#include "signer_nodes.hpp"

#include <algorithm>
#include <cstring>

namespace rootsim::registry::signer {
namespace {

constexpr std::uint16_t kRrsig = dns::to_number(dns::RRType::kRrsig);
constexpr std::uint16_t kNsecType = dns::to_number(dns::RRType::kNsec);
constexpr std::size_t kRrFixed = 10;  // type, class, TTL, rdata length

void append_rr_wire(dns::Bytes& out, std::span<const std::uint8_t> owner, std::uint16_t type,
                    dns::RRClass rrclass, std::uint32_t ttl, std::span<const std::uint8_t> rdata) {
  out.insert(out.end(), owner.begin(), owner.end());
  dns::put_u16(out, type);
  dns::put_u16(out, static_cast<std::uint16_t>(rrclass));
  dns::put_u32(out, ttl);
  dns::put_u16(out, static_cast<std::uint16_t>(rdata.size()));
  out.insert(out.end(), rdata.begin(), rdata.end());
}

// Writes one RR at `at`; returns the position after it.
std::uint8_t* write_rr_wire(std::uint8_t* at, std::span<const std::uint8_t> owner,
                            std::uint16_t type, std::uint32_t ttl,
                            std::span<const std::uint8_t> rdata) {
  std::memcpy(at, owner.data(), owner.size());
  at += owner.size();
  const auto rrclass = static_cast<std::uint16_t>(dns::RRClass::kIn);
  const auto rdlen = static_cast<std::uint16_t>(rdata.size());
  const std::uint8_t fixed[kRrFixed] = {
      static_cast<std::uint8_t>(type >> 8),    static_cast<std::uint8_t>(type),
      static_cast<std::uint8_t>(rrclass >> 8), static_cast<std::uint8_t>(rrclass),
      static_cast<std::uint8_t>(ttl >> 24),    static_cast<std::uint8_t>(ttl >> 16),
      static_cast<std::uint8_t>(ttl >> 8),     static_cast<std::uint8_t>(ttl),
      static_cast<std::uint8_t>(rdlen >> 8),   static_cast<std::uint8_t>(rdlen)};
  std::memcpy(at, fixed, kRrFixed);
  at += kRrFixed;
  std::memcpy(at, rdata.data(), rdata.size());
  return at + rdata.size();
}

bool covers_zonemd(const Signature& sig) {
  return dns::get_u16(sig.rdata, 0) == dns::to_number(dns::RRType::kZonemd);
}

bool has_upper(std::span<const std::uint8_t> bytes) noexcept {
  return std::any_of(bytes.begin(), bytes.end(),
                     [](std::uint8_t c) { return c >= 'A' && c <= 'Z'; });
}

// Walks the node's RRs in canonical order: RRsets by type, all RRSIGs at type 46's place.
// `rrset(entry)` and `sig(entry, signature)` are called in that order.
template <class Entries, class OnRrset, class OnSig>
void walk_canonical(Entries& rrsets, OnRrset on_rrset, OnSig on_sig) {
  bool sigs_done = false;
  const auto put_sigs = [&] {
    for (auto& entry : rrsets) {
      for (auto& sig : entry.sigs) {
        on_sig(entry, sig);
      }
    }
    sigs_done = true;
  };
  for (auto& entry : rrsets) {
    if (!sigs_done && dns::to_number(entry.type) > kRrsig) {
      put_sigs();
    }
    on_rrset(entry);
  }
  if (!sigs_done) {
    put_sigs();
  }
}

}  // namespace

const RRsetEntry* Node::find(dns::RRType type) const noexcept {
  for (const auto& entry : rrsets) {
    if (entry.type == type) {
      return &entry;
    }
  }
  return nullptr;
}

RRsetEntry* Node::find(dns::RRType type) noexcept {
  for (auto& entry : rrsets) {
    if (entry.type == type) {
      return &entry;
    }
  }
  return nullptr;
}

bool is_made_by_signer(dns::RRType type) noexcept {
  switch (type) {
    case dns::RRType::kRrsig:
    case dns::RRType::kNsec:
    case dns::RRType::kNsec3:
    case dns::RRType::kNsec3param:
    case dns::RRType::kDnskey:
    case dns::RRType::kZonemd:
      return true;
    default:
      return false;
  }
}

RRsetEntry make_entry(const dns::Name& owner, dns::RRType type, dns::RRClass rrclass,
                      std::uint32_t ttl, std::vector<dns::Bytes> rdatas) {
  RRsetEntry entry{
      .type = type, .rrclass = rrclass, .ttl = ttl, .rdatas = {}, .wire = {}, .sigs = {}};
  for (auto& rdata : rdatas) {
    // Canonical form only lowercases letters inside names: without upper case it is the same.
    if (has_upper(rdata)) {
      rdata = dns::canonical_rdata(type, rdata);
    }
  }
  if (rdatas.size() > 1) {
    std::sort(rdatas.begin(), rdatas.end());
    rdatas.erase(std::unique(rdatas.begin(), rdatas.end()), rdatas.end());
  }
  entry.rdatas = std::move(rdatas);
  const auto owner_wire = owner.wire();
  std::size_t size = 0;
  for (const auto& rdata : entry.rdatas) {
    size += owner_wire.size() + kRrFixed + rdata.size();
  }
  entry.wire.reserve(size);
  for (const auto& rdata : entry.rdatas) {
    append_rr_wire(entry.wire, owner_wire, dns::to_number(type), rrclass, ttl, rdata);
  }
  return entry;
}

Node build_node(std::span<dns::Record> records, Node* previous) {
  Node node;
  dns::Record& first = records.front();
  node.owner = has_upper(first.owner.wire()) ? first.owner.lowercased() : std::move(first.owner);
  node.key = node.owner.lookup_key();
  const bool sorted = std::is_sorted(
      records.begin(), records.end(),
      [](const auto& a, const auto& b) { return dns::to_number(a.type) < dns::to_number(b.type); });
  if (!sorted) {
    std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
      return dns::to_number(a.type) < dns::to_number(b.type);
    });
  }
  std::size_t types = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    types += i == 0 || records[i].type != records[i - 1].type ? 1U : 0U;
  }
  node.rrsets.reserve(types + 1);  // room for the NSEC the signer adds
  for (std::size_t i = 0; i < records.size();) {
    std::size_t j = i;
    std::uint32_t ttl = records[i].ttl;
    std::vector<dns::Bytes> rdatas;
    for (; j < records.size() && records[j].type == records[i].type; ++j) {
      ttl = std::min(ttl, records[j].ttl);  // RFC 2181 §5.2: one TTL per RRset
    }
    rdatas.reserve(j - i);
    for (std::size_t k = i; k < j; ++k) {
      rdatas.push_back(std::move(records[k].rdata));
    }
    RRsetEntry entry =
        make_entry(node.owner, records[i].type, records[i].rrclass, ttl, std::move(rdatas));
    if (previous != nullptr) {
      if (RRsetEntry* old = previous->find(entry.type); old != nullptr && old->wire == entry.wire) {
        entry.sigs = std::move(old->sigs);
      }
    }
    node.rrsets.push_back(std::move(entry));
    i = j;
  }
  for (auto& record : records) {
    const dns::Name consumed = std::move(record.owner);  // frees here, on this worker
  }
  if (previous != nullptr) {
    // Same place in the zone buffer: the wire is patched in place when its length holds.
    node.wire_offset = previous->wire_offset;
    node.wire_size = previous->wire_size;
    for (auto& old : previous->rrsets) {
      if (is_made_by_signer(old.type)) {
        put_entry(node, std::move(old));
      }
    }
  }
  return node;
}

bool same_content(const Node& node, std::span<const dns::Record> records) noexcept {
  std::size_t r = 0;
  for (const auto& entry : node.rrsets) {
    if (is_made_by_signer(entry.type)) {
      continue;
    }
    for (const auto& rdata : entry.rdatas) {
      if (r == records.size()) {
        return false;
      }
      const dns::Record& record = records[r++];
      if (record.type != entry.type || record.rrclass != entry.rrclass || record.ttl != entry.ttl ||
          record.rdata != rdata) {
        return false;
      }
    }
  }
  return r == records.size();
}

RRsetEntry& put_entry(Node& node, RRsetEntry entry) {
  node.wire_valid = false;
  auto it = std::lower_bound(node.rrsets.begin(), node.rrsets.end(), entry.type,
                             [](const RRsetEntry& e, dns::RRType t) {
                               return dns::to_number(e.type) < dns::to_number(t);
                             });
  if (it != node.rrsets.end() && it->type == entry.type) {
    *it = std::move(entry);
    return *it;
  }
  return *node.rrsets.insert(it, std::move(entry));
}

void erase_entry(Node& node, dns::RRType type) {
  const auto n = std::erase_if(node.rrsets, [type](const RRsetEntry& e) { return e.type == type; });
  if (n > 0) {
    node.wire_valid = false;
  }
}

dns::Bytes type_bitmap(std::span<const std::uint16_t> types) {
  dns::Bytes out;
  std::size_t i = 0;
  while (i < types.size()) {
    const auto window = static_cast<std::uint8_t>(types[i] >> 8);
    std::uint8_t bits[32] = {};
    std::size_t length = 0;
    for (; i < types.size() && (types[i] >> 8) == window; ++i) {
      const std::size_t low = types[i] & 0xffU;
      bits[low / 8] = static_cast<std::uint8_t>(bits[low / 8] | (0x80U >> (low % 8)));
      length = low / 8 + 1;
    }
    out.push_back(window);
    out.push_back(static_cast<std::uint8_t>(length));
    out.insert(out.end(), bits, bits + length);
  }
  return out;
}

void append_nsec_bitmap(const Node& node, dns::Bytes& out) {
  // The RRsets are sorted and unique by type: merge RRSIG and NSEC in, one window at a time.
  std::uint8_t bits[32] = {};
  int window = -1;
  std::size_t length = 0;
  const auto flush = [&] {
    if (window >= 0) {
      out.push_back(static_cast<std::uint8_t>(window));
      out.push_back(static_cast<std::uint8_t>(length));
      out.insert(out.end(), bits, bits + length);
    }
  };
  const auto add = [&](std::uint16_t type) {
    if ((type >> 8) != window) {
      flush();
      window = type >> 8;
      length = 0;
      std::fill(std::begin(bits), std::end(bits), std::uint8_t{0});
    }
    const std::size_t low = type & 0xffU;
    bits[low / 8] = static_cast<std::uint8_t>(bits[low / 8] | (0x80U >> (low % 8)));
    length = std::max(length, low / 8 + 1);
  };
  bool made_added = false;
  for (const auto& entry : node.rrsets) {
    const auto t = dns::to_number(entry.type);
    if (!made_added && t > kNsecType) {
      add(kRrsig);
      add(kNsecType);
      made_added = true;
    }
    if (!node.delegation || entry.type == dns::RRType::kNs || entry.type == dns::RRType::kDs) {
      add(t);
    }
  }
  if (!made_added) {
    add(kRrsig);
    add(kNsecType);
  }
  flush();
}

bool is_signed(const Node& node, dns::RRType type) noexcept {
  if (node.occluded) {
    return false;
  }
  if (node.delegation) {
    return type == dns::RRType::kDs || type == dns::RRType::kNsec;
  }
  return true;
}

std::uint8_t rrsig_labels(const dns::Name& owner) {
  std::size_t labels = owner.label_count();
  if (labels > 0 && owner.first_label() == "*") {
    --labels;
  }
  return static_cast<std::uint8_t>(labels);
}

void sort_signatures(Node& node) {
  for (auto& entry : node.rrsets) {
    if (entry.sigs.size() > 1) {
      std::sort(entry.sigs.begin(), entry.sigs.end(),
                [](const Signature& a, const Signature& b) { return a.rdata < b.rdata; });
    }
  }
}

std::size_t zonemd_wire_size(const Node& node) noexcept {
  const std::size_t owner = node.owner.wire().size();
  std::size_t size = 0;
  for (const auto& entry : node.rrsets) {
    if (node.apex && entry.type == dns::RRType::kZonemd) {
      continue;  // RFC 8976 §3.3.1: the apex ZONEMD RRset and its RRSIGs are left out
    }
    size += entry.wire.size();
    for (const auto& sig : entry.sigs) {
      size += owner + kRrFixed + sig.rdata.size();
    }
  }
  return size;
}

void write_zonemd_wire(const Node& node, std::span<std::uint8_t> out) noexcept {
  std::uint8_t* at = out.data();
  const auto owner = node.owner.wire();
  walk_canonical(
      node.rrsets,
      [&](const RRsetEntry& entry) {
        if (!(node.apex && entry.type == dns::RRType::kZonemd)) {
          std::memcpy(at, entry.wire.data(), entry.wire.size());
          at += entry.wire.size();
        }
      },
      [&](const RRsetEntry& entry, const Signature& sig) {
        if (!(node.apex && covers_zonemd(sig))) {
          at = write_rr_wire(at, owner, kRrsig, entry.ttl, sig.rdata);
        }
      });
}

std::size_t record_count(const Node& node) noexcept {
  std::size_t count = 0;
  for (const auto& entry : node.rrsets) {
    count += entry.rdatas.size() + entry.sigs.size();
  }
  return count;
}

void append_records(const Node& node, std::vector<dns::Record>& out) {
  walk_canonical(
      node.rrsets,
      [&](const RRsetEntry& entry) {
        for (const auto& rdata : entry.rdatas) {
          out.push_back(dns::Record{node.owner, entry.type, entry.rrclass, entry.ttl, rdata});
        }
      },
      [&](const RRsetEntry& entry, const Signature& sig) {
        out.push_back(
            dns::Record{node.owner, dns::RRType::kRrsig, dns::RRClass::kIn, entry.ttl, sig.rdata});
      });
}

void take_records(Node& node, std::vector<dns::Record>& out) {
  walk_canonical(
      node.rrsets,
      [&](RRsetEntry& entry) {
        for (auto& rdata : entry.rdatas) {
          out.push_back(
              dns::Record{node.owner, entry.type, entry.rrclass, entry.ttl, std::move(rdata)});
        }
      },
      [&](RRsetEntry& entry, Signature& sig) {
        out.push_back(dns::Record{node.owner, dns::RRType::kRrsig, dns::RRClass::kIn, entry.ttl,
                                  std::move(sig.rdata)});
      });
}

}  // namespace rootsim::registry::signer
