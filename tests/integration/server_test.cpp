// `rootsim serve` on 127.0.0.1 (ephemeral port), queried over UDP and TCP by our own clients:
// referrals, negative answers, CH TXT, truncation and TCP retry, pipelining, AXFR, the idle
// timeout and the connection limit, SIGHUP reload, SIGUSR1/SIGTERM counters, not an open resolver.
#include "rootsim/dns/message.hpp"
#include "rootsim/dns/zone_file.hpp"

#include "run_command.hpp"
#include "server_support.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace rootsim {
namespace {

using testing::make_query;
using testing::QueryOptions;
using testing::RootsimServer;
using testing::TempDir;

constexpr std::uint16_t kA = 1, kNs = 2, kSoa = 6, kTxt = 16, kDs = 43, kRrsig = 46, kNsec = 47,
                        kDnskey = 48, kAxfr = 252;

dns::Message parse(const std::optional<testing::Bytes>& wire) {
  EXPECT_TRUE(wire.has_value()) << "no reply";
  if (!wire) {
    return {};
  }
  auto m = dns::parse_message(*wire);
  EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().message);
  return m ? *m : dns::Message{};
}

std::size_t count_type(const std::vector<dns::Record>& section, std::uint16_t type) {
  return static_cast<std::size_t>(std::count_if(section.begin(), section.end(), [&](const auto& r) {
    return dns::to_number(r.type) == type;
  }));
}

const char* kSmallZone =
    "example. 3600 IN SOA ns1.example. hostmaster.example. 1 1800 900 604800 86400\n"
    "example. 3600 IN NS ns1.example.\n"
    "ns1.example. 3600 IN A 192.0.2.1\n"
    "child.example. 3600 IN NS ns.child.example.\n"
    "ns.child.example. 3600 IN A 192.0.2.2\n";

std::string small_zone(std::uint32_t serial) {
  std::string text = kSmallZone;
  text.replace(text.find(" 1 1800"), 7, " " + std::to_string(serial) + " 1800");
  return text;
}

class RootServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(testing::real_root_zone())) {
      return;
    }
    dir_ = new TempDir("server_root");
    server_ = new RootsimServer(testing::rootsim_binary(), {},
                                {"--zone", testing::real_root_zone().string(), "--threads", "2",
                                 "--instance", "test-instance"},
                                *dir_);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    ROOTSIM_REQUIRE_ROOT_ZONE();
    ASSERT_NE(server_->port(), 0) << server_->log();
  }
  static std::uint16_t port() { return server_->port(); }
  static TempDir* dir_;
  static RootsimServer* server_;
};
TempDir* RootServer::dir_ = nullptr;
RootsimServer* RootServer::server_ = nullptr;

TEST_F(RootServer, ReferralForCzCarriesDsAndItsSignatureUnderDnssec) {
  const auto m = parse(testing::udp_query(port(), make_query("cz.", kNs, {.dnssec_ok = true})));
  EXPECT_EQ(m.header.rcode, 0);
  EXPECT_FALSE(m.header.aa);
  EXPECT_TRUE(m.header.qr);
  EXPECT_TRUE(m.answer.empty());
  EXPECT_GE(count_type(m.authority, kNs), 2U);
  EXPECT_GE(count_type(m.authority, kDs), 1U);
  EXPECT_GE(count_type(m.authority, kRrsig), 1U);
  EXPECT_GE(count_type(m.additional, kA), 1U);
  ASSERT_TRUE(m.edns.has_value());
  EXPECT_TRUE(m.edns->dnssec_ok);
}

TEST_F(RootServer, NxdomainCarriesSoaAndNsecProof) {
  const auto m =
      parse(testing::udp_query(port(), make_query("nosuchtld.", kA, {.dnssec_ok = true})));
  EXPECT_EQ(m.header.rcode, 3);
  EXPECT_TRUE(m.header.aa);
  EXPECT_EQ(count_type(m.authority, kSoa), 1U);
  EXPECT_GE(count_type(m.authority, kNsec), 1U);
  EXPECT_GE(count_type(m.authority, kRrsig), 2U);
}

TEST_F(RootServer, AnswersChaosHostnameBindWithTheInstanceName) {
  const auto m =
      parse(testing::udp_query(port(), make_query("hostname.bind.", kTxt, {.qclass = 3})));
  ASSERT_EQ(m.answer.size(), 1U);
  const auto& rdata = m.answer[0].rdata;
  EXPECT_EQ(std::string(rdata.begin() + 1, rdata.end()), "test-instance");
}

TEST_F(RootServer, TruncatesOverUdpThenAnswersWholeOverTcp) {
  const auto query = make_query(".", kDnskey, {.edns_size = 512, .dnssec_ok = true});
  const auto udp = parse(testing::udp_query(port(), query));
  EXPECT_TRUE(udp.header.tc);
  const auto replies = testing::tcp_exchange(port(), {query});
  ASSERT_EQ(replies.size(), 1U);
  const auto tcp = parse(replies[0]);
  EXPECT_FALSE(tcp.header.tc);
  EXPECT_GE(count_type(tcp.answer, kDnskey), 2U);
  EXPECT_GE(count_type(tcp.answer, kRrsig), 1U);
}

TEST_F(RootServer, PipelinedTcpQueriesAreAllAnsweredInOrder) {
  std::vector<testing::Bytes> queries;
  const char* names[] = {"cz.", "de.", "nosuchtld.", "org.", "."};
  for (std::uint16_t i = 0; i < 50; ++i) {
    queries.push_back(make_query(names[i % 5], i % 2 == 0 ? kNs : kSoa,
                                 {.id = static_cast<std::uint16_t>(1000 + i), .dnssec_ok = true}));
  }
  const auto replies = testing::tcp_exchange(port(), queries);
  ASSERT_EQ(replies.size(), queries.size());
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const auto m = parse(replies[i]);
    EXPECT_EQ(m.header.id, 1000 + i);
    EXPECT_EQ(m.questions.at(0).qname.to_text(), names[i % 5]);
  }
}

TEST_F(RootServer, AxfrStreamsTheWholeZoneBetweenTwoSoas) {
  testing::Socket s(SOCK_STREAM);
  ASSERT_TRUE(testing::tcp_connect(s, port()));
  ASSERT_TRUE(testing::tcp_send(s, {make_query(".", kAxfr, {.id = 77, .edns_size = {}})}));
  std::vector<dns::Record> records;
  for (int messages = 0; messages < 10000; ++messages) {
    const auto m = parse(testing::tcp_read(s));
    ASSERT_EQ(m.header.id, 77);
    ASSERT_EQ(m.header.rcode, 0);
    records.insert(records.end(), m.answer.begin(), m.answer.end());
    if (records.size() > 1 && records.back().type == dns::RRType::kSoa) {
      break;
    }
  }
  ASSERT_GE(records.size(), 2U);
  EXPECT_EQ(records.front().type, dns::RRType::kSoa);
  EXPECT_EQ(records.back(), records.front());
  auto zone = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(records.size(), zone->records.size() + 1);
  std::multiset<std::string> served;
  std::multiset<std::string> expected;
  for (std::size_t i = 1; i < records.size(); ++i) {
    served.insert(dns::to_text(records[i]));
  }
  for (const auto& r : zone->records) {
    expected.insert(dns::to_text(r));
  }
  EXPECT_TRUE(served == expected);
}

TEST_F(RootServer, MalformedPacketsGetFormerrOrNothingAndServiceContinues) {
  testing::Bytes garbage = {0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0x00,
                            0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 'a'};
  const auto reply = testing::udp_query(port(), garbage, std::chrono::milliseconds(200));
  if (reply) {
    EXPECT_EQ((*reply)[3] & 0x0F, 1) << "FORMERR";
  }
  const auto m = parse(testing::udp_query(port(), make_query("cz.", kNs)));
  EXPECT_EQ(m.header.rcode, 0);
}

// A small, fast zone for the lifecycle tests.
class SmallServer : public ::testing::Test {
 protected:
  void start(const std::vector<std::string>& extra = {}) {
    testing::write_text(zone_, small_zone(1));
    std::vector<std::string> args = {"--zone", zone_.string(), "--origin", "example."};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<RootsimServer>(testing::rootsim_binary(), std::vector<std::string>{},
                                              args, dir_);
    ASSERT_NE(server_->port(), 0) << server_->log();
  }
  std::uint32_t serial() {
    const auto m = parse(testing::udp_query(server_->port(), make_query("example.", kSoa)));
    if (m.answer.empty()) {
      return 0;
    }
    const auto& rd = m.answer[0].rdata;
    const std::size_t at = rd.size() - 20;
    return (std::uint32_t{rd[at]} << 24) | (std::uint32_t{rd[at + 1]} << 16) |
           (std::uint32_t{rd[at + 2]} << 8) | rd[at + 3];
  }
  TempDir dir_{"server_small"};
  std::filesystem::path zone_ = dir_ / "example.zone";
  std::unique_ptr<RootsimServer> server_;
};

TEST_F(SmallServer, IsNotAnOpenResolver) {
  start();
  const auto m =
      parse(testing::udp_query(server_->port(), make_query("www.other.", kA, {.rd = true})));
  EXPECT_EQ(m.header.rcode, 5);
  EXPECT_FALSE(m.header.ra);
  EXPECT_TRUE(m.answer.empty());
  const auto referral =
      parse(testing::udp_query(server_->port(), make_query("www.child.example.", kA)));
  EXPECT_EQ(referral.header.rcode, 0);
  EXPECT_EQ(count_type(referral.authority, kNs), 1U);
}

TEST_F(SmallServer, SighupReloadsTheZoneFile) {
  start();
  EXPECT_EQ(serial(), 1U);
  testing::write_text(zone_, small_zone(2));
  server_->daemon().signal(SIGHUP);
  EXPECT_TRUE(testing::wait_until([&] { return serial() == 2U; }, std::chrono::seconds(10)))
      << server_->log();
  // A broken file keeps the old zone.
  testing::write_text(zone_, "example. 3600 IN SOA broken\n");
  server_->daemon().signal(SIGHUP);
  EXPECT_TRUE(testing::wait_until(
      [&] { return server_->log().find("keeping serial 2") != std::string::npos; },
      std::chrono::seconds(10)))
      << server_->log();
  EXPECT_EQ(serial(), 2U);
}

TEST_F(SmallServer, CountersOnSigusr1AndAtCleanShutdown) {
  start();
  for (int i = 0; i < 5; ++i) {
    ASSERT_NE(serial(), 0U);
  }
  ASSERT_EQ(testing::udp_query(server_->port(), make_query("nope.example.", kA)).has_value(), true);
  server_->daemon().signal(SIGUSR1);
  EXPECT_TRUE(testing::wait_until(
      [&] { return server_->log().find("stats queries=6") != std::string::npos; },
      std::chrono::seconds(10)))
      << server_->log();
  const int status = server_->daemon().stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const std::string log = server_->log();
  EXPECT_NE(log.find("SIGTERM: shutting down"), std::string::npos) << log;
  EXPECT_NE(log.find("noerror=5 formerr=0 servfail=0 nxdomain=1"), std::string::npos) << log;
}

TEST_F(SmallServer, IdleTcpConnectionsAreClosed) {
  start({"--tcp-idle-ms", "300"});
  testing::Socket s(SOCK_STREAM);
  ASSERT_TRUE(testing::tcp_connect(s, server_->port()));
  ASSERT_TRUE(testing::tcp_send(s, {make_query("example.", kSoa)}));
  ASSERT_TRUE(testing::tcp_read(s).has_value());
  const auto start = std::chrono::steady_clock::now();
  std::uint8_t byte = 0;
  pollfd p{s.fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1);
  EXPECT_EQ(::recv(s.fd, &byte, 1, 0), 0) << "closed by the server";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(SmallServer, ConnectionsOverTheLimitAreClosed) {
  start({"--max-tcp", "2", "--threads", "1"});
  testing::Socket a(SOCK_STREAM);
  testing::Socket b(SOCK_STREAM);
  testing::Socket c(SOCK_STREAM);
  ASSERT_TRUE(testing::tcp_connect(a, server_->port()));
  ASSERT_TRUE(testing::tcp_connect(b, server_->port()));
  // Make sure both are accepted before the third arrives.
  ASSERT_TRUE(testing::tcp_send(a, {make_query("example.", kSoa)}));
  ASSERT_TRUE(testing::tcp_read(a).has_value());
  ASSERT_TRUE(testing::tcp_send(b, {make_query("example.", kSoa)}));
  ASSERT_TRUE(testing::tcp_read(b).has_value());
  ASSERT_TRUE(testing::tcp_connect(c, server_->port()));
  testing::tcp_send(c, {make_query("example.", kSoa)});
  EXPECT_FALSE(testing::tcp_read(c, 3000).has_value());
  ASSERT_TRUE(testing::tcp_send(a, {make_query("example.", kNs)}));
  EXPECT_TRUE(testing::tcp_read(a).has_value());
}

TEST_F(SmallServer, BadArgumentsAreRejected) {
  testing::write_text(zone_, small_zone(1));
  const auto both =
      testing::run_command(testing::rootsim_binary() + " --db x.db serve --zone " + zone_.string());
  EXPECT_EQ(both.exit_code, 2) << both.out;
  const auto listen = testing::run_command(testing::rootsim_binary() + " serve --zone " +
                                           zone_.string() + " --listen nowhere");
  EXPECT_EQ(listen.exit_code, 2) << listen.out;
}

}  // namespace
}  // namespace rootsim
