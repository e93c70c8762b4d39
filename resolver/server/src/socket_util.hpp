// Private to resolver/server: an owning file descriptor and socket helpers.
#pragma once

#include "rootsim/dns/result.hpp"

#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace rootsim::resolver::server_detail {

/// Sole owner of a file descriptor; closes it on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

struct Endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;
};

/// Parses "127.0.0.1:5300" or "[::1]:5300". kParse on anything else.
[[nodiscard]] Result<Endpoint> parse_endpoint(const std::string& text);
/// "127.0.0.1:5300" / "[::1]:5300".
[[nodiscard]] std::string endpoint_text(const Endpoint& endpoint);
[[nodiscard]] std::uint16_t endpoint_port(const Endpoint& endpoint) noexcept;
void set_endpoint_port(Endpoint& endpoint, std::uint16_t port) noexcept;

/// A non-blocking socket of `type` (SOCK_DGRAM/SOCK_STREAM) with SO_REUSEPORT, bound to
/// `endpoint` (and listening, for streams). kIo naming the call that failed.
[[nodiscard]] Result<Fd> bind_socket(const Endpoint& endpoint, int type);
/// The address a socket is bound to.
[[nodiscard]] Result<Endpoint> local_endpoint(int fd);

}  // namespace rootsim::resolver::server_detail
