// Server lifecycle (bind, start workers, stop, counters) and the worker's event loop.
#include "rootsim/resolver/server.hpp"

#include "rootsim/resolver/answer.hpp"

#include "worker.hpp"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>

namespace rootsim::resolver {

using server_detail::Fd;
using server_detail::Shared;
using server_detail::Worker;
using server_detail::WorkerCounters;

struct Server::Impl {
  Shared shared;
  server_detail::Endpoint bound;
  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  bool stopped = false;
};

namespace server_detail {

void WorkerCounters::add_to(ServerCounters& sum) const noexcept {
  const auto get = [](const std::atomic<std::uint64_t>& c) {
    return c.load(std::memory_order_relaxed);
  };
  sum.udp_queries += get(udp_queries);
  sum.tcp_queries += get(tcp_queries);
  sum.queries += get(udp_queries) + get(tcp_queries);
  for (std::size_t i = 0; i < rcode.size(); ++i) {
    sum.rcode[i] += get(rcode[i]);
  }
  sum.badvers += get(badvers);
  sum.truncated += get(truncated);
  sum.dropped += get(dropped);
  sum.bytes_in += get(bytes_in);
  sum.bytes_out += get(bytes_out);
  sum.tcp_connections += get(tcp_connections);
  sum.tcp_refused += get(tcp_refused);
  sum.tcp_idle_closed += get(tcp_idle_closed);
  sum.transfers += get(transfers);
  sum.snapshot_switches += get(snapshot_switches);
}

namespace {
constexpr int kMaxEvents = 64;
constexpr std::uint64_t kWakeTag = ~0ULL;
constexpr std::uint64_t kUdpTag = ~0ULL - 1;
constexpr std::uint64_t kTcpTag = ~0ULL - 2;

void add_to_epoll(int epoll, int fd, std::uint64_t tag) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = tag;
  ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}
}  // namespace

Worker::Worker(Shared& shared, Fd udp, Fd tcp)
    : shared_(shared),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      udp_(std::move(udp)),
      tcp_(std::move(tcp)),
      tcp_answer_(std::make_unique_for_overwrite<std::uint8_t[]>(kMaxResponseSize)),
      last_sweep_(std::chrono::steady_clock::now()) {
  add_to_epoll(epoll_.get(), shared_.wake.get(), kWakeTag);
  add_to_epoll(epoll_.get(), udp_.get(), kUdpTag);
  add_to_epoll(epoll_.get(), tcp_.get(), kTcpTag);
  init_udp_buffers();
}

Worker::~Worker() = default;

void Worker::refresh_snapshot() noexcept {
  // STYLE §6: one acquire load per batch; the slot's lock only when the generation moved.
  const std::uint64_t generation = shared_.slot->generation();
  if (generation != seen_generation_) {
    try {
      snapshot_ = shared_.slot->load();
    } catch (const std::exception&) {
      return;  // std::mutex::lock failing is not recoverable here; keep the old snapshot
    }
    seen_generation_ = generation;
    bump(counters_.snapshot_switches);
  }
}

void Worker::count_answer(std::uint8_t rcode, bool badvers) noexcept {
  if (badvers) {
    bump(counters_.badvers);
  } else if (rcode < counters_.rcode.size()) {
    bump(counters_.rcode[rcode]);
  }
}

void Worker::run() noexcept {
  epoll_event events[kMaxEvents];
  bool stopping = false;
  while (!stopping) {
    // Idle workers still wake every second, so that they take up a new snapshot and the
    // publisher can free the old one (SnapshotSlot::reclaim) even without traffic.
    const int timeout_ms = connections_.empty() ? 1000 : 100;
    const int n = ::epoll_wait(epoll_.get(), events, kMaxEvents, timeout_ms);
    if (n < 0 && errno != EINTR) {
      break;
    }
    refresh_snapshot();
    for (int i = 0; i < n; ++i) {
      const std::uint64_t tag = events[i].data.u64;
      if (tag == kWakeTag) {
        stopping = shared_.stopping.load(std::memory_order_acquire);
      } else if (tag == kUdpTag) {
        handle_udp();
      } else if (tag == kTcpTag) {
        try {
          accept_connections();
        } catch (const std::exception&) {
          // Out of memory for a new connection: it was closed; keep serving the others.
        }
      } else {
        try {
          handle_connection(static_cast<int>(tag), events[i].events);
        } catch (const std::exception&) {
          close_connection(static_cast<int>(tag));
        }
      }
    }
    if (!connections_.empty()) {
      sweep_idle();
    }
  }
  while (!connections_.empty()) {
    close_connection(connections_.begin()->first);
  }
  snapshot_.reset();
}

}  // namespace server_detail

Server::Server(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(SnapshotSlot& slot, const ServerOptions& options) {
  auto endpoint = server_detail::parse_endpoint(options.listen);
  if (!endpoint) {
    return fail(endpoint.error());
  }
  auto impl = std::make_unique<Impl>();
  impl->shared.slot = &slot;
  impl->shared.options = options;
  impl->shared.options.threads = std::max(1U, options.threads);
  impl->shared.wake = Fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!impl->shared.wake.valid()) {
    return fail(Errc::kIo, std::string("eventfd: ") + std::strerror(errno));
  }
  // Port 0: the first UDP socket picks a port; TCP and the other workers bind the same one.
  // Should that port be taken for TCP, try again with a fresh one (a few times).
  std::vector<std::pair<Fd, Fd>> sockets;
  for (int attempt = 0; attempt < 8 && sockets.empty(); ++attempt) {
    server_detail::Endpoint at = *endpoint;
    std::vector<std::pair<Fd, Fd>> made;
    Status status;
    for (unsigned i = 0; i < impl->shared.options.threads; ++i) {
      auto udp = server_detail::bind_socket(at, SOCK_DGRAM);
      if (!udp) {
        status = fail(udp.error());
        break;
      }
      if (i == 0) {
        auto local = server_detail::local_endpoint(udp->get());
        if (!local) {
          return fail(local.error());
        }
        at = *local;
      }
      auto tcp = server_detail::bind_socket(at, SOCK_STREAM);
      if (!tcp) {
        status = fail(tcp.error());
        break;
      }
      made.emplace_back(std::move(*udp), std::move(*tcp));
    }
    if (status) {
      sockets = std::move(made);
      impl->bound = at;
    } else if (server_detail::endpoint_port(*endpoint) != 0 || attempt == 7) {
      return fail(status.error());
    }
  }
  for (auto& [udp, tcp] : sockets) {
    impl->workers.push_back(std::make_unique<Worker>(impl->shared, std::move(udp), std::move(tcp)));
  }
  for (auto& worker : impl->workers) {
    impl->threads.emplace_back([w = worker.get()] { w->run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const noexcept { return server_detail::endpoint_port(impl_->bound); }

std::string Server::bound_address() const { return server_detail::endpoint_text(impl_->bound); }

ServerCounters Server::counters() const {
  ServerCounters sum;
  for (const auto& worker : impl_->workers) {
    worker->counters().add_to(sum);
  }
  return sum;
}

void Server::stop() {
  if (!impl_ || impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  impl_->shared.stopping.store(true, std::memory_order_release);
  const std::uint64_t one = 1;
  // The eventfd stays readable (nobody reads it), so every worker's epoll wakes.
  [[maybe_unused]] const auto written = ::write(impl_->shared.wake.get(), &one, sizeof(one));
  for (std::thread& t : impl_->threads) {
    t.join();
  }
  impl_->threads.clear();
}

std::string to_text(const ServerCounters& c) {
  static constexpr const char* kRcodeNames[] = {"noerror",  "formerr", "servfail",
                                                "nxdomain", "notimp",  "refused"};
  std::string text = "queries=" + std::to_string(c.queries) +
                     " udp=" + std::to_string(c.udp_queries) +
                     " tcp=" + std::to_string(c.tcp_queries);
  for (std::size_t i = 0; i < c.rcode.size(); ++i) {
    text += std::string(" ") + kRcodeNames[i] + "=" + std::to_string(c.rcode[i]);
  }
  text += " badvers=" + std::to_string(c.badvers) + " truncated=" + std::to_string(c.truncated) +
          " dropped=" + std::to_string(c.dropped) + " bytes_in=" + std::to_string(c.bytes_in) +
          " bytes_out=" + std::to_string(c.bytes_out) +
          " tcp_connections=" + std::to_string(c.tcp_connections) +
          " tcp_refused=" + std::to_string(c.tcp_refused) +
          " tcp_idle_closed=" + std::to_string(c.tcp_idle_closed) +
          " transfers=" + std::to_string(c.transfers) +
          " snapshot_switches=" + std::to_string(c.snapshot_switches);
  return text;
}

}  // namespace rootsim::resolver
