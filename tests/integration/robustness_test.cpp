// A million random and mutated packets at a running `rootsim serve` (batched with sendmmsg,
// bounded in count and time), plus garbage over TCP; afterwards the server must still be
// running, answer correctly over UDP and TCP, and exit cleanly with counters that show it
// really processed the flood. The seed is printed and settable with ROOTSIM_TEST_SEED.
#include "rootsim/dns/message.hpp"
#include "rootsim/dns/random.hpp"

#include "run_command.hpp"
#include "server_support.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace rootsim {
namespace {

using testing::Bytes;
using testing::make_query;

constexpr std::size_t kPackets = 1000000;
constexpr std::size_t kBatch = 256;

std::uint64_t test_seed() {
  const char* env = std::getenv("ROOTSIM_TEST_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20260801;
}

// Valid queries to mutate: names that exist, junk, the apex, CH, odd types and classes.
std::vector<Bytes> seeds() {
  std::vector<Bytes> out;
  const char* names[] = {"cz.",       "nosuchtld.",    ".", "www.example.de.",
                         "xn--p1ai.", "hostname.bind."};
  const std::uint16_t types[] = {1, 2, 6, 28, 43, 48, 252, 255, 47, 63};
  std::uint16_t id = 0;
  for (const char* n : names) {
    for (const std::uint16_t t : types) {
      out.push_back(make_query(n, t, {.id = ++id, .dnssec_ok = (id % 2) == 0}));
      out.push_back(make_query(n, t, {.id = ++id, .edns_size = {}, .qclass = 3}));
    }
  }
  return out;
}

Bytes mutate(std::mt19937_64& rng, const std::vector<Bytes>& seed_packets) {
  const auto kind = uniform_int(rng, 0, 9);
  if (kind == 0) {  // pure noise
    Bytes p(uniform_int(rng, 0, 600));
    for (auto& b : p) {
      b = static_cast<std::uint8_t>(rng());
    }
    return p;
  }
  Bytes p = seed_packets[uniform_int(rng, 0, seed_packets.size() - 1)];
  const auto edits = uniform_int(rng, 1, 4);
  for (std::uint64_t e = 0; e < edits; ++e) {
    switch (uniform_int(rng, 0, 5)) {
      case 0:  // flip a byte
        p[uniform_int(rng, 0, p.size() - 1)] = static_cast<std::uint8_t>(rng());
        break;
      case 1:  // truncate
        p.resize(uniform_int(rng, 0, p.size()));
        break;
      case 2:  // append noise
        for (auto n = uniform_int(rng, 1, 64); n > 0; --n) {
          p.push_back(static_cast<std::uint8_t>(rng()));
        }
        break;
      case 3:  // header bits: QR, opcode, TC, counts
        if (p.size() >= 12) {
          p[2] = static_cast<std::uint8_t>(rng());
          p[3] = static_cast<std::uint8_t>(rng());
          p[4 + 2 * uniform_int(rng, 0, 3) + 1] = static_cast<std::uint8_t>(uniform_int(rng, 0, 5));
        }
        break;
      case 4:  // a compression pointer somewhere
        if (p.size() > 13) {
          const auto at = uniform_int(rng, 12, p.size() - 2);
          p[at] = static_cast<std::uint8_t>(0xC0 | uniform_int(rng, 0, 0x3F));
          p[at + 1] = static_cast<std::uint8_t>(rng());
        }
        break;
      default:  // a label length
        if (p.size() > 12) {
          p[uniform_int(rng, 12, p.size() - 1)] =
              static_cast<std::uint8_t>(uniform_int(rng, 0, 80));
        }
        break;
    }
    if (p.empty()) {
      break;
    }
  }
  return p;
}

void expect_correct_answers(std::uint16_t port) {
  const auto udp = testing::udp_query(port, make_query("cz.", 2, {.dnssec_ok = true}));
  ASSERT_TRUE(udp.has_value());
  const auto m = dns::parse_message(*udp);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->header.rcode, 0);
  EXPECT_FALSE(m->authority.empty());
  const auto tcp = testing::tcp_exchange(port, {make_query("nosuchtld.", 1, {.dnssec_ok = true})});
  ASSERT_EQ(tcp.size(), 1U);
  const auto n = dns::parse_message(tcp[0]);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->header.rcode, 3);
}

TEST(Robustness, SurvivesAMillionRandomAndMutatedPackets) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  const std::uint64_t seed = test_seed();
  SCOPED_TRACE("ROOTSIM_TEST_SEED=" + std::to_string(seed));
  testing::TempDir dir("robustness");
  testing::RootsimServer server(
      testing::rootsim_binary(), {},
      {"--zone", testing::real_root_zone().string(), "--threads", "2", "--tcp-idle-ms", "500"},
      dir);
  ASSERT_NE(server.port(), 0) << server.log();
  expect_correct_answers(server.port());

  auto rng = make_stream(seed, "robustness");
  const auto seed_packets = seeds();
  testing::Socket s(SOCK_DGRAM);
  const sockaddr_in to = testing::loopback(server.port());
  ASSERT_EQ(::connect(s.fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)), 0);
  std::vector<Bytes> batch(kBatch);
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> msgs(kBatch);
  Bytes sink(65535);
  std::size_t sent = 0;
  std::size_t replies = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (sent < kPackets && std::chrono::steady_clock::now() < deadline) {
    const std::size_t count = std::min(kBatch, kPackets - sent);
    for (std::size_t i = 0; i < count; ++i) {
      batch[i] = mutate(rng, seed_packets);
      iov[i] = {batch[i].data(), batch[i].size()};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::sendmmsg(s.fd, msgs.data(), static_cast<unsigned>(count), 0);
    sent += n > 0 ? static_cast<std::size_t>(n) : 0;
    // Drain replies (bounded wait) so that the flood goes at the pace the server answers.
    pollfd p{s.fd, POLLIN, 0};
    while (::poll(&p, 1, 2) == 1) {
      if (::recv(s.fd, sink.data(), sink.size(), MSG_DONTWAIT) < 0) {
        break;
      }
      ++replies;
    }
  }
  EXPECT_EQ(sent, kPackets) << "the time bound cut the flood short";

  // Garbage over TCP: random bytes, absurd length prefixes, half-open connections.
  for (int c = 0; c < 200; ++c) {
    testing::Socket t(SOCK_STREAM);
    if (!testing::tcp_connect(t, server.port())) {
      continue;
    }
    Bytes junk(uniform_int(rng, 1, 3000));
    for (auto& b : junk) {
      b = static_cast<std::uint8_t>(rng());
    }
    if (c % 3 == 0) {
      const Bytes q = mutate(rng, seed_packets);
      junk = {static_cast<std::uint8_t>(q.size() >> 8), static_cast<std::uint8_t>(q.size())};
      junk.insert(junk.end(), q.begin(), q.end());
    }
    ::send(t.fd, junk.data(), junk.size(), MSG_NOSIGNAL);
  }

  ASSERT_TRUE(server.daemon().running()) << server.log();
  expect_correct_answers(server.port());
  const int status = server.daemon().stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << server.log();
  const std::string log = server.log();
  const auto at = log.find("stats queries=");
  ASSERT_NE(at, std::string::npos) << log;
  const std::uint64_t queries = std::stoull(log.substr(at + 14));
  std::cout << "robustness: sent " << sent << " packets, " << replies << " replies; the server "
            << "counted " << queries << " queries\n";
  EXPECT_GT(queries, kPackets / 2) << log;  // most of the flood was really answered or dropped
}

}  // namespace
}  // namespace rootsim
