// UDP: batches of datagrams in with recvmmsg, answered from one snapshot, out with sendmmsg.
// No allocation, lock or exception on this path; buffers belong to the worker.
#include "rootsim/resolver/answer.hpp"

#include "worker.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <sys/socket.h>

namespace rootsim::resolver::server_detail {
namespace {
constexpr int kMaxBatchesPerWakeup = 16;  // then let TCP events have a turn
}  // namespace

void Worker::init_udp_buffers() {
  // Under a second (nanosleep takes tv_nsec < 1e9); longer pauses make no sense for UDP.
  const auto pause = std::min<std::int64_t>(shared_.options.udp_coalesce.count(), 999'999);
  coalesce_ = {.tv_sec = 0, .tv_nsec = static_cast<long>(std::max<std::int64_t>(0, pause) * 1000)};
  udp_buffers_ = std::make_unique<UdpBuffers>();
  UdpBuffers& b = *udp_buffers_;
  for (std::size_t i = 0; i < kBatch; ++i) {
    b.query_iov[i] = {b.query[i].data(), kQueryBuffer};
    std::memset(&b.in[i], 0, sizeof(mmsghdr));
    b.in[i].msg_hdr.msg_iov = &b.query_iov[i];
    b.in[i].msg_hdr.msg_iovlen = 1;
  }
}

void Worker::handle_udp() noexcept {
  UdpBuffers& b = *udp_buffers_;
  for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      b.in[i].msg_hdr.msg_name = &b.peer[i];
      b.in[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      b.in[i].msg_hdr.msg_flags = 0;
    }
    const int received = ::recvmmsg(udp_.get(), b.in.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (received <= 0) {
      return;
    }
    refresh_snapshot();
    const auto count = static_cast<std::size_t>(received);
    std::size_t replies = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t length = b.in[i].msg_len;
      bytes_in += length;
      if (snapshot_ == nullptr || (b.in[i].msg_hdr.msg_flags & MSG_TRUNC) != 0) {
        bump(counters_.dropped);
        continue;
      }
      const AnswerResult result =
          answer(*snapshot_, std::span<const std::uint8_t>(b.query[i].data(), length),
                 std::span<std::uint8_t>(b.response[replies].data(), kAnswerBuffer),
                 AnswerContext{.transport = Transport::kUdp});
      if (result.size == 0) {
        bump(counters_.dropped);
        continue;
      }
      count_answer(static_cast<std::uint8_t>(b.response[replies][3] & 0x0F),
                   result.kind == AnswerKind::kBadVers);
      if (result.truncated) {
        bump(counters_.truncated);
      }
      bytes_out += result.size;
      b.response_iov[replies] = {b.response[replies].data(), result.size};
      mmsghdr& out = b.out[replies];
      std::memset(&out, 0, sizeof(mmsghdr));
      out.msg_hdr.msg_name = &b.peer[i];
      out.msg_hdr.msg_namelen = b.in[i].msg_hdr.msg_namelen;
      out.msg_hdr.msg_iov = &b.response_iov[replies];
      out.msg_hdr.msg_iovlen = 1;
      ++replies;
    }
    bump(counters_.udp_queries, count);
    bump(counters_.bytes_in, bytes_in);
    std::size_t sent = 0;
    while (sent < replies) {
      const int n = ::sendmmsg(udp_.get(), b.out.data() + sent,
                               static_cast<unsigned>(replies - sent), MSG_DONTWAIT);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) {
          continue;
        }
        // A full send buffer (EAGAIN) or a peer that vanished: skip this datagram.
        bytes_out -= b.response_iov[sent].iov_len;
        bump(counters_.dropped);
        ++sent;
        continue;
      }
      sent += static_cast<std::size_t>(n);
    }
    bump(counters_.bytes_out, bytes_out);
    if (count == kBatch) {
      continue;  // more are waiting: no pause
    }
    if (count < kCoalesceMinBatch || coalesce_.tv_nsec == 0) {
      return;
    }
    // Under load, each wakeup and each system call is paid per batch, and every reply that
    // finds the client asleep pays its wakeup: pause so that the next batch is fuller.
    ::nanosleep(&coalesce_, nullptr);
  }
}

}  // namespace rootsim::resolver::server_detail
