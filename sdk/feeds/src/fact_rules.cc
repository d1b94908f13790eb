#include "fact_rules.h"

#include <algorithm>

#include "trialledger/base/hex.h"
#include "trialledger/contracts/fact_payload.h"
#include "trialledger/sdk/crypto.h"

namespace tl::feeds::internal {

FieldsHash HashFields(std::initializer_list<std::string_view> fields) {
  Blake2b256Hasher hasher;
  for (std::string_view field : fields)
    hasher.UpdateField(field);
  const std::string digest = hasher.Final();
  FieldsHash hash;
  std::copy_n(digest.begin(), hash.size(), hash.begin());
  return hash;
}

std::string HashedRecordId(std::string_view prefix, std::initializer_list<std::string_view> fields,
                           std::string* key, FieldsHash* hash) {
  key->clear();
  for (std::string_view field : fields) {
    if (!key->empty()) key->push_back('|');
    key->append(field);
  }
  const FieldsHash hashed = HashFields(fields);
  if (hash != nullptr) *hash = hashed;
  std::string id(prefix);
  id += '-';
  id += ToHex(std::string_view(hashed.data(), hashed.size()));
  return id;
}

absl::Status CheckFactShape(const trialledger::v1::Fact& fact) {
  trialledger::v1::FactBatch batch;
  *batch.add_facts() = fact;
  absl::StatusOr<std::string> encoded = contracts::EncodeFactBatch(batch, 1);
  if (encoded.ok()) return absl::OkStatus();
  // "fact 1: subject is longer than 64 bytes" -> "subject is longer than 64 bytes"
  std::string_view message(encoded.status().message().data(), encoded.status().message().size());
  constexpr std::string_view kPrefix = "fact 1: ";
  if (message.substr(0, kPrefix.size()) == kPrefix) message.remove_prefix(kPrefix.size());
  return absl::InvalidArgumentError(std::string(message));
}

}  // namespace tl::feeds::internal
