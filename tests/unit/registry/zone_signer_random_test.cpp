// Randomised check of the incremental signer: after each of many named updates (DS, glue and
// delegation changes, names and cuts coming and going) the kept zone must equal a fresh full
// signing of the same records (NSEC chain included), every RRSIG must verify, the ZONEMD digest
// must hold and the statistics must count what the zone holds. For the root and for a zone
// below it (whose apex's lookup key is not empty).
#include "rootsim/registry/zone_signer.hpp"

#include "rootsim/dns/dnssec.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/zonemd.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace rootsim::registry {
namespace {

constexpr std::int64_t kNow = 1785500000;  // 2026-07-31, fixed

// The zone as owner -> its record lines (without the owner); the apex is kept apart. Owners
// are "t3." and the like followed by the zone's origin ("" for the root, "example.").
using Model = std::map<std::string, std::set<std::string>>;

std::string zone_text(const Model& model, const std::string& origin, std::uint32_t serial) {
  const std::string apex = origin.empty() ? "." : origin;
  std::string text = apex + " 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. " +
                     std::to_string(serial) + " 1800 900 604800 86400\n" + apex +
                     " 518400 IN NS a.root-servers.net.\n";
  for (const auto& [owner, lines] : model) {
    for (const auto& line : lines) {
      text += owner + " " + line + "\n";
    }
  }
  return text;
}

std::vector<dns::Record> parse(const std::string& text) {
  auto zone = dns::parse_zone_text(text, dns::Name(), "<random>");
  EXPECT_TRUE(zone) << (zone ? "" : zone.error().message);
  return zone ? zone->records : std::vector<dns::Record>{};
}

std::vector<dns::Record> without_signatures(std::vector<dns::Record> records) {
  std::erase_if(records, [](const dns::Record& r) {
    return r.type == dns::RRType::kRrsig || r.type == dns::RRType::kZonemd;
  });
  return records;
}

// (owner, covered type) of every RRSIG, with a check that each verifies.
std::set<std::pair<std::string, std::uint16_t>> verified_signatures(
    const std::vector<dns::Record>& records, std::int64_t now) {
  std::map<std::pair<std::string, std::uint16_t>, std::vector<dns::Record>> sets;
  std::map<std::uint16_t, dns::Record> dnskeys;
  for (const auto& r : records) {
    if (r.type != dns::RRType::kRrsig) {
      sets[{r.owner.lookup_key(), dns::to_number(r.type)}].push_back(r);
    }
    if (r.type == dns::RRType::kDnskey) {
      dnskeys.emplace(dns::key_tag(r.rdata), r);
    }
  }
  std::set<std::pair<std::string, std::uint16_t>> out;
  for (const auto& r : records) {
    if (r.type != dns::RRType::kRrsig) {
      continue;
    }
    const std::uint16_t type = dns::get_u16(r.rdata, 0);
    const auto key = dnskeys.find(dns::get_u16(r.rdata, 16));
    EXPECT_NE(key, dnskeys.end());
    if (key != dnskeys.end()) {
      const Status ok = verify_rrsig(r, sets[{r.owner.lookup_key(), type}], key->second, now);
      EXPECT_TRUE(ok) << dns::to_text(r) << ": " << (ok ? "" : ok.error().message);
    }
    out.emplace(r.owner.to_text(), type);
  }
  return out;
}

std::string glue(std::mt19937& rng) {
  return "172800 IN A 192.0.2." + std::to_string(rng() % 250 + 1);
}

// One random change to the model; returns the owners it touched.
std::set<std::string> mutate(Model& model, const std::string& origin, std::mt19937& rng) {
  const std::string i = std::to_string(rng() % 12);
  const std::string tld = "t" + i + "." + origin;
  const std::string host = "ns." + tld;
  const std::string other = "u" + i + "." + origin;  // a name that is delegated or not
  const std::string inside = "host." + other;
  auto toggle = [&](const std::string& owner, const std::string& line) {
    auto& lines = model[owner];
    if (!lines.erase(line)) {
      lines.insert(line);
    }
    if (lines.empty()) {
      model.erase(owner);
    }
  };
  switch (rng() % 7) {
    case 0:  // a DS set changes
      toggle(tld, "86400 IN DS " + std::to_string(rng() % 60000) +
                      " 13 2 00000000000000000000000000000000000000000000000000000000000000" +
                      std::to_string(rng() % 90 + 10));
      return {tld};
    case 1:  // glue moves
      model[host] = {glue(rng)};
      return {host};
    case 2:  // the TLD goes, with everything below it
      for (auto it = model.begin(); it != model.end();) {
        const bool below = it->first == tld || it->first.ends_with("." + tld);
        if (below) {
          it = model.erase(it);
        } else {
          ++it;
        }
      }
      return {tld, host, "deep.x." + tld};
    case 3:  // a TLD comes (or gets another name server)
      model[tld].insert("172800 IN NS " + host);
      model[host] = {glue(rng)};
      return {tld, host};
    case 4:  // a cut comes or goes above an authoritative name
      toggle(other, "172800 IN NS ns.t0." + origin);
      return {other};
    case 5:  // an authoritative name (or glue, when u is delegated) comes or goes
      toggle(inside, "3600 IN A 192.0.2." + std::to_string(rng() % 250 + 1));
      return {inside};
    default:  // a name two labels below a TLD (glue-like when the TLD is delegated)
      toggle("deep.x." + tld, "172800 IN AAAA 2001:db8::" + std::to_string(rng() % 9000 + 1));
      return {"deep.x." + tld};
  }
}

void run_random_updates(const std::string& origin) {
  const std::vector<SigningKey> keys = {
      *generate_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, kNow),
      *generate_key(KeyRole::kZsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, kNow)};
  const dns::Name apex = *dns::Name::from_text(origin.empty() ? "." : origin);
  std::mt19937 rng(20261206);
  Model model;
  for (int t = 0; t < 12; t += 2) {
    const std::string tld = "t" + std::to_string(t) + "." + origin;
    model[tld].insert("172800 IN NS ns." + tld);
    model["ns." + tld] = {glue(rng)};
    model["host.u" + std::to_string(t) + "." + origin] = {"3600 IN A 192.0.2.99"};
  }
  std::uint32_t serial = 2026073100;
  SigningPolicy policy;
  policy.now = kNow;
  policy.threads = 2;
  ZoneSigner signer;
  ASSERT_TRUE(signer.update(parse(zone_text(model, origin, serial)), keys, policy));
  for (int step = 0; step < 60; ++step) {
    SCOPED_TRACE("step " + std::to_string(step));
    std::set<std::string> touched = {apex.to_text()};
    for (auto n = rng() % 3 + 1; n > 0; --n) {
      touched.merge(mutate(model, origin, rng));
    }
    if (step % 20 == 19) {
      policy.now += 11 * 86400;  // every kept signature near expiry
    } else if (rng() % 3 == 0) {
      policy.now += 86400;  // the signatures made on some earlier day come due
    }
    const std::string text = zone_text(model, origin, ++serial);
    std::vector<dns::Name> changed;
    for (const auto& owner : touched) {
      changed.push_back(*dns::Name::from_text(owner));
    }
    std::vector<dns::Record> at_changed;
    for (auto& r : parse(text)) {
      if (touched.contains(r.owner.to_text())) {
        at_changed.push_back(std::move(r));
      }
    }
    const auto stats = signer.update(std::move(at_changed), changed, keys, policy);
    ASSERT_TRUE(stats) << stats.error().message;
    const std::vector<dns::Record> records = signer.records();
    auto fresh = sign_zone(parse(text), keys, policy);
    ASSERT_TRUE(fresh);
    ASSERT_EQ(without_signatures(records), without_signatures(fresh->records)) << text;
    EXPECT_EQ(verified_signatures(records, policy.now),
              verified_signatures(fresh->records, policy.now));
    EXPECT_TRUE(verify_zonemd(records, apex));
    EXPECT_EQ(signer.zone().records, records);
    const auto count = [&](dns::RRType type) {
      return static_cast<std::size_t>(std::count_if(
          records.begin(), records.end(), [type](const dns::Record& r) { return r.type == type; }));
    };
    EXPECT_EQ(stats->records, records.size());
    EXPECT_EQ(stats->nsec_records, count(dns::RRType::kNsec));
    EXPECT_EQ(stats->signatures + stats->signatures_reused, count(dns::RRType::kRrsig));
  }
}

TEST(ZoneSignerRandom, NamedUpdatesGiveTheZoneAFullSigningGives) {
  {
    SCOPED_TRACE("the root");
    run_random_updates("");
  }
  {
    SCOPED_TRACE("example.");
    run_random_updates("example.");
  }
}

}  // namespace
}  // namespace rootsim::registry
