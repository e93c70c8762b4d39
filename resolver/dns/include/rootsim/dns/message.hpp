// DNS messages (RFC 1035 §4.1): MessageBuilder renders one into a buffer it owns, with name
// compression and a size limit that decides truncation; parse_message() reads one back.
// Thread-safety: a MessageBuilder belongs to one thread; parse_message() is a pure function.
// Ownership: finish() returns a view into the builder's buffer, valid until the next reset().
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/dns/rr_type.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace rootsim::dns {

/// RFC 1035 §4.1.1 header fields (the four counts are derived from the sections).
struct Header {
  std::uint16_t id = 0;
  bool qr = false;  ///< response
  std::uint8_t opcode = 0;
  bool aa = false;
  bool tc = false;
  bool rd = false;
  bool ra = false;
  bool ad = false;  ///< RFC 4035 §3.2.3
  bool cd = false;
  /// 12-bit RCODE: the low 4 bits live in the header, the high 8 in the OPT record (RFC 6891
  /// §6.1.3).
  std::uint16_t rcode = 0;
  friend bool operator==(const Header&, const Header&) = default;
};

struct Question {
  Name qname;
  RRType qtype = RRType::kA;
  RRClass qclass = RRClass::kIn;
  friend bool operator==(const Question&, const Question&) = default;
};

/// The OPT pseudo-record (RFC 6891 §6.1.2). The extended RCODE is carried in Header::rcode.
struct Edns {
  std::uint16_t udp_size = 1232;
  std::uint8_t version = 0;
  bool dnssec_ok = false;  ///< DO bit, RFC 3225
  Bytes options;           ///< raw {code, length, data} sequence
  friend bool operator==(const Edns&, const Edns&) = default;
};

enum class Section : std::uint8_t { kAnswer, kAuthority, kAdditional };

/// Why an append did or did not happen. Enum, not Result: the builder is on the query path.
enum class AppendStatus : std::uint8_t {
  kAppended,
  kNoSpace,     ///< would exceed the size limit; the message is unchanged (truncation point)
  kBadRdata,    ///< rdata of a type with embedded names (NS, CNAME, PTR, MX, SOA) is malformed
  kOutOfOrder,  ///< question after records, a section after a later one, or after finish()
};
[[nodiscard]] std::string_view to_string(AppendStatus status) noexcept;

/// Renders a message. Records must be appended section by section (answer, authority,
/// additional). Owner names, and the names inside NS/CNAME/PTR/MX/SOA rdata, are compressed
/// (RFC 1035 §4.1.4; matching is case-insensitive, the first spelling written wins); rdata of
/// other types is copied as is (RFC 3597 §4, RFC 4034 §§3-4: no compression inside RRSIG/NSEC).
/// The 64 KiB buffer is allocated once, in the constructor; reset() and appends never allocate.
class MessageBuilder {
 public:
  /// Compression targets remembered per message; names beyond this are written uncompressed.
  static constexpr std::size_t kMaxCompressionTargets = 256;
  static constexpr std::size_t kMaxMessageSize = 65535;

  /// A builder for messages of at most `size_limit` octets (clamped to 12..65535).
  explicit MessageBuilder(std::size_t size_limit = 512);

  /// Starts a new message with `header` and `size_limit`, keeping the buffer. O(1).
  void reset(const Header& header, std::size_t size_limit) noexcept;
  /// The header written by finish(); may be changed (e.g. tc, rcode) until then.
  [[nodiscard]] Header& header() noexcept { return header_; }

  /// Appends the question; allowed before any record. O(labels x targets).
  AppendStatus add_question(const Question& question) noexcept;
  /// Reserves room for an OPT record, written last by finish(). kNoSpace when even that does not
  /// fit; calling it again replaces the earlier OPT.
  AppendStatus set_edns(const Edns& edns) noexcept;
  /// Appends one record to `section`. kNoSpace leaves the message as it was, so a caller can
  /// stop there (additional section) or set TC (answer, authority).
  AppendStatus add(Section section, const Name& owner, RRType type, RRClass rrclass,
                   std::uint32_t ttl, std::span<const std::uint8_t> rdata) noexcept;
  AppendStatus add(Section section, const Record& record) noexcept {
    return add(section, record.owner, record.type, record.rrclass, record.ttl, record.rdata);
  }

  /// Octets used so far, including room reserved for the OPT record.
  [[nodiscard]] std::size_t size() const noexcept { return size_ + opt_size_; }
  [[nodiscard]] std::size_t size_limit() const noexcept { return limit_; }
  /// Records in `section` so far (the OPT record is counted by finish()).
  [[nodiscard]] std::uint16_t count(Section section) const noexcept {
    return counts_[static_cast<std::size_t>(section)];
  }

  /// Writes the header, the counts and the OPT record; returns the whole message. Further
  /// appends return kOutOfOrder; calling finish() again returns the same bytes.
  [[nodiscard]] std::span<const std::uint8_t> finish() noexcept;

 private:
  // Writes `name` (uncompressed wire) at size_, compressing; the caller has checked the room.
  void write_name(std::span<const std::uint8_t> name) noexcept;
  [[nodiscard]] bool name_at_equals(std::size_t offset,
                                    std::span<const std::uint8_t> suffix) const noexcept;
  void put16(std::uint16_t value) noexcept;
  void put32(std::uint32_t value) noexcept;
  void rollback(std::size_t size) noexcept;

  std::vector<std::uint8_t> buf_;
  std::array<std::uint16_t, kMaxCompressionTargets> targets_{};
  std::size_t target_count_ = 0;
  std::size_t size_ = 12;
  std::size_t limit_ = 512;
  std::size_t opt_size_ = 0;  // reserved for the OPT record, 0 without EDNS
  Header header_;
  Edns edns_;
  std::array<std::uint16_t, 3> counts_{};
  std::uint16_t qdcount_ = 0;
  std::uint8_t stage_ = 0;  // 0 question, 1 answer, 2 authority, 3 additional, 4 finished
  bool has_edns_ = false;
};

/// A message read back: names decompressed (also inside NS/CNAME/PTR/MX/SOA rdata, so rdata is in
/// the uncompressed form Record holds); the OPT record is taken out of the additional section.
struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<Record> answer;
  std::vector<Record> authority;
  std::vector<Record> additional;
  std::optional<Edns> edns;
  friend bool operator==(const Message&, const Message&) = default;
};

/// Parses a whole message with strict bounds checks. Errors (kParse, naming the octet offset):
/// truncated input, compression pointers that do not point strictly backwards, names over
/// 255 octets, reserved label types, rdata that overruns or does not fill its RDLENGTH, more than
/// one OPT or an OPT not owned by the root, and trailing octets after the last record.
[[nodiscard]] Result<Message> parse_message(std::span<const std::uint8_t> wire);

}  // namespace rootsim::dns
