// Money and rational instructions. Amounts are Boost.Multiprecision checked 128-bit integers,
// bounded to ±10^30 minor units; products go through 256-bit intermediates so that a result is
// rounded exactly once, by the mode its instruction names.
#include <stdexcept>

#include "arith.h"
#include "object.h"
#include "ops.h"
#include "trialledger/base/str_cat.h"

namespace tl::vm::internal {
namespace {

struct MoneyParts {
  Currency currency;
  Amount minor;
};

MoneyParts PartsOf(const Value& v) {
  return {v.MoneyCurrency(), v.MoneyMinor()};
}

// Stores money in `out`, reusing its object when this register is the only owner.
TrapCode SetMoney(const Currency& currency, const WideAmount& minor, RunState& state, Value& out) {
  Amount narrow;
  if (!MoneyInRange(minor) || !Narrow(minor, &narrow)) return TrapCode::kIntegerOverflow;
  state.pending_gas += WidthWords(narrow);
  if (ValueAccess::Unique(out)) {
    auto* money = ValueAccess::As<MoneyObject>(out);
    money->currency = currency;
    money->minor = narrow;
  } else {
    ValueAccess::Adopt(out, Type::kMoney, new MoneyObject(currency, narrow));
  }
  return TrapCode::kNone;
}

TrapCode SetRational(const WideAmount& numerator, const WideAmount& denominator, RunState& state,
                     Value& out) {
  Amount n, d;
  if (!ReduceRational(numerator, denominator, &n, &d)) return TrapCode::kIntegerOverflow;
  state.pending_gas += WidthWords(n) + WidthWords(d);
  if (ValueAccess::Unique(out)) {
    auto* rational = ValueAccess::As<RationalObject>(out);
    rational->numerator = n;
    rational->denominator = d;
  } else {
    ValueAccess::Adopt(out, Type::kRational, new RationalObject(n, d));
  }
  return TrapCode::kNone;
}

TrapCode Mismatch(RunState& state, const Currency& left, const Currency& right) {
  state.message = StrCat("currency mismatch: '", left.code(), "' and '", right.code(), "'");
  return TrapCode::kCurrencyMismatch;
}

// Boost's checked integers throw on overflow; every op below runs inside this guard.
template <typename Fn>
TrapCode Guarded(Fn fn) {
  try {
    return fn();
  } catch (const std::overflow_error&) {
    return TrapCode::kIntegerOverflow;
  } catch (const std::range_error&) {
    return TrapCode::kIntegerOverflow;
  }
}

RoundingMode Mode(const LinkedInstruction& in) {
  return static_cast<RoundingMode>(in.mode);
}

}  // namespace

TrapCode Op_kMnew(RunState& state, Value* r, const LinkedInstruction& in) {
  Currency currency;
  if (!Currency::Parse(r[in.c].AsString(), &currency)) {
    state.message = StrCat("'", r[in.c].AsString(), "' is not a currency code");
    return TrapCode::kInvalidValue;
  }
  return SetMoney(currency, WideAmount(ValueAccess::Int(r[in.b])), state, r[in.a]);
}

TrapCode Op_kMadd(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]), y = PartsOf(r[in.c]);
  if (x.currency != y.currency) return Mismatch(state, x.currency, y.currency);
  return Guarded(
      [&] { return SetMoney(x.currency, WideAmount(x.minor) + y.minor, state, r[in.a]); });
}

TrapCode Op_kMsub(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]), y = PartsOf(r[in.c]);
  if (x.currency != y.currency) return Mismatch(state, x.currency, y.currency);
  return Guarded(
      [&] { return SetMoney(x.currency, WideAmount(x.minor) - y.minor, state, r[in.a]); });
}

TrapCode Op_kMneg(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  return Guarded([&] { return SetMoney(x.currency, -WideAmount(x.minor), state, r[in.a]); });
}

TrapCode Op_kMmul(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  const int64_t factor = ValueAccess::Int(r[in.c]);
  return Guarded(
      [&] { return SetMoney(x.currency, WideAmount(x.minor) * factor, state, r[in.a]); });
}

TrapCode Op_kMdiv(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  const int64_t divisor = ValueAccess::Int(r[in.c]);
  if (divisor == 0) return TrapCode::kDivisionByZero;
  return Guarded([&] {
    return SetMoney(x.currency, RoundDivide(WideAmount(x.minor), WideAmount(divisor), Mode(in)),
                    state, r[in.a]);
  });
}

TrapCode Op_kMmulr(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  const Value& ratio = r[in.c];
  return Guarded([&] {
    const WideAmount product = WideAmount(x.minor) * ratio.RationalNumerator();
    return SetMoney(x.currency,
                    RoundDivide(product, WideAmount(ratio.RationalDenominator()), Mode(in)), state,
                    r[in.a]);
  });
}

TrapCode Op_kMratio(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]), y = PartsOf(r[in.c]);
  if (x.currency != y.currency) return Mismatch(state, x.currency, y.currency);
  if (y.minor == 0) return TrapCode::kDivisionByZero;
  return Guarded([&] { return SetRational(x.minor, y.minor, state, r[in.a]); });
}

TrapCode Op_kMamount(RunState& state, Value* r, const LinkedInstruction& in) {
  const Amount minor = r[in.b].MoneyMinor();
  if (minor > std::numeric_limits<int64_t>::max() || minor < std::numeric_limits<int64_t>::min()) {
    return TrapCode::kIntegerOverflow;
  }
  ValueAccess::Int(r[in.a]) = minor.convert_to<int64_t>();
  return TrapCode::kNone;
}

TrapCode Op_kMcur(RunState& state, Value* r, const LinkedInstruction& in) {
  return SetString(Type::kString, std::string(r[in.b].MoneyCurrency().code()), r[in.a]);
}

TrapCode Op_kMalloc(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts total = PartsOf(r[in.b]);
  const std::span<const Value> weights = r[in.c].ListItems();
  if (weights.empty()) {
    state.message = "malloc needs at least one weight";
    return TrapCode::kInvalidValue;
  }
  std::vector<WideAmount> wide(weights.size());
  WideAmount sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Value& w = weights[i];
    if (w.type() == Type::kInt) {
      wide[i] = ValueAccess::Int(w);
    } else if (w.type() == Type::kMoney) {
      if (w.MoneyCurrency() != total.currency) {
        return Mismatch(state, total.currency, w.MoneyCurrency());
      }
      wide[i] = w.MoneyMinor();
    } else {
      state.message = "malloc weights must be ints or money";
      return TrapCode::kTypeError;
    }
    if (wide[i] < 0) {
      state.message = "malloc weights must not be negative";
      return TrapCode::kInvalidValue;
    }
    sum += wide[i];
  }
  if (sum == 0) {
    state.message = "malloc weights sum to zero";
    return TrapCode::kInvalidValue;
  }
  std::vector<Amount> parts;
  if (!AllocateLargestRemainder(total.minor, wide, &parts)) return TrapCode::kIntegerOverflow;
  std::vector<Value> items;
  items.reserve(parts.size());
  for (const Amount& part : parts) {
    Value money;
    ValueAccess::Adopt(money, Type::kMoney, new MoneyObject(total.currency, part));
    items.push_back(std::move(money));
  }
  state.pending_gas += 4 * items.size();
  absl::StatusOr<Value> list = Value::MakeList(std::move(items));
  if (!list.ok()) return TrapCode::kLimitExceeded;
  r[in.a] = *std::move(list);
  return TrapCode::kNone;
}

TrapCode Op_kRnew(RunState& state, Value* r, const LinkedInstruction& in) {
  const int64_t denominator = ValueAccess::Int(r[in.c]);
  if (denominator == 0) return TrapCode::kDivisionByZero;
  return Guarded(
      [&] { return SetRational(ValueAccess::Int(r[in.b]), denominator, state, r[in.a]); });
}

TrapCode Op_kRadd(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value &x = r[in.b], &y = r[in.c];
  return Guarded([&] {
    const WideAmount xd = x.RationalDenominator(), yd = y.RationalDenominator();
    return SetRational(
        WideAmount(x.RationalNumerator()) * yd + WideAmount(y.RationalNumerator()) * xd, xd * yd,
        state, r[in.a]);
  });
}

TrapCode Op_kRsub(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value &x = r[in.b], &y = r[in.c];
  return Guarded([&] {
    const WideAmount xd = x.RationalDenominator(), yd = y.RationalDenominator();
    return SetRational(
        WideAmount(x.RationalNumerator()) * yd - WideAmount(y.RationalNumerator()) * xd, xd * yd,
        state, r[in.a]);
  });
}

TrapCode Op_kRmul(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value &x = r[in.b], &y = r[in.c];
  return Guarded([&] {
    return SetRational(WideAmount(x.RationalNumerator()) * y.RationalNumerator(),
                       WideAmount(x.RationalDenominator()) * y.RationalDenominator(), state,
                       r[in.a]);
  });
}

TrapCode Op_kRdiv(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value &x = r[in.b], &y = r[in.c];
  if (y.RationalNumerator() == 0) return TrapCode::kDivisionByZero;
  return Guarded([&] {
    return SetRational(WideAmount(x.RationalNumerator()) * y.RationalDenominator(),
                       WideAmount(x.RationalDenominator()) * y.RationalNumerator(), state, r[in.a]);
  });
}

TrapCode Op_kRneg(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value& x = r[in.b];
  return Guarded([&] {
    return SetRational(-WideAmount(x.RationalNumerator()), x.RationalDenominator(), state, r[in.a]);
  });
}

TrapCode Op_kRround(RunState& state, Value* r, const LinkedInstruction& in) {
  const Value& x = r[in.b];
  return Guarded([&] {
    const WideAmount rounded = RoundDivide(WideAmount(x.RationalNumerator()),
                                           WideAmount(x.RationalDenominator()), Mode(in));
    if (rounded > std::numeric_limits<int64_t>::max() ||
        rounded < std::numeric_limits<int64_t>::min()) {
      return TrapCode::kIntegerOverflow;
    }
    ValueAccess::Int(r[in.a]) = rounded.convert_to<int64_t>();
    return TrapCode::kNone;
  });
}

}  // namespace tl::vm::internal
