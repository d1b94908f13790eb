// Fixed-width integers as bytes, one home for both byte orders the formats use.
//
// Big-endian where bytes are compared or sorted: state and store keys (LevelDB orders keys
// bytewise, so big-endian heights and sequence numbers sort numerically) and hash inputs.
// Little-endian in the binary codecs of the Raft log and the VM's modules and values.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "trialledger/base/check.h"

namespace tl {

// 8 bytes, most significant first.
inline std::string EncodeBigEndian64(uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return bytes;
}

// The first 8 bytes of `bytes`, most significant first. REQUIRES: bytes.size() >= 8.
inline uint64_t DecodeBigEndian64(std::string_view bytes) {
  TL_CHECK(bytes.size() >= 8);
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i)
    value = value << 8 | static_cast<uint8_t>(bytes[i]);
  return value;
}

// sizeof(T) bytes of `value`, least significant first, appended to `out`.
template <std::integral T>
void AppendLittleEndian(T value, std::string* out) {
  for (size_t i = 0; i < sizeof(T); ++i)
    out->push_back(static_cast<char>(static_cast<uint64_t>(value) >> (8 * i)));
}

// The first sizeof(T) bytes of `bytes`, least significant first.
// REQUIRES: bytes.size() >= sizeof(T).
template <std::integral T>
T DecodeLittleEndian(std::string_view bytes) {
  TL_CHECK(bytes.size() >= sizeof(T));
  uint64_t raw = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    raw |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
  return static_cast<T>(raw);
}

}  // namespace tl
