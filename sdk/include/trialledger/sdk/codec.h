// Decoding untrusted bytes into ledger messages, and the identities derived from them.
//
//   tx id      = BLAKE2b-256(Transaction.body)        (the exact signed bytes)
//   block hash = BLAKE2b-256(Block.header)            (the exact signed header bytes)
//
// Decoders are strict: size limits first, then a parse, then no unknown fields and a canonical
// envelope (re-encoding the parsed envelope gives the input back), so a stored or received block
// has exactly one valid byte form and any flipped byte is detectable.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trialledger/sdk/protocol.h"

namespace tl {

struct DecodedTx {
  v1::Transaction tx;
  v1::TxBody body;
  std::string id;
};

// Decodes a Transaction and its body. Does not check the signature (see VerifyTxSignature).
absl::StatusOr<DecodedTx> DecodeTransaction(std::string_view bytes);
// The same for a Transaction already parsed from a larger message.
absl::StatusOr<DecodedTx> DecodeTransaction(const v1::Transaction& tx);

struct DecodedBlock {
  v1::Block block;
  v1::BlockHeader header;
  std::string hash;
};

absl::StatusOr<DecodedBlock> DecodeBlock(std::string_view bytes);
absl::StatusOr<v1::BlockHeader> DecodeBlockHeader(std::string_view bytes);

std::string TxId(const v1::Transaction& tx);
std::string BlockHash(const v1::Block& block);

bool VerifyTxSignature(const v1::Transaction& tx, std::string_view signer_public_key);
bool VerifyBlockSignature(const v1::Block& block, std::string_view proposer_public_key);

// Deterministic encoding of a message we produce (map-free messages encode the same on every node).
std::string Encode(const google::protobuf::MessageLite& message);

}  // namespace tl
