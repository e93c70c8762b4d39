// How a TLD is shown: JSON (for --json) and text. Glue comes from the registry's hosts.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "rootsim/registry/registry_state.hpp"

namespace rootsim::cli {

/// {label, u_label, kind, iso_code, manager, status, removal_date, admin, tech,
///  ns: [{host, addresses: [..]}], ds: ["tag alg type HEX"], ns_ttl, ds_ttl, created_at, updated_at}
[[nodiscard]] nlohmann::json tld_to_json(const registry::Tld& tld,
                                         const registry::RegistryState& state);
[[nodiscard]] std::string tld_to_text(const registry::Tld& tld,
                                      const registry::RegistryState& state);
/// Accepts "cz", "cz.", "CZ" and A-labels; kParse for malformed names, kSemantic for non-TLDs.
[[nodiscard]] Result<dns::Name> parse_tld_label(const std::string& text);

}  // namespace rootsim::cli
