#include "rootsim/registry/tld.hpp"

#include <array>
#include <utility>

#include "rootsim/registry/registry_state.hpp"

namespace rootsim::registry {
namespace {

constexpr std::array<std::pair<TldKind, std::string_view>, 6> kKinds{{
    {TldKind::kCountryCode, "country-code"},
    {TldKind::kGeneric, "generic"},
    {TldKind::kIdnCountryCode, "idn-country-code"},
    {TldKind::kSponsored, "sponsored"},
    {TldKind::kInfrastructure, "infrastructure"},
    {TldKind::kTest, "test"},
}};
constexpr std::array<std::pair<TldStatus, std::string_view>, 3> kStatuses{{
    {TldStatus::kActive, "active"},
    {TldStatus::kRetiring, "retiring"},
    {TldStatus::kRemoved, "removed"},
}};

}  // namespace

std::string_view to_string(TldKind kind) noexcept {
  for (const auto& [k, s] : kKinds) {
    if (k == kind) {
      return s;
    }
  }
  return "generic";
}

std::string_view to_string(TldStatus status) noexcept {
  for (const auto& [k, s] : kStatuses) {
    if (k == status) {
      return s;
    }
  }
  return "active";
}

std::optional<TldKind> tld_kind_from_string(std::string_view text) noexcept {
  for (const auto& [k, s] : kKinds) {
    if (s == text) {
      return k;
    }
  }
  return std::nullopt;
}

std::optional<TldStatus> tld_status_from_string(std::string_view text) noexcept {
  for (const auto& [k, s] : kStatuses) {
    if (s == text) {
      return k;
    }
  }
  return std::nullopt;
}

const Tld* RegistryState::find_tld(const dns::Name& label) const {
  const auto it = tlds.find(label);
  return it == tlds.end() ? nullptr : &it->second;
}

const Host* RegistryState::find_host(const dns::Name& name) const {
  const auto it = hosts.find(name);
  return it == hosts.end() ? nullptr : &it->second;
}

std::uint32_t RegistryState::serial() const {
  for (const dns::Record& r : apex) {
    if (r.type == dns::RRType::kSoa) {
      if (auto soa = dns::read_soa_rdata(r.rdata)) {
        return soa->serial;
      }
    }
  }
  return 0;
}

}  // namespace rootsim::registry
