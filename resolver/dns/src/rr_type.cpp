#include "rootsim/dns/rr_type.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace rootsim::dns {
namespace {

constexpr std::array<std::pair<RRType, std::string_view>, 19> kMnemonics{{
    {RRType::kA, "A"},
    {RRType::kNs, "NS"},
    {RRType::kCname, "CNAME"},
    {RRType::kSoa, "SOA"},
    {RRType::kPtr, "PTR"},
    {RRType::kMx, "MX"},
    {RRType::kTxt, "TXT"},
    {RRType::kAaaa, "AAAA"},
    {RRType::kOpt, "OPT"},
    {RRType::kDs, "DS"},
    {RRType::kRrsig, "RRSIG"},
    {RRType::kNsec, "NSEC"},
    {RRType::kDnskey, "DNSKEY"},
    {RRType::kNsec3, "NSEC3"},
    {RRType::kNsec3param, "NSEC3PARAM"},
    {RRType::kZonemd, "ZONEMD"},
    {RRType::kAxfr, "AXFR"},
    {RRType::kAny, "ANY"},
    {RRType::kCaa, "CAA"},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto up = [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; };
    if (up(a[i]) != up(b[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string to_text(RRType type) {
  for (const auto& [value, name] : kMnemonics) {
    if (value == type) {
      return std::string(name);
    }
  }
  return "TYPE" + std::to_string(to_number(type));
}

std::optional<RRType> rr_type_from_text(std::string_view text) {
  for (const auto& [value, name] : kMnemonics) {
    if (iequals(name, text)) {
      return value;
    }
  }
  if (text.size() > 4 && iequals(text.substr(0, 4), "TYPE")) {
    std::uint16_t number = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data() + 4, end, number);
    if (ec == std::errc() && ptr == end) {
      return static_cast<RRType>(number);
    }
  }
  return std::nullopt;
}

}  // namespace rootsim::dns
