#include "trialledger/node/signature_memo.h"

#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/crypto.h"

namespace tl::node {
namespace {

// What the verdict depends on: the key, the signed bytes and the signature.
std::string Digest(const v1::Transaction& tx, std::string_view signer_public_key) {
  return Blake2b256Hasher()
      .UpdateField("trialledger/v1/verified-signature")
      .UpdateField(signer_public_key)
      .UpdateField(tx.body())
      .UpdateField(tx.signature())
      .Final();
}

}  // namespace

void SignatureMemo::Remember(const v1::Transaction& tx, std::string_view signer_public_key) {
  std::string digest = Digest(tx, signer_public_key);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!digests_.insert(digest).second) return;
  by_age_.push_back(std::move(digest));
  while (by_age_.size() > capacity_) {
    digests_.erase(by_age_.front());
    by_age_.pop_front();
  }
}

bool SignatureMemo::Verifies(const v1::Transaction& tx, std::string_view signer_public_key) const {
  const std::string digest = Digest(tx, signer_public_key);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Forgotten from the set now; its by_age_ entry goes when it comes to the front (erasing a
    // digest that is no longer there is harmless).
    if (digests_.erase(digest) == 1) {
      ++recalled_;
      return true;
    }
  }
  return VerifyTxSignature(tx, signer_public_key);
}

size_t SignatureMemo::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return digests_.size();
}

uint64_t SignatureMemo::recalled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return recalled_;
}

}  // namespace tl::node
