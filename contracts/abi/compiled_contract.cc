#include "trialledger/contracts/compiled_contract.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace tl::contracts {

std::string SerializeMetadata(const trialledger::v1::ContractMetadata& metadata) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    metadata.SerializeToCodedStream(&coded);
  }
  return bytes;
}

absl::StatusOr<trialledger::v1::ContractMetadata> ParseMetadata(std::string_view bytes) {
  trialledger::v1::ContractMetadata metadata;
  if (!metadata.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("contract metadata does not decode");
  }
  return metadata;
}

}  // namespace tl::contracts
