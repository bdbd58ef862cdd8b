/// @file
/// @brief SHA-256 (FIPS 180-4) of a stream of bytes: how a program tells the names file that its
/// PyTorch reference data was made from (tests/reference/lecture/meta.txt's `names_sha256`, the
/// same digest as `sha256sum data/names.txt`) from any other.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ninja {

/// The SHA-256 of the bytes fed to it, computed as they come (no copy of them is kept).
class Sha256 {
public:
    Sha256();
    /// Takes the next `size` bytes.
    void feed(const void* bytes, std::size_t size);
    /// The digest of every byte fed, as 64 lowercase hexadecimal digits (as sha256sum prints
    /// it). Call once, after the last feed().
    std::string hex();

private:
    /// Mixes the 64 bytes of block_ into state_.
    void compress();

    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> block_{};
    std::size_t in_block_ = 0;  // bytes of block_ filled
    std::uint64_t length_ = 0;  // bytes fed
};

}  // namespace ninja
