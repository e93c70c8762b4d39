#include "signer_nodes.hpp"

#include <algorithm>

namespace rootsim::registry::signer {
namespace {

constexpr std::uint16_t kRrsig = dns::to_number(dns::RRType::kRrsig);

void append_rr_wire(dns::Bytes& out, std::span<const std::uint8_t> owner, std::uint16_t type,
                    dns::RRClass rrclass, std::uint32_t ttl, std::span<const std::uint8_t> rdata) {
  out.insert(out.end(), owner.begin(), owner.end());
  dns::put_u16(out, type);
  dns::put_u16(out, static_cast<std::uint16_t>(rrclass));
  dns::put_u32(out, ttl);
  dns::put_u16(out, static_cast<std::uint16_t>(rdata.size()));
  out.insert(out.end(), rdata.begin(), rdata.end());
}

bool covers_zonemd(const Signature& sig) {
  return dns::get_u16(sig.rdata, 0) == dns::to_number(dns::RRType::kZonemd);
}

// Signatures of the node in canonical order (RFC 4034 §6.3: by rdata), with their RRset's TTL.
std::vector<std::pair<const Signature*, std::uint32_t>> sorted_sigs(const Node& node,
                                                                    bool for_zonemd) {
  std::vector<std::pair<const Signature*, std::uint32_t>> sigs;
  for (const auto& entry : node.rrsets) {
    for (const auto& sig : entry.sigs) {
      if (!(for_zonemd && node.apex && covers_zonemd(sig))) {
        sigs.emplace_back(&sig, entry.ttl);
      }
    }
  }
  std::sort(sigs.begin(), sigs.end(),
            [](const auto& a, const auto& b) { return a.first->rdata < b.first->rdata; });
  return sigs;
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
    rdata = dns::canonical_rdata(type, rdata);
  }
  std::sort(rdatas.begin(), rdatas.end());
  rdatas.erase(std::unique(rdatas.begin(), rdatas.end()), rdatas.end());
  entry.rdatas = std::move(rdatas);
  const auto owner_wire = owner.wire();
  for (const auto& rdata : entry.rdatas) {
    append_rr_wire(entry.wire, owner_wire, dns::to_number(type), rrclass, ttl, rdata);
  }
  return entry;
}

Node build_node(std::span<const dns::Record> records, Node* previous) {
  Node node;
  node.owner = records.front().owner.lowercased();
  node.key = node.owner.lookup_key();
  std::vector<const dns::Record*> sorted;
  sorted.reserve(records.size());
  for (const auto& record : records) {
    sorted.push_back(&record);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const dns::Record* a, const dns::Record* b) {
    return dns::to_number(a->type) < dns::to_number(b->type);
  });
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    std::uint32_t ttl = sorted[i]->ttl;
    std::vector<dns::Bytes> rdatas;
    for (; j < sorted.size() && sorted[j]->type == sorted[i]->type; ++j) {
      ttl = std::min(ttl, sorted[j]->ttl);  // RFC 2181 §5.2: one TTL per RRset
      rdatas.push_back(sorted[j]->rdata);
    }
    RRsetEntry entry =
        make_entry(node.owner, sorted[i]->type, sorted[i]->rrclass, ttl, std::move(rdatas));
    if (previous != nullptr) {
      if (RRsetEntry* old = previous->find(entry.type); old != nullptr && old->wire == entry.wire) {
        entry.sigs = std::move(old->sigs);
      }
    }
    node.rrsets.push_back(std::move(entry));
    i = j;
  }
  if (previous != nullptr) {
    for (auto& old : previous->rrsets) {
      if (is_made_by_signer(old.type)) {
        put_entry(node, std::move(old));
      }
    }
  }
  return node;
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

dns::Bytes nsec_bitmap(const Node& node) {
  std::vector<std::uint16_t> types;
  for (const auto& entry : node.rrsets) {
    const auto t = entry.type;
    if (!node.delegation || t == dns::RRType::kNs || t == dns::RRType::kDs) {
      types.push_back(dns::to_number(t));
    }
  }
  types.push_back(kRrsig);
  types.push_back(dns::to_number(dns::RRType::kNsec));
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  return type_bitmap(types);
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

void refresh_zonemd_wire(Node& node) {
  node.zonemd_wire.clear();
  const auto sigs = sorted_sigs(node, true);
  bool sigs_done = false;
  const auto put_sigs = [&] {
    for (const auto& [sig, ttl] : sigs) {
      append_rr_wire(node.zonemd_wire, node.owner.wire(), kRrsig, dns::RRClass::kIn, ttl,
                     sig->rdata);
    }
    sigs_done = true;
  };
  for (const auto& entry : node.rrsets) {
    if (!sigs_done && dns::to_number(entry.type) > kRrsig) {
      put_sigs();
    }
    if (node.apex && entry.type == dns::RRType::kZonemd) {
      continue;
    }
    node.zonemd_wire.insert(node.zonemd_wire.end(), entry.wire.begin(), entry.wire.end());
  }
  if (!sigs_done) {
    put_sigs();
  }
  node.wire_valid = true;
}

void append_records(const Node& node, std::vector<dns::Record>& out) {
  const auto sigs = sorted_sigs(node, false);
  bool sigs_done = false;
  const auto put_sigs = [&] {
    for (const auto& [sig, ttl] : sigs) {
      out.push_back(
          dns::Record{node.owner, dns::RRType::kRrsig, dns::RRClass::kIn, ttl, sig->rdata});
    }
    sigs_done = true;
  };
  for (const auto& entry : node.rrsets) {
    if (!sigs_done && dns::to_number(entry.type) > kRrsig) {
      put_sigs();
    }
    for (const auto& rdata : entry.rdatas) {
      out.push_back(dns::Record{node.owner, entry.type, entry.rrclass, entry.ttl, rdata});
    }
  }
  if (!sigs_done) {
    put_sigs();
  }
}

}  // namespace rootsim::registry::signer
