// Fuzz target: any bytes as a query -> answer() over UDP and TCP with several buffer sizes.
// Never a crash; every response is dropped (size 0) or a well-formed message whose counts match
// its records and whose compression pointers point backwards.
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/resolver/answer.hpp"
#include "rootsim/resolver/zone_snapshot.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

namespace {

// A root-like zone with DNSKEY, DS, NSEC and RRSIG records (fake signatures: answer() serves
// bytes, it does not validate), so that the DO paths run too.
constexpr const char* kZone = R"(
. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
. 86400 IN RRSIG SOA 8 0 86400 20300101000000 20200101000000 1 . AAAA
. 518400 IN NS a.root-servers.net.
. 172800 IN DNSKEY 256 3 8 AwEAAa==
. 172800 IN RRSIG DNSKEY 8 0 172800 20300101000000 20200101000000 1 . AAAA
. 86400 IN NSEC cz. NS SOA RRSIG NSEC DNSKEY
. 86400 IN RRSIG NSEC 8 0 86400 20300101000000 20200101000000 1 . AAAA
cz. 172800 IN NS a.ns.nic.cz.
cz. 172800 IN NS ns.provider.net.
cz. 86400 IN DS 20237 13 2 CFF0F3ECDBC529C1F0031BA1840BFB835853B9209ED1E508FFF48451D7B778E2
cz. 86400 IN RRSIG DS 8 1 86400 20300101000000 20200101000000 1 . AAAA
cz. 86400 IN NSEC net. NS DS RRSIG NSEC
cz. 86400 IN RRSIG NSEC 8 1 86400 20300101000000 20200101000000 1 . AAAA
a.ns.nic.cz. 172800 IN A 194.0.12.1
a.ns.nic.cz. 172800 IN AAAA 2001:678:f::1
net. 172800 IN NS a.gtld-servers.net.
net. 86400 IN NSEC . NS RRSIG NSEC
net. 86400 IN RRSIG NSEC 8 1 86400 20300101000000 20200101000000 1 . AAAA
a.gtld-servers.net. 172800 IN A 192.5.6.30
ns.provider.net. 172800 IN A 192.0.2.53
a.root-servers.net. 518400 IN A 198.41.0.4
)";

std::shared_ptr<const rootsim::resolver::ZoneSnapshot> make_snapshot() {
  auto zone = rootsim::dns::parse_zone_text(kZone, rootsim::dns::Name(), "<fuzz-zone>");
  if (!zone) {
    std::abort();
  }
  auto snap = rootsim::resolver::build_snapshot(*zone, {.instance_name = "fuzz"});
  if (!snap) {
    std::abort();
  }
  return *snap;
}

std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

// Walks a name; pointers must point before the name's start and only into earlier bytes.
bool walk_name(const std::uint8_t* m, std::size_t size, std::size_t& pos) {
  std::size_t p = pos;
  std::size_t limit = pos;  // a pointer must go strictly backwards
  bool jumped = false;
  for (int hops = 0; hops < 128; ++hops) {
    if (p >= size) {
      return false;
    }
    const std::uint8_t len = m[p];
    if (len == 0) {
      if (!jumped) {
        pos = p + 1;
      }
      return true;
    }
    if ((len & 0xC0) == 0xC0) {
      if (p + 2 > size) {
        return false;
      }
      const std::size_t target = static_cast<std::size_t>(get16(m + p) & 0x3FFF);
      if (target >= limit) {
        return false;
      }
      if (!jumped) {
        pos = p + 2;
      }
      jumped = true;
      limit = target;
      p = target;
      continue;
    }
    if (len > 63) {
      return false;
    }
    p += 1U + len;
  }
  return false;
}

bool well_formed(const std::uint8_t* m, std::size_t size) {
  if (size < 12 || (m[2] & 0x80) == 0) {
    return false;
  }
  std::size_t pos = 12;
  for (unsigned i = 0; i < get16(m + 4); ++i) {
    if (!walk_name(m, size, pos) || pos + 4 > size) {
      return false;
    }
    pos += 4;
  }
  const unsigned records = 0U + get16(m + 6) + get16(m + 8) + get16(m + 10);
  for (unsigned i = 0; i < records; ++i) {
    if (!walk_name(m, size, pos) || pos + 10 > size) {
      return false;
    }
    pos += 10U + get16(m + pos + 8);
    if (pos > size) {
      return false;
    }
  }
  return pos == size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::resolver;
  static const auto snapshot = make_snapshot();
  static std::vector<std::uint8_t> out(kMaxResponseSize);
  const std::span<const std::uint8_t> query(data, size);
  for (const std::size_t room : {std::size_t{40}, std::size_t{512}, kMaxResponseSize}) {
    for (const Transport transport : {Transport::kUdp, Transport::kTcp}) {
      const auto result =
          answer(*snapshot, query, std::span(out.data(), room), {.transport = transport});
      if (result.size > room || (result.size == 0) != (result.kind == AnswerKind::kDrop)) {
        std::abort();
      }
      if (result.size > 0 && !well_formed(out.data(), result.size)) {
        std::abort();
      }
      if (transport == Transport::kUdp && result.size > 1232) {
        std::abort();  // never above our EDNS size over UDP
      }
    }
  }
  return 0;
}
