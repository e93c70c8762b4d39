// DNSSEC arithmetic every module shares: key tags (RFC 4034 App. B) and DS digests (RFC 4034 §5.1.4,
// RFC 4509, RFC 6605). Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/record.hpp"

namespace rootsim::dns {

/// The key tag of a DNSKEY's rdata (RFC 4034 Appendix B; algorithm 1 is not supported).
[[nodiscard]] std::uint16_t key_tag(std::span<const std::uint8_t> dnskey_rdata) noexcept;

/// The DS that points at `dnskey_rdata` owned by `owner`, with digest type 1 (SHA-1),
/// 2 (SHA-256) or 4 (SHA-384). Errors: kSemantic for other digest types or short rdata.
[[nodiscard]] Result<DsRdata> compute_ds(const Name& owner, std::span<const std::uint8_t> dnskey_rdata,
                                         std::uint8_t digest_type);

}  // namespace rootsim::dns
