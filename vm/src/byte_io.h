// Bounds-checked reading of the VM's little-endian binary formats (written with
// base/endian.h's AppendLittleEndian). Reads never run past the end of the input: every Read*
// returns false instead, and the caller reports where.
#ifndef TRIALLEDGER_VM_SRC_BYTE_IO_H_
#define TRIALLEDGER_VM_SRC_BYTE_IO_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "trialledger/base/endian.h"

namespace tl::vm::internal {

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Read(T* value) {
    if (remaining() < sizeof(T)) return false;
    *value = DecodeLittleEndian<T>(bytes_.substr(position_));
    position_ += sizeof(T);
    return true;
  }
  bool ReadBytes(size_t count, std::string_view* out) {
    if (remaining() < count) return false;
    *out = bytes_.substr(position_, count);
    position_ += count;
    return true;
  }
  size_t position() const { return position_; }
  size_t remaining() const { return bytes_.size() - position_; }
  std::string_view rest() const { return bytes_.substr(position_); }

 private:
  std::string_view bytes_;
  size_t position_ = 0;
};

}  // namespace tl::vm::internal

#endif  // TRIALLEDGER_VM_SRC_BYTE_IO_H_
