#include "rootsim/registry/zone_statistics.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace rootsim::registry {
namespace {

using nlohmann::json;

constexpr std::size_t kTopProviders = 10;
constexpr std::array<std::string_view, 10> kGenericSecondLevel{"co",  "com", "net", "org", "ac",
                                                               "gov", "edu", "ne",  "or",  "go"};

double ratio(std::uint64_t a, std::uint64_t b) noexcept {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

struct HostInfo {
  std::set<dns::Name> tlds;
  std::uint32_t v4 = 0;
  std::uint32_t v6 = 0;
};

json histogram_json(const Histogram& h) {
  json out = json::object();
  for (const auto& [k, v] : h) {
    out[std::to_string(k)] = v;
  }
  return out;
}

// Strict reader: every access names its JSON pointer in errors.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  Unexpected<Error> error(const std::string& pointer, const std::string& what) const {
    return fail(Errc::kParse, source_ + ": " + pointer + ": " + what);
  }

  Result<std::uint64_t> uint(const json& value, const std::string& pointer) const {
    if (!value.is_number_unsigned()) {
      return error(pointer, "expected a non-negative integer");
    }
    return value.get<std::uint64_t>();
  }

  Result<std::uint32_t> uint32(const json& value, const std::string& pointer) const {
    auto v = uint(value, pointer);
    if (!v) {
      return fail(std::move(v).error());
    }
    if (*v > 0xffffffffULL) {
      return error(pointer, "out of range");
    }
    return static_cast<std::uint32_t>(*v);
  }

  Result<Histogram> histogram(const json& value, const std::string& pointer) const {
    if (!value.is_object()) {
      return error(pointer, "expected an object of value -> count");
    }
    Histogram h;
    for (const auto& [key, count] : value.items()) {
      std::uint32_t k = 0;
      const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), k);
      if (ec != std::errc() || end != key.data() + key.size() || key.empty()) {
        return error(pointer + "/" + key, "key is not an unsigned integer");
      }
      auto c = uint(count, pointer + "/" + key);
      if (!c) {
        return fail(std::move(c).error());
      }
      h[k] = *c;
    }
    return h;
  }

  Status keys(const json& object, const std::string& pointer,
              std::initializer_list<std::string_view> expected) const {
    if (!object.is_object()) {
      return error(pointer.empty() ? "/" : pointer, "expected an object");
    }
    for (const auto& [key, value] : object.items()) {
      if (std::find(expected.begin(), expected.end(), key) == expected.end()) {
        return error(pointer + "/" + key, "unknown key");
      }
    }
    for (const std::string_view key : expected) {
      if (!object.contains(key)) {
        return error(pointer + "/" + std::string(key), "missing");
      }
    }
    return {};
  }

 private:
  std::string source_;
};

}  // namespace

double ZoneStatistics::in_bailiwick_share() const noexcept {
  return ratio(ns_in_bailiwick, ns_count);
}
double ZoneStatistics::ipv6_tld_share() const noexcept {
  return ratio(tlds_with_ipv6_glue, tld_count);
}
double ZoneStatistics::ds_tld_share() const noexcept { return ratio(tlds_with_ds, tld_count); }
double ZoneStatistics::shared_host_share() const noexcept {
  const auto it = tlds_per_host.find(1);
  const std::uint64_t single = it == tlds_per_host.end() ? 0 : it->second;
  return ratio(host_count - single, host_count);
}
double ZoneStatistics::top_provider_share(std::size_t n) const noexcept {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n && i < top_providers.size(); ++i) {
    sum += top_providers[i].tlds;
  }
  return ratio(sum, tld_provider_pairs);
}
double ZoneStatistics::mean_ns_per_tld() const noexcept { return ratio(ns_count, tld_count); }

std::string provider_of(const dns::Name& host) {
  auto labels = host.labels();
  for (auto& l : labels) {
    l = lower(l);
  }
  std::size_t keep = std::min<std::size_t>(2, labels.size());
  if (labels.size() >= 3 && labels.back().size() == 2 &&
      std::find(kGenericSecondLevel.begin(), kGenericSecondLevel.end(),
                labels[labels.size() - 2]) != kGenericSecondLevel.end()) {
    keep = 3;
  }
  std::string out;
  for (std::size_t i = labels.size() - keep; i < labels.size(); ++i) {
    out += out.empty() ? "" : ".";
    out += labels[i];
  }
  return out;
}

ZoneStatistics measure_zone_statistics(const dns::ZoneContent& zone) {
  ZoneStatistics s;
  std::map<dns::Name, std::vector<dns::Name>> delegations;
  std::map<dns::Name, std::vector<dns::DsRdata>> ds;
  std::map<dns::Name, std::vector<const dns::Record*>> addresses;
  for (const dns::Record& r : zone.records) {
    if (r.owner == zone.origin) {
      if (r.type == dns::RRType::kSoa) {
        if (auto soa = dns::read_soa_rdata(r.rdata)) {
          s.serial = soa->serial;
        }
      }
      continue;
    }
    if (r.type == dns::RRType::kNs) {
      if (auto target = dns::read_name_rdata(r.rdata)) {
        delegations[r.owner].push_back(target->lowercased());
        ++s.ns_ttls[r.ttl];
      }
    } else if (r.type == dns::RRType::kDs) {
      if (auto d = dns::read_ds_rdata(r.rdata)) {
        ds[r.owner].push_back(std::move(*d));
        ++s.ds_ttls[r.ttl];
      }
    } else if (r.type == dns::RRType::kA || r.type == dns::RRType::kAaaa) {
      addresses[r.owner].push_back(&r);
    }
  }

  std::map<dns::Name, HostInfo> hosts;
  s.tld_count = delegations.size();
  for (const auto& [tld, ns] : delegations) {
    s.ns_count += ns.size();
    ++s.ns_per_tld[static_cast<std::uint32_t>(ns.size())];
    for (const dns::Name& host : ns) {
      hosts[host].tlds.insert(tld);
      if (host.is_subdomain_of(tld) && !(host == tld)) {
        ++s.ns_in_bailiwick;
      }
    }
    const auto d = ds.find(tld);
    const std::size_t n_ds = d == ds.end() ? 0 : d->second.size();
    ++s.ds_per_tld[static_cast<std::uint32_t>(n_ds)];
    if (n_ds > 0) {
      ++s.tlds_with_ds;
      for (const dns::DsRdata& rr : d->second) {
        ++s.ds_algorithms[rr.algorithm];
        ++s.ds_digest_types[rr.digest_type];
      }
    }
  }

  for (auto& [host, info] : hosts) {
    if (const auto it = addresses.find(host); it != addresses.end()) {
      for (const dns::Record* r : it->second) {
        ++(r->type == dns::RRType::kA ? info.v4 : info.v6);
        ++s.glue_ttls[r->ttl];
      }
    }
    ++s.ipv4_per_host[info.v4];
    ++s.ipv6_per_host[info.v6];
    ++s.tlds_per_host[static_cast<std::uint32_t>(info.tlds.size())];
    if (info.v4 + info.v6 > 0) {
      ++s.hosts_with_glue;
    }
  }
  s.host_count = hosts.size();

  for (const auto& [tld, ns] : delegations) {
    const bool v6 =
        std::any_of(ns.begin(), ns.end(), [&](const dns::Name& h) { return hosts.at(h).v6 > 0; });
    s.tlds_with_ipv6_glue += v6 ? 1 : 0;
  }

  struct Provider {
    std::set<dns::Name> tlds;
    std::set<dns::Name> hosts;
  };
  std::map<std::string, Provider> providers;
  for (const auto& [host, info] : hosts) {
    Provider& p = providers[provider_of(host)];
    p.hosts.insert(host);
    p.tlds.insert(info.tlds.begin(), info.tlds.end());
  }
  s.provider_count = providers.size();
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> shapes;
  std::vector<ProviderShare> shares;
  for (const auto& [name, p] : providers) {
    s.tld_provider_pairs += p.tlds.size();
    if (p.tlds.size() > 1) {
      ++shapes[{static_cast<std::uint32_t>(p.tlds.size()),
                static_cast<std::uint32_t>(p.hosts.size())}];
    }
    shares.push_back({name, p.tlds.size()});
  }
  for (const auto& [shape, count] : shapes) {
    s.provider_shapes.push_back({shape.first, shape.second, count});
  }
  std::sort(shares.begin(), shares.end(), [](const ProviderShare& a, const ProviderShare& b) {
    return a.tlds != b.tlds ? a.tlds > b.tlds : a.provider < b.provider;
  });
  shares.resize(std::min(shares.size(), kTopProviders));
  s.top_providers = std::move(shares);
  return s;
}

std::string to_json(const ZoneStatistics& s) {
  json shapes = json::array();
  for (const auto& p : s.provider_shapes) {
    shapes.push_back({{"count", p.count}, {"hosts", p.hosts}, {"tlds", p.tlds}});
  }
  json top = json::array();
  for (const auto& p : s.top_providers) {
    top.push_back({{"provider", p.provider}, {"tlds", p.tlds}});
  }
  const json doc = {
      {"schema", 1},
      {"serial", s.serial},
      {"tld_count", s.tld_count},
      {"ns_count", s.ns_count},
      {"ns_per_tld", histogram_json(s.ns_per_tld)},
      {"ns_in_bailiwick", s.ns_in_bailiwick},
      {"host_count", s.host_count},
      {"hosts_with_glue", s.hosts_with_glue},
      {"ipv4_per_host", histogram_json(s.ipv4_per_host)},
      {"ipv6_per_host", histogram_json(s.ipv6_per_host)},
      {"tlds_with_ipv6_glue", s.tlds_with_ipv6_glue},
      {"tlds_with_ds", s.tlds_with_ds},
      {"ds_per_tld", histogram_json(s.ds_per_tld)},
      {"ds_algorithms", histogram_json(s.ds_algorithms)},
      {"ds_digest_types", histogram_json(s.ds_digest_types)},
      {"tlds_per_host", histogram_json(s.tlds_per_host)},
      {"provider_count", s.provider_count},
      {"tld_provider_pairs", s.tld_provider_pairs},
      {"provider_shapes", shapes},
      {"top_providers", top},
      {"ns_ttls", histogram_json(s.ns_ttls)},
      {"glue_ttls", histogram_json(s.glue_ttls)},
      {"ds_ttls", histogram_json(s.ds_ttls)},
  };
  return doc.dump(2) + "\n";
}

Result<ZoneStatistics> zone_statistics_from_json(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return fail(Errc::kParse, source + ": byte " + std::to_string(e.byte) + ": " + e.what());
  }
  const Reader r(source);
  if (auto ok = r.keys(doc, "",
                       {"schema",
                        "serial",
                        "tld_count",
                        "ns_count",
                        "ns_per_tld",
                        "ns_in_bailiwick",
                        "host_count",
                        "hosts_with_glue",
                        "ipv4_per_host",
                        "ipv6_per_host",
                        "tlds_with_ipv6_glue",
                        "tlds_with_ds",
                        "ds_per_tld",
                        "ds_algorithms",
                        "ds_digest_types",
                        "tlds_per_host",
                        "provider_count",
                        "tld_provider_pairs",
                        "provider_shapes",
                        "top_providers",
                        "ns_ttls",
                        "glue_ttls",
                        "ds_ttls"});
      !ok) {
    return fail(std::move(ok).error());
  }
  if (doc["schema"] != 1) {
    return r.error("/schema", "expected 1");
  }
  ZoneStatistics s;
  const auto count = [&](const char* key, std::uint64_t& out) -> Status {
    auto v = r.uint(doc[key], std::string("/") + key);
    if (!v) {
      return fail(std::move(v).error());
    }
    out = *v;
    return {};
  };
  const auto hist = [&](const char* key, Histogram& out) -> Status {
    auto v = r.histogram(doc[key], std::string("/") + key);
    if (!v) {
      return fail(std::move(v).error());
    }
    out = std::move(*v);
    return {};
  };
  auto serial = r.uint32(doc["serial"], "/serial");
  if (!serial) {
    return fail(std::move(serial).error());
  }
  s.serial = *serial;
  for (auto status :
       {count("tld_count", s.tld_count), count("ns_count", s.ns_count),
        count("ns_in_bailiwick", s.ns_in_bailiwick), count("host_count", s.host_count),
        count("hosts_with_glue", s.hosts_with_glue),
        count("tlds_with_ipv6_glue", s.tlds_with_ipv6_glue), count("tlds_with_ds", s.tlds_with_ds),
        count("provider_count", s.provider_count),
        count("tld_provider_pairs", s.tld_provider_pairs), hist("ns_per_tld", s.ns_per_tld),
        hist("ipv4_per_host", s.ipv4_per_host), hist("ipv6_per_host", s.ipv6_per_host),
        hist("ds_per_tld", s.ds_per_tld), hist("ds_algorithms", s.ds_algorithms),
        hist("ds_digest_types", s.ds_digest_types), hist("tlds_per_host", s.tlds_per_host),
        hist("ns_ttls", s.ns_ttls), hist("glue_ttls", s.glue_ttls), hist("ds_ttls", s.ds_ttls)}) {
    if (!status) {
      return fail(std::move(status).error());
    }
  }
  if (!doc["provider_shapes"].is_array()) {
    return r.error("/provider_shapes", "expected an array");
  }
  for (std::size_t i = 0; i < doc["provider_shapes"].size(); ++i) {
    const std::string p = "/provider_shapes/" + std::to_string(i);
    const json& e = doc["provider_shapes"][i];
    if (auto ok = r.keys(e, p, {"count", "hosts", "tlds"}); !ok) {
      return fail(std::move(ok).error());
    }
    auto c = r.uint(e["count"], p + "/count");
    auto h = r.uint32(e["hosts"], p + "/hosts");
    auto t = r.uint32(e["tlds"], p + "/tlds");
    if (!c || !h || !t) {
      return fail(!c ? std::move(c).error() : !h ? std::move(h).error() : std::move(t).error());
    }
    s.provider_shapes.push_back({*t, *h, *c});
  }
  if (!doc["top_providers"].is_array()) {
    return r.error("/top_providers", "expected an array");
  }
  for (std::size_t i = 0; i < doc["top_providers"].size(); ++i) {
    const std::string p = "/top_providers/" + std::to_string(i);
    const json& e = doc["top_providers"][i];
    if (auto ok = r.keys(e, p, {"provider", "tlds"}); !ok) {
      return fail(std::move(ok).error());
    }
    if (!e["provider"].is_string()) {
      return r.error(p + "/provider", "expected a string");
    }
    auto t = r.uint(e["tlds"], p + "/tlds");
    if (!t) {
      return fail(std::move(t).error());
    }
    s.top_providers.push_back({e["provider"].get<std::string>(), *t});
  }
  return s;
}

Result<ZoneStatistics> load_zone_statistics(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot open");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return zone_statistics_from_json(text.str(), file.string());
}

Status save_zone_statistics(const std::filesystem::path& file, const ZoneStatistics& stats) {
  return dns::write_file_atomically(file, to_json(stats));
}

std::filesystem::path default_statistics_path() {
  return std::filesystem::path(ROOTSIM_DEFAULT_DATA_DIR) / "root_zone_statistics.json";
}

}  // namespace rootsim::registry
