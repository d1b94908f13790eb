#include "trialledger/node/signature_memo.h"

#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/crypto.h"

namespace tl::node {
namespace {

// What the verdict depends on: the key, the signed bytes and the signature.
std::string Digest(std::string_view what, std::string_view public_key, std::string_view bytes,
                   std::string_view signature) {
  return Blake2b256Hasher()
      .UpdateField(what)
      .UpdateField(public_key)
      .UpdateField(bytes)
      .UpdateField(signature)
      .Final();
}

std::string TxDigest(const v1::Transaction& tx, std::string_view signer_public_key) {
  return Digest("trialledger/v1/verified-signature", signer_public_key, tx.body(), tx.signature());
}

std::string BlockDigest(const v1::Block& block, std::string_view proposer_public_key) {
  return Digest("trialledger/v1/verified-block-signature", proposer_public_key, block.header(),
                block.proposer_signature());
}

}  // namespace

void SignatureMemo::Remember(const v1::Transaction& tx, std::string_view signer_public_key) {
  RememberDigest(TxDigest(tx, signer_public_key));
}

bool SignatureMemo::Verifies(const v1::Transaction& tx, std::string_view signer_public_key) const {
  return Recall(TxDigest(tx, signer_public_key)) || VerifyTxSignature(tx, signer_public_key);
}

void SignatureMemo::RememberBlock(const v1::Block& block, std::string_view proposer_public_key) {
  RememberDigest(BlockDigest(block, proposer_public_key));
}

bool SignatureMemo::VerifiesBlock(const v1::Block& block,
                                  std::string_view proposer_public_key) const {
  return Recall(BlockDigest(block, proposer_public_key)) ||
         VerifyBlockSignature(block, proposer_public_key);
}

void SignatureMemo::RememberDigest(std::string digest) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!digests_.insert(digest).second) return;
  by_age_.push_back(std::move(digest));
  while (by_age_.size() > capacity_) {
    digests_.erase(by_age_.front());
    by_age_.pop_front();
  }
}

bool SignatureMemo::Recall(const std::string& digest) const {
  std::lock_guard<std::mutex> lock(mutex_);
  // Forgotten from the set now; its by_age_ entry goes when it comes to the front (erasing a
  // digest that is no longer there is harmless).
  if (digests_.erase(digest) == 0) return false;
  ++recalled_;
  return true;
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
