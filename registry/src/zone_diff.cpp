// Zone comparison: both zones are indexed by owner (lookup key), records are grouped into the
// apex, the delegations and what is left, and each group is compared as a canonical set.
#include "rootsim/registry/zone_diff.hpp"

#include "rootsim/dns/dnssec.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace rootsim::registry {
namespace {

using dns::Record;
using dns::RRType;
using Records = std::vector<Record>;

bool is_dnssec_type(RRType type) {
  return type == RRType::kRrsig || type == RRType::kNsec || type == RRType::kNsec3 ||
         type == RRType::kNsec3param || type == RRType::kZonemd;
}
bool is_address(RRType type) { return type == RRType::kA || type == RRType::kAaaa; }

// Identity of a record in a set: owner (canonical), type, canonical rdata. TTL is not part of it.
using RecordKey = std::tuple<std::string, std::uint16_t, dns::Bytes>;
RecordKey key_of(const Record& r) {
  return {r.owner.lookup_key(), dns::to_number(r.type), dns::canonical_rdata(r.type, r.rdata)};
}

// Sorted canonically, duplicates (same key) removed.
std::vector<std::pair<RecordKey, const Record*>> keyed(const std::vector<const Record*>& records) {
  std::vector<std::pair<RecordKey, const Record*>> out;
  out.reserve(records.size());
  for (const Record* r : records) {
    out.emplace_back(key_of(*r), r);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            out.end());
  return out;
}

RecordSetDiff diff_records(const std::vector<const Record*>& before,
                           const std::vector<const Record*>& after) {
  // Fast path: most record sets of two versions of a zone are the same records in the same
  // order, and exact equality is much cheaper than building canonical keys.
  if (std::equal(before.begin(), before.end(), after.begin(), after.end(),
                 [](const Record* x, const Record* y) { return *x == *y; })) {
    return {};
  }
  const auto a = keyed(before);
  const auto b = keyed(after);
  RecordSetDiff diff;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].first < b[j].first)) {
      diff.removed.push_back(*a[i++].second);
    } else if (i == a.size() || b[j].first < a[i].first) {
      diff.added.push_back(*b[j++].second);
    } else {
      if (a[i].second->ttl != b[j].second->ttl && !diff.ttl_before) {
        diff.ttl_before = a[i].second->ttl;
        diff.ttl_after = b[j].second->ttl;
      }
      ++i;
      ++j;
    }
  }
  return diff;
}

Records copy(const std::vector<const Record*>& records) {
  Records out;
  for (const auto& [key, r] : keyed(records)) {
    out.push_back(*r);
  }
  return out;
}

// One zone, grouped the way the diff reports it.
struct Grouped {
  struct Delegation {
    dns::Name tld;
    std::vector<const Record*> ns, ds, glue, dnssec, other;
  };
  struct Apex {
    std::vector<const Record*> soa, ns, glue, dnskey, dnssec, other;
  };
  Apex apex;
  std::map<std::string, Delegation> tlds;  // by lookup key: canonical order
  std::vector<const Record*> unattached;
};

Grouped group(const dns::ZoneContent& zone, const dns::Name& origin, const DiffOptions& options) {
  std::map<std::string, std::vector<const Record*>> by_owner;
  std::vector<const Record*>* current = nullptr;  // records of one owner come in runs
  const Record* previous = nullptr;
  for (const Record& r : zone.records) {
    if (!options.include_dnssec && is_dnssec_type(r.type)) {
      continue;
    }
    if (previous == nullptr || !(previous->owner == r.owner)) {
      current = &by_owner[r.owner.lookup_key()];
    }
    current->push_back(&r);
    previous = &r;
  }
  Grouped out;
  const std::string origin_key = origin.lookup_key();
  const std::size_t tld_labels = origin.label_count() + 1;
  std::set<std::string> claimed;  // owners whose records are all accounted for
  auto addresses_of = [&by_owner](const std::vector<const Record*>& ns_records,
                                  std::vector<const Record*>& glue) {
    for (const Record* ns : ns_records) {
      auto host = dns::read_name_rdata(ns->rdata);
      if (!host) {
        continue;
      }
      const auto it = by_owner.find(host->lookup_key());
      if (it == by_owner.end()) {
        continue;
      }
      for (const Record* r : it->second) {
        if (is_address(r->type)) {
          glue.push_back(r);
        }
      }
    }
  };
  std::set<std::string> glue_owners;
  for (const auto& [key, records] : by_owner) {
    const dns::Name& owner = records.front()->owner;
    const bool apex = key == origin_key;
    const bool tld = !apex && owner.label_count() == tld_labels && owner.is_subdomain_of(origin) &&
                     std::any_of(records.begin(), records.end(),
                                 [](const Record* r) { return r->type == RRType::kNs; });
    if (!apex && !tld) {
      continue;
    }
    claimed.insert(key);
    if (apex) {
      for (const Record* r : records) {
        switch (r->type) {
          case RRType::kSoa:
            out.apex.soa.push_back(r);
            break;
          case RRType::kNs:
            out.apex.ns.push_back(r);
            break;
          case RRType::kDnskey:
            out.apex.dnskey.push_back(r);
            break;
          default:
            (is_dnssec_type(r->type) ? out.apex.dnssec : out.apex.other).push_back(r);
        }
      }
      addresses_of(out.apex.ns, out.apex.glue);
      continue;
    }
    Grouped::Delegation& d = out.tlds[key];
    d.tld = owner;
    for (const Record* r : records) {
      if (r->type == RRType::kNs) {
        d.ns.push_back(r);
      } else if (r->type == RRType::kDs) {
        d.ds.push_back(r);
      } else {
        (is_dnssec_type(r->type) ? d.dnssec : d.other).push_back(r);
      }
    }
    addresses_of(d.ns, d.glue);
  }
  auto mark_glue = [&glue_owners](const std::vector<const Record*>& glue) {
    for (const Record* r : glue) {
      glue_owners.insert(r->owner.lookup_key());
    }
  };
  mark_glue(out.apex.glue);
  for (const auto& [key, d] : out.tlds) {
    mark_glue(d.glue);
  }
  for (const auto& [key, records] : by_owner) {
    if (claimed.contains(key)) {
      continue;
    }
    const bool glue_owner = glue_owners.contains(key);
    for (const Record* r : records) {
      if (!(glue_owner && is_address(r->type))) {
        out.unattached.push_back(r);
      }
    }
  }
  return out;
}

std::optional<std::uint32_t> serial_of(const std::vector<const Record*>& soa) {
  for (const Record* r : soa) {
    if (auto parsed = dns::read_soa_rdata(r->rdata)) {
      return parsed->serial;
    }
  }
  return std::nullopt;
}

// SOA records with the serial zeroed, to see whether anything else changed.
Records without_serial(const std::vector<const Record*>& soa) {
  Records out;
  for (const Record* r : soa) {
    Record copy = *r;
    if (auto parsed = dns::read_soa_rdata(r->rdata)) {
      parsed->serial = 0;
      copy.rdata = dns::make_soa_rdata(*parsed);
    }
    out.push_back(std::move(copy));
  }
  return out;
}

std::vector<const Record*> pointers(const Records& records) {
  std::vector<const Record*> out;
  for (const Record& r : records) {
    out.push_back(&r);
  }
  return out;
}

ApexDiff diff_apex(const Grouped::Apex& a, const Grouped::Apex& b) {
  ApexDiff diff;
  const auto serial_a = serial_of(a.soa);
  const auto serial_b = serial_of(b.soa);
  if (serial_a != serial_b) {
    diff.serial_before = serial_a;
    diff.serial_after = serial_b;
  }
  const Records soa_a = without_serial(a.soa);
  const Records soa_b = without_serial(b.soa);
  if (!diff_records(pointers(soa_a), pointers(soa_b)).empty()) {
    diff.soa = diff_records(a.soa, b.soa);
  }
  diff.ns = diff_records(a.ns, b.ns);
  diff.glue = diff_records(a.glue, b.glue);
  diff.dnskey = diff_records(a.dnskey, b.dnskey);
  diff.dnssec = diff_records(a.dnssec, b.dnssec);
  diff.other = diff_records(a.other, b.other);
  return diff;
}

TldRecords records_of(const Grouped::Delegation& d) {
  return TldRecords{d.tld.lowercased(), copy(d.ns), copy(d.ds), copy(d.glue)};
}

// --- rendering ---

// "cz" rather than "cz.": TLDs are written as people write them (the root stays ".").
std::string display_name(const dns::Name& name) {
  std::string text = name.lowercased().to_text();
  if (text.size() > 1 && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

enum class ItemStyle : std::uint8_t { kRdata, kOwnerTypeRdata, kTypeRdata, kDnskeyShort };

std::string item_text(const Record& r, ItemStyle style) {
  switch (style) {
    case ItemStyle::kRdata:
      return dns::rdata_to_text(r.type, r.rdata);
    case ItemStyle::kOwnerTypeRdata:
      return r.owner.lowercased().to_text() + " " + dns::to_text(r.type) + " " +
             dns::rdata_to_text(r.type, r.rdata);
    case ItemStyle::kTypeRdata:
      return dns::to_text(r.type) + " " + dns::rdata_to_text(r.type, r.rdata);
    case ItemStyle::kDnskeyShort:
      if (r.rdata.size() >= 4) {
        return std::to_string(dns::get_u16(r.rdata, 0)) + " " + std::to_string(r.rdata[2]) + " " +
               std::to_string(r.rdata[3]) + " (key tag " + std::to_string(dns::key_tag(r.rdata)) +
               ")";
      }
      return dns::rdata_to_text(r.type, r.rdata);
  }
  return {};
}

struct Section {
  const char* label;  // text: "DS"; JSON key: lower case of it
  const char* key;
  const RecordSetDiff* diff;
  ItemStyle text_style;
  ItemStyle json_style;
};

void text_section(std::string& out, const std::string& subject, const Section& s) {
  if (s.diff->added.empty() && s.diff->removed.empty() && !s.diff->ttl_before) {
    return;
  }
  if (!s.diff->added.empty() || !s.diff->removed.empty()) {
    out += "~ " + subject + ": " + s.label;
    for (const Record& r : s.diff->removed) {
      out += " -" + item_text(r, s.text_style);
    }
    for (const Record& r : s.diff->added) {
      out += " +" + item_text(r, s.text_style);
    }
    out += "\n";
  }
  if (s.diff->ttl_before) {
    out += "~ " + subject + ": " + s.label + " TTL " + std::to_string(*s.diff->ttl_before) +
           " -> " + std::to_string(s.diff->ttl_after.value_or(0)) + "\n";
  }
}

nlohmann::json items_json(const Records& records, ItemStyle style) {
  nlohmann::json out = nlohmann::json::array();
  for (const Record& r : records) {
    out.push_back(item_text(r, style));
  }
  return out;
}

void json_section(nlohmann::json& out, const Section& s) {
  if (s.diff->empty()) {
    return;
  }
  nlohmann::json section{{"added", items_json(s.diff->added, s.json_style)},
                         {"removed", items_json(s.diff->removed, s.json_style)}};
  if (s.diff->ttl_before) {
    section["ttl"] = {{"before", *s.diff->ttl_before}, {"after", s.diff->ttl_after.value_or(0)}};
  }
  out[s.key] = std::move(section);
}

std::vector<Section> apex_sections(const ApexDiff& apex) {
  return {{"SOA", "soa", &apex.soa, ItemStyle::kRdata, ItemStyle::kRdata},
          {"NS", "ns", &apex.ns, ItemStyle::kRdata, ItemStyle::kRdata},
          {"glue", "glue", &apex.glue, ItemStyle::kOwnerTypeRdata, ItemStyle::kOwnerTypeRdata},
          {"DNSKEY", "dnskey", &apex.dnskey, ItemStyle::kDnskeyShort, ItemStyle::kRdata},
          {"DNSSEC", "dnssec", &apex.dnssec, ItemStyle::kTypeRdata, ItemStyle::kTypeRdata},
          {"other", "other", &apex.other, ItemStyle::kTypeRdata, ItemStyle::kTypeRdata}};
}

std::vector<Section> tld_sections(const TldDiff& tld) {
  return {{"NS", "ns", &tld.ns, ItemStyle::kRdata, ItemStyle::kRdata},
          {"DS", "ds", &tld.ds, ItemStyle::kRdata, ItemStyle::kRdata},
          {"glue", "glue", &tld.glue, ItemStyle::kOwnerTypeRdata, ItemStyle::kOwnerTypeRdata},
          {"DNSSEC", "dnssec", &tld.dnssec, ItemStyle::kTypeRdata, ItemStyle::kTypeRdata},
          {"other", "other", &tld.other, ItemStyle::kTypeRdata, ItemStyle::kTypeRdata}};
}

std::string counts(const TldRecords& tld) {
  // Appended piecewise: GCC 12 warns (-Wrestrict, PR 105651) on the chained operator+ form.
  std::string out = "(";
  out.append(std::to_string(tld.ns.size())).append(" NS, ");
  out.append(std::to_string(tld.ds.size())).append(" DS, ");
  out.append(std::to_string(tld.glue.size())).append(" glue)");
  return out;
}

nlohmann::json tld_records_json(const TldRecords& tld) {
  return {{"tld", display_name(tld.tld)},
          {"ns", items_json(tld.ns, ItemStyle::kRdata)},
          {"ds", items_json(tld.ds, ItemStyle::kRdata)},
          {"glue", items_json(tld.glue, ItemStyle::kOwnerTypeRdata)}};
}

}  // namespace

bool ApexDiff::empty() const noexcept {
  return !serial_before && !serial_after && soa.empty() && ns.empty() && glue.empty() &&
         dnskey.empty() && dnssec.empty() && other.empty();
}

bool ZoneDiff::empty() const noexcept {
  return apex.empty() && added.empty() && removed.empty() && changed.empty() && unattached.empty();
}

ZoneDiff diff_zones(const dns::ZoneContent& before, const dns::ZoneContent& after,
                    const DiffOptions& options) {
  const Grouped a = group(before, before.origin, options);
  const Grouped b = group(after, before.origin, options);
  ZoneDiff diff;
  diff.apex = diff_apex(a.apex, b.apex);
  for (const auto& [key, d] : a.tlds) {
    const auto it = b.tlds.find(key);
    if (it == b.tlds.end()) {
      diff.removed.push_back(records_of(d));
      continue;
    }
    const Grouped::Delegation& e = it->second;
    TldDiff change{d.tld.lowercased(),
                   diff_records(d.ns, e.ns),
                   diff_records(d.ds, e.ds),
                   diff_records(d.glue, e.glue),
                   diff_records(d.dnssec, e.dnssec),
                   diff_records(d.other, e.other)};
    if (!(change.ns.empty() && change.ds.empty() && change.glue.empty() && change.dnssec.empty() &&
          change.other.empty())) {
      diff.changed.push_back(std::move(change));
    }
  }
  for (const auto& [key, e] : b.tlds) {
    if (!a.tlds.contains(key)) {
      diff.added.push_back(records_of(e));
    }
  }
  diff.unattached = diff_records(a.unattached, b.unattached);
  return diff;
}

std::string render_text(const ZoneDiff& diff) {
  std::string out;
  if (diff.apex.serial_before || diff.apex.serial_after) {
    auto serial = [](const std::optional<std::uint32_t>& v) {
      return v ? std::to_string(*v) : std::string("none");
    };
    out += "~ apex: SOA serial " + serial(diff.apex.serial_before) + " -> " +
           serial(diff.apex.serial_after) + "\n";
  }
  for (const Section& s : apex_sections(diff.apex)) {
    text_section(out, "apex", s);
  }
  // Added, removed and changed TLDs interleaved in canonical order.
  std::vector<std::pair<const dns::Name*, std::string>> lines;
  for (const TldRecords& tld : diff.added) {
    lines.emplace_back(&tld.tld, "+ TLD " + display_name(tld.tld) + " " + counts(tld) + "\n");
  }
  for (const TldRecords& tld : diff.removed) {
    lines.emplace_back(&tld.tld, "- TLD " + display_name(tld.tld) + " " + counts(tld) + "\n");
  }
  for (const TldDiff& tld : diff.changed) {
    std::string text;
    for (const Section& s : tld_sections(tld)) {
      text_section(text, display_name(tld.tld), s);
    }
    lines.emplace_back(&tld.tld, std::move(text));
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return *a.first < *b.first; });
  for (const auto& [name, text] : lines) {
    out += text;
  }
  text_section(out, "unattached",
               {"records", "records", &diff.unattached, ItemStyle::kOwnerTypeRdata,
                ItemStyle::kOwnerTypeRdata});
  return out;
}

std::string render_json(const ZoneDiff& diff) {
  using nlohmann::json;
  json apex = json::object();
  if (diff.apex.serial_before || diff.apex.serial_after) {
    auto serial = [](const std::optional<std::uint32_t>& v) { return v ? json(*v) : json(); };
    apex["serial"] = {{"before", serial(diff.apex.serial_before)},
                      {"after", serial(diff.apex.serial_after)}};
  }
  for (const Section& s : apex_sections(diff.apex)) {
    json_section(apex, s);
  }
  json added = json::array();
  for (const TldRecords& tld : diff.added) {
    added.push_back(tld_records_json(tld));
  }
  json removed = json::array();
  for (const TldRecords& tld : diff.removed) {
    removed.push_back(tld_records_json(tld));
  }
  json changed = json::array();
  for (const TldDiff& tld : diff.changed) {
    json entry{{"tld", display_name(tld.tld)}};
    for (const Section& s : tld_sections(tld)) {
      json_section(entry, s);
    }
    changed.push_back(std::move(entry));
  }
  json out{{"apex", std::move(apex)},
           {"added", std::move(added)},
           {"removed", std::move(removed)},
           {"changed", std::move(changed)},
           {"summary",
            {{"apex_changed", !diff.apex.empty()},
             {"added", diff.added.size()},
             {"removed", diff.removed.size()},
             {"changed", diff.changed.size()},
             {"identical", diff.empty()}}}};
  json_section(out, {"records", "unattached", &diff.unattached, ItemStyle::kOwnerTypeRdata,
                     ItemStyle::kOwnerTypeRdata});
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace rootsim::registry
