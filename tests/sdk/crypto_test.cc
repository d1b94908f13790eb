#include "trialledger/sdk/crypto.h"

#include <gtest/gtest.h>

#include "trialledger/base/hex.h"

namespace tl {
namespace {

std::string Hex(std::string_view hex) {
  return FromHex(hex, "vector").value();
}

struct Rfc8032Vector {
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, tests 1-3.
const Rfc8032Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
     "46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11"
     "d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc"
     "6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(Ed25519, MatchesRfc8032Vectors) {
  for (const Rfc8032Vector& vector : kVectors) {
    KeyPair keys = KeyPairFromSeed(Hex(vector.seed));
    EXPECT_EQ(ToHex(keys.public_key), vector.public_key);
    std::string signature = SignRaw(keys.secret_key, Hex(vector.message));
    EXPECT_EQ(ToHex(signature), vector.signature);
    EXPECT_TRUE(VerifyRaw(keys.public_key, Hex(vector.message), signature));
    EXPECT_EQ(SeedOf(keys), Hex(vector.seed));
  }
}

TEST(Ed25519, RejectsAlteredMessageSignatureOrKey) {
  KeyPair keys = KeyPairFromSeed(Hex(kVectors[1].seed));
  std::string message = Hex(kVectors[1].message);
  std::string signature = SignRaw(keys.secret_key, message);
  EXPECT_FALSE(VerifyRaw(keys.public_key, "s", signature));
  std::string flipped = signature;
  flipped[10] ^= 1;
  EXPECT_FALSE(VerifyRaw(keys.public_key, message, flipped));
  EXPECT_FALSE(VerifyRaw(KeyPairFromSeed(Hex(kVectors[0].seed)).public_key, message, signature));
  EXPECT_FALSE(VerifyRaw(keys.public_key, message, signature.substr(1)));
  EXPECT_FALSE(VerifyRaw(keys.public_key.substr(1), message, signature));
}

TEST(Ed25519, DomainsSeparateSignatures) {
  KeyPair keys = GenerateKeyPair();
  std::string signature = SignInDomain(kTxSigningDomain, keys.secret_key, "bytes");
  EXPECT_TRUE(VerifyInDomain(kTxSigningDomain, keys.public_key, "bytes", signature));
  EXPECT_FALSE(VerifyInDomain(kBlockSigningDomain, keys.public_key, "bytes", signature));
  EXPECT_FALSE(VerifyRaw(keys.public_key, "bytes", signature));
}

TEST(Blake2b256, MatchesKnownDigests) {
  // RFC 7693 gives BLAKE2b-512("abc"); these are the 256-bit outputs of the same function.
  EXPECT_EQ(ToHex(Blake2b256("")),
            "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(ToHex(Blake2b256("abc")),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(Blake2b256, IncrementalEqualsOneShotAndFieldsAreFramed) {
  EXPECT_EQ(Blake2b256Hasher().Update("ab").Update("c").Final(), Blake2b256("abc"));
  EXPECT_NE(Blake2b256Hasher().UpdateField("ab").UpdateField("c").Final(),
            Blake2b256Hasher().UpdateField("a").UpdateField("bc").Final());
}

TEST(Hex, RoundTripsAndNamesBadInput) {
  EXPECT_EQ(ToHex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(FromHex("00FF10", "x").value(), std::string("\x00\xff\x10", 3));
  absl::StatusOr<std::string> odd = FromHex("abc", "public_key");
  ASSERT_FALSE(odd.ok());
  EXPECT_NE(std::string(odd.status().message()).find("public_key"), std::string::npos);
  EXPECT_FALSE(FromHex("zz", "x").ok());
  EXPECT_FALSE(FromHexExact("00", 2, "x").ok());
}

}  // namespace
}  // namespace tl
