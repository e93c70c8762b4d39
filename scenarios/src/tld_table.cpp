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
  rank_of_.push_back(static_cast<std::uint32_t>(by_rank_.size()));
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

void TldTable::set_dark(std::uint32_t id, dns::SimTime until) {
  dark_.push_back(Dark{rank_of_[id], until, UINT32_MAX});
}

void TldTable::set_restored(std::uint32_t id, std::uint32_t version) {
  for (Dark& d : dark_) {
    if (d.rank == rank_of_[id]) {
      d.restored_version = std::min(d.restored_version, version);
    }
  }
}

void TldTable::shuffle_popularity(std::mt19937_64& rng, const std::vector<dns::Name>& head) {
  // Fisher-Yates with the project's portable draws (std::shuffle is implementation-defined).
  for (std::size_t i = by_rank_.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rootsim::uniform_int(rng, 0, i - 1));
    std::swap(by_rank_[i - 1], by_rank_[j]);
  }
  std::vector<std::uint32_t> front;
  for (const dns::Name& name : head) {
    if (const auto id = find(name);
        id && std::find(front.begin(), front.end(), *id) == front.end()) {
      front.push_back(*id);
    }
  }
  std::erase_if(by_rank_, [&](std::uint32_t id) {
    return std::find(front.begin(), front.end(), id) != front.end();
  });
  by_rank_.insert(by_rank_.begin(), front.begin(), front.end());
  for (std::size_t rank = 0; rank < by_rank_.size(); ++rank) {
    rank_of_[by_rank_[rank]] = static_cast<std::uint32_t>(rank);
  }
  cdf_stale_ = true;
}

void TldTable::rebuild_cdf() {
  // Zipf weights by rank, then Vose's alias method (deterministic: no draws while building).
  const std::size_t n = by_rank_.size();
  std::vector<double> scaled(n);
  double total = 0;
  for (std::size_t rank = 0; rank < n; ++rank) {
    scaled[rank] = 1.0 / std::pow(static_cast<double>(rank + 1), zipf_);
    total += scaled[rank];
  }
  std::vector<std::uint32_t> small;
  std::vector<std::uint32_t> large;
  for (std::size_t rank = 0; rank < n; ++rank) {
    scaled[rank] *= static_cast<double>(n) / total;
    (scaled[rank] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(rank));
  }
  alias_probability_.assign(n, 1.0);
  alias_.assign(n, 0);
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    alias_probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (std::uint32_t rank : small) {
    alias_probability_[rank] = 1.0;
  }
  for (std::uint32_t rank : large) {
    alias_probability_[rank] = 1.0;
  }
  in_start_by_rank_.resize(n);
  for (std::size_t rank = 0; rank < n; ++rank) {
    in_start_by_rank_[rank] = entries_[by_rank_[rank]].in_start ? 1 : 0;
  }
  cdf_stale_ = false;
}

TldTable::Drawn TldTable::draw(std::mt19937_64& rng) {
  if (cdf_stale_) {
    rebuild_cdf();
  }
  const double u = uniform_real01(rng) * static_cast<double>(by_rank_.size());
  auto column = static_cast<std::uint32_t>(u);
  column = std::min<std::uint32_t>(column, static_cast<std::uint32_t>(by_rank_.size() - 1));
  const double fraction = u - static_cast<double>(column);
  const std::uint32_t rank = fraction < alias_probability_[column] ? column : alias_[column];
  return Drawn{by_rank_[rank], rank};
}

}  // namespace rootsim::scenarios
