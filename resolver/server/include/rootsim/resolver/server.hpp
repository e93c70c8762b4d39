// The DNS server: UDP (one SO_REUSEPORT socket per worker, recvmmsg/sendmmsg batches) and TCP
// (RFC 7766: length framing, pipelining, idle timeout, a connection limit, AXFR from the
// snapshot's transfer chunks), answering from whatever snapshot a SnapshotSlot holds.
// Thread-safety: start() spawns the workers; counters() and stop() may be called from any one
// control thread. Ownership: the Server borrows the SnapshotSlot, which must outlive it; the
// publisher (the caller) keeps publishing into the slot and calls reclaim() now and then.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/resolver/snapshot_slot.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace rootsim::resolver {

struct ServerOptions {
  /// "127.0.0.1:5300", "[::1]:5300"; port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:5300";
  unsigned threads = 1;  ///< workers, each with its own UDP and TCP socket (0 is taken as 1)
  std::size_t max_tcp_connections = 256;  ///< over all workers; more are accepted and closed
  std::chrono::milliseconds tcp_idle_timeout{10000};  ///< RFC 7766 §6.2.3
  bool allow_transfer = true;  ///< answer AXFR/IXFR over TCP with the whole zone
  /// UDP receive coalescing: under load (a receive batch of at least kCoalesceMinBatch queries
  /// but not a full one), a worker waits this long before its next receive, so that more
  /// queries share each system call and each wakeup of the client. Trades up to this much
  /// added latency for CPU per query; 0 (the default) never waits, and more than 999,999 µs
  /// is taken as that. TCP events wait too, for at most 16 such pauses.
  std::chrono::microseconds udp_coalesce{0};
};

/// The smallest receive batch that counts as "under load" for ServerOptions::udp_coalesce:
/// below it a worker goes back to epoll at once, so light traffic gets no added latency.
inline constexpr std::size_t kCoalesceMinBatch = 4;

/// What the workers did, summed over them when read. Answers are counted by response code.
struct ServerCounters {
  std::uint64_t queries = 0;  ///< datagrams and TCP messages received
  std::uint64_t udp_queries = 0;
  std::uint64_t tcp_queries = 0;
  std::array<std::uint64_t, 6> rcode{};  ///< NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED
  std::uint64_t badvers = 0;             ///< extended rcode 16 (RFC 6891)
  std::uint64_t truncated = 0;           ///< UDP answers with TC set
  std::uint64_t dropped = 0;             ///< queries that got no answer (answer() wrote nothing)
  std::uint64_t bytes_in = 0;            ///< DNS message bytes (without TCP length prefixes)
  std::uint64_t bytes_out = 0;
  std::uint64_t tcp_connections = 0;    ///< accepted
  std::uint64_t tcp_refused = 0;        ///< closed at once: over the connection limit
  std::uint64_t tcp_idle_closed = 0;    ///< closed by the idle timeout
  std::uint64_t transfers = 0;          ///< AXFR/IXFR answered over TCP
  std::uint64_t snapshot_switches = 0;  ///< times a worker picked up a new generation
};

/// One line "queries=... noerror=... ..." (stable keys, for logs and tests).
[[nodiscard]] std::string to_text(const ServerCounters& counters);

class Server {
 public:
  /// Binds the sockets (all workers on one port) and starts the workers. Errors: kParse for a
  /// bad listen address, kIo when a socket cannot be made or bound. The slot may still be
  /// empty: until the first publish, queries are dropped.
  [[nodiscard]] static Result<std::unique_ptr<Server>> start(SnapshotSlot& slot,
                                                             const ServerOptions& options);
  ~Server();  ///< stops the workers (see stop())
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The bound port (useful after listening on port 0).
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "127.0.0.1:5300" as bound.
  [[nodiscard]] std::string bound_address() const;
  /// The workers' counters summed (each worker writes only its own; relaxed reads).
  [[nodiscard]] ServerCounters counters() const;
  /// Wakes and joins the workers, closing every socket; idempotent.
  void stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rootsim::resolver
