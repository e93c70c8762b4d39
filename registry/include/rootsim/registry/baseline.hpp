// The built-in baseline: a realistic root registry generated, deterministically from a seed, from
// data Debian ships (PSL TLD list, ISO 3166-1, root hints and trust anchors) and the measured
// statistics of a real root zone. Thread-safety: pure functions; results are plain values.
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/registry_state.hpp"
#include "rootsim/registry/tld_classifier.hpp"
#include "rootsim/registry/zone_statistics.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace rootsim::registry {

struct BaselineSources {
  ClassifierSources classifier;
  std::filesystem::path root_hints = "/usr/share/dns/root.hints";  ///< dns-root-data
  std::filesystem::path root_key = "/usr/share/dns/root.key";      ///< dns-root-data
};

/// Builds the baseline registry: every single-label TLD of the PSL's ICANN section (see
/// TldClassifier::psl_tlds(); special-use names such as onion, RFC 7686, are left out),
/// classified, with plausible managers and contacts; name servers, glue and DS drawn from `seed`
/// so that measure_zone_statistics of build_unsigned_zone(result) (zone_io.hpp) matches `stats` (NS per TLD,
/// bailiwick, providers, glue, IPv6, DS share, algorithms, digest types, TTLs). The apex is the
/// root's SOA (serial YYYYMMDD00 of `now`, unix seconds) and NS a..m.root-servers.net with their
/// root.hints addresses as hosts. Glue addresses are unique and never special-purpose. Same
/// inputs and seed give an identical state. Errors: those of the sources (kIo, kParse), kSemantic
/// when `stats` is empty or root.hints names no root servers.
[[nodiscard]] Result<RegistryState> build_baseline(const BaselineSources& sources,
                                                   const ZoneStatistics& stats, std::uint64_t seed,
                                                   std::int64_t now);

/// The root trust anchors (DNSKEY records at ".") from root.key, for DNSSEC validation by the
/// scenario engine. Errors: kIo, kParse, kNotFound when the file holds no DNSKEY.
[[nodiscard]] Result<std::vector<dns::Record>> load_trust_anchors(
    const std::filesystem::path& root_key = "/usr/share/dns/root.key");


}  // namespace rootsim::registry
