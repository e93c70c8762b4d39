// Private to registry/src/technical_checks*.cpp: the checks implemented in the other files.
#pragma once

#include "rootsim/registry/technical_checks.hpp"

#include <vector>

namespace rootsim::registry::detail {

/// True when `host` lies under a TLD the registry holds (so the root zone can carry its glue).
[[nodiscard]] bool under_registry_tld(const dns::Name& host, const RegistryState& state);

std::vector<CheckFinding> check_ds_algorithm(const CheckContext& ctx);
std::vector<CheckFinding> check_ds_digest_type(const CheckContext& ctx);
std::vector<CheckFinding> check_ds_digest_length(const CheckContext& ctx);
std::vector<CheckFinding> check_ds_matches_dnskey(const CheckContext& ctx);
std::vector<CheckFinding> check_ns_authoritative(const CheckContext& ctx);

}  // namespace rootsim::registry::detail
