// Small registries built inline for tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/tld_classifier.hpp"
#include "rootsim/registry/zone_io.hpp"

namespace rootsim::testing {

inline dns::Name name(std::string_view text) { return *dns::Name::from_text(text); }

/// A root with two TLDs: "cz" (in-bailiwick NS with glue, one DS) and "example" (out-of-bailiwick).
inline registry::RegistryState small_registry() {
  registry::RegistryState state;
  auto apex = dns::parse_zone_text(
      ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026073102 1800 900 604800 86400\n"
      ". 518400 IN NS a.root-servers.net.\n",
      dns::Name(), "<fixture>");
  state.apex = apex->records;
  registry::Tld cz;
  cz.label = name("cz.");
  cz.kind = registry::TldKind::kCountryCode;
  cz.iso_code = "CZ";
  cz.manager = "CZ.NIC, z.s.p.o.";
  cz.delegation.name_servers = {name("a.ns.nic.cz."), name("b.ns.nic.cz.")};
  cz.delegation.ds = {dns::DsRdata{20237, 13, 2, *dns::from_hex("CFF0F3EC")}};
  registry::Tld example;
  example.label = name("example.");
  example.kind = registry::TldKind::kGeneric;
  example.manager = "Example Registry";
  example.delegation.name_servers = {name("ns1.provider.cz."), name("ns2.other.net.")};
  state.tlds.emplace(cz.label, cz);
  state.tlds.emplace(example.label, example);
  for (const char* host : {"a.ns.nic.cz.", "b.ns.nic.cz.", "ns1.provider.cz."}) {
    registry::Host h{name(host), {}};
    h.addresses.push_back({*dns::parse_address("194.0.12.1"), 172800});
    h.addresses.push_back({*dns::parse_address("2001:678:f::1"), 172800});
    state.hosts.emplace(h.name, h);
  }
  return state;
}

/// A registry built from root-zone records by the real importer (registry::import_zone), with a
/// root SOA added when the records have none. Fails the test on import errors.
inline registry::RegistryState imported(std::vector<dns::Record> records) {
  static const auto classifier = registry::TldClassifier::load();
  EXPECT_TRUE(classifier) << classifier.error().message;
  const bool has_soa = std::any_of(records.begin(), records.end(), [](const dns::Record& r) {
    return r.owner.is_root() && r.type == dns::RRType::kSoa;
  });
  if (!has_soa) {
    records.insert(records.begin(), dns::parse_zone_text(
                                        ". 86400 IN SOA a.root-servers.net. "
                                        "nstld.verisign-grs.com. 2026073102 1800 900 604800 86400\n",
                                        dns::Name(), "<soa>")
                                        ->records.front());
  }
  auto state = registry::import_zone(dns::ZoneContent{dns::Name(), std::move(records)},
                                     *classifier, 0);
  EXPECT_TRUE(state) << state.error().message;
  return state ? std::move(*state) : registry::RegistryState{};
}

/// A fresh temporary path for a database; removed (with -wal/-shm) when the object dies.
class TempDb {
 public:
  explicit TempDb(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() /
              ("rootsim_" + tag + "_" + std::to_string(::getpid()) + ".db")) {
    remove();
  }
  ~TempDb() { remove(); }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  void remove() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix, ec);
    }
  }
  std::filesystem::path path_;
};

}  // namespace rootsim::testing
