// Differential test: the real root zone served by NSD and by rootsim on 127.0.0.1, the same
// query corpus sent to both (every TLD x NS, DS, A, AAAA, SOA, DNSKEY; random junk names; the
// apex; without EDNS, and with EDNS 512, 1232 and 4096 with DO off and on), every reply parsed
// with dns::parse_message and compared: rcode, flags and the records of each section. Where the
// two differ on purpose the reason is in kIntendedDifferences; any other difference fails.
#include "rootsim/dns/random.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/query_mix.hpp"

#include "peer_support.hpp"
#include "run_command.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <map>
#include <set>

namespace rootsim {
namespace {

using testing::flags_text;
using testing::same_records;
using testing::section_text;

struct Variant {
  std::optional<std::uint16_t> edns_size;
  bool dnssec_ok = false;
};
constexpr Variant kVariants[] = {{std::nullopt, false}, {512, false},  {512, true}, {1232, false},
                                 {1232, true},          {4096, false}, {4096, true}};

struct Query {
  dns::Name qname;
  dns::RRType qtype;
  Variant variant;
};

/// What the comparison needs to know about the zone: the address records of each host.
struct ZoneFacts {
  std::map<dns::Name, std::vector<std::string>> addresses;  ///< A + AAAA records per owner
  std::map<dns::Name, std::vector<dns::Name>> ns_targets;   ///< NS targets per owner
};

ZoneFacts facts_of(const dns::ZoneContent& zone) {
  ZoneFacts facts;
  for (const auto& r : zone.records) {
    if (r.type == dns::RRType::kA || r.type == dns::RRType::kAaaa) {
      facts.addresses[r.owner].push_back(dns::to_text(r));
    } else if (r.type == dns::RRType::kNs) {
      facts.ns_targets[r.owner].push_back(*dns::Name::from_wire(r.rdata));
    }
  }
  return facts;
}

/// The address records (as text) of the NS targets of `cut`: only those below the cut
/// (in-domain glue) or all of them (with sibling glue).
std::vector<std::string> glue_of(const ZoneFacts& zone, const dns::Name& cut, bool in_domain) {
  std::vector<std::string> glue;
  const auto targets = zone.ns_targets.find(cut);
  if (targets == zone.ns_targets.end()) {
    return glue;
  }
  for (const auto& target : targets->second) {
    const auto it = zone.addresses.find(target);
    if (it != zone.addresses.end() && (!in_domain || target.is_subdomain_of(cut))) {
      glue.insert(glue.end(), it->second.begin(), it->second.end());
    }
  }
  return glue;
}

std::size_t address_count(const std::vector<dns::Record>& section) {
  return static_cast<std::size_t>(std::count_if(section.begin(), section.end(), [](const auto& r) {
    return r.type == dns::RRType::kA || r.type == dns::RRType::kAaaa;
  }));
}

bool same_except_flags(const dns::Message& a, const dns::Message& b) {
  return a.header.rcode == b.header.rcode && section_text(a.answer) == section_text(b.answer) &&
         section_text(a.authority) == section_text(b.authority) &&
         section_text(a.additional) == section_text(b.additional);
}

/// The differences we mean to have, each with the reason. Each is recognised narrowly, from
/// both replies (and the zone), so that anything else still fails the test.
struct IntendedDifference {
  const char* name;
  const char* why;
  std::function<bool(const ZoneFacts&, const dns::Message& ours, const dns::Message& nsd)> applies;
};

const std::vector<IntendedDifference>& intended_differences() {
  static const std::vector<IntendedDifference> kList = {
      {"both truncated",
       "both set TC: a truncated UDP reply is only a signal to retry over TCP (RFC 2181 §9), "
       "and where each server cuts differs (NSD drops whole sections, rootsim cuts at RRsets)",
       [](const ZoneFacts&, const dns::Message& ours, const dns::Message& nsd) {
         return ours.header.tc && nsd.header.tc && ours.header.rcode == nsd.header.rcode &&
                flags_text(ours.header) == flags_text(nsd.header);
       }},
      {"RFC 9471 in-domain glue",
       "a referral whose glue does not all fit: RFC 9471 §3 requires all in-domain glue or TC; "
       "rootsim sends all of it (or sets TC), NSD 4.6 (older than RFC 9471) drops some of it "
       "without setting TC",
       [](const ZoneFacts& zone, const dns::Message& ours, const dns::Message& nsd) {
         if (nsd.header.tc || ours.header.aa || nsd.header.aa ||
             ours.header.rcode != nsd.header.rcode || nsd.authority.empty()) {
           return false;
         }
         const auto required = glue_of(zone, nsd.authority.front().owner, true);
         const auto nsd_sent = section_text(nsd.additional);
         const bool nsd_dropped = std::any_of(required.begin(), required.end(), [&](const auto& g) {
           return nsd_sent.count(g) == 0;
         });
         if (!nsd_dropped) {
           return false;
         }
         if (ours.header.tc) {
           return true;
         }
         const auto ours_sent = section_text(ours.additional);
         return section_text(ours.answer) == section_text(nsd.answer) &&
                section_text(ours.authority) == section_text(nsd.authority) &&
                std::all_of(required.begin(), required.end(),
                            [&](const auto& g) { return ours_sent.count(g) != 0; });
       }},
      {"optional glue chosen differently",
       "a referral where not all glue fits and neither server truncates: both send all "
       "in-domain glue, then as much sibling glue as fits (optional, RFC 9471 §2.2); NSD sends "
       "every A before any AAAA, rootsim each host's A and AAAA together",
       [](const ZoneFacts& zone, const dns::Message& ours, const dns::Message& nsd) {
         if (ours.header.tc || nsd.header.tc || ours.header.aa ||
             flags_text(ours.header) != flags_text(nsd.header) ||
             ours.header.rcode != nsd.header.rcode || ours.authority.empty() ||
             section_text(ours.answer) != section_text(nsd.answer) ||
             section_text(ours.authority) != section_text(nsd.authority)) {
           return false;
         }
         const dns::Name& cut = ours.authority.front().owner;
         std::multiset<std::string> all;
         for (const auto& g : glue_of(zone, cut, false)) {
           all.insert(g);
         }
         const auto required = glue_of(zone, cut, true);
         for (const auto* m : {&ours, &nsd}) {
           const auto sent = section_text(m->additional);
           for (const auto& r : sent) {
             if (all.count(r) == 0) {
               return false;  // not glue of this delegation
             }
           }
           for (const auto& g : required) {
             if (sent.count(g) == 0) {
               return false;
             }
           }
         }
         return true;
       }},
      {"priming addresses chosen differently",
       "the priming answer (. NS) without room for every root server address: RFC 8109 §4.2 "
       "makes them optional; NSD sends every A before any AAAA, rootsim each server's A and "
       "AAAA together",
       [](const ZoneFacts& zone, const dns::Message& ours, const dns::Message& nsd) {
         if (ours.header.tc || nsd.header.tc || !ours.header.aa ||
             flags_text(ours.header) != flags_text(nsd.header) || ours.answer.empty() ||
             !ours.answer.front().owner.is_root() || ours.answer.front().type != dns::RRType::kNs ||
             section_text(ours.answer) != section_text(nsd.answer) ||
             section_text(ours.authority) != section_text(nsd.authority)) {
           return false;
         }
         std::multiset<std::string> all;
         for (const auto& g : glue_of(zone, dns::Name(), false)) {
           all.insert(g);
         }
         for (const auto* m : {&ours, &nsd}) {
           for (const auto& r : section_text(m->additional)) {
             if (all.count(r) == 0) {
               return false;
             }
           }
         }
         return true;
       }},
      {"NSD TC with nothing left out",
       "NSD sets TC on some DO referrals although every record fits (the same records as "
       "rootsim's reply, which has no TC); rootsim sets TC only when it leaves something out",
       [](const ZoneFacts&, const dns::Message& ours, const dns::Message& nsd) {
         return nsd.header.tc && !ours.header.tc && same_except_flags(ours, nsd);
       }},
      {"NSD adds the apex NS to positive answers",
       "for authoritative answers at the apex NSD also sends the apex NS RRset in authority and "
       "their addresses in additional; rootsim answers minimally, as root servers with "
       "minimal-responses do (the resolver already has the root NS from priming)",
       [](const ZoneFacts&, const dns::Message& ours, const dns::Message& nsd) {
         if (!ours.header.aa || flags_text(ours.header) != flags_text(nsd.header) ||
             ours.header.rcode != nsd.header.rcode || ours.answer.empty() ||
             section_text(ours.answer) != section_text(nsd.answer) || !ours.authority.empty() ||
             address_count(ours.additional) != 0) {
           return false;
         }
         for (const auto& r : nsd.authority) {
           if (!r.owner.is_root() ||
               (r.type != dns::RRType::kNs && r.type != dns::RRType::kRrsig)) {
             return false;
           }
         }
         return address_count(nsd.additional) == nsd.additional.size();
       }},
  };
  return kList;
}

/// Differences that are defects of rootsim's answer path (resolver/core), reported to its
/// owner and counted here so that they stay visible; they are not intended.
const std::vector<IntendedDifference>& known_defects() {
  // None at present. (The last one, TC on a DO referral with an NSEC no-DS proof at EDNS 512,
  // was fixed by compressing that proof's owners against the question: snapshot_builder.cpp.)
  static const std::vector<IntendedDifference> kList = {};
  return kList;
}

// Which part of the replies differs first ("" when they agree).
std::string first_difference(const dns::Message& a, const dns::Message& b) {
  if (a.header.rcode != b.header.rcode) {
    return "rcode";
  }
  if (flags_text(a.header) != flags_text(b.header)) {
    return "flags " + flags_text(a.header) + " / " + flags_text(b.header);
  }
  if (a.edns.has_value() != b.edns.has_value()) {
    return "edns presence";
  }
  if (!same_records(a.answer, b.answer)) {
    return "answer";
  }
  if (!same_records(a.authority, b.authority)) {
    return "authority";
  }
  if (!same_records(a.additional, b.additional)) {
    return "additional";
  }
  return "";
}

std::vector<Query> corpus(const dns::ZoneContent& zone) {
  std::set<dns::Name> tlds;
  for (const auto& r : zone.records) {
    if (r.type == dns::RRType::kNs && r.owner.label_count() == 1) {
      tlds.insert(r.owner);
    }
  }
  std::vector<std::pair<dns::Name, dns::RRType>> questions;
  for (const auto& tld : tlds) {
    for (const auto type : {dns::RRType::kNs, dns::RRType::kDs, dns::RRType::kA, dns::RRType::kAaaa,
                            dns::RRType::kSoa, dns::RRType::kDnskey}) {
      questions.emplace_back(tld, type);
    }
  }
  for (const auto type :
       {dns::RRType::kSoa, dns::RRType::kNs, dns::RRType::kDnskey, dns::RRType::kNsec,
        dns::RRType::kZonemd, dns::RRType::kA, dns::RRType::kDs}) {
    questions.emplace_back(dns::Name(), type);
  }
  // Junk: random names (one or two labels) from the query mix's generator, and names below
  // existing TLDs (referrals).
  resolver::MixOptions mix;
  mix.seed = 20260801;
  mix.count = 1200;
  const std::vector<dns::Name> tld_list(tlds.begin(), tlds.end());
  for (const auto& q : resolver::make_query_mix(tld_list, mix)) {
    if (!q.existing) {
      questions.emplace_back(q.qname, q.qtype);
    }
  }
  auto rng = make_stream(20260801, "differential");
  for (int i = 0; i < 300; ++i) {
    const auto& tld = tld_list[uniform_int(rng, 0, tld_list.size() - 1)];
    questions.emplace_back(*dns::Name::from_text("www.Example." + tld.to_text()), dns::RRType::kA);
  }
  std::vector<Query> queries;
  for (const auto& [name, type] : questions) {
    for (const Variant& v : kVariants) {
      queries.push_back({name, type, v});
    }
  }
  return queries;
}

testing::Bytes wire(const Query& q, std::uint16_t id) {
  resolver::MixQuery m;
  m.qname = q.qname;
  m.qtype = q.qtype;
  m.edns_size = q.variant.edns_size;
  m.dnssec_ok = q.variant.dnssec_ok;
  return resolver::to_wire(m, id);
}

std::vector<testing::Bytes> ask_all(std::uint16_t port, const std::vector<Query>& queries) {
  std::vector<testing::Bytes> replies;
  constexpr std::size_t kBatch = 50000;  // message IDs are 16 bits
  for (std::size_t start = 0; start < queries.size(); start += kBatch) {
    std::vector<testing::Bytes> batch;
    for (std::size_t i = start; i < std::min(queries.size(), start + kBatch); ++i) {
      batch.push_back(wire(queries[i], static_cast<std::uint16_t>(i - start)));
    }
    auto got = testing::udp_bulk(port, batch);
    replies.insert(replies.end(), got.begin(), got.end());
  }
  return replies;
}

TEST(DifferentialNsd, RootZoneAnswersAgreeWithNsd) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  if (!testing::have_tool("nsd")) {
    GTEST_SKIP() << "nsd is not installed: skipping";
  }
  testing::TempDir dir("differential");
  testing::Nsd nsd(dir, "  zonefile: \"" + testing::real_root_zone().string() + "\"\n");
  testing::RootsimServer rootsim(testing::rootsim_binary(), {},
                                 {"--zone", testing::real_root_zone().string()}, dir);
  ASSERT_NE(rootsim.port(), 0) << rootsim.log();
  const auto probe = testing::make_query(".", 6, {});
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return testing::udp_query(nsd.port(), probe, std::chrono::milliseconds(200)).has_value();
      },
      std::chrono::seconds(30)))
      << testing::read_text(dir / "nsd.log") << nsd.daemon().log();

  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone.has_value());
  const auto queries = corpus(*zone);
  const auto started = std::chrono::steady_clock::now();
  const ZoneFacts facts = facts_of(*zone);
  std::vector<testing::Bytes> ours;
  std::vector<testing::Bytes> theirs;
  std::thread ask_nsd([&] { theirs = ask_all(nsd.port(), queries); });
  ours = ask_all(rootsim.port(), queries);
  ask_nsd.join();
  const auto asked = std::chrono::steady_clock::now();

  std::map<std::string, std::size_t> intended;
  std::map<std::string, std::size_t> defects;
  std::map<std::string, std::size_t> unexplained;
  std::map<std::string, std::string> examples;
  std::size_t agreeing = 0;
  std::size_t unanswered = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    if (ours[i].empty() || theirs[i].empty()) {
      ++unanswered;
      continue;
    }
    const auto a = dns::parse_message(ours[i]);
    const auto b = dns::parse_message(theirs[i]);
    ASSERT_TRUE(a.has_value()) << a.error().message;
    ASSERT_TRUE(b.has_value()) << b.error().message;
    const std::string diff = first_difference(*a, *b);
    if (diff.empty()) {
      ++agreeing;
      continue;
    }
    const IntendedDifference* why = nullptr;
    for (const auto& d : intended_differences()) {
      if (d.applies(facts, *a, *b)) {
        why = &d;
        break;
      }
    }
    const std::string label =
        diff + " (" + dns::to_text(queries[i].qtype) + (queries[i].variant.dnssec_ok ? " DO" : "") +
        (queries[i].variant.edns_size ? " edns" + std::to_string(*queries[i].variant.edns_size)
                                      : " noedns") +
        ")";
    for (const auto& d : known_defects()) {
      if (why == nullptr && d.applies(facts, *a, *b)) {
        why = &d;
        ++defects[d.name];
      }
    }
    if (why != nullptr) {
      ++intended[why->name];
    } else {
      ++unexplained[label];
      examples.emplace(label, queries[i].qname.to_text());
    }
  }
  std::size_t intended_total = 0;
  std::size_t unexplained_total = 0;
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::cout << "differential vs NSD: " << queries.size() << " queries, " << agreeing
            << " agreeing, " << unanswered << " unanswered (asked in " << seconds(asked - started)
            << " s, compared in " << seconds(std::chrono::steady_clock::now() - asked) << " s)\n";
  for (const auto& [name, n] : intended) {
    intended_total += n;
    std::cout << "  " << (defects.count(name) != 0 ? "KNOWN DEFECT" : "intended difference") << " '"
              << name << "': " << n << "\n";
    for (const auto& d : defects.count(name) != 0 ? known_defects() : intended_differences()) {
      if (name == d.name) {
        std::cout << "    why: " << d.why << "\n";
      }
    }
  }
  for (const auto& [label, n] : unexplained) {
    unexplained_total += n;
    std::cout << "  UNEXPLAINED " << label << ": " << n << " (e.g. " << examples[label] << ")\n";
  }
  EXPECT_EQ(unexplained_total, 0U);
  EXPECT_EQ(unanswered, 0U);
  EXPECT_EQ(agreeing + intended_total + unexplained_total + unanswered, queries.size());
  EXPECT_GT(agreeing, queries.size() * 8 / 10);  // a sanity bound; the real check is above
}

}  // namespace
}  // namespace rootsim
