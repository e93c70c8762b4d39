// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, as updated by RFC 8190
// and later assignments), transcribed with each entry's RFC and its "Globally Reachable" column,
// plus the multicast blocks (RFC 5771, RFC 4291 §2.7), which no name server may use either.
#include "rootsim/registry/technical_checks.hpp"

#include <arpa/inet.h>
#include <array>
#include <string>
#include <vector>

namespace rootsim::registry {
namespace {

constexpr std::optional<bool> kNa = std::nullopt;

// Sources: iana-ipv4-special-registry and iana-ipv6-special-registry (2025 editions).
constexpr auto kIpv4 = std::to_array<SpecialPurposeBlock>({
    {"0.0.0.0/8", "\"This network\"", "RFC 791 §3.2", false},
    {"0.0.0.0/32", "\"This host on this network\"", "RFC 1122 §3.2.1.3", false},
    {"10.0.0.0/8", "Private-Use", "RFC 1918", false},
    {"100.64.0.0/10", "Shared Address Space", "RFC 6598", false},
    {"127.0.0.0/8", "Loopback", "RFC 1122 §3.2.1.3", false},
    {"169.254.0.0/16", "Link Local", "RFC 3927", false},
    {"172.16.0.0/12", "Private-Use", "RFC 1918", false},
    {"192.0.0.0/24", "IETF Protocol Assignments", "RFC 6890 §2.1", false},
    {"192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC 7335", false},
    {"192.0.0.8/32", "IPv4 dummy address", "RFC 7600", false},
    {"192.0.0.9/32", "Port Control Protocol Anycast", "RFC 7723", true},
    {"192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC 8155", true},
    {"192.0.0.170/31", "NAT64/DNS64 Discovery", "RFC 8880, RFC 7050 §2.2", false},
    {"192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC 5737", false},
    {"192.31.196.0/24", "AS112-v4", "RFC 7535", true},
    {"192.52.193.0/24", "AMT", "RFC 7450", true},
    {"192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC 7526", kNa},
    {"192.168.0.0/16", "Private-Use", "RFC 1918", false},
    {"192.175.48.0/24", "Direct Delegation AS112 Service", "RFC 7534", true},
    {"198.18.0.0/15", "Benchmarking", "RFC 2544", false},
    {"198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC 5737", false},
    {"203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC 5737", false},
    {"224.0.0.0/4", "Multicast (not in the registry)", "RFC 5771", false},
    {"240.0.0.0/4", "Reserved", "RFC 1112 §4", false},
    {"255.255.255.255/32", "Limited Broadcast", "RFC 8190, RFC 919 §7", false},
});

constexpr auto kIpv6 = std::to_array<SpecialPurposeBlock>({
    {"::1/128", "Loopback Address", "RFC 4291", false},
    {"::/128", "Unspecified Address", "RFC 4291", false},
    {"::ffff:0:0/96", "IPv4-mapped Address", "RFC 4291", false},
    {"64:ff9b::/96", "IPv4-IPv6 Translation", "RFC 6052", true},
    {"64:ff9b:1::/48", "IPv4-IPv6 Translation (local use)", "RFC 8215", false},
    {"100::/64", "Discard-Only Address Block", "RFC 6666", false},
    {"100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC 9780", false},
    {"2001::/23", "IETF Protocol Assignments", "RFC 2928", false},
    {"2001::/32", "TEREDO", "RFC 4380, RFC 8190", kNa},
    {"2001:1::1/128", "Port Control Protocol Anycast", "RFC 7723", true},
    {"2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC 8155", true},
    {"2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC 9665", true},
    {"2001:2::/48", "Benchmarking", "RFC 5180, Errata 1752", false},
    {"2001:3::/32", "AMT", "RFC 7450", true},
    {"2001:4:112::/48", "AS112-v6", "RFC 7535", true},
    {"2001:10::/28", "Deprecated (previously ORCHID)", "RFC 4843", kNa},
    {"2001:20::/28", "ORCHIDv2", "RFC 7343", true},
    {"2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC 9374", true},
    {"2001:db8::/32", "Documentation", "RFC 3849", false},
    {"2002::/16", "6to4", "RFC 3056", kNa},
    {"2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC 7534", true},
    {"3fff::/20", "Documentation", "RFC 9637", false},
    {"5f00::/16", "Segment Routing (SRv6) SIDs", "RFC 9602", false},
    {"fc00::/7", "Unique-Local", "RFC 4193, RFC 8190", false},
    {"fe80::/10", "Link-Local Unicast", "RFC 4291", false},
    {"ff00::/8", "Multicast (not in the registry)", "RFC 4291 §2.7", false},
});

struct ParsedBlock {
  std::array<std::uint8_t, 16> network{};
  std::size_t family_octets = 0;  // 4 or 16
  std::size_t prefix_length = 0;
  const SpecialPurposeBlock* block = nullptr;
};

ParsedBlock parse_block(const SpecialPurposeBlock& block) {
  ParsedBlock out;
  out.block = &block;
  const std::string text(block.prefix);
  const auto slash = text.find('/');
  const std::string address = text.substr(0, slash);
  out.prefix_length = static_cast<std::size_t>(std::stoul(text.substr(slash + 1)));
  if (inet_pton(AF_INET, address.c_str(), out.network.data()) == 1) {
    out.family_octets = 4;
  } else if (inet_pton(AF_INET6, address.c_str(), out.network.data()) == 1) {
    out.family_octets = 16;
  }
  return out;
}

// Parsed once; immutable afterwards (thread-safe initialisation of a function-local static).
const std::vector<ParsedBlock>& parsed_blocks() {
  static const std::vector<ParsedBlock> blocks = [] {
    std::vector<ParsedBlock> v;
    for (const auto& b : kIpv4) {
      v.push_back(parse_block(b));
    }
    for (const auto& b : kIpv6) {
      v.push_back(parse_block(b));
    }
    return v;
  }();
  return blocks;
}

bool covers(const ParsedBlock& block, std::span<const std::uint8_t> address) noexcept {
  std::size_t bits = block.prefix_length;
  for (std::size_t i = 0; i < block.family_octets && bits > 0; ++i) {
    const std::size_t take = bits >= 8 ? 8 : bits;
    const auto mask = static_cast<std::uint8_t>(0xffU << (8 - take));
    if ((address[i] & mask) != (block.network[i] & mask)) {
      return false;
    }
    bits -= take;
  }
  return true;
}

}  // namespace

const SpecialPurposeBlock* find_special_purpose_block(
    std::span<const std::uint8_t> address) noexcept {
  const ParsedBlock* best = nullptr;
  for (const ParsedBlock& block : parsed_blocks()) {
    if (block.family_octets == address.size() && covers(block, address) &&
        (best == nullptr || block.prefix_length > best->prefix_length)) {
      best = &block;
    }
  }
  return best == nullptr ? nullptr : best->block;
}

}  // namespace rootsim::registry
