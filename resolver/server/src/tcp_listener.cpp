// TCP per RFC 7766: two-octet length framing, pipelined queries answered in order, an idle
// timeout, a limit on connections, and AXFR (RFC 5936) streamed from one snapshot's transfer
// chunks. Output is bounded: while a connection has much unsent output it is not read from.
#include "rootsim/resolver/answer.hpp"

#include "worker.hpp"

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

namespace rootsim::resolver::server_detail {
namespace {
constexpr std::size_t kReadChunk = 16384;
constexpr std::size_t kOutputHighWater = 256 * 1024;  // stop reading/answering above this
constexpr std::size_t kTransferLowWater = 64 * 1024;  // add transfer messages below this
constexpr std::uint16_t kTypeIxfr = 251;
constexpr std::uint16_t kTypeAxfr = 252;

// Octets of the header and question of a query whose qname is uncompressed; 0 if malformed.
std::size_t question_end(std::span<const std::uint8_t> query) noexcept {
  std::size_t pos = 12;
  while (pos < query.size()) {
    const std::uint8_t length = query[pos];
    if (length == 0) {
      return pos + 5 <= query.size() ? pos + 5 : 0;
    }
    if ((length & 0xC0) != 0) {
      return 0;
    }
    pos += 1U + length;
  }
  return 0;
}

void append_frame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> message) {
  out.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(message.size() & 0xFF));
  out.insert(out.end(), message.begin(), message.end());
}
}  // namespace

void Worker::accept_connections() {
  for (;;) {
    Fd fd(::accept4(tcp_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) {
      return;  // EAGAIN: none left; other errors (EMFILE...) also end this round
    }
    const std::size_t open = shared_.open_connections.fetch_add(1, std::memory_order_relaxed);
    if (open >= shared_.options.max_tcp_connections) {
      shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
      bump(counters_.tcp_refused);
      continue;  // RFC 7766 §6.1: a server may close connections to protect itself
    }
    const int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    bump(counters_.tcp_connections);
    const int raw = fd.get();
    Connection& conn = connections_[raw];
    conn.fd = std::move(fd);
    conn.last_active = std::chrono::steady_clock::now();
    conn.in.reserve(kReadChunk);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = static_cast<std::uint64_t>(raw);
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, raw, &event) != 0) {
      close_connection(raw);
    }
  }
}

void Worker::close_connection(int fd) {
  const auto it = connections_.find(fd);
  if (it == connections_.end()) {
    return;
  }
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  connections_.erase(it);  // closes the socket
  shared_.open_connections.fetch_sub(1, std::memory_order_relaxed);
}

void Worker::handle_connection(int fd, std::uint32_t events) {
  const auto it = connections_.find(fd);
  if (it == connections_.end()) {
    return;
  }
  Connection& conn = it->second;
  if ((events & (EPOLLERR)) != 0) {
    close_connection(fd);
    return;
  }
  if (!conn.want_write && (events & (EPOLLIN | EPOLLHUP)) != 0) {
    for (;;) {
      const std::size_t used = conn.in.size();
      conn.in.resize(used + kReadChunk);
      const ssize_t n = ::recv(fd, conn.in.data() + used, kReadChunk, MSG_DONTWAIT);
      conn.in.resize(used + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
      if (n > 0) {
        conn.last_active = std::chrono::steady_clock::now();
        if (static_cast<std::size_t>(n) < kReadChunk || conn.in.size() > 4 * kReadChunk) {
          break;
        }
        continue;
      }
      if (n == 0) {
        conn.peer_closed = true;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        close_connection(fd);
        return;
      }
      break;
    }
  }
  process_frames(conn);
  if (!flush(conn)) {
    close_connection(fd);
    return;
  }
  const bool idle = conn.out.empty() && conn.transfer_snapshot == nullptr;
  if (conn.peer_closed && idle) {
    close_connection(fd);
    return;
  }
  update_interest(conn);
}

void Worker::process_frames(Connection& conn) {
  std::size_t pos = 0;
  while (conn.transfer_snapshot == nullptr && conn.out.size() - conn.out_sent < kOutputHighWater &&
         conn.in.size() - pos >= 2) {
    const std::size_t length = (std::size_t{conn.in[pos]} << 8) | conn.in[pos + 1];
    if (conn.in.size() - pos - 2 < length) {
      break;  // wait for the rest of the message
    }
    const std::span<const std::uint8_t> query(conn.in.data() + pos + 2, length);
    pos += 2 + length;
    bump(counters_.tcp_queries);
    bump(counters_.bytes_in, length);
    if (snapshot_ == nullptr) {
      bump(counters_.dropped);
      continue;
    }
    const AnswerResult result =
        answer(*snapshot_, query, std::span<std::uint8_t>(tcp_answer_.get(), kMaxResponseSize),
               AnswerContext{.transport = Transport::kTcp});
    if (result.kind == AnswerKind::kTransfer && start_transfer(conn, query)) {
      continue;
    }
    if (result.size == 0) {
      bump(counters_.dropped);
      continue;
    }
    count_answer(static_cast<std::uint8_t>(tcp_answer_[3] & 0x0F),
                 result.kind == AnswerKind::kBadVers);
    bump(counters_.bytes_out, result.size);
    append_frame(conn.out, std::span<const std::uint8_t>(tcp_answer_.get(), result.size));
  }
  conn.in.erase(conn.in.begin(), conn.in.begin() + static_cast<std::ptrdiff_t>(pos));
  if (conn.transfer_snapshot != nullptr) {
    fill_transfer(conn);
  }
}

bool Worker::start_transfer(Connection& conn, std::span<const std::uint8_t> query) {
  if (!shared_.options.allow_transfer || snapshot_->transfer().empty()) {
    return false;  // answer() wrote REFUSED: send that
  }
  const std::size_t qend = question_end(query);
  if (qend == 0) {
    return false;
  }
  const std::uint16_t qtype =
      static_cast<std::uint16_t>((std::uint16_t{query[qend - 4]} << 8) | query[qend - 3]);
  if (qtype != kTypeAxfr && qtype != kTypeIxfr) {
    return false;
  }
  // RFC 1995 §4: an IXFR may be answered with the whole zone in AXFR form.
  conn.transfer_snapshot = snapshot_;
  conn.transfer_next = 0;
  conn.transfer_query.assign(query.begin(), query.begin() + static_cast<std::ptrdiff_t>(qend));
  bump(counters_.transfers);
  count_answer(0, false);
  return true;
}

void Worker::fill_transfer(Connection& conn) {
  const auto chunks = conn.transfer_snapshot->transfer();
  while (conn.transfer_next < chunks.size() &&
         conn.out.size() - conn.out_sent < kTransferLowWater) {
    const TransferChunk& chunk = chunks[conn.transfer_next];
    // RFC 5936 §2.2: the first message carries the question; every one the query's ID, AA.
    const bool first = conn.transfer_next == 0;
    const std::size_t question = first ? conn.transfer_query.size() - 12 : 0;
    const std::size_t size = 12 + question + chunk.wire.size();
    conn.out.push_back(static_cast<std::uint8_t>(size >> 8));
    conn.out.push_back(static_cast<std::uint8_t>(size & 0xFF));
    const std::uint8_t* q = conn.transfer_query.data();
    const std::uint8_t header[12] = {q[0],
                                     q[1],
                                     static_cast<std::uint8_t>(0x84 | (q[2] & 0x01)),  // QR AA RD
                                     0,
                                     0,
                                     static_cast<std::uint8_t>(first ? 1 : 0),
                                     static_cast<std::uint8_t>(chunk.record_count >> 8),
                                     static_cast<std::uint8_t>(chunk.record_count & 0xFF),
                                     0,
                                     0,
                                     0,
                                     0};
    conn.out.insert(conn.out.end(), header, header + 12);
    if (first) {
      conn.out.insert(conn.out.end(), conn.transfer_query.begin() + 12, conn.transfer_query.end());
    }
    conn.out.insert(conn.out.end(), chunk.wire.begin(), chunk.wire.end());
    bump(counters_.bytes_out, size);
    ++conn.transfer_next;
  }
  if (conn.transfer_next >= chunks.size()) {
    conn.transfer_snapshot.reset();  // the slot, not this worker, frees a retired snapshot
    conn.transfer_query.clear();
  }
}

bool Worker::flush(Connection& conn) {
  for (;;) {
    while (conn.out_sent < conn.out.size()) {
      const ssize_t n = ::send(conn.fd.get(), conn.out.data() + conn.out_sent,
                               conn.out.size() - conn.out_sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        return errno == EAGAIN || errno == EWOULDBLOCK;
      }
      conn.out_sent += static_cast<std::size_t>(n);
      conn.last_active = std::chrono::steady_clock::now();
    }
    conn.out.clear();
    conn.out_sent = 0;
    if (conn.transfer_snapshot != nullptr) {
      fill_transfer(conn);
      continue;
    }
    // Frames held back by the output limit: answer them now that the output drained.
    const std::size_t before = conn.in.size();
    process_frames(conn);
    if (conn.out.empty() && conn.in.size() == before) {
      return true;
    }
  }
}

void Worker::update_interest(Connection& conn) {
  const bool pending = conn.out_sent < conn.out.size();
  if (pending == conn.want_write) {
    return;
  }
  conn.want_write = pending;
  epoll_event event{};
  event.events = pending ? EPOLLOUT : EPOLLIN;
  event.data.u64 = static_cast<std::uint64_t>(conn.fd.get());
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, conn.fd.get(), &event);
}

void Worker::sweep_idle() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sweep_ < std::chrono::milliseconds(50)) {
    return;
  }
  last_sweep_ = now;
  std::vector<int> expired;
  for (const auto& [fd, conn] : connections_) {
    if (now - conn.last_active >= shared_.options.tcp_idle_timeout) {
      expired.push_back(fd);
    }
  }
  for (const int fd : expired) {
    bump(counters_.tcp_idle_closed);
    close_connection(fd);
  }
}

}  // namespace rootsim::resolver::server_detail
