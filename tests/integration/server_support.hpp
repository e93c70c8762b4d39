// Helpers for tests that run DNS servers on 127.0.0.1: a temporary directory, a daemon guard
// that always stops its process by pid, `rootsim serve` on an ephemeral port, and small UDP/TCP
// clients (one query, a pipelined TCP exchange, many UDP queries in flight).
#pragma once

#include "rootsim/dns/message.hpp"
#include "rootsim/dns/name.hpp"
#include "rootsim/dns/record.hpp"
#include "temp_dir.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace rootsim::testing {

using dns::Bytes;

/// A child process (argv, output to `log`) stopped by pid when the guard dies: SIGTERM, then
/// SIGKILL after five seconds. Never by name. It also gets SIGTERM if the test process dies.
class Daemon {
 public:
  Daemon(const std::vector<std::string>& argv, const std::filesystem::path& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      // Should the test process die without running destructors (a crash, SIGPIPE), the
      // daemon goes with it instead of lingering.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      std::vector<char*> args;
      for (const std::string& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
      }
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Daemon() { stop(); }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool running() {
    if (pid_ <= 0) {
      return false;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_status_ = status;
      pid_ = -1;
      return false;
    }
    return true;
  }
  void signal(int sig) const {
    if (pid_ > 0) {
      ::kill(pid_, sig);
    }
  }
  /// Stops the process (if still running) and returns its wait status.
  int stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      exit_status_ = status;
      pid_ = -1;
    }
    return exit_status_;
  }
  [[nodiscard]] std::string log() const { return read_text(log_); }

 private:
  pid_t pid_ = -1;
  int exit_status_ = -1;
  std::filesystem::path log_;
};

/// Waits (bounded) until `ready()` holds; false on timeout.
template <class F>
bool wait_until(F ready, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// `rootsim [global...] serve [args...] --listen 127.0.0.1:0 --port-file DIR/port`.
class RootsimServer {
 public:
  RootsimServer(const std::string& binary, const std::vector<std::string>& global,
                const std::vector<std::string>& args, const TempDir& dir)
      : port_file_(dir / "rootsim.port") {
    std::filesystem::remove(port_file_);
    std::vector<std::string> argv = {binary};
    argv.insert(argv.end(), global.begin(), global.end());
    argv.push_back("serve");
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* a : {"--listen", "127.0.0.1:0", "--port-file"}) {
      argv.emplace_back(a);
    }
    argv.push_back(port_file_.string());
    daemon_ = std::make_unique<Daemon>(argv, dir / "rootsim.log");
    wait_until([&] { return std::filesystem::exists(port_file_) || !daemon_->running(); },
               std::chrono::seconds(60));
    const std::string text = read_text(port_file_);
    port_ = text.empty() ? 0 : static_cast<std::uint16_t>(std::stoul(text));
  }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] Daemon& daemon() { return *daemon_; }
  [[nodiscard]] std::string log() const { return daemon_->log(); }

 private:
  std::filesystem::path port_file_;
  std::unique_ptr<Daemon> daemon_;
  std::uint16_t port_ = 0;
};

struct QueryOptions {
  std::uint16_t id = 0x1234;
  std::optional<std::uint16_t> edns_size = 1232;  ///< nullopt: no OPT
  bool dnssec_ok = false;
  std::uint16_t qclass = 1;
  std::uint8_t opcode = 0;
  bool rd = false;
};

inline Bytes make_query(const std::string& qname, std::uint16_t qtype, const QueryOptions& o = {}) {
  Bytes q;
  dns::put_u16(q, o.id);
  dns::put_u16(q, static_cast<std::uint16_t>((o.opcode << 11) | (o.rd ? 0x0100 : 0)));
  dns::put_u16(q, 1);
  dns::put_u16(q, 0);
  dns::put_u16(q, 0);
  dns::put_u16(q, o.edns_size ? 1 : 0);
  const auto name = *dns::Name::from_text(qname);
  q.insert(q.end(), name.wire().begin(), name.wire().end());
  dns::put_u16(q, qtype);
  dns::put_u16(q, o.qclass);
  if (o.edns_size) {
    q.push_back(0);
    dns::put_u16(q, 41);
    dns::put_u16(q, *o.edns_size);
    dns::put_u32(q, o.dnssec_ok ? 0x8000U : 0U);
    dns::put_u16(q, 0);
  }
  return q;
}

/// The SOA serial in a reply's answer section (0 when none).
inline std::uint32_t answer_serial(const dns::Message& m) {
  for (const auto& r : m.answer) {
    if (r.type == dns::RRType::kSoa && r.rdata.size() >= 20) {
      const std::size_t at = r.rdata.size() - 20;
      return (std::uint32_t{r.rdata[at]} << 24) | (std::uint32_t{r.rdata[at + 1]} << 16) |
             (std::uint32_t{r.rdata[at + 2]} << 8) | r.rdata[at + 3];
    }
  }
  return 0;
}

inline sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return to;
}

/// An owned socket fd.
struct Socket {
  int fd = -1;
  explicit Socket(int type) : fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};

/// One UDP exchange; nullopt after `timeout` without a reply (tries three times).
inline std::optional<Bytes> udp_query(std::uint16_t port, const Bytes& query,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(2)) {
  Socket s(SOCK_DGRAM);
  const sockaddr_in to = loopback(port);
  for (int attempt = 0; attempt < 3; ++attempt) {
    ::sendto(s.fd, query.data(), query.size(), 0, reinterpret_cast<const sockaddr*>(&to),
             sizeof(to));
    pollfd p{s.fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
      Bytes reply(65535);
      const ssize_t n = ::recv(s.fd, reply.data(), reply.size(), 0);
      if (n > 0) {
        reply.resize(static_cast<std::size_t>(n));
        return reply;
      }
    }
  }
  return std::nullopt;
}

inline bool read_exact(int fd, std::uint8_t* out, std::size_t n, int timeout_ms) {
  std::size_t got = 0;
  while (got < n) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) {
      return false;
    }
    const ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r <= 0) {
      return false;
    }
    got += static_cast<std::size_t>(r);
  }
  return true;
}

/// Connects to 127.0.0.1:port over TCP; -1 on failure. The caller closes it (Socket).
inline bool tcp_connect(const Socket& s, std::uint16_t port) {
  const sockaddr_in to = loopback(port);
  return ::connect(s.fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) == 0;
}

inline bool tcp_send(const Socket& s, const std::vector<Bytes>& queries) {
  Bytes framed;
  for (const Bytes& q : queries) {
    dns::put_u16(framed, static_cast<std::uint16_t>(q.size()));
    framed.insert(framed.end(), q.begin(), q.end());
  }
  return ::send(s.fd, framed.data(), framed.size(), MSG_NOSIGNAL) ==
         static_cast<ssize_t>(framed.size());
}

/// Reads one framed message; nullopt on timeout or close.
inline std::optional<Bytes> tcp_read(const Socket& s, int timeout_ms = 5000) {
  std::uint8_t length[2];
  if (!read_exact(s.fd, length, 2, timeout_ms)) {
    return std::nullopt;
  }
  Bytes message(static_cast<std::size_t>((length[0] << 8) | length[1]));
  if (!read_exact(s.fd, message.data(), message.size(), timeout_ms)) {
    return std::nullopt;
  }
  return message;
}

/// Sends every query (pipelined on one connection) and reads as many replies.
inline std::vector<Bytes> tcp_exchange(std::uint16_t port, const std::vector<Bytes>& queries) {
  std::vector<Bytes> replies;
  Socket s(SOCK_STREAM);
  if (!tcp_connect(s, port) || !tcp_send(s, queries)) {
    return replies;
  }
  for (std::size_t i = 0; i < queries.size(); ++i) {
    auto r = tcp_read(s);
    if (!r) {
      break;
    }
    replies.push_back(std::move(*r));
  }
  return replies;
}

/// Sends `queries` over UDP with up to `window` in flight, matching replies by message ID
/// (queries[i] must carry ID i); queries without a reply are resent up to three rounds.
/// Returns one reply per query (empty when none came).
inline std::vector<Bytes> udp_bulk(std::uint16_t port, const std::vector<Bytes>& queries,
                                   std::size_t window = 64) {
  std::vector<Bytes> replies(queries.size());
  Socket s(SOCK_DGRAM);
  const int size = 8 << 20;
  ::setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  const sockaddr_in to = loopback(port);
  ::connect(s.fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  Bytes buffer(65535);
  for (int round = 0; round < 4; ++round) {
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (replies[i].empty()) {
        pending.push_back(i);
      }
    }
    if (pending.empty()) {
      break;
    }
    std::size_t next = 0;
    std::size_t in_flight = 0;
    while (next < pending.size() || in_flight > 0) {
      while (next < pending.size() && in_flight < window) {
        const Bytes& q = queries[pending[next++]];
        ::send(s.fd, q.data(), q.size(), 0);
        ++in_flight;
      }
      pollfd p{s.fd, POLLIN, 0};
      if (::poll(&p, 1, 200) != 1) {
        in_flight = 0;  // the rest of this window is lost: the next round resends it
        continue;
      }
      const ssize_t n = ::recv(s.fd, buffer.data(), buffer.size(), 0);
      if (n < 2) {
        continue;
      }
      const std::size_t id = (std::size_t{buffer[0]} << 8) | buffer[1];
      if (id < replies.size() && replies[id].empty()) {
        replies[id].assign(buffer.begin(), buffer.begin() + n);
      }
      if (in_flight > 0) {
        --in_flight;
      }
    }
  }
  return replies;
}

}  // namespace rootsim::testing
