// Little-endian writing and bounds-checked reading of the VM's binary formats. Reads never run
// past the end of the input: every Read* returns false instead, and the caller reports where.
#ifndef TRIALLEDGER_VM_SRC_BYTE_IO_H_
#define TRIALLEDGER_VM_SRC_BYTE_IO_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tl::vm::internal {

template <typename T>
void PutLittleEndian(T value, std::string* out) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    out->push_back(static_cast<char>(static_cast<uint64_t>(value) >> (8 * i)));
  }
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Read(T* value) {
    if (remaining() < sizeof(T)) return false;
    uint64_t raw = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      raw |= uint64_t{static_cast<uint8_t>(bytes_[position_ + i])} << (8 * i);
    }
    position_ += sizeof(T);
    *value = static_cast<T>(raw);
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
