// The answer path: one DNS query in wire form -> one response in wire form, from a snapshot.
// Thread-safety: answer() only reads the snapshot; call it from any number of threads, each with
// its own output buffer. It takes no lock, allocates nothing and throws nothing. Ownership: the
// caller owns both buffers; nothing is kept after the call returns.
#pragma once

#include "rootsim/resolver/zone_snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace rootsim::resolver {

/// What kind of response was written. The rcode follows from the kind.
enum class AnswerKind : std::uint8_t {
  kAnswer,    ///< NOERROR, AA, records in the answer section
  kReferral,  ///< NOERROR, not AA, NS in authority (RFC 1034 §4.3.2 step 3b)
  kNodata,    ///< NOERROR, AA, SOA in authority (RFC 2308 §2.2)
  kNxdomain,  ///< NXDOMAIN, AA, SOA in authority (RFC 2308 §2.1)
  kChaos,     ///< CH TXT hostname.bind./id.server. answered with the instance name
  kTransfer,  ///< AXFR/IXFR: REFUSED written; a TCP server handles the transfer itself
  kFormErr,   ///< FORMERR: the query is malformed
  kNotImp,    ///< NOTIMP: an opcode other than QUERY, or a meta query type we do not serve
  kRefused,   ///< REFUSED: another class, a name outside the zone, unknown CH names
  kBadVers,   ///< BADVERS (extended rcode 16): EDNS version above 0 (RFC 6891 §6.1.3)
  kDrop,      ///< nothing written (size 0): too short for a header, a response, no room
};

enum class Transport : std::uint8_t { kUdp, kTcp };

struct AnswerContext {
  /// UDP answers are cut to the client's EDNS size (512 without EDNS) capped at our
  /// edns_udp_size; TCP answers only to 65535 bytes and the output buffer.
  Transport transport = Transport::kUdp;
};

struct AnswerResult {
  AnswerKind kind = AnswerKind::kDrop;
  std::size_t size = 0;    ///< bytes written to `out`; 0 = send nothing
  bool truncated = false;  ///< TC was set: records were left out (RFC 2181 §9)
};

/// Largest response answer() ever writes; an output buffer this big never limits it.
inline constexpr std::size_t kMaxResponseSize = 65535;

/// Answers `query` from `snapshot` into `out` as a root server does (RFC 1034/1035, 2308, 4035,
/// 6891, 8482): referrals with glue (and DS or the NSEC proving its absence under DO), apex
/// answers, NODATA/NXDOMAIN with SOA and under DO the NSEC proof, minimal ANY, EDNS echo, TC.
/// The client's qname bytes are echoed (case kept) and owner names point at them.
/// Complexity: O(qname length) plus O(log names) for the NSEC of an NXDOMAIN under DO; no
/// allocation, no locks, no exceptions.
[[nodiscard]] AnswerResult answer(const ZoneSnapshot& snapshot, std::span<const std::uint8_t> query,
                                  std::span<std::uint8_t> out,
                                  const AnswerContext& context = {}) noexcept;

/// The steps of prefetch_answer(), each a few queries after the one before (a batch from
/// recvmmsg, for example): each reads only lines the step before has asked for.
enum class PrefetchStage : std::uint8_t {
  kIndex,   ///< the hash slot of the qname's TLD and the NSEC tree's first uncached line
  kRecord,  ///< the TLD's record, or for a name not there, the NSEC tree leaf
  kPieces,  ///< the referral's pieces, or the covering NSEC
};

/// A hint, never required: asks for the snapshot lines that answer(query) will read, so that
/// a server answering a batch can call it for the queries a few places ahead and their cache
/// misses overlap with the answering of earlier ones. Only reads; a no-op for any query it does
/// not understand, for zones other than the root and for snapshots small enough to stay in a
/// cache (the real root). Thread-safety as answer().
/// Complexity: O(qname length); no allocation, no locks, no exceptions.
void prefetch_answer(const ZoneSnapshot& snapshot, std::span<const std::uint8_t> query,
                     PrefetchStage stage) noexcept;

}  // namespace rootsim::resolver
