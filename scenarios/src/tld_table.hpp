// The TLDs one replication knows: the starting zone's and any delegated during the run, each
// with a dense id, the resolver's query for it in wire form (QNAME-minimised: "<tld>. NS", with
// and without the DO bit), whether the legitimate zone holds it, and the popularity order stub
// traffic draws from (Zipf over a seeded shuffle of the starting TLDs; new ones join the tail).
// Private to rootsim::scenarios. Thread-safety: one replication's thread.
#pragma once

#include <cstdint>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/sim_time.hpp"

namespace rootsim::scenarios {

/// A resolver-to-root query: header, question, and an OPT record (1232 bytes; DO optional).
[[nodiscard]] std::vector<std::uint8_t> make_root_query(const dns::Name& qname,
                                                        std::uint16_t qtype, bool dnssec_ok);

struct TldEntry {
  dns::Name name;
  std::vector<std::uint8_t> query;     ///< "<tld>. NS", EDNS without DO
  std::vector<std::uint8_t> query_do;  ///< the same with DO
  bool in_start = false;               ///< in the zone the scenario started from
  bool exists = false;                 ///< in the latest published legitimate version
  dns::SimTime missing_since{};        ///< while an in_start TLD is missing
};

class TldTable {
 public:
  TldTable(std::size_t capacity, double zipf_exponent) : capacity_(capacity), zipf_(zipf_exponent) {}

  /// The id of `name`, adding it (at the tail of the popularity order) when new.
  std::uint32_t intern(const dns::Name& name, bool in_start);
  [[nodiscard]] std::optional<std::uint32_t> find(const dns::Name& name) const;
  [[nodiscard]] TldEntry& at(std::uint32_t id) { return entries_[id]; }
  [[nodiscard]] const TldEntry& at(std::uint32_t id) const { return entries_[id]; }
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  /// Cache slots each resolver reserves: ids never reach this.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  /// Shuffles the popularity order of the TLDs added so far (call once, after the start), then
  /// moves `head` (most popular first; names not in the table are skipped) to the front.
  void shuffle_popularity(std::mt19937_64& rng, const std::vector<dns::Name>& head);
  /// A TLD drawn by popularity: its id and its popularity rank (0 = most popular), which is
  /// also its slot in resolver caches (so that the popular ones share cache lines). O(log TLDs).
  struct Drawn {
    std::uint32_t id;
    std::uint32_t rank;
  };
  [[nodiscard]] Drawn draw(std::mt19937_64& rng);
  [[nodiscard]] std::uint32_t rank_of(std::uint32_t id) const { return rank_of_[id]; }
  /// The TLD's own name servers do not answer until `until` (a tld-outage).
  void set_dark(std::uint32_t id, dns::SimTime until);
  /// Its redelegation is in version `version`: answers from that version on reach new servers.
  void set_restored(std::uint32_t id, std::uint32_t version);
  /// Whether a resolver holding the delegation of the TLD at `rank` from `version` gets no
  /// answer from the TLD's servers at `now`. O(1); false at once when no TLD is dark.
  [[nodiscard]] bool unreachable(std::uint32_t rank, std::uint32_t version, dns::SimTime now) const {
    if (dark_.empty()) {
      return false;
    }
    for (const Dark& d : dark_) {
      if (d.rank == rank && now < d.until && version < d.restored_version) {
        return true;
      }
    }
    return false;
  }
  /// The in_start flag of the TLD at popularity rank `rank` (a compact copy for the hot path).
  [[nodiscard]] bool in_start_at_rank(std::uint32_t rank) const { return in_start_by_rank_[rank] != 0; }

 private:
  void rebuild_cdf();
  std::size_t capacity_;
  double zipf_;
  std::vector<TldEntry> entries_;
  std::map<dns::Name, std::uint32_t> ids_;
  std::vector<std::uint32_t> by_rank_;
  std::vector<std::uint32_t> rank_of_;
  // Walker's alias table over ranks: one draw picks a rank in O(1).
  std::vector<double> alias_probability_;
  std::vector<std::uint32_t> alias_;
  std::vector<std::uint8_t> in_start_by_rank_;
  struct Dark {
    std::uint32_t rank = 0;
    dns::SimTime until{};
    std::uint32_t restored_version = UINT32_MAX;
  };
  std::vector<Dark> dark_;
  bool cdf_stale_ = true;
};

}  // namespace rootsim::scenarios
