#include "rootsim/registry/zone_signer.hpp"

#include "signer_state.hpp"

#include <algorithm>
#include <string>

namespace rootsim::registry {
namespace {

using signer::SoaFacts;

Result<SoaFacts> soa_facts(const dns::Record& soa_record) {
  auto soa = dns::read_soa_rdata(soa_record.rdata);
  if (!soa) {
    return fail(std::move(soa).error(), "SOA: ");
  }
  return SoaFacts{soa->serial, soa_record.ttl, soa->minimum};
}

// Start of each owner's run of records (owners compared case-insensitively).
std::vector<std::size_t> group_starts(const std::vector<dns::Record>& records) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i == 0 || !(records[i].owner == records[i - 1].owner)) {
      starts.push_back(i);
    }
  }
  return starts;
}

// Records of one owner must be contiguous and owners in canonical order; sort only when not.
std::vector<std::size_t> group_by_owner(std::vector<dns::Record>& records) {
  auto starts = group_starts(records);
  bool grouped = true;
  for (std::size_t g = 1; g < starts.size() && grouped; ++g) {
    grouped = records[starts[g - 1]].owner < records[starts[g]].owner;
  }
  if (grouped) {
    return starts;
  }
  std::vector<std::pair<std::string, std::size_t>> keys;
  keys.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    keys.emplace_back(records[i].owner.lookup_key(), i);
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<dns::Record> sorted;
  sorted.reserve(records.size());
  for (const auto& key : keys) {
    sorted.push_back(std::move(records[key.second]));
  }
  records = std::move(sorted);
  return group_starts(records);
}

Status outside(const dns::Name& owner, const dns::Name& origin) {
  return fail(Errc::kSemantic, owner.to_text() + " is outside the zone " + origin.to_text());
}

}  // namespace

ZoneSigner::ZoneSigner() : state_(std::make_unique<State>()) {}
ZoneSigner::~ZoneSigner() = default;
ZoneSigner::ZoneSigner(ZoneSigner&&) noexcept = default;
ZoneSigner& ZoneSigner::operator=(ZoneSigner&&) noexcept = default;

Result<SigningStats> ZoneSigner::update(std::vector<dns::Record> records,
                                        const std::vector<SigningKey>& keys,
                                        const SigningPolicy& policy) {
  std::erase_if(records, [](const dns::Record& r) { return signer::is_made_by_signer(r.type); });
  const dns::Record* soa_record = nullptr;
  for (const auto& record : records) {
    if (record.type == dns::RRType::kSoa) {
      if (soa_record != nullptr) {
        return fail(Errc::kSemantic, "more than one SOA record");
      }
      soa_record = &record;
    }
  }
  if (soa_record == nullptr) {
    return fail(Errc::kSemantic, "no SOA record: cannot tell the zone apex");
  }
  const dns::Name origin = soa_record->owner.lowercased();
  auto soa = soa_facts(*soa_record);
  if (!soa) {
    return fail(std::move(soa).error());
  }
  State& st = *state_;
  auto keyset = st.prepare_keys(keys);
  if (!keyset) {
    return fail(std::move(keyset).error());
  }
  const auto starts = group_by_owner(records);
  for (const std::size_t start : starts) {
    if (!records[start].owner.is_subdomain_of(origin)) {
      return fail(outside(records[start].owner, origin).error());
    }
  }
  if (st.origin != origin || st.nodes.empty()) {
    st.nodes.clear();
    st.origin = origin;
  }
  st.threads = std::max(policy.threads, 1U);
  st.merge_groups(records, starts);
  st.all_changed = true;  // every name was compared: look at all of them
  st.layout_changed = true;
  return st.finish(keys, *keyset, policy, *soa);
}

Result<SigningStats> ZoneSigner::update(std::vector<dns::Record> records,
                                        std::span<const dns::Name> changed_owners,
                                        const std::vector<SigningKey>& keys,
                                        const SigningPolicy& policy) {
  State& st = *state_;
  if (st.nodes.empty()) {
    return fail(Errc::kSemantic, "no zone signed yet: the first update takes the whole zone");
  }
  std::erase_if(records, [](const dns::Record& r) { return signer::is_made_by_signer(r.type); });
  // Changed names as lookup keys (canonical byte order), each with its records.
  std::vector<std::pair<std::string, const dns::Name*>> owners;
  for (const auto& owner : changed_owners) {
    if (!owner.is_subdomain_of(st.origin)) {
      return fail(outside(owner, st.origin).error());
    }
    owners.emplace_back(owner.lookup_key(), &owner);
  }
  std::sort(owners.begin(), owners.end());
  owners.erase(std::unique(owners.begin(), owners.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; }),
               owners.end());
  std::vector<std::pair<std::string, std::size_t>> by_owner;  // (key, record index)
  by_owner.reserve(records.size());
  const dns::Record* soa_record = nullptr;
  for (std::size_t i = 0; i < records.size(); ++i) {
    std::string key = records[i].owner.lookup_key();
    const auto it =
        std::lower_bound(owners.begin(), owners.end(), key,
                         [](const auto& o, const std::string& k) { return o.first < k; });
    if (it == owners.end() || it->first != key) {
      return fail(Errc::kSemantic,
                  records[i].owner.to_text() + " is not among the changed names given");
    }
    if (records[i].type == dns::RRType::kSoa) {
      if (soa_record != nullptr || !(records[i].owner == st.origin)) {
        return fail(Errc::kSemantic, "more than one SOA record");
      }
      soa_record = &records[i];
    }
    by_owner.emplace_back(std::move(key), i);
  }
  const bool apex_changed = !owners.empty() && owners.front().first == st.nodes.front().key;
  const signer::RRsetEntry* old_soa = st.nodes.front().find(dns::RRType::kSoa);
  if (apex_changed ? soa_record == nullptr : old_soa == nullptr) {
    return fail(Errc::kSemantic, "no SOA record: cannot tell the zone apex");
  }
  auto soa = apex_changed ? soa_facts(*soa_record)
                          : soa_facts(dns::Record{st.origin, dns::RRType::kSoa, dns::RRClass::kIn,
                                                  old_soa->ttl, old_soa->rdatas.front()});
  if (!soa) {
    return fail(std::move(soa).error());
  }
  auto keyset = st.prepare_keys(keys);
  if (!keyset) {
    return fail(std::move(keyset).error());
  }
  st.threads = std::max(policy.threads, 1U);
  std::stable_sort(by_owner.begin(), by_owner.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  st.changed_keys.clear();
  for (const auto& owner : owners) {
    st.changed_keys.push_back(owner.first);
  }
  std::size_t r = 0;
  for (const auto& [key, owner] : owners) {
    std::vector<dns::Record> at_owner;
    for (; r < by_owner.size() && by_owner[r].first == key; ++r) {
      at_owner.push_back(std::move(records[by_owner[r].second]));
    }
    auto node =
        std::lower_bound(st.nodes.begin(), st.nodes.end(), key,
                         [](const signer::Node& n, const std::string& k) { return n.key < k; });
    const bool found = node != st.nodes.end() && node->key == key;
    if (at_owner.empty()) {
      if (found) {
        st.forget(*node);
        st.nodes.erase(node);
        st.layout_changed = true;
      }
    } else if (!found) {
      st.nodes.insert(node, signer::build_node(at_owner, nullptr));
      st.layout_changed = true;
    } else if (!signer::same_content(*node, at_owner)) {
      st.forget(*node);
      *node = signer::build_node(at_owner, &*node);
    }
  }
  return st.finish(keys, *keyset, policy, *soa);
}

std::vector<dns::Record> ZoneSigner::records() const { return state_->output(); }

const dns::ZoneContent& ZoneSigner::zone(std::vector<dns::Name>* changed) {
  return state_->cached_output(changed);
}

std::uint32_t ZoneSigner::serial() const noexcept { return state_->serial; }

Result<SignedZone> sign_zone(std::vector<dns::Record> unsigned_records,
                             const std::vector<SigningKey>& keys, const SigningPolicy& policy) {
  ZoneSigner signer;
  auto stats = signer.update(std::move(unsigned_records), keys, policy);
  if (!stats) {
    return fail(std::move(stats).error());
  }
  return SignedZone{signer.state_->take_output(), *stats};
}

}  // namespace rootsim::registry
