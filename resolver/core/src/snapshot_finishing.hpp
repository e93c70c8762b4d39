// The last steps of build_snapshot() (private to resolver/core): NSEC coverage and the
// zone-transfer stream. Both run once per snapshot build, never on the answer path.
#pragma once

#include "rootsim/dns/record.hpp"

#include "snapshot_data.hpp"

#include <span>

namespace rootsim::resolver {

/// Gives every node its covering NSEC and the NSEC covering the wildcard at it as a possible
/// closest encloser (RFC 4035 §3.1.3). Needs the index complete.
void fill_nsec_coverage(ZoneSnapshot::Data& data);

/// Builds the AXFR stream (RFC 5936 §2.2): `soa`, `records` in the order given, `soa` again, in
/// chunks of at most kTransferChunkBytes.
void build_transfer(ZoneSnapshot::Data& data, const dns::Record& soa,
                    std::span<const dns::Record* const> records);

}  // namespace rootsim::resolver
