// Resource records with rdata in uncompressed wire form, their presentation and canonical wire
// form (RFC 4034 §6), and helpers to build and read the rdata of the types a root zone holds.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/dns/rr_type.hpp"

namespace rootsim::dns {

using Bytes = std::vector<std::uint8_t>;

struct Record {
  Name owner;
  RRType type = RRType::kA;
  RRClass rrclass = RRClass::kIn;
  std::uint32_t ttl = 0;
  Bytes rdata;  ///< uncompressed wire form

  friend bool operator==(const Record&, const Record&) = default;
};

/// Presentation form of rdata ("a.ns.nic.cz.", "20237 13 2 CFF0..."). Types without a
/// formatter here, and rdata that does not parse, are written in RFC 3597 form (\# len hex).
[[nodiscard]] std::string rdata_to_text(RRType type, std::span<const std::uint8_t> rdata);
/// One master-file line: "owner<TAB>ttl<TAB>IN<TAB>TYPE<TAB>rdata", as IANA writes the root zone.
[[nodiscard]] std::string to_text(const Record& record);

/// Rdata in canonical form: embedded names lowercased for the types RFC 4034 §6.2 lists
/// (as amended by RFC 6840 §5.1, which removes NSEC).
[[nodiscard]] Bytes canonical_rdata(RRType type, std::span<const std::uint8_t> rdata);
/// Appends the canonical wire form of one RR (owner lowercased, given TTL, canonical rdata).
void append_canonical_wire(Bytes& out, const Record& record);
/// Sorts into canonical order: owner (RFC 4034 §6.1), then type, then canonical rdata.
void sort_canonical(std::vector<Record>& records);

// --- rdata of the types a delegation holds ---

[[nodiscard]] Bytes make_name_rdata(const Name& target);  ///< NS, CNAME, PTR
[[nodiscard]] Result<Name> read_name_rdata(std::span<const std::uint8_t> rdata);

/// Parses "192.0.2.1" (-> A) or "2001:db8::1" (-> AAAA) into rdata; kParse when neither.
struct Address {
  RRType type = RRType::kA;
  Bytes rdata;
};
[[nodiscard]] Result<Address> parse_address(std::string_view text);
[[nodiscard]] std::string address_to_text(std::span<const std::uint8_t> rdata);

struct DsRdata {
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t digest_type = 0;
  Bytes digest;
  friend bool operator==(const DsRdata&, const DsRdata&) = default;
};
[[nodiscard]] Bytes make_ds_rdata(const DsRdata& ds);
[[nodiscard]] Result<DsRdata> read_ds_rdata(std::span<const std::uint8_t> rdata);

struct SoaRdata {
  Name mname;
  Name rname;
  std::uint32_t serial = 0;
  std::uint32_t refresh = 0;
  std::uint32_t retry = 0;
  std::uint32_t expire = 0;
  std::uint32_t minimum = 0;
};
[[nodiscard]] Bytes make_soa_rdata(const SoaRdata& soa);
[[nodiscard]] Result<SoaRdata> read_soa_rdata(std::span<const std::uint8_t> rdata);

[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);  ///< upper case
[[nodiscard]] Result<Bytes> from_hex(std::string_view text);
[[nodiscard]] std::string to_base64(std::span<const std::uint8_t> bytes);

/// Appends a 16/32-bit value in network order.
void put_u16(Bytes& out, std::uint16_t value);
void put_u32(Bytes& out, std::uint32_t value);
[[nodiscard]] std::uint16_t get_u16(std::span<const std::uint8_t> in, std::size_t pos) noexcept;
[[nodiscard]] std::uint32_t get_u32(std::span<const std::uint8_t> in, std::size_t pos) noexcept;

}  // namespace rootsim::dns
