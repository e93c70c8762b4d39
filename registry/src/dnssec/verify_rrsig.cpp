#include "rootsim/dns/dnssec.hpp"
#include "rootsim/registry/zone_signer.hpp"

#include "crypto.hpp"
#include "signer_nodes.hpp"

#include <string>

namespace rootsim::registry {

// RFC 4035 §5.3: check the RRSIG fields, then the signature over RRSIG rdata (without the
// signature) followed by the canonical RRset with the original TTL.
Status verify_rrsig(const dns::Record& rrsig, const std::vector<dns::Record>& rrset,
                    const dns::Record& dnskey, std::int64_t now) {
  const auto& r = rrsig.rdata;
  if (rrsig.type != dns::RRType::kRrsig || r.size() < 19) {
    return fail(Errc::kSemantic, "not an RRSIG record");
  }
  if (rrset.empty()) {
    return fail(Errc::kSemantic, "empty RRset");
  }
  std::size_t pos = 18;
  while (pos < r.size() && r[pos] != 0) {
    pos += 1U + r[pos];
  }
  if (pos >= r.size()) {
    return fail(Errc::kSemantic, "RRSIG signer name is malformed");
  }
  const std::size_t prefix_len = pos + 1;
  const auto covered = static_cast<dns::RRType>(dns::get_u16(r, 0));
  const std::uint8_t algorithm = r[2];
  const std::uint32_t original_ttl = dns::get_u32(r, 4);
  const std::uint32_t expiration = dns::get_u32(r, 8);
  const std::uint32_t inception = dns::get_u32(r, 12);
  const std::uint16_t tag = dns::get_u16(r, 16);
  if (covered != rrset.front().type || !(rrsig.owner == rrset.front().owner)) {
    return fail(Errc::kSemantic, "RRSIG does not cover this RRset");
  }
  if (r[3] != signer::rrsig_labels(rrsig.owner)) {
    return fail(Errc::kSemantic, "RRSIG labels field does not match the owner");
  }
  if (now < static_cast<std::int64_t>(inception) || now > static_cast<std::int64_t>(expiration)) {
    return fail(Errc::kSemantic, "RRSIG is not valid at this time");
  }
  if (dnskey.rdata.size() < 5 || dnskey.rdata[3] != algorithm ||
      dns::key_tag(dnskey.rdata) != tag) {
    return fail(Errc::kSemantic, "RRSIG key tag or algorithm does not match the DNSKEY");
  }
  std::vector<dns::Bytes> rdatas;
  for (const auto& record : rrset) {
    if (record.type != covered || !(record.owner == rrsig.owner)) {
      return fail(Errc::kSemantic, "records of different owners or types given as one RRset");
    }
    rdatas.push_back(record.rdata);
  }
  const auto entry = signer::make_entry(rrsig.owner.lowercased(), covered, rrset.front().rrclass,
                                        original_ttl, std::move(rdatas));
  const dns::Bytes prefix = dns::canonical_rdata(dns::RRType::kRrsig, r);
  const std::span<const std::uint8_t> all(r);
  if (!crypto::verify(algorithm, std::span(dnskey.rdata).subspan(4),
                      std::span(prefix).first(prefix_len), entry.wire, all.subspan(prefix_len))) {
    return fail(Errc::kSemantic, "signature does not verify");
  }
  return {};
}

}  // namespace rootsim::registry
