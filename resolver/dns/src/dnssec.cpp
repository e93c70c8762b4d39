#include "rootsim/dns/dnssec.hpp"

#include <openssl/evp.h>

namespace rootsim::dns {

std::uint16_t key_tag(std::span<const std::uint8_t> dnskey_rdata) noexcept {
  std::uint32_t ac = 0;
  for (std::size_t i = 0; i < dnskey_rdata.size(); ++i) {
    ac += (i & 1U) != 0 ? dnskey_rdata[i] : static_cast<std::uint32_t>(dnskey_rdata[i]) << 8;
  }
  ac += (ac >> 16) & 0xffff;
  return static_cast<std::uint16_t>(ac & 0xffff);
}

Result<DsRdata> compute_ds(const Name& owner, std::span<const std::uint8_t> dnskey_rdata,
                           std::uint8_t digest_type) {
  if (dnskey_rdata.size() < 4) {
    return fail(Errc::kSemantic, "DNSKEY rdata shorter than 4 octets");
  }
  const EVP_MD* md = digest_type == 1   ? EVP_sha1()
                     : digest_type == 2 ? EVP_sha256()
                     : digest_type == 4 ? EVP_sha384()
                                        : nullptr;
  if (md == nullptr) {
    return fail(Errc::kSemantic, "unsupported DS digest type " + std::to_string(digest_type));
  }
  Bytes input;
  const auto canonical_owner = owner.lowercased();
  input.insert(input.end(), canonical_owner.wire().begin(), canonical_owner.wire().end());
  input.insert(input.end(), dnskey_rdata.begin(), dnskey_rdata.end());
  Bytes digest(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, md, nullptr) != 1) {
    return fail(Errc::kSemantic, "digest failed");
  }
  digest.resize(length);
  return DsRdata{key_tag(dnskey_rdata), dnskey_rdata[3], digest_type, std::move(digest)};
}

}  // namespace rootsim::dns
