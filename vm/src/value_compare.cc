// The total order of values (CompareValues) and its work-counting form used by EQV.
#include <algorithm>

#include "object.h"
#include "trialledger/vm/value.h"

namespace tl::vm {

using internal::ValueAccess;

namespace {
template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

template <typename Seq, typename Cmp>
int CompareSequences(const Seq& a, const Seq& b, Cmp cmp) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = cmp(a[i], b[i]); c != 0) return c;
  }
  return Sign(a.size(), b.size());
}
}  // namespace

int CompareValues(const Value& left, const Value& right) {
  uint64_t work = 0;
  return internal::CompareValuesCounted(left, right, &work);
}

namespace internal {

int CompareValuesCounted(const Value& left, const Value& right, uint64_t* work) {
  ++*work;
  if (left.type() != right.type()) return Sign(left.type(), right.type());
  if (IsHeapType(left.type()) && ValueAccess::Obj(left) == ValueAccess::Obj(right)) return 0;
  const auto compare = [work](const Value& a, const Value& b) {
    return CompareValuesCounted(a, b, work);
  };
  switch (left.type()) {
    case Type::kNone:
      return 0;
    case Type::kBool:
      return Sign(left.AsBool(), right.AsBool());
    case Type::kInt:
    case Type::kTime:
    case Type::kDuration:
      return Sign(ValueAccess::Int(left), ValueAccess::Int(right));
    case Type::kMoney: {
      if (int c = Sign(left.MoneyCurrency(), right.MoneyCurrency()); c != 0) return c;
      return Sign(internal::MinorOf(left), internal::MinorOf(right));
    }
    case Type::kRational: {
      // Denominators are positive, so cross-multiplication preserves the order.
      const WideAmount l = WideAmount(left.RationalNumerator()) * right.RationalDenominator();
      const WideAmount r = WideAmount(right.RationalNumerator()) * left.RationalDenominator();
      return Sign(l, r);
    }
    case Type::kString:
    case Type::kBytes: {
      *work += std::min(left.AsString().size(), right.AsString().size()) / 8;
      const int c = left.AsString().compare(right.AsString());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Type::kList:
      return CompareSequences(left.ListItems(), right.ListItems(), compare);
    case Type::kMap:
      return CompareSequences(left.MapEntries(), right.MapEntries(),
                              [&compare](const auto& a, const auto& b) {
                                if (int c = compare(a.first, b.first); c != 0) return c;
                                return compare(a.second, b.second);
                              });
    case Type::kRecord: {
      if (int c = CompareSequences(
              left.RecordFieldNames(), right.RecordFieldNames(),
              [](const std::string& a, const std::string& b) { return Sign(a, b); });
          c != 0) {
        return c;
      }
      return CompareSequences(left.RecordFields(), right.RecordFields(), compare);
    }
  }
  return 0;
}

}  // namespace internal

}  // namespace tl::vm
