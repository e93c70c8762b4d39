// Private to resolver/server: one worker thread with its own epoll set, UDP socket, TCP listener
// and TCP connections (share-nothing), its counters, and its cached snapshot.
#pragma once

#include "rootsim/resolver/server.hpp"
#include "rootsim/resolver/snapshot_slot.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include "socket_util.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <span>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unordered_map>
#include <vector>

namespace rootsim::resolver::server_detail {

/// Counters written by one worker only (plain load+store, no locked instructions), read by
/// the control thread with relaxed loads.
struct alignas(64) WorkerCounters {
  std::atomic<std::uint64_t> udp_queries{0};
  std::atomic<std::uint64_t> tcp_queries{0};
  std::array<std::atomic<std::uint64_t>, 6> rcode{};
  std::atomic<std::uint64_t> badvers{0};
  std::atomic<std::uint64_t> truncated{0};
  std::atomic<std::uint64_t> dropped{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> tcp_connections{0};
  std::atomic<std::uint64_t> tcp_refused{0};
  std::atomic<std::uint64_t> tcp_idle_closed{0};
  std::atomic<std::uint64_t> transfers{0};
  std::atomic<std::uint64_t> snapshot_switches{0};

  void add_to(ServerCounters& sum) const noexcept;
};

inline void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

/// What every worker shares: the slot, the options, the stop flag and the connection count.
struct Shared {
  SnapshotSlot* slot = nullptr;
  ServerOptions options;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open_connections{0};
  Fd wake;  ///< eventfd in every worker's epoll set; written once to stop them all
};

/// One TCP client (RFC 7766): framed input, pending output, an AXFR in progress.
struct Connection {
  Fd fd;
  std::vector<std::uint8_t> in;   ///< received bytes not yet consumed (frames)
  std::vector<std::uint8_t> out;  ///< framed responses not yet sent, from out_sent on
  std::size_t out_sent = 0;
  std::chrono::steady_clock::time_point last_active;
  bool peer_closed = false;
  bool want_write = false;  ///< registered for EPOLLOUT (and not EPOLLIN)
  // A transfer in progress: every message comes from this one snapshot.
  std::shared_ptr<const ZoneSnapshot> transfer_snapshot;
  std::size_t transfer_next = 0;
  std::vector<std::uint8_t> transfer_query;  ///< header + question of the AXFR/IXFR query
};

inline constexpr std::size_t kBatch = 64;
inline constexpr std::size_t kQueryBuffer = 4096;   // larger datagrams (MSG_TRUNC) are dropped
inline constexpr std::size_t kAnswerBuffer = 4096;  // caps UDP answers (our EDNS size is 1232)

/// One batch of datagrams in and out (recvmmsg/sendmmsg), owned by one worker.
struct UdpBuffers {
  std::array<std::array<std::uint8_t, kQueryBuffer>, kBatch> query;
  std::array<std::array<std::uint8_t, kAnswerBuffer>, kBatch> response;
  std::array<sockaddr_storage, kBatch> peer;
  std::array<iovec, kBatch> query_iov;
  std::array<iovec, kBatch> response_iov;
  std::array<mmsghdr, kBatch> in;
  std::array<mmsghdr, kBatch> out;
};

class Worker {
 public:
  Worker(Shared& shared, Fd udp, Fd tcp);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  /// The event loop; returns when shared.stopping is set and the wake fd fires.
  void run() noexcept;
  [[nodiscard]] const WorkerCounters& counters() const noexcept { return counters_; }

 private:
  void refresh_snapshot() noexcept;
  void count_answer(std::uint8_t rcode, bool badvers) noexcept;

  // udp_listener.cpp
  void init_udp_buffers();
  void handle_udp() noexcept;
  // tcp_listener.cpp
  void accept_connections();
  void handle_connection(int fd, std::uint32_t events);
  void process_frames(Connection& conn);
  bool start_transfer(Connection& conn, std::span<const std::uint8_t> query);
  void fill_transfer(Connection& conn);
  bool flush(Connection& conn);  // false: the connection failed
  void update_interest(Connection& conn);
  void close_connection(int fd);
  void sweep_idle();

  Shared& shared_;
  WorkerCounters counters_;
  Fd epoll_;
  Fd udp_;
  Fd tcp_;
  std::shared_ptr<const ZoneSnapshot> snapshot_;  // never the last owner (see SnapshotSlot)
  std::uint64_t seen_generation_ = 0;

  std::unique_ptr<UdpBuffers> udp_buffers_;
  timespec coalesce_{};  // ServerOptions::udp_coalesce; zero: never pause between batches
  std::unique_ptr<std::uint8_t[]> tcp_answer_;  // kMaxResponseSize bytes
  std::unordered_map<int, Connection> connections_;
  std::chrono::steady_clock::time_point last_sweep_;
};

}  // namespace rootsim::resolver::server_detail
