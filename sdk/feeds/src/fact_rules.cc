#include "fact_rules.h"

#include "trialledger/base/hex.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/sdk/crypto.h"

namespace tl::feeds::internal {

std::string HashedRecordId(std::string_view prefix, std::initializer_list<std::string_view> fields,
                           std::string* key) {
  Blake2b256Hasher hasher;
  key->clear();
  for (std::string_view field : fields) {
    hasher.UpdateField(field);
    if (!key->empty()) key->push_back('|');
    key->append(field);
  }
  constexpr size_t kIdHashBytes = 16;
  std::string id(prefix);
  id += '-';
  id += ToHex(hasher.Final().substr(0, kIdHashBytes));
  return id;
}

absl::Status CheckFactShape(const trialledger::v1::Fact& fact) {
  trialledger::v1::FactBatch batch;
  *batch.add_facts() = fact;
  absl::StatusOr<std::string> encoded = contracts::EncodeFactBatch(batch, 1);
  if (encoded.ok()) return absl::OkStatus();
  // "fact 0: subject is longer than 64 bytes" -> "subject is longer than 64 bytes"
  std::string_view message(encoded.status().message().data(), encoded.status().message().size());
  constexpr std::string_view kPrefix = "fact 0: ";
  if (message.substr(0, kPrefix.size()) == kPrefix) message.remove_prefix(kPrefix.size());
  return absl::InvalidArgumentError(std::string(message));
}

}  // namespace tl::feeds::internal
