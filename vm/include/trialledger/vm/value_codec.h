// The canonical byte encoding of values. Storage values, payload values, constants in modules
// and the event hash all use it, so two nodes that hold equal values hold equal bytes. Every
// value has exactly one encoding; the decoder rejects any other (unsorted map keys, unreduced
// rationals, non-minimal integers), so decode(encode(v)) == v and encode(decode(b)) == b.
// The layout is specified in docs/vm-bytecode.md, "Value encoding".
#ifndef TRIALLEDGER_VM_VALUE_CODEC_H_
#define TRIALLEDGER_VM_VALUE_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trialledger/vm/value.h"

namespace tl::vm {

// Appends the encoding of `value` to `out`. Returns false (with `out` partly written) as soon as
// `out` would grow beyond `max_bytes`.
bool EncodeValue(const Value& value, size_t max_bytes, std::string* out);
std::string EncodeValue(const Value& value);

// Decodes exactly one value that fills all of `bytes`.
absl::StatusOr<Value> DecodeValue(std::string_view bytes);

// Decodes one value from the front of `*bytes` and advances it past the value.
absl::StatusOr<Value> DecodeValuePrefix(std::string_view* bytes);

}  // namespace tl::vm

#endif  // TRIALLEDGER_VM_VALUE_CODEC_H_
