#include "trialledger/sdk/codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/crypto.h"
#include "trialledger/sdk/limits.h"

namespace tl {
namespace {

// True if `message` or any message inside it carries fields this version does not know.
bool HasUnknownFields(const google::protobuf::Message& message) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return true;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        if (HasUnknownFields(reflection->GetRepeatedMessage(message, field, i))) return true;
      }
    } else if (HasUnknownFields(reflection->GetMessage(message, field))) {
      return true;
    }
  }
  return false;
}

absl::Status ParseStrict(std::string_view bytes, google::protobuf::Message& message,
                         std::string_view what) {
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(StrCat(what, " does not decode"));
  }
  if (HasUnknownFields(message)) {
    return absl::InvalidArgumentError(StrCat(what, " has fields this version does not know"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string Encode(const google::protobuf::MessageLite& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

std::string TxId(const v1::Transaction& tx) {
  return Blake2b256(tx.body());
}

std::string BlockHash(const v1::Block& block) {
  return Blake2b256(block.header());
}

absl::StatusOr<DecodedTx> DecodeTransaction(const v1::Transaction& tx) {
  if (tx.ByteSizeLong() > limits::kTxBytesMax) {
    return absl::InvalidArgumentError(
        StrCat("transaction is ", tx.ByteSizeLong(), " bytes; the limit is ", limits::kTxBytesMax));
  }
  DecodedTx decoded;
  decoded.tx = tx;
  absl::Status status = ParseStrict(tx.body(), decoded.body, "transaction body");
  if (!status.ok()) return status;
  if (decoded.body.payload_case() == v1::TxBody::PAYLOAD_NOT_SET) {
    return absl::InvalidArgumentError("transaction body has no payload");
  }
  decoded.id = TxId(tx);
  return decoded;
}

absl::StatusOr<DecodedTx> DecodeTransaction(std::string_view bytes) {
  if (bytes.size() > limits::kTxBytesMax) {
    return absl::InvalidArgumentError(
        StrCat("transaction is ", bytes.size(), " bytes; the limit is ", limits::kTxBytesMax));
  }
  v1::Transaction tx;
  absl::Status status = ParseStrict(bytes, tx, "transaction");
  if (!status.ok()) return status;
  return DecodeTransaction(tx);
}

absl::StatusOr<v1::BlockHeader> DecodeBlockHeader(std::string_view bytes) {
  v1::BlockHeader header;
  absl::Status status = ParseStrict(bytes, header, "block header");
  if (!status.ok()) return status;
  if (Encode(header) != bytes) {
    return absl::InvalidArgumentError("block header is not in canonical encoding");
  }
  return header;
}

absl::StatusOr<DecodedBlock> DecodeBlock(std::string_view bytes) {
  if (bytes.size() > limits::kBlockBytesMax) {
    return absl::InvalidArgumentError(
        StrCat("block is ", bytes.size(), " bytes; the limit is ", limits::kBlockBytesMax));
  }
  DecodedBlock decoded;
  absl::Status status = ParseStrict(bytes, decoded.block, "block");
  if (!status.ok()) return status;
  if (Encode(decoded.block) != bytes) {
    return absl::InvalidArgumentError("block is not in canonical encoding");
  }
  absl::StatusOr<v1::BlockHeader> header = DecodeBlockHeader(decoded.block.header());
  if (!header.ok()) return header.status();
  decoded.header = *std::move(header);
  decoded.hash = BlockHash(decoded.block);
  return decoded;
}

bool VerifyTxSignature(const v1::Transaction& tx, std::string_view signer_public_key) {
  return VerifyInDomain(kTxSigningDomain, signer_public_key, tx.body(), tx.signature());
}

bool VerifyBlockSignature(const v1::Block& block, std::string_view proposer_public_key) {
  return VerifyInDomain(kBlockSigningDomain, proposer_public_key, block.header(),
                        block.proposer_signature());
}

}  // namespace tl
