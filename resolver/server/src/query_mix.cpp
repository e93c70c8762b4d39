#include "rootsim/resolver/query_mix.hpp"

#include "rootsim/dns/random.hpp"

#include <algorithm>
#include <set>

namespace rootsim::resolver {
namespace {

constexpr dns::RRType kExistingTypes[] = {dns::RRType::kNs, dns::RRType::kDs, dns::RRType::kA,
                                          dns::RRType::kAaaa, dns::RRType::kSoa};
constexpr dns::RRType kJunkTypes[] = {dns::RRType::kA,  dns::RRType::kAaaa, dns::RRType::kNs,
                                      dns::RRType::kDs, dns::RRType::kSoa,  dns::RRType::kMx};

std::string random_label(std::mt19937_64& rng) {
  const std::size_t length = uniform_int(rng, 5, 14);
  std::string label(length, 'a');
  for (char& c : label) {
    c = static_cast<char>('a' + uniform_int(rng, 0, 25));
  }
  return label;
}

}  // namespace

std::vector<MixQuery> make_query_mix(const std::vector<dns::Name>& tlds,
                                     const MixOptions& options) {
  std::vector<MixQuery> mix;
  if (tlds.empty()) {
    return mix;
  }
  std::set<std::string> existing;
  for (const dns::Name& tld : tlds) {
    existing.insert(tld.lowercased().to_text());
  }
  std::mt19937_64 rng = make_stream(options.seed, "query-mix");
  mix.reserve(options.count);
  for (std::size_t i = 0; i < options.count; ++i) {
    MixQuery q;
    if (i % 2 == 0) {
      q.qname = tlds[uniform_int(rng, 0, tlds.size() - 1)];
      q.qtype = kExistingTypes[uniform_int(rng, 0, std::size(kExistingTypes) - 1)];
      q.existing = true;
    } else {
      std::string text;
      do {
        text = random_label(rng) + ".";
        if (bernoulli(rng, 0.3)) {
          text = random_label(rng) + "." + text;
        }
      } while (existing.count(text.substr(text.rfind('.', text.size() - 2) + 1)) != 0 ||
               existing.count(text) != 0);
      q.qname = *dns::Name::from_text(text);
      q.qtype = kJunkTypes[uniform_int(rng, 0, std::size(kJunkTypes) - 1)];
    }
    const std::uint64_t roll = uniform_int(rng, 0, 99);
    if (roll < options.do_percent) {
      q.edns_size = options.edns_size;
      q.dnssec_ok = true;
    } else if (roll < options.do_percent + options.no_edns_percent) {
      q.edns_size = std::nullopt;
    } else {
      q.edns_size = options.edns_size;
    }
    mix.push_back(std::move(q));
  }
  return mix;
}

std::string describe(const MixOptions& options) {
  const unsigned plain = 100 - std::min(100U, options.do_percent + options.no_edns_percent);
  return "50% existing TLDs (NS/DS/A/AAAA/SOA), 50% junk names (NXDOMAIN); " +
         std::to_string(options.do_percent) + "% EDNS " + std::to_string(options.edns_size) +
         " with DO, " + std::to_string(plain) + "% EDNS without DO, " +
         std::to_string(options.no_edns_percent) + "% no EDNS; seed " +
         std::to_string(options.seed) + ", " + std::to_string(options.count) + " queries";
}

dns::Bytes to_wire(const MixQuery& query, std::uint16_t id) {
  dns::Bytes q;
  q.reserve(12 + query.qname.wire().size() + 4 + 11);
  dns::put_u16(q, id);
  dns::put_u16(q, 0);  // QUERY, RD clear: a root server is asked iteratively
  dns::put_u16(q, 1);
  dns::put_u16(q, 0);
  dns::put_u16(q, 0);
  dns::put_u16(q, query.edns_size ? 1 : 0);
  q.insert(q.end(), query.qname.wire().begin(), query.qname.wire().end());
  dns::put_u16(q, dns::to_number(query.qtype));
  dns::put_u16(q, 1);
  if (query.edns_size) {
    q.push_back(0);
    dns::put_u16(q, dns::to_number(dns::RRType::kOpt));
    dns::put_u16(q, *query.edns_size);
    dns::put_u32(q, query.dnssec_ok ? 0x8000U : 0U);
    dns::put_u16(q, 0);
  }
  return q;
}

std::string to_dnsperf_line(const MixQuery& query) {
  return query.qname.to_text() + " " + dns::to_text(query.qtype);
}

}  // namespace rootsim::resolver
