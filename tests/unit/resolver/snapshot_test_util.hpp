// Test-only helpers: build a snapshot from inline zone text and answer one query.
#pragma once

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/answer.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include "dns_message_reader.hpp"
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace rootsim::testing {

/// A small root zone: signed-looking it is not (no DNSKEY), so DO adds nothing.
inline constexpr const char* kSmallRoot = R"(
.			86400	IN	SOA	a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
.			518400	IN	NS	a.root-servers.net.
.			518400	IN	NS	b.root-servers.net.
cz.			172800	IN	NS	a.ns.nic.cz.
cz.			172800	IN	NS	b.ns.nic.cz.
cz.			172800	IN	NS	ns.provider.net.
a.ns.nic.cz.		172800	IN	A	194.0.12.1
a.ns.nic.cz.		172800	IN	AAAA	2001:678:f::1
b.ns.nic.cz.		172800	IN	A	194.0.13.1
net.			172800	IN	NS	a.gtld-servers.net.
a.gtld-servers.net.	172800	IN	A	192.5.6.30
ns.provider.net.	172800	IN	A	192.0.2.53
a.root-servers.net.	518400	IN	A	198.41.0.4
a.root-servers.net.	518400	IN	AAAA	2001:503:ba3e::2:30
b.root-servers.net.	518400	IN	A	170.247.170.2
)";

inline std::shared_ptr<const resolver::ZoneSnapshot> make_snapshot(
    const std::string& text, const std::string& origin = ".",
    const resolver::SnapshotOptions& options = {}) {
  auto name = dns::Name::from_text(origin);
  auto zone = dns::parse_zone_text(text, *name, "<inline>");
  EXPECT_TRUE(zone.has_value()) << (zone ? "" : zone.error().message);
  auto snap = resolver::build_snapshot(*zone, options);
  EXPECT_TRUE(snap.has_value()) << (snap ? "" : snap.error().message);
  return snap ? *snap : nullptr;
}

struct Exchange {
  resolver::AnswerResult result;
  std::vector<std::uint8_t> wire;
  std::optional<ParsedResponse> response;
};

inline Exchange ask(const resolver::ZoneSnapshot& snap, const std::vector<std::uint8_t>& query,
                    resolver::Transport transport = resolver::Transport::kUdp,
                    std::size_t out_size = resolver::kMaxResponseSize) {
  Exchange ex;
  ex.wire.assign(out_size, 0);
  ex.result = resolver::answer(snap, query, ex.wire, {.transport = transport});
  ex.wire.resize(ex.result.size);
  if (ex.result.size > 0) {
    ex.response = parse_response(ex.wire.data(), ex.wire.size());
  }
  return ex;
}

inline Exchange ask(const resolver::ZoneSnapshot& snap, const std::string& qname, dns::RRType qtype,
                    const QueryOptions& opt = {}) {
  return ask(snap, make_query(qname, qtype, opt));
}

}  // namespace rootsim::testing
