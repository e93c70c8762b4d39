#include "rootsim/registry/signing_key.hpp"

#include "rootsim/dns/dnssec.hpp"
#include "rootsim/registry/key_rollover.hpp"

#include <gtest/gtest.h>

namespace rootsim::registry {
namespace {

SigningKey make_key(KeyRole role, std::uint8_t algorithm, unsigned bits, std::int64_t at = 100) {
  auto key = generate_key(role, algorithm, bits, at);
  EXPECT_TRUE(key) << (key ? "" : key.error().message);
  return *key;
}

TEST(SigningKey, EcdsaKskHasDnskeyRdataAndKeyTag) {
  const SigningKey key = make_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits);
  ASSERT_EQ(key.dnskey_rdata.size(), 4U + 64U);  // RFC 6605 §4: x || y
  EXPECT_EQ(dns::get_u16(key.dnskey_rdata, 0), 257);
  EXPECT_EQ(key.dnskey_rdata[2], 3);
  EXPECT_EQ(key.dnskey_rdata[3], 13);
  EXPECT_EQ(key.key_tag, dns::key_tag(key.dnskey_rdata));
  EXPECT_EQ(key.state, KeyState::kActive);
  EXPECT_EQ(key.created_at, 100);
  EXPECT_NE(key.private_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
}

TEST(SigningKey, Rsa2048ZskHasRfc3110PublicKey) {
  const SigningKey key = make_key(KeyRole::kZsk, kAlgorithmRsaSha256, kDefaultRsaBits);
  EXPECT_EQ(dns::get_u16(key.dnskey_rdata, 0), 256);
  EXPECT_EQ(key.dnskey_rdata[3], 8);
  // exponent length 3 (65537), exponent, then a 256-octet modulus
  ASSERT_EQ(key.dnskey_rdata.size(), 4U + 1U + 3U + 256U);
  EXPECT_EQ(key.dnskey_rdata[4], 3);
  EXPECT_EQ(key.dnskey_rdata[5], 0x01);
  EXPECT_EQ(key.dnskey_rdata[7], 0x01);
  EXPECT_EQ(key.key_tag, dns::key_tag(key.dnskey_rdata));
}

TEST(SigningKey, RestoreFromPemRoundTrips) {
  for (const auto alg : {kAlgorithmEcdsaP256Sha256, kAlgorithmRsaSha256}) {
    const unsigned bits = alg == kAlgorithmRsaSha256 ? 1024U : kEcdsaP256Bits;
    SigningKey key = make_key(KeyRole::kZsk, alg, bits, 1234);
    key.state = KeyState::kRetired;
    auto back =
        restore_key(key.role, key.algorithm, key.private_key_pem, key.state, key.created_at);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, key);
  }
}

TEST(SigningKey, RestoreRejectsBadPemAndWrongAlgorithm) {
  const SigningKey ec = make_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits);
  auto wrong =
      restore_key(KeyRole::kKsk, kAlgorithmRsaSha256, ec.private_key_pem, KeyState::kActive, 0);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::kSemantic);
  auto bad =
      restore_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, "not a key", KeyState::kActive, 0);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kParse);
}

TEST(SigningKey, RejectsUnsupportedAlgorithmsAndSizes) {
  EXPECT_FALSE(generate_key(KeyRole::kZsk, 5, 2048, 0));
  EXPECT_FALSE(generate_key(KeyRole::kZsk, kAlgorithmEcdsaP256Sha256, 384, 0));
  EXPECT_FALSE(generate_key(KeyRole::kZsk, kAlgorithmRsaSha256, 512, 0));
}

TEST(SigningKey, DescribeNamesRoleTagAndState) {
  const SigningKey key = make_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, 7);
  EXPECT_EQ(describe(key), "KSK " + std::to_string(key.key_tag) + " alg 13 active created 7");
}

std::vector<SigningKey> initial_keys() {
  return {make_key(KeyRole::kKsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, 1),
          make_key(KeyRole::kZsk, kAlgorithmEcdsaP256Sha256, kEcdsaP256Bits, 1)};
}

std::vector<KeyState> states(const std::vector<SigningKey>& keys, KeyRole role) {
  std::vector<KeyState> out;
  for (const auto& key : keys) {
    if (key.role == role) {
      out.push_back(key.state);
    }
  }
  return out;
}

TEST(KeyRollover, ZskPrePublicationTakesThreeSteps) {
  auto keys = initial_keys();
  const std::uint16_t old_tag = keys[1].key_tag;
  auto status = rollover_status(keys, KeyRole::kZsk);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->phase, RolloverPhase::kIdle);
  EXPECT_TRUE(status->needs_new_key);

  auto step1 = roll_keys(keys, KeyRole::kZsk, 50);
  ASSERT_TRUE(step1) << step1.error().message;
  EXPECT_EQ(states(*step1, KeyRole::kZsk),
            (std::vector<KeyState>{KeyState::kActive, KeyState::kPublished}));
  EXPECT_EQ(step1->back().created_at, 50);
  EXPECT_EQ(rollover_status(*step1, KeyRole::kZsk)->phase, RolloverPhase::kZskPublished);
  const std::uint16_t new_tag = step1->back().key_tag;

  auto step2 = roll_keys(*step1, KeyRole::kZsk, 60);
  ASSERT_TRUE(step2);
  EXPECT_EQ(states(*step2, KeyRole::kZsk),
            (std::vector<KeyState>{KeyState::kRetired, KeyState::kActive}));
  EXPECT_NE(rollover_status(*step2, KeyRole::kZsk)->description.find(std::to_string(old_tag)),
            std::string::npos);

  auto step3 = roll_keys(*step2, KeyRole::kZsk, 70);
  ASSERT_TRUE(step3);
  ASSERT_EQ(step3->size(), 2U);
  EXPECT_EQ(step3->back().key_tag, new_tag);
  EXPECT_EQ(step3->back().state, KeyState::kActive);
  EXPECT_EQ(rollover_status(*step3, KeyRole::kZsk)->phase, RolloverPhase::kIdle);
  EXPECT_EQ((*step3)[0], keys[0]);  // the KSK is untouched
}

TEST(KeyRollover, KskDoubleSignatureAddsThenRemovesTheOlder) {
  auto keys = initial_keys();
  const std::uint16_t old_tag = keys[0].key_tag;
  auto step1 = roll_keys(keys, KeyRole::kKsk, 50);
  ASSERT_TRUE(step1) << step1.error().message;
  EXPECT_EQ(states(*step1, KeyRole::kKsk),
            (std::vector<KeyState>{KeyState::kActive, KeyState::kActive}));
  EXPECT_EQ(rollover_status(*step1, KeyRole::kKsk)->phase, RolloverPhase::kKskDoubleSigned);
  auto step2 = roll_keys(*step1, KeyRole::kKsk, 60);
  ASSERT_TRUE(step2);
  ASSERT_EQ(states(*step2, KeyRole::kKsk).size(), 1U);
  for (const auto& key : *step2) {
    EXPECT_NE(key.key_tag, old_tag);
  }
}

TEST(KeyRollover, RejectsMissingOrUnexpectedNewKeyAndOddSets) {
  auto keys = initial_keys();
  EXPECT_FALSE(advance_rollover(keys, KeyRole::kZsk, std::nullopt));
  auto wrong_role = advance_rollover(keys, KeyRole::kZsk, keys[0]);
  ASSERT_FALSE(wrong_role);
  auto published = advance_rollover(keys, KeyRole::kZsk,
                                    make_key(KeyRole::kZsk, kAlgorithmEcdsaP256Sha256, 256));
  ASSERT_TRUE(published);
  EXPECT_FALSE(advance_rollover(*published, KeyRole::kZsk,
                                make_key(KeyRole::kZsk, kAlgorithmEcdsaP256Sha256, 256)));
  std::vector<SigningKey> no_zsk = {keys[0]};
  auto status = rollover_status(no_zsk, KeyRole::kZsk);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kConflict);
}

}  // namespace
}  // namespace rootsim::registry
