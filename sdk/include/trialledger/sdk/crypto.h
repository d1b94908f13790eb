// Ed25519 signatures and BLAKE2b-256 hashing (libsodium). Keys, hashes and signatures are raw
// byte strings; use hex.h to print them.
//
// Every signature is domain-separated: the signed message is `domain || 0x00 || bytes`, so a
// signature over a transaction body can never be replayed as a block-header signature.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tl {

inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSeedBytes = 32;
inline constexpr size_t kSecretKeyBytes = 64;  // libsodium layout: seed || public key
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kHashBytes = 32;

inline constexpr std::string_view kTxSigningDomain = "trialledger/v1/tx";
inline constexpr std::string_view kBlockSigningDomain = "trialledger/v1/block";

struct KeyPair {
  std::string public_key;  // kPublicKeyBytes
  std::string secret_key;  // kSecretKeyBytes
};

// Initializes libsodium once; aborts the process if it cannot (no safe way to continue).
void InitCrypto();

KeyPair GenerateKeyPair();
// REQUIRES: seed.size() == kSeedBytes.
KeyPair KeyPairFromSeed(std::string_view seed);
std::string SeedOf(const KeyPair& keys);

// Plain Ed25519 (RFC 8032) over `message`; used by the test vectors and by the domain helpers.
std::string SignRaw(std::string_view secret_key, std::string_view message);
bool VerifyRaw(std::string_view public_key, std::string_view message, std::string_view signature);

std::string SignInDomain(std::string_view domain, std::string_view secret_key,
                         std::string_view bytes);
bool VerifyInDomain(std::string_view domain, std::string_view public_key, std::string_view bytes,
                    std::string_view signature);

std::string Blake2b256(std::string_view data);

// Incremental BLAKE2b-256 for hashing several pieces without concatenating them.
class Blake2b256Hasher {
 public:
  Blake2b256Hasher();
  Blake2b256Hasher& Update(std::string_view data);
  Blake2b256Hasher& UpdateU64(uint64_t value);  // big-endian, fixed width
  // Length-prefixed, so that ("ab","c") and ("a","bc") hash differently.
  Blake2b256Hasher& UpdateField(std::string_view data);
  std::string Final();

 private:
  alignas(64) unsigned char state_[384];
};

}  // namespace tl
