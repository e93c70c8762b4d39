// DNSSEC signing of a zone (NSEC, RRSIG, DNSKEY, ZONEMD) from its unsigned records, in full
// (sign_zone) or incrementally (ZoneSigner keeps the signed state and re-signs only what changed).
// Thread-safety: sign_zone is a pure function that runs its own worker threads; a ZoneSigner is
// used by one thread at a time. Returned records are values owned by the caller.
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/zone_file.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/registry/signature_cache.hpp"
#include "rootsim/registry/signing_key.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <thread>
#include <vector>

namespace rootsim::registry {

struct SigningPolicy {
  std::int64_t now = 0;                  ///< unix seconds; never read from the clock
  std::int64_t inception_offset = 3600;  ///< inception = now - this (root: 1 h)
  std::int64_t validity = 13 * 86400;    ///< expiration = now + this (root: 13 days)
  std::int64_t refresh = 3 * 86400;      ///< re-sign kept signatures expiring sooner
  std::uint32_t dnskey_ttl = 172800;     ///< as the root
  unsigned threads = std::thread::hardware_concurrency();  ///< 0 is taken as 1
  bool zonemd = true;  ///< add ZONEMD (RFC 8976, SIMPLE, SHA-384)
  /// Borrowed, may be null: signatures other signers with the same keys made over the same
  /// data are taken from it, and new ones are kept in it.
  SignatureCache* signature_cache = nullptr;
};

struct SigningStats {
  std::size_t rrsets_signed = 0;      ///< RRsets that got new signatures in this run
  std::size_t signatures = 0;         ///< signature operations performed
  std::size_t signatures_reused = 0;  ///< signatures kept from the previous run
  std::size_t nsec_records = 0;       ///< size of the NSEC chain
  std::size_t records = 0;            ///< records in the signed zone
};

struct SignedZone {
  std::vector<dns::Record> records;  ///< canonical order (RFC 4034 §6.1), canonical rdata
  SigningStats stats;
};

/// Signs the zone whose apex is the owner of its single SOA record. RRSIG, NSEC, NSEC3,
/// NSEC3PARAM, DNSKEY and ZONEMD records in the input are dropped and made afresh. The DNSKEY
/// RRset holds every key not yet removed; active KSKs sign it; active ZSKs (or, when there is
/// none, active KSKs) sign all other authoritative RRsets; delegation NS and glue stay unsigned.
/// Errors: kSemantic without exactly one SOA, with records outside the zone, without an active
/// KSK, or when two keys share a key tag; kParse for an unreadable private key;
/// kIo when OpenSSL fails. Cost: dominated by the signature operations, spread over
/// policy.threads threads.
[[nodiscard]] Result<SignedZone> sign_zone(std::vector<dns::Record> unsigned_records,
                                           const std::vector<SigningKey>& keys,
                                           const SigningPolicy& policy);

/// Checks one RRSIG record over `rrset` (records of one owner and type) with a DNSKEY record at
/// time `now` (unix seconds). Errors: kSemantic naming what does not match or verify.
[[nodiscard]] Status verify_rrsig(const dns::Record& rrsig, const std::vector<dns::Record>& rrset,
                                  const dns::Record& dnskey, std::int64_t now);

/// Keeps the last signed zone; each update() takes the next unsigned zone and re-signs only the
/// RRsets whose canonical content changed (new or changed RRsets, NSEC records whose next name or
/// bitmap changed, the SOA, the DNSKEY RRset when the keys changed, ZONEMD), plus any whose
/// signer should change (rollover) or whose signatures expire within policy.refresh. Everything
/// else keeps its signatures.
class ZoneSigner {
 public:
  ZoneSigner();
  ~ZoneSigner();
  ZoneSigner(ZoneSigner&&) noexcept;
  ZoneSigner& operator=(ZoneSigner&&) noexcept;
  ZoneSigner(const ZoneSigner&) = delete;
  ZoneSigner& operator=(const ZoneSigner&) = delete;

  /// Signs `unsigned_records` as sign_zone() does, reusing the previous run's signatures where
  /// the content is unchanged. On errors about the SOA, the keys or names outside the zone the
  /// previous state is kept; after an OpenSSL failure the next update signs afresh.
  /// Cost: O(records) to diff (no allocation for names whose records come in canonical form
  /// and order, as records() and registry exports write them), one SHA-384 pass over the
  /// zone's ZONEMD buffer (rewritten only where names changed), plus the signatures needed.
  [[nodiscard]] Result<SigningStats> update(std::vector<dns::Record> unsigned_records,
                                            const std::vector<SigningKey>& keys,
                                            const SigningPolicy& policy);

  /// The same when the caller knows which names changed: `changed_owners` lists every name
  /// whose unsigned records were added, changed or removed since the last update (the apex
  /// when its SOA serial moved), and `records_at_changed` holds all unsigned records now at
  /// those names (none for a name that is gone). Every other name keeps its records.
  /// Errors: kSemantic before a first update(), for a record at a name not listed, or as
  /// update() for the SOA, the keys and names outside the zone (the previous state is kept,
  /// except after an OpenSSL failure, as update()). Cost: O(log names) per changed name,
  /// allocation-free O(names) passes (cuts, NSEC chain, signing plan), one SHA-384 pass, the
  /// signatures needed.
  [[nodiscard]] Result<SigningStats> update(std::vector<dns::Record> records_at_changed,
                                            std::span<const dns::Name> changed_owners,
                                            const std::vector<SigningKey>& keys,
                                            const SigningPolicy& policy);
  /// The current signed zone in canonical order (empty before the first update).
  [[nodiscard]] std::vector<dns::Record> records() const;
  /// The same as a zone (origin and records), kept between calls: only the names whose
  /// records changed since the last call are copied again, the others' records are moved over
  /// from it. `changed`, when given, receives those names and the names that went since the
  /// last call (every name on the first call). The reference stays valid until the next call.
  /// Cost: O(records) moves plus copies of the changed names' records.
  [[nodiscard]] const dns::ZoneContent& zone(std::vector<dns::Name>* changed = nullptr);
  /// The SOA serial of the current signed zone (0 before the first update).
  [[nodiscard]] std::uint32_t serial() const noexcept;

 private:
  friend Result<SignedZone> sign_zone(std::vector<dns::Record>, const std::vector<SigningKey>&,
                                      const SigningPolicy&);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace rootsim::registry
