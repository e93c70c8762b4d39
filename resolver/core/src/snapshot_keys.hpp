// Helpers of build_snapshot() (private to resolver/core), used at build time only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace rootsim::resolver {

/// The power of two, at least 16, that keeps an open-addressing table of `count` entries at
/// load 1/2 or below.
[[nodiscard]] std::size_t table_size(std::size_t count);

/// The lookup key (dns::Name::lookup_key form) of the uncompressed name that is all of `rdata`
/// (an NS target), into `out`, without allocating beyond `out`; false when the rdata is not one
/// well-formed name.
[[nodiscard]] bool rdata_name_key(std::span<const std::uint8_t> rdata, std::string& out);

}  // namespace rootsim::resolver
