#include "trialledger/vm/value_codec.h"

#include "arith.h"
#include "byte_io.h"
#include "object.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/vm/limits.h"

namespace tl::vm {
namespace {

using internal::ByteReader;

constexpr size_t kAmountBytesMax = 16;

class Encoder {
 public:
  Encoder(size_t max_bytes, std::string* out) : max_bytes_(max_bytes), out_(out) {}

  bool Put(const Value& value) {
    PutByte(static_cast<uint8_t>(value.type()));
    switch (value.type()) {
      case Type::kNone:
        break;
      case Type::kBool:
        PutByte(value.AsBool() ? 1 : 0);
        break;
      case Type::kInt:
      case Type::kTime:
      case Type::kDuration:
        AppendLittleEndian<int64_t>(internal::ValueAccess::Int(value), out_);
        break;
      case Type::kMoney: {
        const Currency currency = value.MoneyCurrency();
        if (currency.empty()) {
          out_->append(3, '\0');
        } else {
          out_->append(currency.code());
        }
        PutAmount(value.MoneyMinor());
        break;
      }
      case Type::kRational:
        PutAmount(value.RationalNumerator());
        PutAmount(value.RationalDenominator());
        break;
      case Type::kString:
      case Type::kBytes:
        AppendLittleEndian<uint32_t>(value.AsString().size(), out_);
        if (!Fits(value.AsString().size())) return false;
        out_->append(value.AsString());
        break;
      case Type::kList:
        AppendLittleEndian<uint32_t>(value.ListItems().size(), out_);
        for (const Value& item : value.ListItems()) {
          if (!Put(item)) return false;
        }
        break;
      case Type::kMap:
        AppendLittleEndian<uint32_t>(value.MapEntries().size(), out_);
        for (const auto& [key, item] : value.MapEntries()) {
          if (!Put(key) || !Put(item)) return false;
        }
        break;
      case Type::kRecord: {
        const auto names = value.RecordFieldNames();
        PutByte(static_cast<uint8_t>(names.size()));
        for (size_t i = 0; i < names.size(); ++i) {
          PutByte(static_cast<uint8_t>(names[i].size()));
          out_->append(names[i]);
          if (!Put(value.RecordFields()[i])) return false;
        }
        break;
      }
    }
    return Fits(0);
  }

 private:
  void PutByte(uint8_t byte) { out_->push_back(static_cast<char>(byte)); }
  bool Fits(size_t extra) const { return out_->size() + extra <= max_bytes_; }

  void PutAmount(const Amount& amount) {
    PutByte(amount < 0 ? 1 : 0);
    Amount magnitude = amount < 0 ? Amount(-amount) : amount;
    std::string digits;
    while (magnitude > 0) {
      digits.push_back(static_cast<char>((magnitude & 0xff).convert_to<unsigned>()));
      magnitude >>= 8;
    }
    PutByte(static_cast<uint8_t>(digits.size()));
    out_->append(digits);
  }

  size_t max_bytes_;
  std::string* out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : reader_(bytes) {}

  absl::StatusOr<Value> Get(uint32_t depth) {
    if (depth > kValueDepthMax) return Fail("value nests deeper than kValueDepthMax");
    uint8_t tag;
    if (!reader_.Read(&tag)) return Truncated();
    switch (static_cast<Type>(tag)) {
      case Type::kBool: {
        uint8_t b;
        if (!reader_.Read(&b)) return Truncated();
        if (b > 1) return Fail("bool byte is neither 0 nor 1");
        return Value::MakeBool(b == 1);
      }
      case Type::kInt:
      case Type::kTime:
      case Type::kDuration: {
        int64_t bits;
        if (!reader_.Read(&bits)) return Truncated();
        Value v = Value::ZeroOf(static_cast<Type>(tag));
        internal::ValueAccess::Int(v) = bits;
        return v;
      }
      case Type::kMoney:
        return GetMoney();
      case Type::kRational:
        return GetRational();
      case Type::kString:
      case Type::kBytes: {
        uint32_t size;
        std::string_view data;
        if (!reader_.Read(&size)) return Truncated();
        if (size > kStringBytesMax) return Fail("string or bytes longer than kStringBytesMax");
        if (!reader_.ReadBytes(size, &data)) return Truncated();
        return tag == static_cast<uint8_t>(Type::kString) ? Value::MakeString(data)
                                                          : Value::MakeBytes(data);
      }
      case Type::kList:
        return GetList(depth);
      case Type::kMap:
        return GetMap(depth);
      case Type::kRecord:
        return GetRecord(depth);
      default:
        return Fail(StrCat("unknown value type tag ", tag));
    }
  }

  ByteReader& reader() { return reader_; }

 private:
  absl::Status Fail(absl::string_view what) const {
    return absl::InvalidArgumentError(
        StrCat("value encoding at byte ", reader_.position(), ": ", what));
  }
  absl::Status Truncated() const { return Fail("input ends inside a value"); }

  absl::Status GetAmount(Amount* amount) {
    uint8_t sign, length;
    std::string_view digits;
    if (!reader_.Read(&sign) || !reader_.Read(&length)) return Truncated();
    if (sign > 1 || length > kAmountBytesMax) return Fail("malformed integer header");
    if (!reader_.ReadBytes(length, &digits)) return Truncated();
    if (length > 0 && digits.back() == 0) return Fail("integer has leading zero bytes");
    if (length == 0 && sign == 1) return Fail("negative zero");
    Amount magnitude = 0;
    for (size_t i = length; i-- > 0;) {
      magnitude <<= 8;
      magnitude |= static_cast<uint8_t>(digits[i]);
    }
    *amount = sign == 1 ? Amount(-magnitude) : magnitude;
    return absl::OkStatus();
  }

  absl::StatusOr<Value> GetMoney() {
    std::string_view code;
    if (!reader_.ReadBytes(3, &code)) return Truncated();
    Amount minor;
    if (absl::Status s = GetAmount(&minor); !s.ok()) return s;
    if (code == std::string_view("\0\0\0", 3)) {
      if (minor != 0) return Fail("money without a currency must be zero");
      return Value::ZeroOf(Type::kMoney);
    }
    absl::StatusOr<Value> money = Value::MakeMoney(code, minor);
    if (!money.ok()) return Fail(money.status().message());
    return money;
  }

  absl::StatusOr<Value> GetRational() {
    Amount numerator, denominator;
    if (absl::Status s = GetAmount(&numerator); !s.ok()) return s;
    if (absl::Status s = GetAmount(&denominator); !s.ok()) return s;
    if (denominator <= 0) return Fail("rational denominator must be positive");
    absl::StatusOr<Value> rational = Value::MakeRational(numerator, denominator);
    if (!rational.ok()) return Fail(rational.status().message());
    if (rational->RationalDenominator() != denominator) return Fail("rational is not reduced");
    return rational;
  }

  absl::Status GetCount(uint32_t* count) {
    if (!reader_.Read(count)) return Truncated();
    // Every entry takes at least one byte, which bounds allocation by the input size.
    if (*count > kCollectionEntriesMax || *count > reader_.remaining()) {
      return Fail("collection larger than kCollectionEntriesMax or than its input");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Value> GetList(uint32_t depth) {
    uint32_t count = 0;
    if (absl::Status s = GetCount(&count); !s.ok()) return s;
    std::vector<Value> items;
    items.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      absl::StatusOr<Value> item = Get(depth + 1);
      if (!item.ok()) return item.status();
      items.push_back(*std::move(item));
    }
    absl::StatusOr<Value> list = Value::MakeList(std::move(items));
    if (!list.ok()) return Fail(list.status().message());
    return list;
  }

  absl::StatusOr<Value> GetMap(uint32_t depth) {
    uint32_t count = 0;
    if (absl::Status s = GetCount(&count); !s.ok()) return s;
    std::vector<std::pair<Value, Value>> entries;
    entries.reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      absl::StatusOr<Value> key = Get(depth + 1);
      if (!key.ok()) return key.status();
      if (!IsKeyType(key->type())) return Fail("map key of a type that cannot be a key");
      if (!entries.empty() && CompareValues(entries.back().first, *key) >= 0) {
        return Fail("map keys are not strictly ascending");
      }
      absl::StatusOr<Value> item = Get(depth + 1);
      if (!item.ok()) return item.status();
      entries.emplace_back(*std::move(key), *std::move(item));
    }
    absl::StatusOr<Value> map = Value::MakeMap(std::move(entries));
    if (!map.ok()) return Fail(map.status().message());
    return map;
  }

  absl::StatusOr<Value> GetRecord(uint32_t depth) {
    uint8_t count = 0;
    if (!reader_.Read(&count)) return Truncated();
    if (count > kRecordFieldsMax) return Fail("record has more than kRecordFieldsMax fields");
    auto shape = std::make_shared<RecordShape>();
    std::vector<Value> fields;
    for (uint8_t i = 0; i < count; ++i) {
      uint8_t length;
      std::string_view name;
      if (!reader_.Read(&length)) return Truncated();
      if (length == 0 || length > kNameBytesMax) return Fail("record field name length");
      if (!reader_.ReadBytes(length, &name)) return Truncated();
      for (const std::string& existing : *shape) {
        if (existing == name) return Fail("duplicate record field name");
      }
      shape->emplace_back(name);
      absl::StatusOr<Value> field = Get(depth + 1);
      if (!field.ok()) return field.status();
      fields.push_back(*std::move(field));
    }
    absl::StatusOr<Value> record = Value::MakeRecord(std::move(shape), std::move(fields));
    if (!record.ok()) return Fail(record.status().message());
    return record;
  }

  ByteReader reader_;
};

}  // namespace

bool EncodeValue(const Value& value, size_t max_bytes, std::string* out) {
  return Encoder(max_bytes, out).Put(value);
}

std::string EncodeValue(const Value& value) {
  std::string out;
  Encoder(SIZE_MAX, &out).Put(value);
  return out;
}

absl::StatusOr<Value> DecodeValuePrefix(std::string_view* bytes) {
  Decoder decoder(*bytes);
  absl::StatusOr<Value> value = decoder.Get(0);
  if (value.ok()) bytes->remove_prefix(decoder.reader().position());
  return value;
}

absl::StatusOr<Value> DecodeValue(std::string_view bytes) {
  std::string_view rest = bytes;
  absl::StatusOr<Value> value = DecodeValuePrefix(&rest);
  if (value.ok() && !rest.empty()) {
    return absl::InvalidArgumentError(
        StrCat("value encoding has ", rest.size(), " trailing bytes after the value"));
  }
  return value;
}

}  // namespace tl::vm
