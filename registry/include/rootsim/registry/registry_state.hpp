// The registry's content at one moment: apex records, TLDs and hosts. A value; the SQLite store
// loads and saves it, the zone builder reads it. Thread-safety: a plain value.
#pragma once

#include <map>
#include <vector>

#include "rootsim/dns/record.hpp"
#include "rootsim/registry/tld.hpp"

namespace rootsim::registry {

struct RegistryState {
  /// Records owned by the root itself (SOA, NS, and whatever DNSSEC records an import carried).
  std::vector<dns::Record> apex;
  std::map<dns::Name, Tld> tlds;    ///< keyed by label, canonical order
  std::map<dns::Name, Host> hosts;  ///< keyed by host name, canonical order

  [[nodiscard]] const Tld* find_tld(const dns::Name& label) const;
  [[nodiscard]] const Host* find_host(const dns::Name& name) const;
  /// The apex SOA serial, or 0 when there is no SOA.
  [[nodiscard]] std::uint32_t serial() const;
};

}  // namespace rootsim::registry
