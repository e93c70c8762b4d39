// TLD ids, their root queries and the popularity draw.
#include "tld_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "rootsim/dns/random.hpp"

namespace rootsim::scenarios {

std::vector<std::uint8_t> make_root_query(const dns::Name& qname, std::uint16_t qtype,
                                          bool dnssec_ok) {
  // Header: ID 0, no flags (a resolver asks the root without RD), QDCOUNT 1, ARCOUNT 1.
  static constexpr std::array<std::uint8_t, 12> kHeader = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1};
  const auto name = qname.wire();
  std::vector<std::uint8_t> wire;
  wire.reserve(kHeader.size() + name.size() + 4 + 11);
  for (std::uint8_t b : kHeader) {
    wire.push_back(b);
  }
  for (std::uint8_t b : name) {
    wire.push_back(b);
  }
  for (std::uint8_t b : {static_cast<std::uint8_t>(qtype >> 8),
                         static_cast<std::uint8_t>(qtype & 0xff), std::uint8_t{0}, std::uint8_t{1}}) {
    wire.push_back(b);
  }
  // OPT (RFC 6891): root owner, type 41, class = UDP size 1232, TTL = ext-rcode|version|DO.
  const std::array<int, 11> opt = {0, 0, 41, 0x04, 0xd0, 0, 0, dnssec_ok ? 0x80 : 0, 0, 0, 0};
  for (int b : opt) {
    wire.push_back(static_cast<std::uint8_t>(b));
  }
  return wire;
}

std::uint32_t TldTable::intern(const dns::Name& name, bool in_start) {
  const auto found = ids_.find(name);
  if (found != ids_.end()) {
    return found->second;
  }
  const auto id = static_cast<std::uint32_t>(entries_.size());
  TldEntry entry;
  entry.name = name;
  entry.query = make_root_query(name, 2, false);
  entry.query_do = make_root_query(name, 2, true);
  entry.in_start = in_start;
  entries_.push_back(std::move(entry));
  ids_.emplace(name, id);
  by_rank_.push_back(id);
  cdf_stale_ = true;
  return id;
}

std::optional<std::uint32_t> TldTable::find(const dns::Name& name) const {
  const auto found = ids_.find(name);
  if (found == ids_.end()) {
    return std::nullopt;
  }
  return found->second;
}

void TldTable::shuffle_popularity(std::mt19937_64& rng) {
  // Fisher-Yates with the project's portable draws (std::shuffle is implementation-defined).
  for (std::size_t i = by_rank_.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rootsim::uniform_int(rng, 0, i - 1));
    std::swap(by_rank_[i - 1], by_rank_[j]);
  }
  cdf_stale_ = true;
}

void TldTable::rebuild_cdf() {
  cdf_.resize(by_rank_.size());
  double total = 0;
  for (std::size_t rank = 0; rank < by_rank_.size(); ++rank) {
    total += 1.0 / std::pow(static_cast<double>(rank + 1), zipf_);
    cdf_[rank] = total;
  }
  for (double& c : cdf_) {
    c /= total;
  }
  cdf_stale_ = false;
}

std::uint32_t TldTable::draw(std::mt19937_64& rng) {
  if (cdf_stale_) {
    rebuild_cdf();
  }
  const double u = rootsim::uniform_real01(rng);
  const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  const auto rank = std::min<std::size_t>(static_cast<std::size_t>(it - cdf_.begin()),
                                          by_rank_.size() - 1);
  return by_rank_[rank];
}

}  // namespace rootsim::scenarios
