// Reference servers for the interop and differential tests, each in its own temporary
// directory on 127.0.0.1 and stopped by pid (Daemon): NSD (primary of a file, or secondary of
// rootsim by AXFR) and a free-port picker. Also the answer comparison both tests use.
#pragma once

#include "rootsim/dns/message.hpp"

#include "server_support.hpp"
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace rootsim::testing {

/// A port free for UDP and TCP on 127.0.0.1 right now (bound to 0 and released).
inline std::uint16_t free_port() {
  for (int attempt = 0; attempt < 20; ++attempt) {
    Socket udp(SOCK_DGRAM);
    sockaddr_in at = loopback(0);
    socklen_t length = sizeof(at);
    if (::bind(udp.fd, reinterpret_cast<sockaddr*>(&at), sizeof(at)) != 0 ||
        ::getsockname(udp.fd, reinterpret_cast<sockaddr*>(&at), &length) != 0) {
      continue;
    }
    Socket tcp(SOCK_STREAM);
    if (::bind(tcp.fd, reinterpret_cast<sockaddr*>(&at), sizeof(at)) == 0) {
      return ntohs(at.sin_port);
    }
  }
  return 0;
}

/// NSD with its own config, pid, xfrd and zone-list files in `dir`. `zone_lines` is the body of
/// the `zone:` clause for ".". Rate limiting off (Debian builds NSD with RRL on).
class Nsd {
 public:
  Nsd(const TempDir& dir, const std::string& zone_lines) : port_(free_port()) {
    const auto d = dir.path().string();
    write_text(dir / "nsd.conf",
               "server:\n"
               "  ip-address: 127.0.0.1@" +
                   std::to_string(port_) +
                   "\n"
                   "  port: " +
                   std::to_string(port_) +
                   "\n"
                   "  do-ip6: no\n  username: \"\"\n  chroot: \"\"\n  server-count: 1\n"
                   "  zonesdir: \"" +
                   d +
                   "\"\n  database: \"\"\n"
                   "  zonelistfile: \"" +
                   d + "/zone.list\"\n  xfrdfile: \"" + d +
                   "/xfrd.state\"\n"
                   "  xfrdir: \"" +
                   d + "\"\n  pidfile: \"" + d +
                   "/nsd.pid\"\n"
                   "  logfile: \"" +
                   d +
                   "/nsd.log\"\n  verbosity: 1\n"
                   "  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n"
                   "  hide-version: yes\n  identity: \"nsd\"\n"
                   "remote-control:\n  control-enable: no\n"
                   "zone:\n  name: \".\"\n" +
                   zone_lines);
    daemon_ = std::make_unique<Daemon>(
        std::vector<std::string>{"nsd", "-d", "-c", (dir / "nsd.conf").string()}, dir / "nsd.out");
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] Daemon& daemon() { return *daemon_; }

 private:
  std::uint16_t port_;
  std::unique_ptr<Daemon> daemon_;
};

inline std::multiset<std::string> section_text(const std::vector<dns::Record>& section) {
  std::multiset<std::string> text;
  for (const auto& r : section) {
    text.insert(dns::to_text(r));
  }
  return text;
}

// A section as a sorted list (order within a section carries no meaning here); cheaper than
// the text form, which the intended-difference rules use.
inline std::vector<const dns::Record*> sorted(const std::vector<dns::Record>& section) {
  std::vector<const dns::Record*> out;
  for (const auto& r : section) {
    out.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](const dns::Record* x, const dns::Record* y) {
    if (x->type != y->type) {
      return x->type < y->type;
    }
    if (const auto c = x->owner <=> y->owner; c != 0) {
      return c < 0;
    }
    return std::tie(x->rdata, x->ttl) < std::tie(y->rdata, y->ttl);
  });
  return out;
}

inline bool same_records(const std::vector<dns::Record>& a, const std::vector<dns::Record>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  const auto x = sorted(a);
  const auto y = sorted(b);
  for (std::size_t i = 0; i < x.size(); ++i) {
    // Owner names compare case-insensitively; the echoed qname keeps the client's case.
    if (!(*x[i] == *y[i])) {
      return false;
    }
  }
  return true;
}

inline std::string flags_text(const dns::Header& h) {
  std::string f;
  for (const auto& [on, name] : {std::pair{h.qr, "qr"},
                                 {h.aa, "aa"},
                                 {h.tc, "tc"},
                                 {h.rd, "rd"},
                                 {h.ra, "ra"},
                                 {h.ad, "ad"},
                                 {h.cd, "cd"}}) {
    if (on) {
      f += std::string(f.empty() ? "" : " ") + name;
    }
  }
  return f;
}

}  // namespace rootsim::testing
