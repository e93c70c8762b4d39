// Renders records into pre-built answer pieces (RFC 1035 §4.1.4 compression, only for owner
// names and the rdata names of NS, CNAME, PTR, MX and SOA, as RFC 3597 §4 allows).
#include "piece_writer.hpp"

#include <algorithm>
#include <cstring>

namespace rootsim::resolver {
namespace {

// The largest question a query can carry (12-byte header + 255-octet name + type + class):
// anchor offsets beyond this margin could not be pointed at (pointers are 14 bits).
constexpr std::size_t kMaxQuestionEnd = 12 + 255 + 4;
constexpr std::size_t kMaxPointer = 0x3FFF;
// A piece must leave room for the question and an OPT record in a 64 KiB message.
constexpr std::size_t kMaxPieceBytes = 65535 - kMaxQuestionEnd - 11;

// The wire name (at most 255 octets) lowercased into `out`; returns its length.
std::size_t lowercase(std::span<const std::uint8_t> wire, std::uint8_t* out) {
  const std::size_t n = std::min<std::size_t>(wire.size(), 255);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t c = wire[i];
    out[i] = (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c - 'A' + 'a') : c;
  }
  return n;
}

// Length of the uncompressed wire name at the start of `in`, or 0 when malformed.
std::size_t name_length(std::span<const std::uint8_t> in) {
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t len = in[pos];
    if (len == 0) {
      return pos + 1;
    }
    if (len > 63) {
      return 0;
    }
    pos += 1 + len;
  }
  return 0;
}

}  // namespace

void Dictionary::add(std::span<const std::uint8_t> suffix, std::uint16_t target) {
  entries_.push_back(Entry{static_cast<std::uint32_t>(bytes_.size()),
                           static_cast<std::uint16_t>(suffix.size()), target});
  bytes_.insert(bytes_.end(), suffix.begin(), suffix.end());
}

bool Dictionary::find(std::span<const std::uint8_t> suffix, std::uint16_t& target) const {
  for (const Entry& e : entries_) {
    if (e.len == suffix.size() && std::memcmp(bytes_.data() + e.at, suffix.data(), e.len) == 0) {
      target = e.target;
      return true;
    }
  }
  return false;
}

PieceWriter::PieceWriter(const dns::Name& context, bool anchor,
                         const Dictionary* anchor_dictionary) {
  start(context, anchor, anchor_dictionary);
}

void PieceWriter::start(const dns::Name& context, bool anchor,
                        const Dictionary* anchor_dictionary) {
  anchor_dictionary_ = anchor_dictionary;
  anchor_ = anchor;
  context_.clear();
  own_.clear();
  buf_.clear();
  fixups_.clear();
  units_.clear();
  open_records_ = 0;
  rr_total_ = 0;
  too_big_ = false;
  const auto wire = context.wire();
  base_qend_ = static_cast<std::uint16_t>(12 + wire.size() + 4);
  std::uint8_t lower[256];
  const std::size_t n = lowercase(wire, lower);
  std::size_t pos = 0;
  while (pos < n && lower[pos] != 0) {
    context_.add(std::span<const std::uint8_t>(lower + pos, n - pos),
                 static_cast<std::uint16_t>(n - pos));
    pos += 1U + lower[pos];
  }
}

bool PieceWriter::find(std::span<const std::uint8_t> suffix, std::uint16_t& target) const {
  for (const Dictionary* dict : {&context_, &own_, anchor_dictionary_}) {
    if (dict != nullptr && dict->find(suffix, target)) {
      return true;
    }
  }
  return false;
}

void PieceWriter::put16(std::uint16_t v) {
  const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(v >> 8),
                                 static_cast<std::uint8_t>(v & 0xFF)};
  buf_.insert(buf_.end(), bytes, bytes + 2);
}

void PieceWriter::write_name(std::span<const std::uint8_t> wire, bool compress) {
  std::uint8_t lower[256];
  const std::size_t n = compress ? lowercase(wire, lower) : 0;
  std::size_t pos = 0;
  while (pos < wire.size() && wire[pos] != 0) {
    if (compress && pos < n) {
      const std::span<const std::uint8_t> suffix(lower + pos, n - pos);
      std::uint16_t target = 0;
      if (find(suffix, target)) {
        // Rendered for a qname equal to the context; moved per query when it is longer.
        const std::size_t at =
            (target & kAnchorBit) != 0 ? base_qend_ + (target & 0x7FFFU) : base_qend_ - 4U - target;
        fixups_.push_back(static_cast<std::uint16_t>(buf_.size()));
        put16(static_cast<std::uint16_t>(0xC000U | at));
        return;
      }
      if (anchor_ && buf_.size() + kMaxQuestionEnd < kMaxPointer) {
        own_.add(suffix, static_cast<std::uint16_t>(kAnchorBit | buf_.size()));
      }
    }
    const std::size_t len = wire[pos];
    buf_.insert(buf_.end(), wire.begin() + static_cast<std::ptrdiff_t>(pos),
                wire.begin() + static_cast<std::ptrdiff_t>(pos + 1 + len));
    pos += 1 + len;
  }
  buf_.push_back(0);
}

void PieceWriter::add(const dns::Record& record) {
  write_name(record.owner.wire(), true);
  put16(dns::to_number(record.type));
  put16(static_cast<std::uint16_t>(record.rrclass));
  put16(static_cast<std::uint16_t>(record.ttl >> 16));
  put16(static_cast<std::uint16_t>(record.ttl & 0xFFFF));
  const std::size_t rdlen_pos = buf_.size();
  put16(0);
  const std::span<const std::uint8_t> rdata(record.rdata);
  std::size_t name_at = 0;
  bool has_name = false;
  switch (record.type) {
    case dns::RRType::kNs:
    case dns::RRType::kCname:
    case dns::RRType::kPtr:
      has_name = true;
      break;
    case dns::RRType::kMx:
      has_name = rdata.size() > 2;
      name_at = 2;
      break;
    case dns::RRType::kSoa:
      has_name = true;
      break;
    default:
      break;
  }
  if (has_name && name_length(rdata.subspan(name_at)) != 0) {
    buf_.insert(buf_.end(), rdata.begin(), rdata.begin() + static_cast<std::ptrdiff_t>(name_at));
    std::size_t rest = name_at;
    const std::size_t n1 = name_length(rdata.subspan(rest));
    write_name(rdata.subspan(rest, n1), true);
    rest += n1;
    if (record.type == dns::RRType::kSoa) {
      const std::size_t n2 = name_length(rdata.subspan(rest));
      if (n2 != 0) {
        write_name(rdata.subspan(rest, n2), true);
        rest += n2;
      }
    }
    buf_.insert(buf_.end(), rdata.begin() + static_cast<std::ptrdiff_t>(rest), rdata.end());
  } else {
    buf_.insert(buf_.end(), rdata.begin(), rdata.end());
  }
  const std::size_t rdlen = buf_.size() - rdlen_pos - 2;
  if (rdlen > 0xFFFF) {
    too_big_ = true;
  }
  buf_[rdlen_pos] = static_cast<std::uint8_t>((rdlen >> 8) & 0xFF);
  buf_[rdlen_pos + 1] = static_cast<std::uint8_t>(rdlen & 0xFF);
  ++open_records_;
}

void PieceWriter::end_unit() {
  if (open_records_ == 0) {
    return;
  }
  rr_total_ += open_records_;
  open_records_ = 0;
  if (buf_.size() > kMaxPieceBytes || rr_total_ > 0xFFFF) {
    too_big_ = true;
    return;
  }
  units_.push_back(
      Unit{static_cast<std::uint16_t>(buf_.size()), static_cast<std::uint16_t>(rr_total_)});
}

Result<std::uint32_t> PieceWriter::finish(std::vector<std::uint8_t>& arena,
                                          std::size_t arena_base, std::uint16_t required_units) {
  end_unit();
  if (too_big_) {
    return fail(Errc::kLimit, "an RRset does not fit a 64 KiB DNS message");
  }
  while ((arena_base + arena.size()) % 4 != 0) {
    arena.push_back(0);
  }
  const std::size_t id = (arena_base + arena.size()) / 4;
  if (id >= kNone) {
    return fail(Errc::kLimit, "the snapshot's answer pieces outgrow 16 GiB");
  }
  auto put = [&arena](std::uint16_t v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    arena.insert(arena.end(), p, p + 2);
  };
  put(static_cast<std::uint16_t>(units_.size()));
  put(static_cast<std::uint16_t>(fixups_.size()));
  put(required_units);
  put(base_qend_);
  for (const Unit& u : units_) {
    put(u.end);
    put(u.rr_total);
  }
  for (const std::uint16_t f : fixups_) {
    put(f);
  }
  arena.insert(arena.end(), buf_.begin(), buf_.end());
  return static_cast<std::uint32_t>(id);
}

}  // namespace rootsim::resolver
