#include "rootsim/dns/record.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace rootsim::dns {
namespace {

// Length of the uncompressed name at `pos`, or 0 when malformed.
std::size_t name_length(std::span<const std::uint8_t> rdata, std::size_t pos) {
  std::size_t start = pos;
  while (pos < rdata.size()) {
    const std::uint8_t len = rdata[pos];
    if (len == 0) {
      return pos + 1 - start;
    }
    if (len > 63) {
      return 0;
    }
    pos += 1U + len;
  }
  return 0;
}

std::string name_text_at(std::span<const std::uint8_t> rdata, std::size_t pos, std::size_t len) {
  auto name = Name::from_wire(rdata.subspan(pos, len));
  return name ? name->to_text() : std::string("?");
}

void lowercase_name_at(Bytes& rdata, std::size_t pos) {
  while (pos < rdata.size() && rdata[pos] != 0) {
    const std::size_t len = rdata[pos];
    for (std::size_t k = 1; k <= len && pos + k < rdata.size(); ++k) {
      std::uint8_t& c = rdata[pos + k];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<std::uint8_t>(c + 32);
      }
    }
    pos += 1 + len;
  }
}

std::string generic_rdata(std::span<const std::uint8_t> rdata) {
  std::string out = "\\# " + std::to_string(rdata.size());
  if (!rdata.empty()) {
    out += " " + to_hex(rdata);
  }
  return out;
}

std::string time_text(std::uint32_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y%m%d%H%M%S", &tm);
  return buf.data();
}

std::string bitmap_text(std::span<const std::uint8_t> bitmap, bool* ok) {
  std::string out;
  std::size_t pos = 0;
  while (pos + 2 <= bitmap.size()) {
    const std::uint8_t window = bitmap[pos];
    const std::uint8_t len = bitmap[pos + 1];
    if (len == 0 || len > 32 || pos + 2 + len > bitmap.size()) {
      *ok = false;
      return out;
    }
    for (std::size_t i = 0; i < len; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        if ((bitmap[pos + 2 + i] & (0x80 >> bit)) != 0) {
          const auto type = static_cast<RRType>(window * 256 + i * 8 + static_cast<std::size_t>(bit));
          out += " " + to_text(type);
        }
      }
    }
    pos += 2U + len;
  }
  *ok = pos == bitmap.size();
  return out;
}

std::string txt_strings(std::span<const std::uint8_t> rdata, bool* ok) {
  std::string out;
  std::size_t pos = 0;
  while (pos < rdata.size()) {
    const std::size_t len = rdata[pos];
    if (pos + 1 + len > rdata.size()) {
      *ok = false;
      return out;
    }
    if (!out.empty()) {
      out += ' ';
    }
    out += '"';
    for (std::size_t k = 1; k <= len; ++k) {
      const std::uint8_t c = rdata[pos + k];
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c < 0x20 || c >= 0x7f) {
        std::array<char, 8> buf{};
        std::snprintf(buf.data(), buf.size(), "\\%03u", static_cast<unsigned>(c));
        out += buf.data();
      } else {
        out += static_cast<char>(c);
      }
    }
    out += '"';
    pos += 1 + len;
  }
  *ok = true;
  return out;
}

}  // namespace

void put_u16(Bytes& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

void put_u32(Bytes& out, std::uint32_t value) {
  put_u16(out, static_cast<std::uint16_t>(value >> 16));
  put_u16(out, static_cast<std::uint16_t>(value & 0xffff));
}

std::uint16_t get_u16(std::span<const std::uint8_t> in, std::size_t pos) noexcept {
  return static_cast<std::uint16_t>((in[pos] << 8) | in[pos + 1]);
}

std::uint32_t get_u32(std::span<const std::uint8_t> in, std::size_t pos) noexcept {
  return (static_cast<std::uint32_t>(get_u16(in, pos)) << 16) | get_u16(in, pos + 2);
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  };
  if (text.size() % 2 != 0) {
    return fail(Errc::kParse, "odd number of hex digits");
  }
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = nibble(text[i]);
    const int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return fail(Errc::kParse, "not a hex digit in '" + std::string(text) + "'");
    }
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string to_base64(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint32_t>(bytes[i]) << 16) |
                            (static_cast<std::uint32_t>(bytes[i + 1]) << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const std::uint32_t v = static_cast<std::uint32_t>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const std::uint32_t v =
        (static_cast<std::uint32_t>(bytes[i]) << 16) | (static_cast<std::uint32_t>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string address_to_text(std::span<const std::uint8_t> rdata) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (rdata.size() == 4) {
    inet_ntop(AF_INET, rdata.data(), buf.data(), buf.size());
  } else if (rdata.size() == 16) {
    // Eight groups without "::" compression, as IANA writes the root zone.
    std::string out;
    for (std::size_t i = 0; i < 16; i += 2) {
      std::snprintf(buf.data(), buf.size(), "%s%x", i == 0 ? "" : ":",
                    static_cast<unsigned>(get_u16(rdata, i)));
      out += buf.data();
    }
    return out;
  } else {
    return generic_rdata(rdata);
  }
  return buf.data();
}

Result<Address> parse_address(std::string_view text) {
  const std::string s(text);
  std::array<std::uint8_t, 16> buf{};
  if (inet_pton(AF_INET, s.c_str(), buf.data()) == 1) {
    return Address{RRType::kA, Bytes(buf.begin(), buf.begin() + 4)};
  }
  if (inet_pton(AF_INET6, s.c_str(), buf.data()) == 1) {
    return Address{RRType::kAaaa, Bytes(buf.begin(), buf.end())};
  }
  return fail(Errc::kParse, "'" + s + "' is not an IPv4 or IPv6 address");
}

Bytes make_name_rdata(const Name& target) {
  const auto wire = target.wire();
  return Bytes(wire.begin(), wire.end());
}

Result<Name> read_name_rdata(std::span<const std::uint8_t> rdata) {
  auto name = Name::from_wire(rdata);
  if (name && name->wire().size() != rdata.size()) {
    return fail(Errc::kParse, "trailing bytes after name in rdata");
  }
  return name;
}

Bytes make_ds_rdata(const DsRdata& ds) {
  Bytes out;
  put_u16(out, ds.key_tag);
  out.push_back(ds.algorithm);
  out.push_back(ds.digest_type);
  out.insert(out.end(), ds.digest.begin(), ds.digest.end());
  return out;
}

Result<DsRdata> read_ds_rdata(std::span<const std::uint8_t> rdata) {
  if (rdata.size() < 5) {
    return fail(Errc::kParse, "DS rdata shorter than 5 octets");
  }
  return DsRdata{get_u16(rdata, 0), rdata[2], rdata[3], Bytes(rdata.begin() + 4, rdata.end())};
}

Bytes make_soa_rdata(const SoaRdata& soa) {
  Bytes out = make_name_rdata(soa.mname);
  const auto rname = soa.rname.wire();
  out.insert(out.end(), rname.begin(), rname.end());
  for (const std::uint32_t v : {soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum}) {
    put_u32(out, v);
  }
  return out;
}

Result<SoaRdata> read_soa_rdata(std::span<const std::uint8_t> rdata) {
  const std::size_t m = name_length(rdata, 0);
  const std::size_t r = m == 0 ? 0 : name_length(rdata, m);
  if (m == 0 || r == 0 || m + r + 20 != rdata.size()) {
    return fail(Errc::kParse, "malformed SOA rdata");
  }
  SoaRdata soa;
  soa.mname = *Name::from_wire(rdata.subspan(0, m));
  soa.rname = *Name::from_wire(rdata.subspan(m, r));
  const std::size_t p = m + r;
  soa.serial = get_u32(rdata, p);
  soa.refresh = get_u32(rdata, p + 4);
  soa.retry = get_u32(rdata, p + 8);
  soa.expire = get_u32(rdata, p + 12);
  soa.minimum = get_u32(rdata, p + 16);
  return soa;
}

std::string rdata_to_text(RRType type, std::span<const std::uint8_t> rdata) {
  switch (type) {
    case RRType::kA:
      return rdata.size() == 4 ? address_to_text(rdata) : generic_rdata(rdata);
    case RRType::kAaaa:
      return rdata.size() == 16 ? address_to_text(rdata) : generic_rdata(rdata);
    case RRType::kNs:
    case RRType::kCname:
    case RRType::kPtr: {
      auto name = read_name_rdata(rdata);
      return name ? name->to_text() : generic_rdata(rdata);
    }
    case RRType::kMx: {
      if (rdata.size() < 3) {
        return generic_rdata(rdata);
      }
      auto name = read_name_rdata(rdata.subspan(2));
      return name ? std::to_string(get_u16(rdata, 0)) + " " + name->to_text()
                  : generic_rdata(rdata);
    }
    case RRType::kSoa: {
      auto soa = read_soa_rdata(rdata);
      if (!soa) {
        return generic_rdata(rdata);
      }
      return soa->mname.to_text() + " " + soa->rname.to_text() + " " +
             std::to_string(soa->serial) + " " + std::to_string(soa->refresh) + " " +
             std::to_string(soa->retry) + " " + std::to_string(soa->expire) + " " +
             std::to_string(soa->minimum);
    }
    case RRType::kTxt: {
      bool ok = false;
      std::string text = txt_strings(rdata, &ok);
      return ok ? text : generic_rdata(rdata);
    }
    case RRType::kDs: {
      auto ds = read_ds_rdata(rdata);
      if (!ds) {
        return generic_rdata(rdata);
      }
      return std::to_string(ds->key_tag) + " " + std::to_string(ds->algorithm) + " " +
             std::to_string(ds->digest_type) + " " + to_hex(ds->digest);
    }
    case RRType::kDnskey: {
      if (rdata.size() < 4) {
        return generic_rdata(rdata);
      }
      return std::to_string(get_u16(rdata, 0)) + " " + std::to_string(rdata[2]) + " " +
             std::to_string(rdata[3]) + " " + to_base64(rdata.subspan(4));
    }
    case RRType::kRrsig: {
      if (rdata.size() < 19) {
        return generic_rdata(rdata);
      }
      const std::size_t signer = name_length(rdata, 18);
      if (signer == 0) {
        return generic_rdata(rdata);
      }
      return to_text(static_cast<RRType>(get_u16(rdata, 0))) + " " + std::to_string(rdata[2]) +
             " " + std::to_string(rdata[3]) + " " + std::to_string(get_u32(rdata, 4)) + " " +
             time_text(get_u32(rdata, 8)) + " " + time_text(get_u32(rdata, 12)) + " " +
             std::to_string(get_u16(rdata, 16)) + " " + name_text_at(rdata, 18, signer) + " " +
             to_base64(rdata.subspan(18 + signer));
    }
    case RRType::kNsec: {
      const std::size_t next = name_length(rdata, 0);
      if (next == 0) {
        return generic_rdata(rdata);
      }
      bool ok = false;
      std::string types = bitmap_text(rdata.subspan(next), &ok);
      return ok ? name_text_at(rdata, 0, next) + types : generic_rdata(rdata);
    }
    case RRType::kZonemd: {
      if (rdata.size() < 6) {
        return generic_rdata(rdata);
      }
      return std::to_string(get_u32(rdata, 0)) + " " + std::to_string(rdata[4]) + " " +
             std::to_string(rdata[5]) + " " + to_hex(rdata.subspan(6));
    }
    default:
      return generic_rdata(rdata);
  }
}

std::string to_text(const Record& record) {
  std::string cls = record.rrclass == RRClass::kIn   ? "IN"
                    : record.rrclass == RRClass::kCh ? "CH"
                                                     : "CLASS" + std::to_string(
                                                                     static_cast<unsigned>(
                                                                         record.rrclass));
  return record.owner.to_text() + "\t" + std::to_string(record.ttl) + "\t" + cls + "\t" +
         to_text(record.type) + "\t" + rdata_to_text(record.type, record.rdata);
}

Bytes canonical_rdata(RRType type, std::span<const std::uint8_t> rdata) {
  Bytes out(rdata.begin(), rdata.end());
  switch (type) {
    case RRType::kNs:
    case RRType::kCname:
    case RRType::kPtr:
      lowercase_name_at(out, 0);
      break;
    case RRType::kMx:
      lowercase_name_at(out, 2);
      break;
    case RRType::kSoa: {
      lowercase_name_at(out, 0);
      const std::size_t m = name_length(out, 0);
      if (m != 0) {
        lowercase_name_at(out, m);
      }
      break;
    }
    case RRType::kRrsig:
      if (out.size() > 18) {
        lowercase_name_at(out, 18);
      }
      break;
    default:
      break;
  }
  return out;
}

void append_canonical_wire(Bytes& out, const Record& record) {
  const Name owner = record.owner.lowercased();
  const auto wire = owner.wire();
  out.insert(out.end(), wire.begin(), wire.end());
  put_u16(out, to_number(record.type));
  put_u16(out, static_cast<std::uint16_t>(record.rrclass));
  put_u32(out, record.ttl);
  const Bytes rdata = canonical_rdata(record.type, record.rdata);
  put_u16(out, static_cast<std::uint16_t>(rdata.size()));
  out.insert(out.end(), rdata.begin(), rdata.end());
}

void sort_canonical(std::vector<Record>& records) {
  std::stable_sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
    if (const auto c = a.owner <=> b.owner; c != 0) {
      return c < 0;
    }
    if (a.type != b.type) {
      return to_number(a.type) < to_number(b.type);
    }
    // Only types with embedded names need their canonical form built to compare.
    switch (a.type) {
      case RRType::kNs:
      case RRType::kCname:
      case RRType::kPtr:
      case RRType::kMx:
      case RRType::kSoa:
      case RRType::kRrsig:
        return canonical_rdata(a.type, a.rdata) < canonical_rdata(b.type, b.rdata);
      default:
        return a.rdata < b.rdata;
    }
  });
}

}  // namespace rootsim::dns
