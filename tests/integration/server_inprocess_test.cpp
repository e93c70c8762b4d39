// The Server library in-process: bind to port 0, answer from a SnapshotSlot, take up a newly
// published snapshot (idle workers too, so the publisher can free the old one), sum counters.
#include "rootsim/dns/message.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/server.hpp"

#include "server_support.hpp"
#include <gtest/gtest.h>

namespace rootsim {
namespace {

std::shared_ptr<const resolver::ZoneSnapshot> zone(std::uint32_t serial) {
  const std::string text = "example. 3600 IN SOA ns1.example. hostmaster.example. " +
                           std::to_string(serial) +
                           " 1800 900 604800 86400\n"
                           "example. 3600 IN NS ns1.example.\n"
                           "ns1.example. 3600 IN A 192.0.2.1\n";
  auto content = dns::parse_zone_text(text, *dns::Name::from_text("example."), "<test>");
  EXPECT_TRUE(content.has_value());
  auto snapshot = resolver::build_snapshot(*content, {});
  EXPECT_TRUE(snapshot.has_value());
  return *snapshot;
}

std::uint32_t served_serial(std::uint16_t port) {
  const auto reply = testing::udp_query(port, testing::make_query("example.", 6));
  if (!reply) {
    return 0;
  }
  const auto m = dns::parse_message(*reply);
  return m ? testing::answer_serial(*m) : 0;
}

TEST(ServerInProcess, AnswersSwapsSnapshotsAndLetsThePublisherFreeTheOldOne) {
  resolver::SnapshotSlot slot(zone(1));
  auto server = resolver::Server::start(slot, {.listen = "127.0.0.1:0", .threads = 2});
  ASSERT_TRUE(server.has_value()) << server.error().message;
  const std::uint16_t port = (*server)->port();
  ASSERT_NE(port, 0);
  EXPECT_EQ((*server)->bound_address(), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(served_serial(port), 1U);
  // Both workers take up the first snapshot, the idle one too (it wakes once a second).
  EXPECT_TRUE(testing::wait_until([&] { return (*server)->counters().snapshot_switches == 2; },
                                  std::chrono::seconds(5)));

  slot.publish(zone(2));
  EXPECT_TRUE(
      testing::wait_until([&] { return served_serial(port) == 2U; }, std::chrono::seconds(5)));
  // Within about a second every worker, busy or idle, has let go of serial 1.
  EXPECT_TRUE(testing::wait_until(
      [&] {
        slot.reclaim();
        return slot.retired_count() == 0;
      },
      std::chrono::seconds(5)));

  const auto counters = (*server)->counters();
  EXPECT_EQ(counters.snapshot_switches, 4U);
  EXPECT_GE(counters.udp_queries, 2U);
  EXPECT_EQ(counters.queries, counters.udp_queries + counters.tcp_queries);
  EXPECT_GE(counters.rcode[0], 2U);
  EXPECT_GT(counters.bytes_out, counters.bytes_in);
  EXPECT_NE(resolver::to_text(counters).find("queries="), std::string::npos);
  (*server)->stop();
  (*server)->stop();  // idempotent
  EXPECT_FALSE(
      testing::udp_query(port, testing::make_query("example.", 6), std::chrono::milliseconds(100))
          .has_value());
}

TEST(ServerInProcess, CoalescingUdpAnswersEveryQueryOfABurst) {
  // With a pause between receive batches the burst is answered in fuller batches; every query
  // still gets its own answer, and the server stops promptly.
  resolver::SnapshotSlot slot(zone(7));
  auto server = resolver::Server::start(
      slot,
      {.listen = "127.0.0.1:0", .threads = 1, .udp_coalesce = std::chrono::microseconds(250)});
  ASSERT_TRUE(server.has_value()) << server.error().message;
  const std::uint16_t port = (*server)->port();
  ASSERT_EQ(served_serial(port), 7U);
  testing::Socket s(SOCK_DGRAM);
  const sockaddr_in to = testing::loopback(port);
  constexpr std::uint16_t kBurst = 200;
  for (std::uint16_t id = 1; id <= kBurst; ++id) {
    const auto query = testing::make_query("example.", 6, {.id = id});
    ::sendto(s.fd, query.data(), query.size(), 0, reinterpret_cast<const sockaddr*>(&to),
             sizeof(to));
  }
  std::vector<bool> seen(kBurst + 1, false);
  std::size_t answered = 0;
  testing::Bytes reply(65535);
  for (pollfd p{s.fd, POLLIN, 0}; answered < kBurst && ::poll(&p, 1, 2000) == 1;) {
    const ssize_t n = ::recv(s.fd, reply.data(), reply.size(), 0);
    ASSERT_GT(n, 12);
    const auto m = dns::parse_message(std::span(reply.data(), static_cast<std::size_t>(n)));
    ASSERT_TRUE(m.has_value());
    ASSERT_GE(m->header.id, 1U);
    ASSERT_LE(m->header.id, kBurst);
    EXPECT_FALSE(seen[m->header.id]) << "two answers for id " << m->header.id;
    seen[m->header.id] = true;
    EXPECT_EQ(testing::answer_serial(*m), 7U);
    ++answered;
  }
  // The socket buffer holds the whole burst on loopback; none is lost.
  EXPECT_EQ(answered, kBurst);
  const auto started = std::chrono::steady_clock::now();
  (*server)->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST(ServerInProcess, DropsQueriesUntilTheFirstPublish) {
  resolver::SnapshotSlot slot;
  auto server = resolver::Server::start(slot, {.listen = "127.0.0.1:0"});
  ASSERT_TRUE(server.has_value());
  const std::uint16_t port = (*server)->port();
  EXPECT_FALSE(
      testing::udp_query(port, testing::make_query("example.", 6), std::chrono::milliseconds(100))
          .has_value());
  slot.publish(zone(7));
  EXPECT_TRUE(
      testing::wait_until([&] { return served_serial(port) == 7U; }, std::chrono::seconds(5)));
  EXPECT_GE((*server)->counters().dropped, 1U);
}

TEST(ServerInProcess, RejectsBadListenAddresses) {
  resolver::SnapshotSlot slot;
  for (const char* bad : {"localhost:53", "127.0.0.1", "127.0.0.1:99999", "[::1:53", "1.2.3:4"}) {
    auto server = resolver::Server::start(slot, {.listen = bad});
    ASSERT_FALSE(server.has_value()) << bad;
    EXPECT_EQ(server.error().code, Errc::kParse) << bad;
  }
}

}  // namespace
}  // namespace rootsim
