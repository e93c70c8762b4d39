// NSD as a secondary of rootsim: it pulls the real root zone by AXFR (request-xfr, its own
// config, pid, xfrd and zone files in a temporary directory) and then answers a sample of
// queries exactly as rootsim does. The sample avoids the documented differences of the
// differential test: EDNS 4096 with DO (nothing truncates) and no positive apex answers.
#include "rootsim/dns/message.hpp"
#include "rootsim/resolver/query_mix.hpp"

#include "interop_support.hpp"
#include "peer_support.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <set>

namespace rootsim {
namespace {

TEST(NsdSecondary, PullsTheZoneByAxfrAndAnswersAsRootsimDoes) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  ROOTSIM_REQUIRE_TOOL("nsd");
  testing::TempDir dir("nsd_secondary");
  testing::RootsimServer rootsim(testing::rootsim_binary(), {},
                                 {"--zone", testing::real_root_zone().string()}, dir);
  ASSERT_NE(rootsim.port(), 0) << rootsim.log();
  const std::string primary = "127.0.0.1@" + std::to_string(rootsim.port());
  testing::Nsd nsd(dir,
                   "  zonefile: \"secondary-root.zone\"\n"
                   "  request-xfr: AXFR " +
                       primary +
                       " NOKEY\n"
                       "  allow-notify: 127.0.0.1 NOKEY\n");
  const auto soa = testing::make_query(".", 6, {.dnssec_ok = true});
  std::uint32_t serial = 0;
  ASSERT_TRUE(testing::wait_until(
      [&] {
        const auto r = testing::udp_query(nsd.port(), soa, std::chrono::milliseconds(200));
        const auto m = r ? dns::parse_message(*r) : Result<dns::Message>(fail(Errc::kIo, ""));
        serial = m ? testing::answer_serial(*m) : 0;
        return serial != 0;
      },
      std::chrono::seconds(60)))
      << testing::read_text(dir / "nsd.log") << nsd.daemon().log();
  EXPECT_EQ(serial, 2026073102U);

  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone.has_value());
  std::set<dns::Name> tlds;
  for (const auto& r : zone->records) {
    if (r.type == dns::RRType::kNs && r.owner.label_count() == 1) {
      tlds.insert(r.owner);
    }
  }
  std::vector<testing::Bytes> queries;
  for (const auto& tld : tlds) {
    for (const std::uint16_t type : {std::uint16_t{2}, std::uint16_t{43}}) {
      queries.push_back(testing::make_query(tld.to_text(), type,
                                            {.id = static_cast<std::uint16_t>(queries.size()),
                                             .edns_size = 4096,
                                             .dnssec_ok = true}));
    }
  }
  resolver::MixOptions mix;
  mix.count = 400;
  for (const auto& q : resolver::make_query_mix({tlds.begin(), tlds.end()}, mix)) {
    if (!q.existing) {
      queries.push_back(testing::make_query(q.qname.to_text(), dns::to_number(q.qtype),
                                            {.id = static_cast<std::uint16_t>(queries.size()),
                                             .edns_size = 4096,
                                             .dnssec_ok = true}));
    }
  }
  queries.push_back(testing::make_query(
      ".", 48, {.id = static_cast<std::uint16_t>(queries.size()), .edns_size = 4096}));
  const auto ours = testing::udp_bulk(rootsim.port(), queries);
  const auto theirs = testing::udp_bulk(nsd.port(), queries);
  std::size_t agreeing = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    ASSERT_FALSE(ours[i].empty() || theirs[i].empty()) << "query " << i << " unanswered";
    const auto a = dns::parse_message(ours[i]);
    const auto b = dns::parse_message(theirs[i]);
    ASSERT_TRUE(a && b);
    const bool same = a->header.rcode == b->header.rcode &&
                      testing::flags_text(a->header) == testing::flags_text(b->header) &&
                      testing::same_records(a->answer, b->answer) &&
                      testing::same_records(a->authority, b->authority) &&
                      testing::same_records(a->additional, b->additional);
    EXPECT_TRUE(same) << a->questions.at(0).qname.to_text() << " "
                      << dns::to_text(a->questions.at(0).qtype);
    agreeing += same ? 1 : 0;
  }
  std::cout << "NSD secondary: " << agreeing << " of " << queries.size()
            << " answers identical to rootsim's\n";
}

}  // namespace
}  // namespace rootsim
