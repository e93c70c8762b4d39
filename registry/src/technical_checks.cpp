// The checks of technical_checks.hpp that look only at registry data, and the catalog.
// DS checks are in technical_checks_ds.cpp; the address table in technical_checks_addresses.cpp.
#include "rootsim/registry/technical_checks.hpp"

#include "technical_checks_internal.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rootsim::registry {
namespace {

struct CodeName {
  CheckCode code;
  std::string_view text;
};
constexpr std::array<CodeName, 12> kCodeNames = {{
    {CheckCode::kNsCount, "ns-count"},
    {CheckCode::kNsDistinctAddresses, "ns-distinct-addresses"},
    {CheckCode::kHostNameSyntax, "host-name-syntax"},
    {CheckCode::kGlueMissing, "glue-missing"},
    {CheckCode::kGlueInconsistent, "glue-inconsistent"},
    {CheckCode::kAddressSpecialPurpose, "address-special-purpose"},
    {CheckCode::kReferralSize, "referral-size"},
    {CheckCode::kDsAlgorithm, "ds-algorithm"},
    {CheckCode::kDsDigestType, "ds-digest-type"},
    {CheckCode::kDsDigestLength, "ds-digest-length"},
    {CheckCode::kDsMatchesDnskey, "ds-matches-dnskey"},
    {CheckCode::kNsAuthoritative, "ns-authoritative"},
}};

// The NS names of the delegation without repeats, in the order given.
std::vector<dns::Name> distinct_name_servers(const Tld& tld) {
  std::vector<dns::Name> out;
  for (const dns::Name& ns : tld.delegation.name_servers) {
    if (std::find(out.begin(), out.end(), ns) == out.end()) {
      out.push_back(ns);
    }
  }
  return out;
}

std::vector<CheckFinding> check_ns_count(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  const std::string tld = ctx.tld.label.to_text();
  const auto distinct = distinct_name_servers(ctx.tld);
  if (distinct.size() < 2) {
    out.push_back({CheckCode::kNsCount, Severity::kError, tld,
                   tld + " has " + std::to_string(distinct.size()) +
                       " distinct name server(s); at least 2 are required"});
  }
  if (distinct.size() != ctx.tld.delegation.name_servers.size()) {
    out.push_back({CheckCode::kNsCount, Severity::kWarning, tld,
                   tld + " lists a name server more than once"});
  }
  return out;
}

std::vector<CheckFinding> check_ns_distinct_addresses(const CheckContext& ctx) {
  std::set<dns::Bytes> addresses;
  std::size_t unknown = 0;
  for (const dns::Name& ns : distinct_name_servers(ctx.tld)) {
    const Host* host = ctx.state.find_host(ns);
    if (host == nullptr || host->addresses.empty()) {
      ++unknown;
      continue;
    }
    for (const HostAddress& a : host->addresses) {
      addresses.insert(a.address.rdata);
    }
  }
  std::vector<CheckFinding> out;
  if (addresses.size() >= 2) {
    return out;
  }
  const std::string tld = ctx.tld.label.to_text();
  const std::string what = tld + "'s name servers have " + std::to_string(addresses.size()) +
                           " distinct known address(es)";
  if (unknown == 0) {
    out.push_back({CheckCode::kNsDistinctAddresses, Severity::kError, tld,
                   what + "; at least 2 are required"});
  } else {
    out.push_back({CheckCode::kNsDistinctAddresses, Severity::kInfo, tld,
                   what + " and " + std::to_string(unknown) +
                       " name server(s) without glue; cannot tell without the network"});
  }
  return out;
}

std::vector<CheckFinding> check_host_name_syntax(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::Name& ns : distinct_name_servers(ctx.tld)) {
    if (auto problem = host_name_problem(ns)) {
      out.push_back({CheckCode::kHostNameSyntax, Severity::kError, ns.to_text(),
                     "name server " + ns.to_text() + " is not a valid host name: " + *problem});
    }
  }
  return out;
}

std::vector<CheckFinding> check_glue_missing(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::Name& ns : distinct_name_servers(ctx.tld)) {
    if (!ns.is_subdomain_of(ctx.tld.label)) {
      continue;
    }
    const Host* host = ctx.state.find_host(ns);
    if (host == nullptr || host->addresses.empty()) {
      out.push_back({CheckCode::kGlueMissing, Severity::kError, ns.to_text(),
                     "name server " + ns.to_text() + " is inside " + ctx.tld.label.to_text() +
                         " and needs glue, but has no address"});
    }
  }
  return out;
}

// Decision: glue is inconsistent when it cannot be published as recorded. Addresses of a host
// that lies under no TLD of the registry would be out-of-zone data in the root (RFC 9471 §2);
// an A/AAAA whose rdata has the wrong length is corrupt; a repeated address is noise a zone
// builder would silently merge. Sibling glue (a host under another TLD) is consistent.
std::vector<CheckFinding> check_glue_inconsistent(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::Name& ns : distinct_name_servers(ctx.tld)) {
    const Host* host = ctx.state.find_host(ns);
    if (host == nullptr || host->addresses.empty()) {
      continue;
    }
    const std::string name = ns.to_text();
    if (!detail::under_registry_tld(ns, ctx.state)) {
      out.push_back({CheckCode::kGlueInconsistent, Severity::kError, name,
                     "addresses are recorded for " + name +
                         ", but no TLD in the registry contains it, so they cannot be published"});
    }
    std::set<dns::Bytes> seen;
    for (const HostAddress& a : host->addresses) {
      const std::size_t want = a.address.type == dns::RRType::kA ? 4 : 16;
      const bool typed = a.address.type == dns::RRType::kA || a.address.type == dns::RRType::kAaaa;
      if (!typed || a.address.rdata.size() != want) {
        out.push_back({CheckCode::kGlueInconsistent, Severity::kError, name,
                       "glue of " + name + " is not a well-formed A or AAAA record"});
      } else if (!seen.insert(a.address.rdata).second) {
        out.push_back({CheckCode::kGlueInconsistent, Severity::kWarning, name,
                       "glue of " + name + " lists " + dns::address_to_text(a.address.rdata) +
                           " more than once"});
      }
    }
  }
  return out;
}

std::vector<CheckFinding> check_address_special_purpose(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::Name& ns : distinct_name_servers(ctx.tld)) {
    const Host* host = ctx.state.find_host(ns);
    if (host == nullptr) {
      continue;
    }
    for (const HostAddress& a : host->addresses) {
      const SpecialPurposeBlock* block = find_special_purpose_block(a.address.rdata);
      if (block == nullptr || block->globally_reachable == true) {
        continue;  // ordinary unicast, or e.g. AS112, where a name server may legitimately sit
      }
      const std::string address = dns::address_to_text(a.address.rdata);
      out.push_back({CheckCode::kAddressSpecialPurpose,
                     block->globally_reachable.has_value() ? Severity::kError : Severity::kWarning,
                     address,
                     "name server " + ns.to_text() + " has address " + address + " in " +
                         std::string(block->prefix) + " (" + std::string(block->name) + ", " +
                         std::string(block->rfc) + "), which is " +
                         (block->globally_reachable.has_value() ? "not globally reachable"
                                                                : "not a stable unicast address")});
    }
  }
  return out;
}

std::vector<CheckFinding> check_referral_size(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  const ReferralSize r = measure_referral(ctx.tld, ctx.state, ctx.input.referral_label_length,
                                          ctx.input.referral_size_limit);
  const std::string tld = ctx.tld.label.to_text();
  const std::string limit = std::to_string(ctx.input.referral_size_limit);
  const std::string sizes = "the referral for a " +
                            std::to_string(ctx.input.referral_label_length) +
                            "-octet label under " + tld + " is " + std::to_string(r.full_size) +
                            " octets with all " + std::to_string(r.glue_total) + " glue records";
  if (!r.ns_fit) {
    out.push_back({CheckCode::kReferralSize, Severity::kError, tld,
                   sizes + "; even the NS set alone does not fit in " + limit});
  } else if (r.glue_total > 0 && r.glue_fitted == 0) {
    // IANA: all NS plus at least one glue address must fit (RFC 1035 lets the rest go).
    out.push_back({CheckCode::kReferralSize,
                   r.in_bailiwick_glue_needed ? Severity::kError : Severity::kWarning, tld,
                   sizes + "; no glue record fits in " + limit + " beside the NS set"});
  } else if (r.glue_fitted < r.glue_total) {
    out.push_back({CheckCode::kReferralSize, Severity::kInfo, tld,
                   sizes + "; " + std::to_string(r.glue_fitted) + " of them fit in " + limit +
                       " and " + std::to_string(r.glue_total - r.glue_fitted) + " are dropped"});
  }
  return out;
}

constexpr std::array<CheckDescriptor, 12> kCatalog = {{
    {CheckCode::kNsCount, false, "at least two distinct NS", check_ns_count},
    {CheckCode::kNsDistinctAddresses, false, "NS on at least two distinct addresses",
     check_ns_distinct_addresses},
    {CheckCode::kHostNameSyntax, false, "NS names are RFC 1123 host names", check_host_name_syntax},
    {CheckCode::kGlueMissing, false, "glue for every NS inside the TLD", check_glue_missing},
    {CheckCode::kGlueInconsistent, false, "glue publishable and well-formed",
     check_glue_inconsistent},
    {CheckCode::kAddressSpecialPurpose, false, "no special-purpose addresses (RFC 6890)",
     check_address_special_purpose},
    {CheckCode::kReferralSize, false, "NS and one glue fit a 512-octet referral",
     check_referral_size},
    {CheckCode::kDsAlgorithm, false, "DS algorithm allowed", detail::check_ds_algorithm},
    {CheckCode::kDsDigestType, false, "DS digest type allowed", detail::check_ds_digest_type},
    {CheckCode::kDsDigestLength, false, "DS digest length matches its type",
     detail::check_ds_digest_length},
    {CheckCode::kDsMatchesDnskey, false, "each DS matches a supplied DNSKEY",
     detail::check_ds_matches_dnskey},
    {CheckCode::kNsAuthoritative, true, "each NS address answers SOA authoritatively",
     detail::check_ns_authoritative},
}};

}  // namespace

std::string_view to_string(CheckCode code) noexcept {
  for (const auto& c : kCodeNames) {
    if (c.code == code) {
      return c.text;
    }
  }
  return "unknown";
}

std::optional<CheckCode> check_code_from_string(std::string_view text) noexcept {
  for (const auto& c : kCodeNames) {
    if (c.text == text) {
      return c.code;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "unknown";
}

std::span<const CheckDescriptor> technical_check_catalog() noexcept { return kCatalog; }

std::vector<CheckFinding> run_technical_checks(const Tld& tld, const RegistryState& state,
                                               const CheckInput& input) {
  const CheckContext ctx{tld, state, input};
  std::vector<CheckFinding> out;
  for (const CheckDescriptor& check : kCatalog) {
    if (check.needs_network && input.probe == nullptr) {
      continue;
    }
    auto findings = check.run(ctx);
    out.insert(out.end(), std::make_move_iterator(findings.begin()),
               std::make_move_iterator(findings.end()));
  }
  return out;
}

bool passed(std::span<const CheckFinding> findings) noexcept {
  return std::none_of(findings.begin(), findings.end(),
                      [](const CheckFinding& f) { return f.severity == Severity::kError; });
}

std::optional<std::string> host_name_problem(const dns::Name& host) {
  if (host.is_root()) {
    return "the root is not a host name";
  }
  if (host.wire().size() > 255) {
    return "longer than 255 octets";
  }
  for (const std::string& label : host.labels()) {
    if (label.empty() || label.size() > 63) {
      return "label of " + std::to_string(label.size()) + " octets";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "label '" + label + "' starts or ends with a hyphen";
    }
    for (const char c : label) {
      const bool ldh =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ldh) {
        return "label '" + label + "' has a character other than a letter, digit or hyphen";
      }
    }
  }
  return std::nullopt;
}

}  // namespace rootsim::registry
