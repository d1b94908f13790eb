// The position's named figures (ContractBooks): amounts per name kept in name order, and sets of
// names kept in the order things happened, so equal histories give equal bytes.
#include <algorithm>

#include "books_internal.h"
#include "trialledger/base/check.h"

namespace tl::books::internal {

int64_t AmountOf(const google::protobuf::RepeatedPtrField<v1::NamedAmount>& amounts,
                 std::string_view name) {
  for (const v1::NamedAmount& amount : amounts) {
    if (amount.name() == name) return amount.amount_minor();
  }
  return 0;
}

void AddAmount(google::protobuf::RepeatedPtrField<v1::NamedAmount>* amounts, std::string_view name,
               int64_t delta_minor) {
  auto at = std::lower_bound(
      amounts->begin(), amounts->end(), name,
      [](const v1::NamedAmount& amount, std::string_view key) { return amount.name() < key; });
  if (at != amounts->end() && at->name() == name) {
    at->set_amount_minor(Sum(at->amount_minor(), delta_minor));
    return;
  }
  const int index = static_cast<int>(at - amounts->begin());
  v1::NamedAmount* added = amounts->Add();
  added->set_name(std::string(name));
  added->set_amount_minor(delta_minor);
  for (int i = amounts->size() - 1; i > index; --i)
    amounts->SwapElements(i, i - 1);
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void Insert(google::protobuf::RepeatedPtrField<std::string>* names, std::string_view name) {
  if (!Contains(*names, name)) names->Add(std::string(name));
}

void Erase(google::protobuf::RepeatedPtrField<std::string>* names, std::string_view name) {
  google::protobuf::RepeatedPtrField<std::string> kept;
  for (const std::string& each : *names) {
    if (each != name) kept.Add(std::string(each));
  }
  *names = std::move(kept);
}

int64_t Sum(int64_t a, int64_t b) {
  int64_t sum = 0;
  TL_CHECK_MSG(!__builtin_add_overflow(a, b, &sum), "a sum of amounts overflows 64 bits");
  return sum;
}

}  // namespace tl::books::internal
