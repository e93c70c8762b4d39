#include "crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>

namespace rootsim::registry::crypto {
namespace {

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};
struct PKeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct MdFree {
  void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* sig) const noexcept { ECDSA_SIG_free(sig); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* bld) const noexcept { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* params) const noexcept { OSSL_PARAM_free(params); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using PKeyCtx = std::unique_ptr<EVP_PKEY_CTX, PKeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// OpenSSL's API takes non-const keys for read-only operations; the pointee is not modified.
EVP_PKEY* mut(const EVP_PKEY& key) { return const_cast<EVP_PKEY*>(&key); }

bool is_algorithm(const EVP_PKEY& key, std::uint8_t algorithm) {
  if (algorithm == kRsaSha256) {
    return EVP_PKEY_is_a(&key, "RSA") == 1;
  }
  if (algorithm == kEcdsaP256Sha256) {
    std::array<char, 64> group{};
    std::size_t len = 0;
    return EVP_PKEY_is_a(&key, "EC") == 1 &&
           EVP_PKEY_get_utf8_string_param(&key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                          group.size(), &len) == 1 &&
           std::string_view(group.data(), len) == "prime256v1";
  }
  return false;
}

Result<PKey> public_from_dnskey(std::uint8_t algorithm, std::span<const std::uint8_t> pub) {
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> bld(OSSL_PARAM_BLD_new());
  Bn n;
  Bn e;
  dns::Bytes point;
  const char* type = nullptr;
  if (algorithm == kRsaSha256) {
    if (pub.empty()) {
      return fail(Errc::kParse, "empty RSA public key");
    }
    std::size_t pos = 1;
    std::size_t elen = pub[0];
    if (elen == 0) {
      if (pub.size() < 3) {
        return fail(Errc::kParse, "short RSA public key");
      }
      elen = dns::get_u16(pub, 1);
      pos = 3;
    }
    if (pos + elen >= pub.size()) {
      return fail(Errc::kParse, "short RSA public key");
    }
    e.reset(BN_bin2bn(pub.data() + pos, static_cast<int>(elen), nullptr));
    n.reset(BN_bin2bn(pub.data() + pos + elen, static_cast<int>(pub.size() - pos - elen), nullptr));
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    type = "RSA";
  } else if (algorithm == kEcdsaP256Sha256) {
    if (pub.size() != 64) {
      return fail(Errc::kParse, "P-256 public key is not 64 octets");
    }
    point.push_back(0x04);
    point.insert(point.end(), pub.begin(), pub.end());
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                     point.size());
    type = "EC";
  } else {
    return fail(Errc::kSemantic, "unsupported algorithm " + std::to_string(algorithm));
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld.get()));
  PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return fail(Errc::kParse, "public key rejected by OpenSSL");
  }
  return PKey(key);
}

dns::Bytes sha256(std::span<const std::uint8_t> prefix, std::span<const std::uint8_t> body,
                  EVP_MD_CTX* md, const EVP_MD* type) {
  dns::Bytes digest(32);
  unsigned int len = 0;
  EVP_DigestInit_ex2(md, type, nullptr);
  EVP_DigestUpdate(md, prefix.data(), prefix.size());
  EVP_DigestUpdate(md, body.data(), body.size());
  EVP_DigestFinal_ex(md, digest.data(), &len);
  return digest;
}

PKeyCtx init_pkey_ctx(const EVP_PKEY& key, std::uint8_t algorithm, bool for_sign) {
  PKeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mut(key), nullptr));
  if (!ctx || (for_sign ? EVP_PKEY_sign_init(ctx.get()) : EVP_PKEY_verify_init(ctx.get())) != 1) {
    return nullptr;
  }
  if (algorithm == kRsaSha256 && (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
                                  EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1)) {
    return nullptr;
  }
  return ctx;
}

}  // namespace

Result<PKey> generate(std::uint8_t algorithm, unsigned bits) {
  EVP_PKEY* key = nullptr;
  if (algorithm == kRsaSha256) {
    if (bits < 1024 || bits > 4096) {
      return fail(Errc::kSemantic, "RSASHA256 keys must have 1024 to 4096 bits");
    }
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(bits));
  } else if (algorithm == kEcdsaP256Sha256) {
    if (bits != 256) {
      return fail(Errc::kSemantic, "ECDSAP256SHA256 keys have 256 bits");
    }
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else {
    return fail(Errc::kSemantic,
                "unsupported DNSSEC algorithm " + std::to_string(algorithm) + " (use 8 or 13)");
  }
  if (key == nullptr) {
    return fail(Errc::kIo, "OpenSSL key generation failed");
  }
  return PKey(key);
}

Result<PKey> from_pem(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (key == nullptr) {
    return fail(Errc::kParse, "not an unencrypted PEM private key");
  }
  return PKey(key);
}

Result<std::string> to_pem(const EVP_PKEY& key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return fail(Errc::kIo, "cannot write the private key as PEM");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Result<dns::Bytes> dnskey_public_key(const EVP_PKEY& key, std::uint8_t algorithm) {
  if (!is_algorithm(key, algorithm)) {
    return fail(Errc::kSemantic,
                "the key does not match DNSSEC algorithm " + std::to_string(algorithm));
  }
  dns::Bytes out;
  if (algorithm == kRsaSha256) {
    BIGNUM* n_raw = nullptr;
    BIGNUM* e_raw = nullptr;
    EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_RSA_N, &n_raw);
    EVP_PKEY_get_bn_param(&key, OSSL_PKEY_PARAM_RSA_E, &e_raw);
    const Bn n(n_raw);
    const Bn e(e_raw);
    if (!n || !e) {
      return fail(Errc::kIo, "cannot read the RSA public key");
    }
    const auto elen = static_cast<std::size_t>(BN_num_bytes(e.get()));
    const auto nlen = static_cast<std::size_t>(BN_num_bytes(n.get()));
    // RFC 3110 §2: one length octet, or zero and two octets for long exponents.
    if (elen < 256) {
      out.push_back(static_cast<std::uint8_t>(elen));
    } else {
      out.push_back(0);
      dns::put_u16(out, static_cast<std::uint16_t>(elen));
    }
    const std::size_t at = out.size();
    out.resize(at + elen + nlen);
    BN_bn2bin(e.get(), out.data() + at);
    BN_bn2bin(n.get(), out.data() + at + elen);
    return out;
  }
  std::array<std::uint8_t, 65> point{};
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(&key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                      point.size(), &len) != 1 ||
      len != 65 || point[0] != 0x04) {
    return fail(Errc::kIo, "cannot read the P-256 public key");
  }
  out.assign(point.begin() + 1, point.end());  // RFC 6605 §4: x || y
  return out;
}

struct Signer::Ctx {
  PKeyCtx pkey;
  MdCtx md;
  std::unique_ptr<EVP_MD, MdFree> sha256;
  std::uint8_t algorithm = 0;
  std::size_t max_size = 0;  // EVP_PKEY_get_size: no size query per signature
  SignatureCache::Digest fingerprint{};  // SHA-256 of the DNSKEY public key: the cache's key
  dns::Bytes der;            // reused output buffer of EVP_PKEY_sign
};

namespace {

// One DER INTEGER (short-form length, as a P-256 signature always has) into a 32-octet
// big-endian field. Returns the position after it, or 0 when malformed.
std::size_t der_integer_to_field(std::span<const std::uint8_t> der, std::size_t pos,
                                 std::span<std::uint8_t> field) {
  if (pos + 2 > der.size() || der[pos] != 0x02 || der[pos + 1] > 0x7f) {
    return 0;
  }
  std::size_t len = der[pos + 1];
  std::size_t at = pos + 2;
  if (at + len > der.size()) {
    return 0;
  }
  const std::size_t end = at + len;
  while (len > 0 && der[at] == 0) {  // leading zero octets (sign padding)
    ++at;
    --len;
  }
  if (len > field.size()) {
    return 0;
  }
  std::fill(field.begin(), field.end(), std::uint8_t{0});
  std::copy(der.begin() + static_cast<std::ptrdiff_t>(at),
            der.begin() + static_cast<std::ptrdiff_t>(end),
            field.end() - static_cast<std::ptrdiff_t>(len));
  return end;
}

}  // namespace

void Signer::CtxFree::operator()(Ctx* ctx) const noexcept { std::default_delete<Ctx>()(ctx); }

Result<Signer> Signer::create(const EVP_PKEY& key, std::uint8_t algorithm) {
  std::unique_ptr<Ctx, CtxFree> ctx(new Ctx{});  // NOLINT(cppcoreguidelines-owning-memory)
  ctx->algorithm = algorithm;
  ctx->pkey = init_pkey_ctx(key, algorithm, true);
  ctx->md.reset(EVP_MD_CTX_new());
  ctx->sha256.reset(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  const int size = EVP_PKEY_get_size(&key);
  if (!ctx->pkey || !ctx->md || !ctx->sha256 || size <= 0) {
    return fail(Errc::kIo, "cannot set up OpenSSL signing");
  }
  ctx->max_size = static_cast<std::size_t>(size);
  ctx->der.resize(ctx->max_size);
  auto public_key = dnskey_public_key(key, algorithm);
  if (!public_key) {
    return fail(std::move(public_key).error());
  }
  const dns::Bytes fingerprint = sha256(*public_key, {}, ctx->md.get(), ctx->sha256.get());
  std::copy_n(fingerprint.begin(), ctx->fingerprint.size(), ctx->fingerprint.begin());
  return Signer(std::move(ctx));
}

Result<dns::Bytes> Signer::sign(std::span<const std::uint8_t> prefix,
                                std::span<const std::uint8_t> body, SignatureCache* cache) {
  SignatureCache::Digest digest{};
  unsigned int digest_len = 0;
  EVP_MD_CTX* md = ctx_->md.get();
  if (EVP_DigestInit_ex2(md, ctx_->sha256.get(), nullptr) != 1 ||
      EVP_DigestUpdate(md, prefix.data(), prefix.size()) != 1 ||
      EVP_DigestUpdate(md, body.data(), body.size()) != 1 ||
      EVP_DigestFinal_ex(md, digest.data(), &digest_len) != 1) {
    return fail(Errc::kIo, "OpenSSL SHA-256 failed");
  }
  if (cache != nullptr) {
    if (auto kept = cache->find(ctx_->fingerprint, digest)) {
      return std::move(*kept);
    }
    auto made = sign_digest(digest);
    if (made) {
      cache->insert(ctx_->fingerprint, digest, *made);
    }
    return made;
  }
  return sign_digest(digest);
}

Result<dns::Bytes> Signer::sign_digest(const SignatureCache::Digest& digest) {
  // The buffer has EVP_PKEY_get_size octets, the most a signature takes: no length query.
  std::size_t len = ctx_->max_size;
  if (EVP_PKEY_sign(ctx_->pkey.get(), ctx_->der.data(), &len, digest.data(), digest.size()) != 1) {
    return fail(Errc::kIo, "OpenSSL signing failed");
  }
  const std::span<const std::uint8_t> der = std::span(ctx_->der).first(len);
  if (ctx_->algorithm != kEcdsaP256Sha256) {
    return dns::Bytes(der.begin(), der.end());
  }
  // RFC 6605 §4: the signature is r || s, each 32 octets, not DER (SEQUENCE of two INTEGERs).
  dns::Bytes rs(64);
  const std::size_t r_at = der.size() >= 2 && der[0] == 0x30 && der[1] == der.size() - 2 ? 2 : 0;
  const std::size_t s_at = r_at == 0 ? 0 : der_integer_to_field(der, r_at, std::span(rs).first(32));
  if (s_at == 0 || der_integer_to_field(der, s_at, std::span(rs).subspan(32)) != der.size()) {
    return fail(Errc::kIo, "OpenSSL returned a malformed ECDSA signature");
  }
  return rs;
}

bool verify(std::uint8_t algorithm, std::span<const std::uint8_t> public_key,
            std::span<const std::uint8_t> prefix, std::span<const std::uint8_t> body,
            std::span<const std::uint8_t> signature) {
  auto key = public_from_dnskey(algorithm, public_key);
  if (!key) {
    return false;
  }
  const PKeyCtx ctx = init_pkey_ctx(**key, algorithm, false);
  const MdCtx md(EVP_MD_CTX_new());
  if (!ctx || !md) {
    return false;
  }
  const dns::Bytes digest = sha256(prefix, body, md.get(), EVP_sha256());
  dns::Bytes sig(signature.begin(), signature.end());
  if (algorithm == kEcdsaP256Sha256) {
    if (signature.size() != 64) {
      return false;
    }
    std::unique_ptr<ECDSA_SIG, EcdsaSigFree> ec(ECDSA_SIG_new());
    ECDSA_SIG_set0(ec.get(), BN_bin2bn(signature.data(), 32, nullptr),
                   BN_bin2bn(signature.data() + 32, 32, nullptr));
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(ec.get(), &der);
    if (len <= 0) {
      return false;
    }
    sig.assign(der, der + len);
    OPENSSL_free(der);
  }
  return EVP_PKEY_verify(ctx.get(), sig.data(), sig.size(), digest.data(), digest.size()) == 1;
}

Sha384::Sha384() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex2(ctx_.get(), EVP_sha384(), nullptr); }

void Sha384::update(std::span<const std::uint8_t> data) {
  EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
}

dns::Bytes Sha384::finish() {
  dns::Bytes digest(48);
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_.get(), digest.data(), &len);
  return digest;
}

}  // namespace rootsim::registry::crypto
