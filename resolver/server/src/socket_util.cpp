#include "socket_util.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <unistd.h>

namespace rootsim::resolver::server_detail {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

Result<Endpoint> parse_endpoint(const std::string& text) {
  const auto bad = [&] {
    return fail(Errc::kParse, "listen address '" + text +
                                  "': expected ADDRESS:PORT such as 127.0.0.1:5300 or [::1]:5300");
  };
  std::string host;
  std::string port_text;
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad();
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
      return bad();
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  const unsigned long port = std::stoul(port_text);
  if (port > 65535) {
    return bad();
  }
  Endpoint endpoint;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&endpoint.address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&endpoint.address);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<std::uint16_t>(port));
    endpoint.length = sizeof(sockaddr_in);
    return endpoint;
  }
  std::memset(&endpoint.address, 0, sizeof(endpoint.address));
  if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<std::uint16_t>(port));
    endpoint.length = sizeof(sockaddr_in6);
    return endpoint;
  }
  return bad();
}

std::string endpoint_text(const Endpoint& endpoint) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (endpoint.address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&endpoint.address);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof(buf));
    return "[" + std::string(buf) + "]:" + std::to_string(endpoint_port(endpoint));
  }
  const auto* v4 = reinterpret_cast<const sockaddr_in*>(&endpoint.address);
  ::inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof(buf));
  return std::string(buf) + ":" + std::to_string(endpoint_port(endpoint));
}

std::uint16_t endpoint_port(const Endpoint& endpoint) noexcept {
  if (endpoint.address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&endpoint.address)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&endpoint.address)->sin_port);
}

void set_endpoint_port(Endpoint& endpoint, std::uint16_t port) noexcept {
  if (endpoint.address.ss_family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&endpoint.address)->sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in*>(&endpoint.address)->sin_port = htons(port);
  }
}

Result<Fd> bind_socket(const Endpoint& endpoint, int type) {
  const auto io_error = [](const char* what) {
    return fail(Errc::kIo, std::string(what) + ": " + std::strerror(errno));
  };
  Fd fd(::socket(endpoint.address.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    return io_error("socket");
  }
  const int one = 1;
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0 ||
      ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
    return io_error("setsockopt(SO_REUSEPORT)");
  }
  if (endpoint.address.ss_family == AF_INET6) {
    ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  }
  if (type == SOCK_DGRAM) {
    // Room for bursts: a few thousand queries queue while a batch is answered.
    const int size = 4 << 20;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  }
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.length) !=
      0) {
    return fail(Errc::kIo, "bind " + endpoint_text(endpoint) + ": " + std::strerror(errno));
  }
  if (type == SOCK_STREAM && ::listen(fd.get(), 1024) != 0) {
    return io_error("listen");
  }
  return fd;
}

Result<Endpoint> local_endpoint(int fd) {
  Endpoint endpoint;
  endpoint.length = sizeof(endpoint.address);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&endpoint.address), &endpoint.length) != 0) {
    return fail(Errc::kIo, std::string("getsockname: ") + std::strerror(errno));
  }
  return endpoint;
}

}  // namespace rootsim::resolver::server_detail
