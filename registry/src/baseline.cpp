#include "rootsim/registry/baseline.hpp"

#include "rootsim/registry/technical_checks.hpp"

#include "rootsim/dns/dnssec.hpp"
#include "rootsim/dns/random.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>
#include <utility>

namespace rootsim::registry {
namespace {

// Special-use domain names (RFC 6761 registry) that the PSL lists but the root never delegates.
constexpr std::array<std::string_view, 7> kSpecialUse{"alt",       "example", "invalid", "local",
                                                      "localhost", "onion",   "test"};
constexpr std::array<std::string_view, 4> kProviderTlds{"com", "net", "org", "info"};
constexpr std::uint32_t kRootNsTtl = 518400;  // as in the IANA root zone

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

std::vector<std::uint64_t> weights(const Histogram& h, std::vector<std::uint32_t>& values) {
  std::vector<std::uint64_t> w;
  values.clear();
  for (const auto& [v, c] : h) {
    values.push_back(v);
    w.push_back(c);
  }
  return w;
}

// Draws values of a histogram with its frequencies.
class Sampler {
 public:
  explicit Sampler(const Histogram& h) : weights_(weights(h, values_)) {}
  [[nodiscard]] bool empty() const { return values_.empty(); }
  std::uint32_t draw(std::mt19937_64& rng) const {
    const std::size_t i = pick_weighted(rng, weights_);
    return i < values_.size() ? values_[i] : 0;
  }
  [[nodiscard]] std::uint32_t mode() const {
    const auto it = std::max_element(weights_.begin(), weights_.end());
    return it == weights_.end() ? 0 : values_[static_cast<std::size_t>(it - weights_.begin())];
  }

 private:
  std::vector<std::uint32_t> values_;
  std::vector<std::uint64_t> weights_;
};

dns::Name make_name(const std::string& text) {
  auto n = dns::Name::from_text(text);
  return n ? *n : dns::Name();
}

std::string serial_of(std::int64_t now) {
  using namespace std::chrono;
  const auto day = floor<days>(sys_seconds(seconds(now)));
  const year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u00", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// A pronounceable provider word from the stream: "kalodni".
std::string provider_word(std::mt19937_64& rng) {
  constexpr std::string_view kConsonants = "bdfgklmnprstvz";
  constexpr std::string_view kVowels = "aeiou";
  constexpr std::array<std::string_view, 5> kSuffixes{"dns", "nic", "net", "anycast", "registry"};
  std::string w;
  const auto syllables = uniform_int(rng, 2, 3);
  for (std::uint64_t i = 0; i < syllables; ++i) {
    w += kConsonants[uniform_int(rng, 0, kConsonants.size() - 1)];
    w += kVowels[uniform_int(rng, 0, kVowels.size() - 1)];
  }
  return w + "-" + std::string(kSuffixes.at(uniform_int(rng, 0, kSuffixes.size() - 1)));
}

// Baseline glue avoids every special-purpose block, even the globally reachable ones (AS112...).
bool is_special_purpose(std::span<const std::uint8_t> address) {
  return find_special_purpose_block(address) != nullptr;
}

class AddressPool {
 public:
  explicit AddressPool(std::mt19937_64 rng) : rng_(std::move(rng)) {}
  void reserve(const dns::Bytes& rdata) { used_.insert(rdata); }
  dns::Address next_v4() {
    for (;;) {
      dns::Bytes b;
      dns::put_u32(b, static_cast<std::uint32_t>(uniform_int(rng_, 0x01000000, 0xdfffffff)));
      dns::Address a{dns::RRType::kA, b};
      if (!is_special_purpose(a.rdata) && used_.insert(b).second) {
        return a;
      }
    }
  }
  dns::Address next_v6() {
    // Prefixes like the RIRs allocate (2001:xxxx, 24xx, 26xx, 28xx, 2axx, 2cxx), host ::n.
    constexpr std::array<std::uint16_t, 6> kFirst{0x2001, 0x2400, 0x2600, 0x2800, 0x2a00, 0x2c0f};
    for (;;) {
      dns::Bytes b;
      const auto first = kFirst.at(uniform_int(rng_, 0, kFirst.size() - 1));
      const auto spread =
          first == 0x2001 ? 0 : static_cast<std::uint16_t>(uniform_int(rng_, 0, 0xff));
      dns::put_u16(b, static_cast<std::uint16_t>(first + spread));
      dns::put_u16(b, static_cast<std::uint16_t>(uniform_int(rng_, 0, 0xffff)));
      dns::put_u16(b, static_cast<std::uint16_t>(uniform_int(rng_, 0, 0xffff)));
      for (int i = 0; i < 4; ++i) {
        dns::put_u16(b, 0);
      }
      dns::put_u16(b, static_cast<std::uint16_t>(uniform_int(rng_, 1, 0xff)));
      dns::Address a{dns::RRType::kAaaa, b};
      if (!is_special_purpose(a.rdata) && used_.insert(b).second) {
        return a;
      }
    }
  }

 private:
  std::mt19937_64 rng_;
  std::set<dns::Bytes> used_;
};

// A DNSKEY-shaped rdata with random key material of the algorithm's size, and DS over it.
Result<dns::DsRdata> make_ds(const dns::Name& owner, std::uint8_t algorithm,
                             std::uint8_t digest_type, std::mt19937_64& rng) {
  dns::Bytes key;
  dns::put_u16(key, 257);  // KSK (SEP)
  key.push_back(3);
  key.push_back(algorithm);
  std::size_t key_bytes = 256;  // RSA-2048 modulus
  if (algorithm == 13 || algorithm == 16) {
    key_bytes = algorithm == 13 ? 64 : 57;
  } else if (algorithm == 14) {
    key_bytes = 96;
  } else if (algorithm == 15) {
    key_bytes = 32;
  } else {
    key.insert(key.end(), {3, 1, 0, 1});  // RSA exponent 65537 (RFC 3110 §2)
  }
  for (std::size_t i = 0; i < key_bytes; ++i) {
    key.push_back(static_cast<std::uint8_t>(uniform_int(rng, 0, 255)));
  }
  if (digest_type != 1 && digest_type != 2 && digest_type != 4) {
    digest_type = 2;
  }
  return dns::compute_ds(owner, key, digest_type);
}

void set_people(Tld& tld, const TldClassification& c) {
  const std::string label = lower(tld.label.first_label());
  const std::string shown = c.u_label.empty() ? label : c.u_label;
  std::string who;
  switch (tld.kind) {
    case TldKind::kCountryCode:
    case TldKind::kIdnCountryCode:
      tld.manager = "Registry of " + c.country_name;
      if (tld.kind == TldKind::kIdnCountryCode) {
        tld.manager += " (" + shown + ")";
      }
      who = c.country_name + " ccTLD";
      break;
    case TldKind::kInfrastructure:
      tld.manager = "Internet Architecture Board (IAB)";
      who = "IAB";
      break;
    case TldKind::kSponsored:
      tld.manager = "." + shown + " Sponsoring Organisation";
      who = "." + shown;
      break;
    default:
      tld.manager = "." + shown + " Registry Operator";
      who = "." + shown;
      break;
  }
  tld.admin = {who + " administrative contact", tld.manager, "admin@nic." + label};
  tld.tech = {who + " technical contact", tld.manager, "tech@nic." + label};
}

struct Slot {
  std::vector<dns::Name> ns;
  std::uint32_t capacity = 0;
  bool uses_provider = false;
};

}  // namespace

Result<std::vector<dns::Record>> load_trust_anchors(const std::filesystem::path& root_key) {
  auto zone = dns::parse_zone_file(root_key, dns::Name());
  if (!zone) {
    return fail(std::move(zone).error());
  }
  std::vector<dns::Record> keys;
  for (auto& r : zone->records) {
    if (r.type == dns::RRType::kDnskey && r.owner.is_root()) {
      keys.push_back(std::move(r));
    }
  }
  if (keys.empty()) {
    return fail(Errc::kNotFound, root_key.string() + ": no DNSKEY at the root");
  }
  return keys;
}

Result<RegistryState> build_baseline(const BaselineSources& sources, const ZoneStatistics& stats,
                                     std::uint64_t seed, std::int64_t now) {
  if (stats.tld_count == 0 || stats.ns_per_tld.empty() || stats.ns_count == 0) {
    return fail(Errc::kSemantic, "build_baseline: the statistics describe no delegations");
  }
  auto classifier = TldClassifier::load(sources.classifier);
  if (!classifier) {
    return fail(std::move(classifier).error());
  }
  auto hints = dns::parse_zone_file(sources.root_hints, dns::Name());
  if (!hints) {
    return fail(std::move(hints).error());
  }

  RegistryState state;
  // --- apex: the root's SOA and NS, root server addresses from root.hints ---
  const std::string serial_text = serial_of(now);
  const dns::SoaRdata soa{make_name("a.root-servers.net."),
                          make_name("nstld.verisign-grs.com."),
                          static_cast<std::uint32_t>(std::stoul(serial_text)),
                          1800,
                          900,
                          604800,
                          86400};
  state.apex.push_back(
      {dns::Name(), dns::RRType::kSoa, dns::RRClass::kIn, 86400, dns::make_soa_rdata(soa)});
  AddressPool pool(make_stream(seed, "addresses"));
  for (const auto& r : hints->records) {
    if (r.type == dns::RRType::kNs && r.owner.is_root()) {
      auto target = dns::read_name_rdata(r.rdata);
      if (target) {
        state.apex.push_back({dns::Name(), dns::RRType::kNs, dns::RRClass::kIn, kRootNsTtl,
                              dns::make_name_rdata(target->lowercased())});
      }
    } else if (r.type == dns::RRType::kA || r.type == dns::RRType::kAaaa) {
      const dns::Name host = r.owner.lowercased();
      state.hosts[host].name = host;
      state.hosts[host].addresses.push_back({{r.type, r.rdata}, kRootNsTtl});
      pool.reserve(r.rdata);
    }
  }
  if (state.apex.size() < 2) {
    return fail(Errc::kSemantic, sources.root_hints.string() + ": no root name servers");
  }

  // --- TLDs, kinds, people ---
  std::vector<dns::Name> labels;
  for (const auto& label : classifier->psl_tlds()) {
    const std::string text = lower(label.first_label());
    if (std::find(kSpecialUse.begin(), kSpecialUse.end(), text) == kSpecialUse.end()) {
      labels.push_back(label);
    }
  }
  for (const auto& label : labels) {
    const auto c = classifier->classify(label);
    Tld tld;
    tld.label = label;
    tld.kind = c.kind;
    tld.iso_code = c.iso_code;
    tld.u_label = c.u_label;
    tld.created_at = now;
    tld.updated_at = now;
    set_people(tld, c);
    state.tlds.emplace(label, std::move(tld));
  }

  // --- name server slots per TLD ---
  const Sampler ns_count(stats.ns_per_tld);
  const Sampler ns_ttl(stats.ns_ttls);
  const Sampler glue_ttl(stats.glue_ttls);
  const Sampler ds_ttl(stats.ds_ttls);
  auto rng_ns = make_stream(seed, "ns-count");
  std::map<dns::Name, Slot> slots;
  std::uint64_t total_slots = 0;
  for (const auto& label : labels) {
    const std::uint32_t n = std::max<std::uint32_t>(1, ns_count.draw(rng_ns));
    slots[label].capacity = n;
    total_slots += n;
  }
  const double scale = static_cast<double>(labels.size()) / static_cast<double>(stats.tld_count);
  const auto out_budget = static_cast<std::uint64_t>(
      std::llround((1.0 - stats.in_bailiwick_share()) * static_cast<double>(total_slots)));

  // --- shared providers, largest first: each serves `tlds` TLDs with `hosts` hosts ---
  std::vector<dns::Name> provider_tlds;
  for (const auto p : kProviderTlds) {
    if (state.tlds.count(make_name(std::string(p) + ".")) != 0) {
      provider_tlds.push_back(make_name(std::string(p) + "."));
    }
  }
  if (provider_tlds.empty()) {
    provider_tlds.push_back(labels.front());
  }
  auto rng_prov = make_stream(seed, "providers");
  std::set<std::string> provider_names;
  std::vector<ProviderShape> shapes = stats.provider_shapes;
  std::sort(shapes.begin(), shapes.end(), [](const ProviderShape& a, const ProviderShape& b) {
    return a.tlds * a.hosts > b.tlds * b.hosts;
  });
  std::vector<dns::Name> shared_hosts;
  std::vector<std::pair<const ProviderShape*, std::uint64_t>> plan;  // shape, providers of it
  std::uint64_t pairs_left = 0;  // (provider, TLD) pairs still to place: each needs one slot
  for (const ProviderShape& shape : shapes) {
    const double want = static_cast<double>(shape.count) * scale;
    auto count = static_cast<std::uint64_t>(std::floor(want));
    count += bernoulli(rng_prov, want - std::floor(want)) ? 1U : 0U;
    plan.emplace_back(&shape, count);
    pairs_left += count * shape.tlds;
  }
  std::vector<Slot*> by_index;
  for (auto& [label, slot] : slots) {
    by_index.push_back(&slot);
  }
  std::uint64_t out_used = 0;
  std::vector<std::uint64_t> w(by_index.size());
  for (const auto& [shape, count] : plan) {
    for (std::uint64_t i = 0; i < count; ++i) {
      std::string domain;
      do {
        domain = provider_word(rng_prov) + "." +
                 provider_tlds.at(uniform_int(rng_prov, 0, provider_tlds.size() - 1)).to_text();
      } while (!provider_names.insert(domain).second);
      std::vector<dns::Name> hosts;
      for (std::uint32_t h = 0; h < shape->hosts; ++h) {
        hosts.push_back(make_name("ns" + std::to_string(h + 1) + "." + domain));
      }
      // TLDs drawn without replacement, weighted by their free slots.
      for (std::size_t j = 0; j < by_index.size(); ++j) {
        w[j] = by_index[j]->capacity - by_index[j]->ns.size();
      }
      for (std::uint32_t t = 0; t < shape->tlds; ++t) {
        --pairs_left;
        const std::size_t pick = pick_weighted(rng_prov, w);
        if (pick >= by_index.size()) {
          continue;
        }
        w[pick] = 0;
        Slot& slot = *by_index[pick];
        // A TLD takes all of the provider's hosts that fit while the out-of-bailiwick budget
        // (with one slot kept for each pair still to place) allows, else fewer, at least one.
        std::uint64_t take = std::min<std::uint64_t>(slot.capacity - slot.ns.size(), hosts.size());
        const std::uint64_t room =
            out_budget > out_used + pairs_left ? out_budget - out_used - pairs_left : 1;
        take = std::max<std::uint64_t>(1, std::min(take, room));
        for (std::uint64_t j = 0; j < take; ++j) {
          slot.ns.push_back(hosts[(t + j) % hosts.size()]);
        }
        slot.uses_provider = true;
        out_used += take;
      }
      shared_hosts.insert(shared_hosts.end(), hosts.begin(), hosts.end());
    }
  }

  // --- the remaining slots: in-bailiwick (x.nic.<tld>) or the TLD's own out-of-bailiwick host ---
  std::uint64_t remaining = 0;
  for (const auto& [label, slot] : slots) {
    remaining += slot.capacity - slot.ns.size();
  }
  const double in_target = stats.in_bailiwick_share() * static_cast<double>(total_slots);
  const double p_in =
      remaining == 0 ? 1.0 : std::clamp(in_target / static_cast<double>(remaining), 0.0, 1.0);
  auto rng_own = make_stream(seed, "own-hosts");
  std::map<dns::Name, std::vector<dns::Name>> own_hosts;  // per TLD, for IPv6 decisions
  for (auto& [label, slot] : slots) {
    const std::string text = lower(label.first_label());
    const std::string own =
        "dns-" + text.substr(0, 59) + "." +
        provider_tlds.at(uniform_int(rng_own, 0, provider_tlds.size() - 1)).to_text();
    std::size_t i = 0;
    while (slot.ns.size() < slot.capacity) {
      const char letter = static_cast<char>('a' + i);
      const dns::Name host =
          bernoulli(rng_own, p_in)
              ? make_name(std::string(1, letter) + ".nic." + text + ".")
              : make_name(std::string("ns") + std::string(1, letter) + "." + own);
      slot.ns.push_back(host);
      own_hosts[label].push_back(host);
      ++i;
    }
  }

  // --- glue: every host gets addresses; some TLDs (never provider-served) get no IPv6 ---
  const Sampler v4(stats.ipv4_per_host);
  const Sampler v6(stats.ipv6_per_host);
  auto rng_glue = make_stream(seed, "glue");
  // TLDs without IPv6 glue are drawn among those served only by their own hosts.
  std::size_t own_only = 0;
  for (const auto& [label, slot] : slots) {
    own_only += slot.uses_provider ? 0 : 1;
  }
  const double p_no_v6 = own_only == 0 ? 0.0
                                       : std::clamp((1.0 - stats.ipv6_tld_share()) *
                                                        static_cast<double>(labels.size()) /
                                                        static_cast<double>(own_only),
                                                    0.0, 1.0);
  const std::uint32_t glue_ttl_value = glue_ttl.empty() ? 172800 : glue_ttl.mode();
  const auto add_host = [&](const dns::Name& name, bool allow_v6, bool need_v6) {
    Host& host = state.hosts[name];
    if (!host.addresses.empty()) {
      return;
    }
    host.name = name;
    std::uint32_t n4 = v4.draw(rng_glue);
    std::uint32_t n6 = allow_v6 ? v6.draw(rng_glue) : 0;
    if (need_v6 && n6 == 0) {
      n6 = 1;
    }
    if (n4 + n6 == 0) {
      n4 = 1;  // every host of the real root has glue
    }
    for (std::uint32_t i = 0; i < n4; ++i) {
      host.addresses.push_back({pool.next_v4(), glue_ttl_value});
    }
    for (std::uint32_t i = 0; i < n6; ++i) {
      host.addresses.push_back({pool.next_v6(), glue_ttl_value});
    }
  };
  for (const auto& h : shared_hosts) {
    add_host(h, true, false);
  }
  for (auto& [label, slot] : slots) {
    const bool v6_tld = slot.uses_provider || !bernoulli(rng_glue, p_no_v6);
    const auto& own = own_hosts[label];
    bool has_v6 = false;
    for (std::size_t i = 0; i < own.size(); ++i) {
      add_host(own[i], v6_tld, v6_tld && i + 1 == own.size() && !has_v6 && !slot.uses_provider);
      for (const auto& a : state.hosts[own[i]].addresses) {
        has_v6 = has_v6 || a.address.type == dns::RRType::kAaaa;
      }
    }
  }

  // --- DS: count per TLD, one algorithm per TLD, digest type per DS ---
  const Sampler ds_count(stats.ds_per_tld);
  const Sampler algorithm(stats.ds_algorithms);
  const Sampler digest(stats.ds_digest_types);
  auto rng_ds = make_stream(seed, "ds");
  for (auto& [label, tld] : state.tlds) {
    Delegation& d = tld.delegation;
    d.name_servers = slots[label].ns;
    d.ns_ttl = ns_ttl.empty() ? 172800 : ns_ttl.mode();
    d.ds_ttl = ds_ttl.empty() ? 86400 : ds_ttl.mode();
    const std::uint32_t n_ds = ds_count.draw(rng_ds);
    const auto alg = static_cast<std::uint8_t>(algorithm.draw(rng_ds));
    for (std::uint32_t i = 0; i < n_ds; ++i) {
      auto ds = make_ds(label, alg, static_cast<std::uint8_t>(digest.draw(rng_ds)), rng_ds);
      if (!ds) {
        return fail(std::move(ds).error(), label.to_text() + ": ");
      }
      d.ds.push_back(std::move(*ds));
    }
  }
  return state;
}

}  // namespace rootsim::registry
