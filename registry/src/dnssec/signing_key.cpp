#include "rootsim/registry/signing_key.hpp"

#include "rootsim/dns/dnssec.hpp"

#include "crypto.hpp"

namespace rootsim::registry {
namespace {

Result<SigningKey> from_pkey(const EVP_PKEY& pkey, KeyRole role, std::uint8_t algorithm,
                             std::string pem, KeyState state, std::int64_t created_at) {
  auto pub = crypto::dnskey_public_key(pkey, algorithm);
  if (!pub) {
    return fail(std::move(pub).error());
  }
  SigningKey key{.role = role,
                 .algorithm = algorithm,
                 .private_key_pem = std::move(pem),
                 .dnskey_rdata = {},
                 .key_tag = 0,
                 .state = state,
                 .created_at = created_at};
  // RFC 4034 §2.1: flags bit 7 Zone Key; bit 15 SEP marks a KSK (RFC 3757).
  dns::put_u16(key.dnskey_rdata, role == KeyRole::kKsk ? 257 : 256);
  key.dnskey_rdata.push_back(3);
  key.dnskey_rdata.push_back(algorithm);
  key.dnskey_rdata.insert(key.dnskey_rdata.end(), pub->begin(), pub->end());
  key.key_tag = dns::key_tag(key.dnskey_rdata);
  return key;
}

}  // namespace

Result<SigningKey> generate_key(KeyRole role, std::uint8_t algorithm, unsigned bits,
                                std::int64_t created_at) {
  auto pkey = crypto::generate(algorithm, bits);
  if (!pkey) {
    return fail(std::move(pkey).error());
  }
  auto pem = crypto::to_pem(**pkey);
  if (!pem) {
    return fail(std::move(pem).error());
  }
  return from_pkey(**pkey, role, algorithm, std::move(*pem), KeyState::kActive, created_at);
}

Result<SigningKey> restore_key(KeyRole role, std::uint8_t algorithm,
                               std::string_view private_key_pem, KeyState state,
                               std::int64_t created_at) {
  auto pkey = crypto::from_pem(private_key_pem);
  if (!pkey) {
    return fail(std::move(pkey).error());
  }
  return from_pkey(**pkey, role, algorithm, std::string(private_key_pem), state, created_at);
}

dns::Record dnskey_record(const SigningKey& key, const dns::Name& origin, std::uint32_t ttl) {
  return dns::Record{origin, dns::RRType::kDnskey, dns::RRClass::kIn, ttl, key.dnskey_rdata};
}

std::string_view to_text(KeyRole role) { return role == KeyRole::kKsk ? "KSK" : "ZSK"; }

std::string_view to_text(KeyState state) {
  switch (state) {
    case KeyState::kPublished:
      return "published";
    case KeyState::kActive:
      return "active";
    case KeyState::kRetired:
      return "retired";
  }
  return "?";
}

std::string describe(const SigningKey& key) {
  return std::string(to_text(key.role)) + " " + std::to_string(key.key_tag) + " alg " +
         std::to_string(key.algorithm) + " " + std::string(to_text(key.state)) + " created " +
         std::to_string(key.created_at);
}

}  // namespace rootsim::registry
