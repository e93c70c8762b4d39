#include "rootsim/dns/message.hpp"

#include <algorithm>
#include <string>

namespace rootsim::dns {
namespace {

// Room beyond kMaxMessageSize so that a record is written whole before its size is judged: a
// record exceeds its compressed size by at most three names (owner, SOA mname and rname).
constexpr std::size_t kSlack = 3 * 255 + 16;
constexpr std::size_t kHeaderSize = 12;
constexpr std::size_t kOptFixedSize = 11;  // root owner, type, class, ttl, rdlength

// Length of the uncompressed wire name at `pos` in `data`, or 0 when malformed.
std::size_t wire_name_length(std::span<const std::uint8_t> data, std::size_t pos) noexcept {
  const std::size_t start = pos;
  while (pos < data.size()) {
    const std::uint8_t len = data[pos];
    if (len == 0) {
      const std::size_t total = pos + 1 - start;
      return total <= 255 ? total : 0;
    }
    if (len > 63) {
      return 0;
    }
    pos += 1U + len;
  }
  return 0;
}

std::uint8_t lower(std::uint8_t c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<std::uint8_t>(c + 32) : c;
}

// RFC 3597 §4: only the RFC 1035 types may carry compressed names (those a root zone uses).
bool has_compressible_names(RRType type) noexcept {
  return type == RRType::kNs || type == RRType::kCname || type == RRType::kPtr ||
         type == RRType::kMx || type == RRType::kSoa;
}

// Splits rdata of a compressible type into (prefix octets, names..., suffix octets); false when
// the rdata does not have that shape.
struct NameLayout {
  std::size_t prefix = 0;  // octets before the first name (MX preference)
  std::size_t name_count = 0;
  std::array<std::size_t, 2> name_length{};
  std::size_t suffix = 0;  // octets after the last name (SOA counters)
};

bool layout_of(RRType type, std::span<const std::uint8_t> rdata, NameLayout& out) noexcept {
  out = NameLayout{};
  out.prefix = type == RRType::kMx ? 2 : 0;
  out.name_count = type == RRType::kSoa ? 2 : 1;
  out.suffix = type == RRType::kSoa ? 20 : 0;
  std::size_t pos = out.prefix;
  if (pos > rdata.size()) {
    return false;
  }
  for (std::size_t i = 0; i < out.name_count; ++i) {
    out.name_length[i] = wire_name_length(rdata, pos);
    if (out.name_length[i] == 0) {
      return false;
    }
    pos += out.name_length[i];
  }
  return pos + out.suffix == rdata.size();
}

}  // namespace

std::string_view to_string(AppendStatus status) noexcept {
  switch (status) {
    case AppendStatus::kAppended:
      return "appended";
    case AppendStatus::kNoSpace:
      return "no-space";
    case AppendStatus::kBadRdata:
      return "bad-rdata";
    case AppendStatus::kOutOfOrder:
      return "out-of-order";
  }
  return "unknown";
}

MessageBuilder::MessageBuilder(std::size_t size_limit) : buf_(kMaxMessageSize + kSlack, 0) {
  reset(Header{}, size_limit);
}

void MessageBuilder::reset(const Header& header, std::size_t size_limit) noexcept {
  header_ = header;
  limit_ = std::clamp<std::size_t>(size_limit, kHeaderSize, kMaxMessageSize);
  size_ = kHeaderSize;
  opt_size_ = 0;
  target_count_ = 0;
  counts_ = {};
  qdcount_ = 0;
  stage_ = 0;
  has_edns_ = false;
}

void MessageBuilder::put16(std::uint16_t value) noexcept {
  buf_[size_] = static_cast<std::uint8_t>(value >> 8);
  buf_[size_ + 1] = static_cast<std::uint8_t>(value & 0xff);
  size_ += 2;
}

void MessageBuilder::put32(std::uint32_t value) noexcept {
  put16(static_cast<std::uint16_t>(value >> 16));
  put16(static_cast<std::uint16_t>(value & 0xffff));
}

void MessageBuilder::rollback(std::size_t size) noexcept {
  size_ = size;
  // Targets are recorded in increasing offset order.
  while (target_count_ > 0 && targets_[target_count_ - 1] >= size) {
    --target_count_;
  }
}

bool MessageBuilder::name_at_equals(std::size_t offset,
                                    std::span<const std::uint8_t> suffix) const noexcept {
  // The buffer holds only names this builder wrote: well formed, pointers point backwards.
  std::size_t pos = offset;
  std::size_t i = 0;
  for (;;) {
    const std::uint8_t len = buf_[pos];
    if ((len & 0xc0) == 0xc0) {
      pos = (static_cast<std::size_t>(len & 0x3f) << 8) | buf_[pos + 1];
      continue;
    }
    if (len != suffix[i]) {
      return false;
    }
    if (len == 0) {
      return true;
    }
    for (std::size_t k = 1; k <= len; ++k) {
      if (lower(buf_[pos + k]) != lower(suffix[i + k])) {
        return false;
      }
    }
    pos += 1U + len;
    i += 1U + len;
  }
}

void MessageBuilder::write_name(std::span<const std::uint8_t> name) noexcept {
  // Only names written before this one are candidates: this name's own labels are not finished.
  const std::size_t candidates = target_count_;
  std::size_t p = 0;
  while (name[p] != 0) {
    const auto suffix = name.subspan(p);
    for (std::size_t t = 0; t < candidates; ++t) {
      if (name_at_equals(targets_[t], suffix)) {
        put16(static_cast<std::uint16_t>(0xc000U | targets_[t]));
        return;
      }
    }
    // RFC 1035 §4.1.4: a pointer holds a 14-bit offset.
    if (size_ < 0x4000 && target_count_ < kMaxCompressionTargets) {
      targets_[target_count_++] = static_cast<std::uint16_t>(size_);
    }
    const std::size_t len = 1U + name[p];
    std::copy_n(name.begin() + static_cast<std::ptrdiff_t>(p), len,
                buf_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += len;
    p += len;
  }
  buf_[size_++] = 0;
}

AppendStatus MessageBuilder::add_question(const Question& question) noexcept {
  if (stage_ != 0) {
    return AppendStatus::kOutOfOrder;
  }
  const std::size_t start = size_;
  write_name(question.qname.wire());
  put16(to_number(question.qtype));
  put16(static_cast<std::uint16_t>(question.qclass));
  if (size_ + opt_size_ > limit_) {
    rollback(start);
    return AppendStatus::kNoSpace;
  }
  ++qdcount_;
  return AppendStatus::kAppended;
}

AppendStatus MessageBuilder::set_edns(const Edns& edns) noexcept {
  if (stage_ == 4) {
    return AppendStatus::kOutOfOrder;
  }
  const std::size_t needed = kOptFixedSize + edns.options.size();
  if (edns.options.size() > 0xffff || size_ + needed > limit_) {
    return AppendStatus::kNoSpace;
  }
  edns_ = edns;  // copies options: allocates only when they outgrow the previous ones
  opt_size_ = needed;
  has_edns_ = true;
  return AppendStatus::kAppended;
}

AppendStatus MessageBuilder::add(Section section, const Name& owner, RRType type, RRClass rrclass,
                                 std::uint32_t ttl, std::span<const std::uint8_t> rdata) noexcept {
  const auto wanted_stage = static_cast<std::uint8_t>(static_cast<std::uint8_t>(section) + 1);
  if (stage_ > wanted_stage) {
    return AppendStatus::kOutOfOrder;
  }
  NameLayout layout;
  const bool compress_rdata = has_compressible_names(type);
  if (compress_rdata && !layout_of(type, rdata, layout)) {
    return AppendStatus::kBadRdata;
  }
  const std::size_t worst = owner.wire().size() + 10 + rdata.size();
  auto& count = counts_[static_cast<std::size_t>(section)];
  if (rdata.size() > 0xffff || size_ + worst > buf_.size() || count == 0xffff) {
    return AppendStatus::kNoSpace;
  }
  const std::size_t start = size_;
  write_name(owner.wire());
  put16(to_number(type));
  put16(static_cast<std::uint16_t>(rrclass));
  put32(ttl);
  const std::size_t rdlength_at = size_;
  size_ += 2;
  if (compress_rdata) {
    std::size_t pos = 0;
    std::copy_n(rdata.begin(), layout.prefix, buf_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += layout.prefix;
    pos += layout.prefix;
    for (std::size_t i = 0; i < layout.name_count; ++i) {
      write_name(rdata.subspan(pos, layout.name_length[i]));
      pos += layout.name_length[i];
    }
    std::copy_n(rdata.begin() + static_cast<std::ptrdiff_t>(pos), layout.suffix,
                buf_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += layout.suffix;
  } else {
    std::copy(rdata.begin(), rdata.end(), buf_.begin() + static_cast<std::ptrdiff_t>(size_));
    size_ += rdata.size();
  }
  if (size_ + opt_size_ > limit_) {
    rollback(start);
    return AppendStatus::kNoSpace;
  }
  const auto rdlength = static_cast<std::uint16_t>(size_ - rdlength_at - 2);
  buf_[rdlength_at] = static_cast<std::uint8_t>(rdlength >> 8);
  buf_[rdlength_at + 1] = static_cast<std::uint8_t>(rdlength & 0xff);
  ++count;
  stage_ = wanted_stage;
  return AppendStatus::kAppended;
}

std::span<const std::uint8_t> MessageBuilder::finish() noexcept {
  if (stage_ != 4) {
    std::uint16_t arcount = counts_[2];
    if (has_edns_) {
      buf_[size_++] = 0;  // root owner
      put16(to_number(RRType::kOpt));
      put16(edns_.udp_size);
      const std::uint32_t ttl = (static_cast<std::uint32_t>((header_.rcode >> 4) & 0xff) << 24) |
                                (static_cast<std::uint32_t>(edns_.version) << 16) |
                                (edns_.dnssec_ok ? 0x8000U : 0U);
      put32(ttl);
      put16(static_cast<std::uint16_t>(edns_.options.size()));
      std::copy(edns_.options.begin(), edns_.options.end(),
                buf_.begin() + static_cast<std::ptrdiff_t>(size_));
      size_ += edns_.options.size();
      opt_size_ = 0;
      ++arcount;
    }
    const std::size_t end = size_;
    size_ = 0;
    put16(header_.id);
    const auto bit = [](bool b, unsigned shift) { return b ? (1U << shift) : 0U; };
    put16(static_cast<std::uint16_t>(bit(header_.qr, 15) | ((header_.opcode & 0xfU) << 11) |
                                     bit(header_.aa, 10) | bit(header_.tc, 9) | bit(header_.rd, 8) |
                                     bit(header_.ra, 7) | bit(header_.ad, 5) | bit(header_.cd, 4) |
                                     (header_.rcode & 0xfU)));
    put16(qdcount_);
    put16(counts_[0]);
    put16(counts_[1]);
    put16(arcount);
    size_ = end;
    stage_ = 4;
  }
  return std::span<const std::uint8_t>(buf_.data(), size_);
}

// --- parsing ---

namespace {

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> wire) : wire_(wire) {}

  [[nodiscard]] std::size_t pos() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return wire_.size() - pos_; }

  Unexpected<Error> error(const std::string& what) const {
    return fail(Errc::kParse, "offset " + std::to_string(pos_) + ": " + what);
  }

  Result<std::uint16_t> u16() {
    if (remaining() < 2) {
      return error("message truncated");
    }
    const std::uint16_t v = get_u16(wire_, pos_);
    pos_ += 2;
    return v;
  }
  Result<std::uint32_t> u32() {
    if (remaining() < 4) {
      return error("message truncated");
    }
    const std::uint32_t v = get_u32(wire_, pos_);
    pos_ += 4;
    return v;
  }

  // Reads a possibly compressed name at pos_, appending its uncompressed form to `out`.
  Status name(Bytes& out) {
    std::size_t p = pos_;
    std::size_t lowest = pos_;  // every pointer must point below the lowest offset seen
    std::optional<std::size_t> resume;
    std::size_t length = 0;
    for (;;) {
      if (p >= wire_.size()) {
        return error("name runs past the end of the message");
      }
      const std::uint8_t len = wire_[p];
      if ((len & 0xc0) == 0xc0) {
        if (p + 1 >= wire_.size()) {
          return error("compression pointer truncated");
        }
        const std::size_t target = (static_cast<std::size_t>(len & 0x3f) << 8) | wire_[p + 1];
        if (target >= lowest) {
          return error("compression pointer to offset " + std::to_string(target) +
                       " does not point backwards");
        }
        if (!resume) {
          resume = p + 2;
        }
        lowest = target;
        p = target;
        continue;
      }
      if ((len & 0xc0) != 0) {
        return error("reserved label type");
      }
      length += 1U + len;
      if (length > 255) {
        return error("name longer than 255 octets");
      }
      if (p + 1U + len > wire_.size()) {
        return error("label runs past the end of the message");
      }
      out.insert(out.end(), wire_.begin() + static_cast<std::ptrdiff_t>(p),
                 wire_.begin() + static_cast<std::ptrdiff_t>(p + 1U + len));
      p += 1U + len;
      if (len == 0) {
        break;
      }
    }
    pos_ = resume ? *resume : p;
    return {};
  }

  Result<Name> name() {
    Bytes out;
    auto st = name(out);
    if (!st) {
      return fail(std::move(st).error());
    }
    return Name::from_wire(out);
  }

  std::span<const std::uint8_t> take(std::size_t n) {
    auto s = wire_.subspan(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  std::span<const std::uint8_t> wire_;
  std::size_t pos_ = 0;
};

// Reads the rdata of `type` occupying [r.pos(), end), decompressing names where RFC 1035 allows.
Result<Bytes> read_rdata(Reader& r, RRType type, std::size_t end) {
  if (!has_compressible_names(type)) {
    const auto raw = r.take(end - r.pos());
    return Bytes(raw.begin(), raw.end());
  }
  Bytes out;
  const std::size_t prefix = type == RRType::kMx ? 2 : 0;
  const std::size_t names = type == RRType::kSoa ? 2 : 1;
  const std::size_t suffix = type == RRType::kSoa ? 20 : 0;
  if (end - r.pos() < prefix) {
    return r.error(to_text(type) + " rdata too short");
  }
  const auto pre = r.take(prefix);
  out.insert(out.end(), pre.begin(), pre.end());
  for (std::size_t i = 0; i < names; ++i) {
    auto st = r.name(out);
    if (!st) {
      return fail(std::move(st).error());
    }
    if (r.pos() > end) {
      return r.error(to_text(type) + " rdata name overruns RDLENGTH");
    }
  }
  if (end - r.pos() != suffix) {
    return r.error(to_text(type) + " rdata does not fill RDLENGTH");
  }
  const auto post = r.take(suffix);
  out.insert(out.end(), post.begin(), post.end());
  return out;
}

}  // namespace

Result<Message> parse_message(std::span<const std::uint8_t> wire) {
  if (wire.size() < kHeaderSize) {
    return fail(Errc::kParse, "message shorter than its 12-octet header");
  }
  if (wire.size() > MessageBuilder::kMaxMessageSize) {
    return fail(Errc::kParse, "message longer than 65535 octets");
  }
  Reader r(wire);
  Message msg;
  const std::uint16_t id = *r.u16();
  const std::uint16_t flags = *r.u16();
  std::array<std::uint16_t, 4> counts{};
  for (auto& c : counts) {
    c = *r.u16();
  }
  msg.header = Header{.id = id,
                      .qr = (flags & 0x8000U) != 0,
                      .opcode = static_cast<std::uint8_t>((flags >> 11) & 0xfU),
                      .aa = (flags & 0x0400U) != 0,
                      .tc = (flags & 0x0200U) != 0,
                      .rd = (flags & 0x0100U) != 0,
                      .ra = (flags & 0x0080U) != 0,
                      .ad = (flags & 0x0020U) != 0,
                      .cd = (flags & 0x0010U) != 0,
                      .rcode = static_cast<std::uint16_t>(flags & 0xfU)};
  for (std::uint16_t i = 0; i < counts[0]; ++i) {
    auto qname = r.name();
    if (!qname) {
      return fail(std::move(qname).error(), "question: ");
    }
    auto qtype = r.u16();
    auto qclass = qtype ? r.u16() : Result<std::uint16_t>(0);
    if (!qtype || !qclass) {
      return r.error("question truncated");
    }
    msg.questions.push_back(
        Question{std::move(*qname), static_cast<RRType>(*qtype), static_cast<RRClass>(*qclass)});
  }
  std::array<std::vector<Record>*, 3> sections = {&msg.answer, &msg.authority, &msg.additional};
  for (std::size_t s = 0; s < 3; ++s) {
    for (std::uint16_t i = 0; i < counts[s + 1]; ++i) {
      auto owner = r.name();
      if (!owner) {
        return fail(std::move(owner).error());
      }
      if (r.remaining() < 10) {
        return r.error("record header truncated");
      }
      const auto type = static_cast<RRType>(*r.u16());
      const std::uint16_t rrclass = *r.u16();
      const std::uint32_t ttl = *r.u32();
      const std::uint16_t rdlength = *r.u16();
      if (r.remaining() < rdlength) {
        return r.error("RDLENGTH " + std::to_string(rdlength) + " overruns the message");
      }
      const std::size_t end = r.pos() + rdlength;
      auto rdata = read_rdata(r, type, end);
      if (!rdata) {
        return fail(std::move(rdata).error());
      }
      if (type == RRType::kOpt) {
        // RFC 6891 §6.1.1: one OPT, owned by the root, in the additional section.
        if (s != 2 || msg.edns || !owner->is_root()) {
          return r.error("misplaced or repeated OPT record");
        }
        msg.edns = Edns{.udp_size = rrclass,
                        .version = static_cast<std::uint8_t>((ttl >> 16) & 0xff),
                        .dnssec_ok = (ttl & 0x8000U) != 0,
                        .options = std::move(*rdata)};
        msg.header.rcode = static_cast<std::uint16_t>(msg.header.rcode | ((ttl >> 24) << 4));
        continue;
      }
      sections[s]->push_back(
          Record{std::move(*owner), type, static_cast<RRClass>(rrclass), ttl, std::move(*rdata)});
    }
  }
  if (r.remaining() != 0) {
    return r.error(std::to_string(r.remaining()) + " trailing octets");
  }
  return msg;
}

}  // namespace rootsim::dns
