#include "trialledger/sdk/crypto.h"

#include <sodium.h>

#include <mutex>

#include "trialledger/base/check.h"
#include "trialledger/base/endian.h"

namespace tl {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string DomainMessage(std::string_view domain, std::string_view bytes) {
  std::string message;
  message.reserve(domain.size() + 1 + bytes.size());
  message.append(domain);
  message.push_back('\0');
  message.append(bytes);
  return message;
}

}  // namespace

static_assert(sizeof(crypto_generichash_state) <= 384, "Blake2b256Hasher state too small");

void InitCrypto() {
  static std::once_flag once;
  std::call_once(once, [] { TL_CHECK_MSG(sodium_init() >= 0, "libsodium failed to initialize"); });
}

KeyPair GenerateKeyPair() {
  InitCrypto();
  KeyPair keys{std::string(kPublicKeyBytes, '\0'), std::string(kSecretKeyBytes, '\0')};
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(keys.public_key.data()),
                      reinterpret_cast<unsigned char*>(keys.secret_key.data()));
  return keys;
}

KeyPair KeyPairFromSeed(std::string_view seed) {
  TL_CHECK(seed.size() == kSeedBytes);
  InitCrypto();
  KeyPair keys{std::string(kPublicKeyBytes, '\0'), std::string(kSecretKeyBytes, '\0')};
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(keys.public_key.data()),
                           reinterpret_cast<unsigned char*>(keys.secret_key.data()), Bytes(seed));
  return keys;
}

std::string SeedOf(const KeyPair& keys) {
  return keys.secret_key.substr(0, kSeedBytes);
}

std::string SignRaw(std::string_view secret_key, std::string_view message) {
  TL_CHECK(secret_key.size() == kSecretKeyBytes);
  InitCrypto();
  std::string signature(kSignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, Bytes(message),
                       message.size(), Bytes(secret_key));
  return signature;
}

bool VerifyRaw(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != kPublicKeyBytes || signature.size() != kSignatureBytes) return false;
  InitCrypto();
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

std::string SignInDomain(std::string_view domain, std::string_view secret_key,
                         std::string_view bytes) {
  return SignRaw(secret_key, DomainMessage(domain, bytes));
}

bool VerifyInDomain(std::string_view domain, std::string_view public_key, std::string_view bytes,
                    std::string_view signature) {
  return VerifyRaw(public_key, DomainMessage(domain, bytes), signature);
}

std::string Blake2b256(std::string_view data) {
  return Blake2b256Hasher().Update(data).Final();
}

Blake2b256Hasher::Blake2b256Hasher() {
  InitCrypto();
  crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_), nullptr, 0,
                          kHashBytes);
}

Blake2b256Hasher& Blake2b256Hasher::Update(std::string_view data) {
  crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_), Bytes(data),
                            data.size());
  return *this;
}

Blake2b256Hasher& Blake2b256Hasher::UpdateU64(uint64_t value) {
  return Update(EncodeBigEndian64(value));
}

Blake2b256Hasher& Blake2b256Hasher::UpdateField(std::string_view data) {
  UpdateU64(data.size());
  return Update(data);
}

std::string Blake2b256Hasher::Final() {
  std::string digest(kHashBytes, '\0');
  crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_),
                           reinterpret_cast<unsigned char*>(digest.data()), kHashBytes);
  return digest;
}

}  // namespace tl
