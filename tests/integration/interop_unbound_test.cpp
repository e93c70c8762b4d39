// unbound with rootsim as its only root (RFC 8806 local root: `auth-zone` for "." whose primary
// is rootsim, pulled by AXFR): it resolves the NS of a ccTLD and validates DNSSEC up to the
// served zone's own trust anchor, both for the real root zone and for a zone the project signs
// with its own keys; with the wrong anchor validation fails (the AD bit is not a formality).
// unbound's clock is set into the signatures' validity window with val-override-date.
#include "rootsim/dns/message.hpp"

#include "interop_support.hpp"
#include "peer_support.hpp"
#include "test_paths.hpp"
#include <gtest/gtest.h>

namespace rootsim {
namespace {

using testing::make_query;

const std::string kNow = "1785542400";                 // 2026-08-01T00:00:00Z
const std::string kValidationDate = "20260801000000";  // inside both zones' validity windows

/// The KSK DNSKEY lines (flags 257) of a zone file, as an unbound trust-anchor file.
std::string ksk_lines(const std::filesystem::path& zone_file) {
  auto zone = dns::parse_zone_file(zone_file, dns::Name());
  std::string out;
  if (!zone) {
    return out;
  }
  for (const auto& r : zone->records) {
    if (r.type == dns::RRType::kDnskey && r.rdata.size() > 2 && r.rdata[0] == 1 &&
        r.rdata[1] == 1) {
      out += dns::to_text(r) + "\n";
    }
  }
  return out;
}

enum class Mode {
  kLocalRoot,   ///< for-downstream: answers from the transferred root directly (RFC 8806 §3)
  kValidating,  ///< for-upstream only: a validating resolver that uses the copy as its root
};

/// unbound in `dir` (config, pid, the transferred zone), with `.` from rootsim at `primary`.
class Unbound {
 public:
  Unbound(const testing::TempDir& dir, std::uint16_t primary, const std::string& anchors, Mode mode)
      : port_(testing::free_port()), zone_file_(dir / "unbound-root.zone") {
    const auto d = dir.path().string();
    testing::write_text(dir / "anchors.key", anchors);
    testing::write_text(
        dir / "unbound.conf",
        "server:\n"
        "  interface: 127.0.0.1\n  port: " +
            std::to_string(port_) +
            "\n"
            "  do-daemonize: no\n  chroot: \"\"\n  username: \"\"\n  directory: \"" +
            d +
            "\"\n"
            "  pidfile: \"" +
            d +
            "/unbound.pid\"\n  use-syslog: no\n  logfile: \"\"\n"
            "  num-threads: 1\n  do-ip6: no\n  do-not-query-localhost: no\n"
            "  access-control: 127.0.0.0/8 allow\n  qname-minimisation: no\n"
            "  trust-anchor-file: \"" +
            d +
            "/anchors.key\"\n"
            "  val-override-date: \"" +
            kValidationDate +
            "\"\n"
            "remote-control:\n  control-enable: no\n"
            "auth-zone:\n  name: \".\"\n  primary: 127.0.0.1@" +
            std::to_string(primary) +
            "\n"
            "  fallback-enabled: no\n  for-upstream: yes\n"
            "  for-downstream: " +
            (mode == Mode::kLocalRoot ? "yes" : "no") +
            "\n"
            "  zonefile: \"" +
            zone_file_.string() + "\"\n");
    daemon_ = std::make_unique<testing::Daemon>(
        std::vector<std::string>{"unbound", "-d", "-c", (dir / "unbound.conf").string()},
        dir / "unbound.log");
  }
  /// Waits (bounded) until unbound answers from the transferred zone.
  bool ready() {
    return testing::wait_until(
        [&] {
          const auto r = ask(".", 6);
          return r && !r->answer.empty();
        },
        std::chrono::seconds(40));
  }
  std::optional<dns::Message> ask(const std::string& name, std::uint16_t type) {
    const auto wire =
        testing::udp_query(port_, make_query(name, type, {.dnssec_ok = true, .rd = true}),
                           std::chrono::milliseconds(1500));
    if (!wire) {
      return std::nullopt;
    }
    auto m = dns::parse_message(*wire);
    return m ? std::optional<dns::Message>(std::move(*m)) : std::nullopt;
  }
  [[nodiscard]] const std::filesystem::path& zone_file() const { return zone_file_; }
  [[nodiscard]] std::string log() const { return daemon_->log(); }

 private:
  std::uint16_t port_;
  std::filesystem::path zone_file_;
  std::unique_ptr<testing::Daemon> daemon_;
};

std::size_t count(const std::vector<dns::Record>& rs, dns::RRType type) {
  return static_cast<std::size_t>(
      std::count_if(rs.begin(), rs.end(), [&](const auto& r) { return r.type == type; }));
}

TEST(UnboundLocalRoot, PullsTheRootZoneResolvesACcTldAndValidates) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  ROOTSIM_REQUIRE_TOOL("unbound");
  testing::TempDir dir("unbound_root");
  testing::RootsimServer rootsim(testing::rootsim_binary(), {},
                                 {"--zone", testing::real_root_zone().string()}, dir);
  ASSERT_NE(rootsim.port(), 0) << rootsim.log();
  const std::string anchor = ksk_lines(testing::real_root_zone());
  // As a local root (the ccTLD's own servers are out of reach here, so the NS of cz comes from
  // the root copy, as RFC 8806 intends).
  Unbound local(dir, rootsim.port(), anchor, Mode::kLocalRoot);
  ASSERT_TRUE(local.ready()) << local.log();
  const auto ns = local.ask("cz.", 2);
  ASSERT_TRUE(ns.has_value());
  EXPECT_EQ(ns->header.rcode, 0);
  const auto& delegation = ns->answer.empty() ? ns->authority : ns->answer;
  EXPECT_EQ(count(delegation, dns::RRType::kNs), 4U) << local.log();

  // What unbound wrote down from the AXFR is the zone rootsim serves.
  auto pulled = dns::parse_zone_file(local.zone_file(), dns::Name());
  auto served = dns::parse_zone_file(testing::real_root_zone(), dns::Name());
  ASSERT_TRUE(pulled.has_value()) << pulled.error().message;
  ASSERT_TRUE(served.has_value());
  EXPECT_TRUE(testing::as_text(pulled->records) == testing::as_text(served->records));

  // As a validating resolver whose root is the copy: the answers validate.
  testing::TempDir vdir("unbound_root_validating");
  Unbound unbound(vdir, rootsim.port(), anchor, Mode::kValidating);
  ASSERT_TRUE(unbound.ready()) << unbound.log();
  const auto ds = unbound.ask("cz.", 43);
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->header.rcode, 0);
  EXPECT_TRUE(ds->header.ad) << "the DS of cz validates up to the root zone's KSK";
  EXPECT_EQ(count(ds->answer, dns::RRType::kDs), 1U);
  const auto none = unbound.ask("nosuchtld.", 1);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->header.rcode, 3);
  EXPECT_TRUE(none->header.ad) << "the NSEC proof validates";
}

TEST(UnboundLocalRoot, ValidatesAZoneSignedWithTheProjectsOwnKeys) {
  ROOTSIM_REQUIRE_ROOT_ZONE();
  ROOTSIM_REQUIRE_TOOL("unbound");
  testing::TempDir dir("unbound_own");
  const auto db = (dir / "reg.db").string();
  const auto cli = testing::rootsim_binary() + " --db " + db + " --now " + kNow + " ";
  const auto init =
      testing::run_command(cli + "init --from-zone " + testing::real_root_zone().string());
  ASSERT_EQ(init.exit_code, 0) << init.out;
  const auto signed_zone = dir / "signed.zone";
  const auto sign = testing::run_command(cli + "zone sign --algorithm ecdsap256sha256 -o " +
                                         signed_zone.string());
  ASSERT_EQ(sign.exit_code, 0) << sign.out;
  testing::RootsimServer rootsim(testing::rootsim_binary(), {"--db", db, "--now", kNow}, {}, dir);
  ASSERT_NE(rootsim.port(), 0) << rootsim.log();

  const std::string own_anchor = ksk_lines(signed_zone);
  ASSERT_FALSE(own_anchor.empty());
  Unbound unbound(dir, rootsim.port(), own_anchor, Mode::kValidating);
  ASSERT_TRUE(unbound.ready()) << unbound.log();
  const auto ds = unbound.ask("cz.", 43);
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->header.rcode, 0);
  EXPECT_TRUE(ds->header.ad) << unbound.log();
  const auto none = unbound.ask("nosuchtld.", 1);
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->header.rcode, 3);
  EXPECT_TRUE(none->header.ad);

  // The same zone with the real root's KSK as the anchor does not validate.
  testing::TempDir other("unbound_wrong_anchor");
  Unbound wrong(other, rootsim.port(), ksk_lines(testing::real_root_zone()), Mode::kValidating);
  ASSERT_TRUE(testing::wait_until([&] { return std::filesystem::exists(wrong.zone_file()); },
                                  std::chrono::seconds(40)))
      << wrong.log();
  const auto bogus = wrong.ask("cz.", 43);
  ASSERT_TRUE(bogus.has_value());
  EXPECT_EQ(bogus->header.rcode, 2) << "SERVFAIL: bogus";
  EXPECT_FALSE(bogus->header.ad);
}

}  // namespace
}  // namespace rootsim
