// DS checks: IANA "DNS Security Algorithm Numbers" and "DS RR Type Digest Algorithms" registries,
// with the root's acceptance policy (RFC 8624 §3.1 and §3.3 recommendations for signing).
#include "rootsim/dns/dnssec.hpp"

#include "technical_checks_internal.hpp"

#include <array>

namespace rootsim::registry::detail {
namespace {

enum class Verdict : std::uint8_t { kAllowed, kDeprecated, kRefused };

struct AlgorithmEntry {
  std::uint8_t number;
  std::string_view mnemonic;
  Verdict verdict;
  std::string_view why;
};

constexpr std::array<AlgorithmEntry, 20> kAlgorithms = {{
    {1, "RSAMD5", Verdict::kRefused, "MUST NOT be used (RFC 6725, RFC 8624)"},
    {2, "DH", Verdict::kRefused, "not a zone signing algorithm (RFC 2539)"},
    {3, "DSA", Verdict::kRefused, "MUST NOT be used for signing (RFC 8624)"},
    {5, "RSASHA1", Verdict::kDeprecated, "NOT RECOMMENDED for signing (RFC 8624)"},
    {6, "DSA-NSEC3-SHA1", Verdict::kRefused, "MUST NOT be used for signing (RFC 8624)"},
    {7, "RSASHA1-NSEC3-SHA1", Verdict::kDeprecated, "NOT RECOMMENDED for signing (RFC 8624)"},
    {8, "RSASHA256", Verdict::kAllowed, ""},
    {10, "RSASHA512", Verdict::kAllowed, ""},
    {12, "ECC-GOST", Verdict::kRefused, "MUST NOT be used for signing (RFC 8624)"},
    {13, "ECDSAP256SHA256", Verdict::kAllowed, ""},
    {14, "ECDSAP384SHA384", Verdict::kAllowed, ""},
    {15, "ED25519", Verdict::kAllowed, ""},
    {16, "ED448", Verdict::kAllowed, ""},
    {17, "SM2SM3", Verdict::kRefused, "not recommended for DNSSEC (RFC 9563)"},
    {23, "ECC-GOST12", Verdict::kRefused, "not recommended for DNSSEC (RFC 9558)"},
    {252, "INDIRECT", Verdict::kRefused, "reserved for indirect keys"},
    {253, "PRIVATEDNS", Verdict::kRefused, "private algorithm"},
    {254, "PRIVATEOID", Verdict::kRefused, "private algorithm"},
    {0, "DELETE", Verdict::kRefused, "only for CDS/CDNSKEY deletion (RFC 8078)"},
    {4, "(reserved)", Verdict::kRefused, "reserved"},
}};

struct DigestEntry {
  std::uint8_t number;
  std::string_view mnemonic;
  Verdict verdict;
  std::size_t length;
};

constexpr std::array<DigestEntry, 6> kDigests = {{
    {1, "SHA-1", Verdict::kDeprecated, 20},         // RFC 3658; RFC 8624 §3.3: MUST NOT for new DS
    {2, "SHA-256", Verdict::kAllowed, 32},          // RFC 4509
    {3, "GOST R 34.11-94", Verdict::kRefused, 32},  // RFC 5933; RFC 8624: MUST NOT
    {4, "SHA-384", Verdict::kAllowed, 48},          // RFC 6605
    {5, "GOST R 34.11-2012", Verdict::kRefused, 32},  // RFC 9558
    {6, "SM3", Verdict::kRefused, 32},                // RFC 9563
}};

const AlgorithmEntry* find_algorithm(std::uint8_t number) {
  for (const auto& a : kAlgorithms) {
    if (a.number == number) {
      return &a;
    }
  }
  return nullptr;
}

const DigestEntry* find_digest(std::uint8_t number) {
  for (const auto& d : kDigests) {
    if (d.number == number) {
      return &d;
    }
  }
  return nullptr;
}

std::string ds_subject(const dns::DsRdata& ds) {
  return "DS " + std::to_string(ds.key_tag) + " " + std::to_string(ds.algorithm) + " " +
         std::to_string(ds.digest_type);
}

}  // namespace

std::vector<CheckFinding> check_ds_algorithm(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::DsRdata& ds : ctx.tld.delegation.ds) {
    const AlgorithmEntry* a = find_algorithm(ds.algorithm);
    const std::string subject = ds_subject(ds);
    if (a == nullptr) {
      out.push_back({CheckCode::kDsAlgorithm, Severity::kError, subject,
                     subject + ": algorithm " + std::to_string(ds.algorithm) +
                         " is unassigned in the IANA DNSSEC algorithm registry"});
    } else if (a->verdict != Verdict::kAllowed) {
      out.push_back({CheckCode::kDsAlgorithm,
                     a->verdict == Verdict::kDeprecated ? Severity::kWarning : Severity::kError,
                     subject,
                     subject + ": algorithm " + std::to_string(ds.algorithm) + " (" +
                         std::string(a->mnemonic) + ") " + std::string(a->why)});
    }
  }
  return out;
}

std::vector<CheckFinding> check_ds_digest_type(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::DsRdata& ds : ctx.tld.delegation.ds) {
    const DigestEntry* d = find_digest(ds.digest_type);
    const std::string subject = ds_subject(ds);
    if (d == nullptr) {
      out.push_back(
          {CheckCode::kDsDigestType, Severity::kError, subject,
           subject + ": digest type " + std::to_string(ds.digest_type) + " is unassigned"});
    } else if (d->verdict == Verdict::kDeprecated) {
      out.push_back(
          {CheckCode::kDsDigestType, Severity::kWarning, subject,
           subject + ": digest type 1 (SHA-1) is deprecated (RFC 8624 §3.3); use 2 or 4"});
    } else if (d->verdict == Verdict::kRefused) {
      out.push_back({CheckCode::kDsDigestType, Severity::kError, subject,
                     subject + ": digest type " + std::to_string(ds.digest_type) + " (" +
                         std::string(d->mnemonic) + ") is not accepted; use 2 or 4"});
    }
  }
  return out;
}

std::vector<CheckFinding> check_ds_digest_length(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  for (const dns::DsRdata& ds : ctx.tld.delegation.ds) {
    const DigestEntry* d = find_digest(ds.digest_type);
    if (d != nullptr && ds.digest.size() != d->length) {
      const std::string subject = ds_subject(ds);
      out.push_back({CheckCode::kDsDigestLength, Severity::kError, subject,
                     subject + ": digest of " + std::to_string(ds.digest.size()) + " octets; " +
                         std::string(d->mnemonic) + " digests have " + std::to_string(d->length)});
    }
  }
  return out;
}

std::vector<CheckFinding> check_ds_matches_dnskey(const CheckContext& ctx) {
  std::vector<CheckFinding> out;
  if (!ctx.input.dnskeys) {
    return out;
  }
  for (const dns::DsRdata& ds : ctx.tld.delegation.ds) {
    const std::string subject = ds_subject(ds);
    if (ds.digest_type != 1 && ds.digest_type != 2 && ds.digest_type != 4) {
      out.push_back({CheckCode::kDsMatchesDnskey, Severity::kWarning, subject,
                     subject + ": digest type cannot be computed here, match not verified"});
      continue;
    }
    const dns::Bytes* match = nullptr;
    for (const dns::Bytes& key : *ctx.input.dnskeys) {
      if (key.size() < 4 || key[3] != ds.algorithm || dns::key_tag(key) != ds.key_tag) {
        continue;
      }
      auto computed = dns::compute_ds(ctx.tld.label, key, ds.digest_type);
      if (computed && computed->digest == ds.digest) {
        match = &key;
        break;
      }
    }
    if (match != nullptr) {
      // RFC 4034 §5.2: the DS must refer to a zone key (flags bit 7).
      if (((*match)[0] & 0x01U) == 0) {
        out.push_back({CheckCode::kDsMatchesDnskey, Severity::kError, subject,
                       subject + " matches a DNSKEY without the Zone Key flag"});
      }
      continue;
    }
    out.push_back({CheckCode::kDsMatchesDnskey, Severity::kError, subject,
                   subject + " matches none of the " + std::to_string(ctx.input.dnskeys->size()) +
                       " supplied DNSKEY record(s)"});
  }
  return out;
}

}  // namespace rootsim::registry::detail
