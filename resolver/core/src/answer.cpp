// answer(): parse the query in place, find the name, then copy the header, echo the question,
// append pre-rendered pieces (patching their compression pointers) and an OPT record.
// No allocation, no locks, no exceptions: everything lives on the stack or in the snapshot.
#include "rootsim/resolver/answer.hpp"

#include "snapshot_data.hpp"

#include <algorithm>
#include <cstring>

namespace rootsim::resolver {
namespace {

constexpr std::uint16_t kTypeTxt = 16;
constexpr std::uint16_t kTypeOpt = 41;
constexpr std::uint16_t kTypeDs = 43;
constexpr std::uint16_t kTypeSoa = 6;
constexpr std::uint16_t kTypeTkey = 249;
constexpr std::uint16_t kTypeTsig = 250;
constexpr std::uint16_t kTypeIxfr = 251;
constexpr std::uint16_t kTypeAxfr = 252;
constexpr std::uint16_t kTypeMailb = 253;
constexpr std::uint16_t kTypeMaila = 254;
constexpr std::uint16_t kTypeAny = 255;
constexpr std::uint16_t kClassIn = 1;
constexpr std::uint16_t kClassCh = 3;

constexpr std::uint8_t kRcodeFormErr = 1;
constexpr std::uint8_t kRcodeNxdomain = 3;
constexpr std::uint8_t kRcodeNotImp = 4;
constexpr std::uint8_t kRcodeRefused = 5;

constexpr std::size_t kOptSize = 11;
constexpr std::size_t kPlainUdpSize = 512;  // RFC 1035 §4.2.1

enum Section : std::uint8_t { kAnswerSection = 0, kAuthoritySection = 1, kAdditionalSection = 2 };

inline std::uint16_t get16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline void put16(std::uint8_t* p, std::size_t v) noexcept {
  p[0] = static_cast<std::uint8_t>((v >> 8) & 0xFF);
  p[1] = static_cast<std::uint8_t>(v & 0xFF);
}
// A host-order uint16 of a piece blob (PieceHeader, Unit, fixup positions).
inline std::size_t load16(const std::uint8_t* p) noexcept {
  std::uint16_t v = 0;
  std::memcpy(&v, p, 2);
  return v;
}

// Appends pieces, cutting at unit (RRset) boundaries when the limit is reached.
class Assembler {
 public:
  Assembler(const ZoneSnapshot::Data& data, std::uint8_t* out, std::size_t limit,
            std::size_t qend) noexcept
      : data_(data), out_(out), limit_(limit), pos_(qend), qend_(qend) {}

  void add(std::uint32_t id, bool all_units, Section section) noexcept {
    if (stopped_ || id == kNone) {
      return;
    }
    const std::uint8_t* blob = data_.piece(id);
    PieceHeader header;
    std::memcpy(&header, blob, sizeof header);
    std::size_t n = all_units ? header.unit_count : std::min<std::size_t>(1, header.unit_count);
    if (n == 0) {
      return;
    }
    const std::uint8_t* units = blob + sizeof header;
    const std::uint8_t* fixups = units + 4U * header.unit_count;
    const std::uint8_t* bytes = fixups + 2U * header.fixup_count;
    std::size_t len = load16(units + 4 * (n - 1));
    if (pos_ + len > limit_) {
      std::size_t fit = 0;
      while (fit < n && pos_ + load16(units + 4 * fit) <= limit_) {
        ++fit;
      }
      // RFC 2181 §9 / RFC 9471: leaving out answer, authority or in-domain glue sets TC;
      // optional (sibling) glue may be dropped silently.
      if (section != kAdditionalSection || fit < header.required_units) {
        truncated_ = true;
      }
      stopped_ = true;
      n = fit;
      if (n == 0) {
        return;
      }
      len = load16(units + 4 * (n - 1));
    }
    std::uint8_t* dst = out_ + pos_;
    std::memcpy(dst, bytes, len);
    // Pointers were rendered for a question ending at base_qend; a longer qname moves them all.
    const auto delta = static_cast<std::uint16_t>(qend_ - header.base_qend);
    if (delta != 0) {
      for (std::size_t i = 0; i < header.fixup_count; ++i) {
        const std::size_t at = load16(fixups + 2 * i);
        if (at >= len) {
          break;
        }
        put16(dst + at, static_cast<std::uint16_t>(get16(dst + at) + delta));
      }
    }
    counts_[section] = static_cast<std::uint16_t>(counts_[section] + load16(units + 4 * n - 2));
    pos_ += len;
  }

  [[nodiscard]] std::size_t pos() const noexcept { return pos_; }
  [[nodiscard]] bool truncated() const noexcept { return truncated_; }
  [[nodiscard]] std::uint16_t count(Section s) const noexcept { return counts_[s]; }

 private:
  const ZoneSnapshot::Data& data_;
  std::uint8_t* out_;
  std::size_t limit_;
  std::size_t pos_;
  std::size_t qend_;
  std::uint16_t counts_[3] = {0, 0, 0};
  bool truncated_ = false;
  bool stopped_ = false;
};

// Skips a possibly compressed name in a record of the additional section.
bool skip_name(const std::uint8_t* q, std::size_t size, std::size_t& p, bool& is_root) noexcept {
  is_root = p < size && q[p] == 0;
  while (p < size) {
    const std::uint8_t len = q[p];
    if (len == 0) {
      ++p;
      return true;
    }
    if ((len & 0xC0) == 0xC0) {
      if (p + 2 > size) {
        return false;
      }
      p += 2;
      return true;
    }
    if (len > 63) {
      return false;
    }
    p += 1U + len;
  }
  return false;
}

bool equal_ci(const std::uint8_t* a, std::size_t len, const char* b, std::size_t blen) noexcept {
  if (len != blen) {
    return false;
  }
  for (std::size_t i = 0; i < len; ++i) {
    std::uint8_t c = a[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<std::uint8_t>(c + ('a' - 'A'));
    }
    if (c != static_cast<std::uint8_t>(b[i])) {
      return false;
    }
  }
  return true;
}

const TypeEntry* find_type(const ZoneSnapshot::Data& data, const Node& node,
                           std::uint16_t qtype) noexcept {
  const TypeEntry* first = data.types.data() + node.types;
  const TypeEntry* last = first + node.type_count;
  if (qtype == kTypeAny) {
    // RFC 8482 §4.2: answer one RRset; the SOA where there is one, else the first.
    for (const TypeEntry* t = first; t != last; ++t) {
      if (t->type == kTypeSoa) {
        return t;
      }
    }
    return first != last ? first : nullptr;
  }
  for (const TypeEntry* t = first; t != last; ++t) {
    if (t->type == qtype) {
      return t;
    }
  }
  return nullptr;
}

// Asks for the cache lines from piece `first` to 256 bytes past the start of piece `last` (the
// pieces of a referral lie next to each other), so that they load in parallel, not in turn.
inline void prefetch_run(const ZoneSnapshot::Data& data, std::uint32_t first,
                         std::uint32_t last) noexcept {
  if (first == kNone || !data.prefetch_pieces) {
    return;
  }
  // Addresses as integers: the run may end past the arena (a prefetch never faults).
  auto p = reinterpret_cast<std::uintptr_t>(data.piece(first));
  const std::uintptr_t end = reinterpret_cast<std::uintptr_t>(data.piece(last)) + 256;
  for (int i = 0; i < 16 && p < end; ++i, p += 64) {
    __builtin_prefetch(reinterpret_cast<const void*>(p));
  }
}

// Copies n bytes (n < 64 KiB) in 16-byte blocks, the last one overlapping the one before:
// for the question (a few dozen bytes) this beats the string move the compiler would emit,
// which takes dozens of cycles to start.
inline void copy_short(std::uint8_t* dst, const std::uint8_t* src, std::size_t n) noexcept {
  if (n >= 16) {
    for (std::size_t i = 0; i + 16 < n; i += 16) {
      std::memcpy(dst + i, src + i, 16);
    }
    std::memcpy(dst + n - 16, src + n - 16, 16);
  } else if (n >= 8) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      dst[i] = src[i];
    }
  }
}

AnswerResult header_only(std::uint8_t* o, AnswerKind kind, std::uint8_t rcode) noexcept {
  std::memset(o + 4, 0, 8);
  o[2] &= static_cast<std::uint8_t>(~0x04U);
  o[3] = static_cast<std::uint8_t>((o[3] & 0xF0U) | rcode);
  return AnswerResult{kind, 12, false};
}

}  // namespace

void prefetch_answer(const ZoneSnapshot& snapshot, std::span<const std::uint8_t> query,
                     PrefetchStage stage) noexcept {
  const ZoneSnapshot::Data& d = snapshot.data();
  const std::uint8_t* q = query.data();
  const std::size_t size = query.size();
  // A hash table that fits a cache hardly misses: there the hint would cost more than it saves.
  constexpr std::size_t kCachedTableBytes = std::size_t{1} << 20;
  if (d.origin_labels != 0 || size < 12 || d.hash.bytes() <= kCachedTableBytes) {
    return;
  }
  // The qname's last label: the TLD whose slot, record and pieces the answer reads.
  std::size_t last = 0;
  std::size_t p = 12;
  while (p < size && q[p] != 0) {
    if (q[p] > 63) {
      return;
    }
    last = p;
    p += 1U + q[p];
  }
  if (last == 0 || p >= size || q[last] >= 16 || last + 1 + 16 > size) {
    return;
  }
  // The DO bit is not parsed here: an unneeded NSEC prefetch costs less than the parsing.
  prefetch_name(d, q + last + 1, q[last], d.is_signed, stage);
}

AnswerResult answer(const ZoneSnapshot& snapshot, std::span<const std::uint8_t> query,
                    std::span<std::uint8_t> out, const AnswerContext& context) noexcept {
  const ZoneSnapshot::Data& d = snapshot.data();
  const std::uint8_t* q = query.data();
  const std::size_t size = query.size();
  if (size < 12 || out.size() < 12 || (q[2] & 0x80) != 0) {
    return AnswerResult{};  // no header, no room, or a response (never answer those: loops)
  }
  std::uint8_t* o = out.data();
  o[0] = q[0];
  o[1] = q[1];
  o[2] = static_cast<std::uint8_t>(0x80U | (q[2] & 0x79U));  // QR, opcode, RD kept
  o[3] = static_cast<std::uint8_t>(q[3] & 0x10U);            // CD kept (RFC 6840 §5.9)
  if (((q[2] >> 3) & 0x0F) != 0) {
    return header_only(o, AnswerKind::kNotImp, kRcodeNotImp);
  }
  if (get16(q + 4) != 1 || get16(q + 6) != 0 || get16(q + 8) != 0) {
    return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
  }
  // The question: uncompressed labels only (a pointer could only point into the header).
  std::uint8_t starts[kMaxLabels];
  std::size_t labels = 0;
  std::size_t p = 12;
  for (;;) {
    if (p >= size) {
      return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
    }
    const std::uint8_t len = q[p];
    if (len == 0) {
      ++p;
      break;
    }
    if (len > 63 || p + 1U + len - 12 >= 255) {
      return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
    }
    starts[labels++] = static_cast<std::uint8_t>(p - 12);
    p += 1U + len;
  }
  if (p + 4 > size) {
    return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
  }
  const std::size_t qname_len = p - 12;
  const std::uint16_t qtype = get16(q + p);
  const std::uint16_t qclass = get16(q + p + 2);
  p += 4;
  const std::size_t qend = p;

  // The additional section: at most one OPT (RFC 6891 §6.1.1), owned by the root.
  bool edns = false;
  bool dnssec_ok = false;
  std::uint8_t version = 0;
  std::size_t client_size = 0;
  for (std::size_t i = 0, n = get16(q + 10); i < n; ++i) {
    bool root_owner = false;
    if (!skip_name(q, size, p, root_owner) || p + 10 > size) {
      return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
    }
    const std::uint16_t type = get16(q + p);
    const std::size_t rdlen = get16(q + p + 8);
    const std::size_t rdata = p + 10;
    if (rdata + rdlen > size) {
      return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
    }
    if (type == kTypeOpt) {
      if (edns || !root_owner) {
        return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
      }
      edns = true;
      client_size = get16(q + p + 2);
      version = q[p + 5];
      dnssec_ok = (q[p + 6] & 0x80) != 0;
      std::size_t opt = rdata;
      while (opt + 4 <= rdata + rdlen) {
        opt += 4U + get16(q + opt + 2);
      }
      if (opt != rdata + rdlen) {
        return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
      }
    }
    p = rdata + rdlen;
  }
  if (p != size) {
    return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);  // trailing bytes
  }

  const std::size_t our_size = std::max<std::size_t>(kPlainUdpSize, d.options.edns_udp_size);
  std::size_t limit = kMaxResponseSize;
  if (context.transport == Transport::kUdp) {
    limit = edns ? std::clamp(client_size, kPlainUdpSize, our_size) : kPlainUdpSize;
  }
  limit = std::min(limit, out.size());
  const std::size_t opt_len = edns ? kOptSize : 0;
  if (qend + opt_len > limit) {
    return AnswerResult{};
  }
  copy_short(o + 12, q + 12, qend - 12);
  Assembler body(d, o, limit - opt_len, qend);

  AnswerKind kind = AnswerKind::kAnswer;
  std::uint8_t rcode = 0;
  std::uint8_t ext_rcode = 0;
  bool aa = false;
  const bool sigs = dnssec_ok && d.is_signed;
  if (edns && version > 0) {
    kind = AnswerKind::kBadVers;  // RFC 6891 §6.1.3: BADVERS = 16, upper bits in the OPT
    ext_rcode = 1;
  } else if (qclass == kClassCh) {
    const std::uint8_t* name = q + 12;
    std::uint32_t piece = kNone;
    if (equal_ci(name, qname_len,
                 "\x08hostname\x04"
                 "bind",
                 15 /* with the literal's final NUL */)) {
      piece = d.chaos_hostname_piece;
    } else if (equal_ci(name, qname_len, "\x02id\x06server", 11)) {
      piece = d.chaos_id_piece;
    }
    if (piece == kNone) {
      kind = AnswerKind::kRefused;
      rcode = kRcodeRefused;
    } else {
      kind = AnswerKind::kChaos;
      aa = true;
      if (qtype == kTypeTxt || qtype == kTypeAny) {
        body.add(piece, true, kAnswerSection);
      }
    }
  } else if (qclass != kClassIn) {
    kind = AnswerKind::kRefused;
    rcode = kRcodeRefused;
  } else if (qtype == kTypeOpt) {
    return header_only(o, AnswerKind::kFormErr, kRcodeFormErr);
  } else if (qtype == kTypeAxfr || qtype == kTypeIxfr) {
    // AXFR needs TCP and the server's transfer code; IXFR over UDP gets the SOA (RFC 1995 §4).
    kind = AnswerKind::kTransfer;
    if (qtype == kTypeIxfr) {
      aa = true;
      body.add(d.soa_piece, sigs, kAnswerSection);
    } else {
      rcode = kRcodeRefused;
    }
  } else if (qtype == 0 || qtype == kTypeTkey || qtype == kTypeTsig || qtype == kTypeMailb ||
             qtype == kTypeMaila) {
    kind = AnswerKind::kNotImp;
    rcode = kRcodeNotImp;
  } else {
    const NameSearch search = find_name(d, q + 12, size - 12, starts, labels,
                                        sigs ? KeyMode::kNsecProof : KeyMode::kWalk);
    const Lookup& found = search.lookup;
    const QueryKey& key = search.key;
    const Node& node = d.nodes[found.node];
    switch (found.kind) {
      case LookupKind::kOutOfZone:
        kind = AnswerKind::kRefused;  // not an open resolver
        rcode = kRcodeRefused;
        break;
      case LookupKind::kDelegation: {
        // The record holds copies of the cut's fields: the node array is not read.
        const NodeRecord& cut = *search.record;
        if (qtype == kTypeDs && key.labels == cut.labels) {
          // RFC 4035 §3.1.4.1: the parent side answers DS at the cut.
          aa = true;
          if (cut.ds != kNone) {
            kind = AnswerKind::kAnswer;
            body.add(cut.ds, sigs, kAnswerSection);
          } else {
            kind = AnswerKind::kNodata;
            body.add(d.soa_piece, sigs, kAuthoritySection);
            if (sigs) {
              body.add(cut.nsec, true, kAuthoritySection);
            }
          }
          break;
        }
        kind = AnswerKind::kReferral;
        prefetch_run(d, cut.ns, cut.glue != kNone ? cut.glue : cut.ns);
        body.add(cut.ns, true, kAuthoritySection);
        if (sigs) {
          // RFC 4035 §3.1.4: DS and its RRSIG, or the NSEC proving there is no DS.
          body.add(cut.ds != kNone ? cut.ds : cut.nsec, true, kAuthoritySection);
        }
        body.add(cut.glue, true, kAdditionalSection);
        break;
      }
      case LookupKind::kExact: {
        aa = true;
        const TypeEntry* entry = find_type(d, node, qtype);
        if (entry != nullptr) {
          kind = AnswerKind::kAnswer;
          body.add(entry->piece, sigs, kAnswerSection);
          body.add(entry->additional, true, kAdditionalSection);
        } else {
          kind = AnswerKind::kNodata;  // RFC 2308 §2.2, RFC 4035 §3.1.3.1
          body.add(d.soa_piece, sigs, kAuthoritySection);
          if (sigs) {
            body.add(node.nsec, true, kAuthoritySection);
          }
        }
        break;
      }
      case LookupKind::kNxdomain: {
        aa = true;
        kind = AnswerKind::kNxdomain;
        rcode = kRcodeNxdomain;
        if (sigs) {
          // RFC 4035 §3.1.3.2: the NSEC covering the qname and the one covering the wildcard.
          const std::uint32_t covering = search.covering;
          prefetch_run(d, covering, covering);
          body.add(d.soa_piece, sigs, kAuthoritySection);
          body.add(covering, true, kAuthoritySection);
          if (node.wildcard_nsec != covering) {
            body.add(node.wildcard_nsec, true, kAuthoritySection);
          }
        } else {
          body.add(d.soa_piece, false, kAuthoritySection);
        }
        break;
      }
    }
  }

  std::size_t end = body.pos();
  if (aa) {
    o[2] |= 0x04;
  }
  if (body.truncated()) {
    o[2] |= 0x02;
  }
  o[3] = static_cast<std::uint8_t>(o[3] | rcode);
  put16(o + 4, 1);
  put16(o + 6, body.count(kAnswerSection));
  put16(o + 8, body.count(kAuthoritySection));
  put16(o + 10, body.count(kAdditionalSection) + (edns ? 1U : 0U));
  if (edns) {
    std::uint8_t* opt = o + end;
    opt[0] = 0;  // root owner
    put16(opt + 1, kTypeOpt);
    put16(opt + 3, our_size);
    opt[5] = ext_rcode;
    opt[6] = 0;                     // version
    opt[7] = dnssec_ok ? 0x80 : 0;  // RFC 3225 §3: DO copied
    opt[8] = 0;
    put16(opt + 9, 0);
    end += kOptSize;
  }
  return AnswerResult{kind, end, body.truncated()};
}

}  // namespace rootsim::resolver
