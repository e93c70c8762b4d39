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
