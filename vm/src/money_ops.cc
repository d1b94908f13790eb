// Money and rational instructions. Money minor units are native __int128 values bounded to
// ±10^30 (native_amount.h), so addition, subtraction, scaling and division run on machine words
// with overflow builtins. Money × rational multiplies in 128 bits when the product fits and
// otherwise through Boost's 256-bit intermediates; either way the exact product is rounded once,
// by RoundDivide and the mode the instruction names, so both paths give the same result. Rational
// instructions use the Boost types throughout.
#include <stdexcept>

#include "arith.h"
#include "native_amount.h"
#include "object.h"
#include "ops.h"
#include "trialledger/base/str_cat.h"

namespace tl::vm::internal {
namespace {

struct MoneyParts {
  Currency currency;
  NativeAmount minor = 0;
};

MoneyParts PartsOf(const Value& v) {
  const auto* money = ValueAccess::As<MoneyObject>(v);
  return money != nullptr ? MoneyParts{money->currency, money->minor} : MoneyParts{};
}

// Stores money in `out`, reusing its object when this register is the only owner, so that a
// loop accumulating into one register allocates nothing. `width` is WidthWords(minor).
inline TrapCode StoreMoney(const Currency& currency, NativeAmount minor, int64_t width,
                           RunState& state, Value& out) {
  state.pending_gas += width;
  if (ValueAccess::Unique(out)) {
    auto* money = ValueAccess::As<MoneyObject>(out);
    money->currency = currency;
    money->minor = minor;
  } else {
    ValueAccess::Adopt(out, Type::kMoney, new MoneyObject(currency, minor));
  }
  return TrapCode::kNone;
}

inline TrapCode SetMoney(const Currency& currency, NativeAmount minor, RunState& state,
                         Value& out) {
  if (!MoneyInRange(minor)) return TrapCode::kIntegerOverflow;
  return StoreMoney(currency, minor, WidthWords(minor), state, out);
}

// An int64 amount is always within the money bound and one word wide.
inline TrapCode SetMoney64(const Currency& currency, int64_t minor, RunState& state, Value& out) {
  return StoreMoney(currency, minor, 1, state, out);
}

TrapCode SetRational(const WideAmount& numerator, const WideAmount& denominator, RunState& state,
                     Value& out) {
  Amount n, d;
  if (!ReduceRational(numerator, denominator, &n, &d)) return TrapCode::kIntegerOverflow;
  state.pending_gas += WidthWords(n) + WidthWords(d);
  if (ValueAccess::Unique(out)) {
    ValueAccess::As<RationalObject>(out)->Set(std::move(n), std::move(d));
  } else {
    ValueAccess::Adopt(out, Type::kRational, new RationalObject(std::move(n), std::move(d)));
  }
  return TrapCode::kNone;
}

TrapCode Mismatch(RunState& state, const Currency& left, const Currency& right) {
  state.message = StrCat("currency mismatch: '", left.code(), "' and '", right.code(), "'");
  return TrapCode::kCurrencyMismatch;
}

// Boost's checked integers throw on overflow; every op that uses them runs inside this guard.
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

// MMULR's machine-word path: the amount, both parts of the ratio and their product fit 64 bits.
// Then |result| <= |product| < 2^63 < 10^30 needs no range check, and a 64-bit division is
// much cheaper than the 128-bit library call. Returns false to take the wider paths.
inline bool MultiplyByRatio64(NativeAmount minor, const RationalObject& ratio, RoundingMode mode,
                              int64_t* out) {
  int64_t product;
  if (!ratio.fits_int64() || !FitsInt64(minor) ||
      __builtin_mul_overflow(static_cast<int64_t>(minor),
                             static_cast<int64_t>(ratio.native_numerator()), &product)) {
    return false;
  }
  *out = RoundDivide<int64_t>(product, static_cast<int64_t>(ratio.native_denominator()), mode);
  return true;
}

}  // namespace

// RoundDivide is exact at each width used: with a positive divisor (every denominator) neither
// the quotient nor its one-unit rounding step can overflow.
bool MultiplyByRatio(NativeAmount minor, const Value& ratio, RoundingMode mode, NativeAmount* out) {
  const auto* rational = ValueAccess::As<RationalObject>(ratio);
  if (rational == nullptr) {  // the zero rational 0/1
    *out = 0;
    return true;
  }
  if (int64_t small; MultiplyByRatio64(minor, *rational, mode, &small)) {
    *out = small;
    return true;
  }
  NativeAmount product;
  if (!rational->fits_native() ||
      __builtin_mul_overflow(minor, rational->native_numerator(), &product)) {
    return MultiplyByRatioExact(minor, ratio, mode, out);
  }
  *out = RoundDivide<NativeAmount>(product, rational->native_denominator(), mode);
  return MoneyInRange(*out);
}

TrapCode Op_kMnew(RunState& state, Value* r, const LinkedInstruction& in) {
  Currency currency;
  if (!Currency::Parse(r[in.c].AsString(), &currency)) {
    state.message = StrCat("'", r[in.c].AsString(), "' is not a currency code");
    return TrapCode::kInvalidValue;
  }
  return SetMoney(currency, NativeAmount{ValueAccess::Int(r[in.b])}, state, r[in.a]);
}

// Sums and differences of two amounts within ±10^30 cannot overflow __int128 (static_assert in
// native_amount.h); SetMoney applies the money bound.
TrapCode Op_kMadd(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]), y = PartsOf(r[in.c]);
  if (x.currency != y.currency) return Mismatch(state, x.currency, y.currency);
  int64_t sum;
  if (FitsInt64(x.minor) && FitsInt64(y.minor) &&
      !__builtin_add_overflow(static_cast<int64_t>(x.minor), static_cast<int64_t>(y.minor), &sum)) {
    return SetMoney64(x.currency, sum, state, r[in.a]);
  }
  return SetMoney(x.currency, x.minor + y.minor, state, r[in.a]);
}

TrapCode Op_kMsub(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]), y = PartsOf(r[in.c]);
  if (x.currency != y.currency) return Mismatch(state, x.currency, y.currency);
  int64_t difference;
  if (FitsInt64(x.minor) && FitsInt64(y.minor) &&
      !__builtin_sub_overflow(static_cast<int64_t>(x.minor), static_cast<int64_t>(y.minor),
                              &difference)) {
    return SetMoney64(x.currency, difference, state, r[in.a]);
  }
  return SetMoney(x.currency, x.minor - y.minor, state, r[in.a]);
}

TrapCode Op_kMneg(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  return SetMoney(x.currency, -x.minor, state, r[in.a]);
}

TrapCode Op_kMmul(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  NativeAmount product;
  // A product beyond __int128 is far beyond the money bound: the same trap as out of range.
  if (__builtin_mul_overflow(x.minor, NativeAmount{ValueAccess::Int(r[in.c])}, &product)) {
    return TrapCode::kIntegerOverflow;
  }
  return SetMoney(x.currency, product, state, r[in.a]);
}

TrapCode Op_kMdiv(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  const int64_t divisor = ValueAccess::Int(r[in.c]);
  if (divisor == 0) return TrapCode::kDivisionByZero;
  // |minor| <= 10^30, so neither the quotient nor the rounding step overflows __int128.
  return SetMoney(x.currency, RoundDivide<NativeAmount>(x.minor, divisor, Mode(in)), state,
                  r[in.a]);
}

TrapCode Op_kMmulr(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]);
  const auto* rational = ValueAccess::As<RationalObject>(r[in.c]);
  if (int64_t small;
      rational != nullptr && MultiplyByRatio64(x.minor, *rational, Mode(in), &small)) {
    return SetMoney64(x.currency, small, state, r[in.a]);
  }
  NativeAmount rounded;
  if (!MultiplyByRatio(x.minor, r[in.c], Mode(in), &rounded)) return TrapCode::kIntegerOverflow;
  return SetMoney(x.currency, rounded, state, r[in.a]);
}

TrapCode Op_kMratio(RunState& state, Value* r, const LinkedInstruction& in) {
  const MoneyParts x = PartsOf(r[in.b]), y = PartsOf(r[in.c]);
  if (x.currency != y.currency) return Mismatch(state, x.currency, y.currency);
  if (y.minor == 0) return TrapCode::kDivisionByZero;
  return Guarded([&] {
    return SetRational(WideAmount(ToAmount(x.minor)), WideAmount(ToAmount(y.minor)), state,
                       r[in.a]);
  });
}

TrapCode Op_kMamount(RunState& state, Value* r, const LinkedInstruction& in) {
  const NativeAmount minor = MinorOf(r[in.b]);
  if (!FitsInt64(minor)) return TrapCode::kIntegerOverflow;
  ValueAccess::Int(r[in.a]) = static_cast<int64_t>(minor);
  return TrapCode::kNone;
}

TrapCode Op_kMcur(RunState& state, Value* r, const LinkedInstruction& in) {
  return SetString(Type::kString, std::string(CurrencyOf(r[in.b]).code()), r[in.a]);
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
      if (CurrencyOf(w) != total.currency) {
        return Mismatch(state, total.currency, CurrencyOf(w));
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
  if (!AllocateLargestRemainder(ToAmount(total.minor), wide, &parts)) {
    return TrapCode::kIntegerOverflow;
  }
  std::vector<Value> items;
  items.reserve(parts.size());
  for (const Amount& part : parts) {
    NativeAmount native;
    TL_CHECK(ToNative(part, &native));  // |part| <= |total|
    Value money;
    ValueAccess::Adopt(money, Type::kMoney, new MoneyObject(total.currency, native));
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
