/// @file
/// @brief A small PNG writer for 8-bit grayscale and RGB pictures, with no dependency.
///
/// A PNG file is an 8-byte signature followed by chunks. Each chunk is its data length
/// (4 bytes, big-endian), a 4-letter type, the data, and a CRC-32 of type and data. Three chunks
/// suffice for a picture: `IHDR` (size, bit depth, colour type), `IDAT` (the pixels) and `IEND`.
/// The pixels go into `IDAT` as a zlib stream: every scanline is prefixed with filter byte 0
/// ("None"), and the bytes are carried in deflate *stored* blocks (block type 00, at most
/// 65,535 bytes each: a header byte, the length and its one's complement, then the bytes
/// verbatim), followed by the Adler-32 checksum of the uncompressed bytes. Nothing is
/// compressed, so files are about as large as the raw pixels; for the workbook's pictures (a few
/// hundred kilobytes at most) that is a fair price for a writer that fits on one screen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ninja::png {

/// The CRC-32 of PNG and zlib (reflected polynomial 0xEDB88320, initial value and final XOR
/// 0xFFFFFFFF). Pass the previous result as `crc` to continue a running checksum.
/// @param data the bytes
/// @param size how many
/// @param crc the checksum of the bytes before these (0 to start)
/// @return the checksum of everything so far; `crc32("123456789")` is 0xCBF43926
std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

/// The Adler-32 checksum that ends a zlib stream. Pass the previous result as `adler` to
/// continue a running checksum.
/// @param data the bytes
/// @param size how many
/// @param adler the checksum of the bytes before these (1 to start)
/// @return the checksum of everything so far; `adler32("Wikipedia")` is 0x11E60398
std::uint32_t adler32(const std::uint8_t* data, std::size_t size, std::uint32_t adler = 1);

/// An 8-bit picture, row by row from the top, each pixel `channels` bytes.
struct Image {
    std::size_t width = 0;             ///< pixels per row
    std::size_t height = 0;            ///< rows
    std::size_t channels = 1;          ///< 1: gray, 3: red, green, blue
    std::vector<std::uint8_t> pixels;  ///< width * height * channels bytes

    /// A picture of the given size, every byte set to `fill` (255: white).
    /// Throws std::invalid_argument unless `channels` is 1 or 3.
    Image(std::size_t width, std::size_t height, std::size_t channels, std::uint8_t fill = 255);

    /// The first byte of pixel (x, y); x from the left, y from the top.
    std::uint8_t* at(std::size_t x, std::size_t y) { return &pixels[(y * width + x) * channels]; }
    /// The const version of at().
    const std::uint8_t* at(std::size_t x, std::size_t y) const {
        return &pixels[(y * width + x) * channels];
    }
};

/// The complete PNG file of `image`, as bytes.
/// Throws std::invalid_argument for an empty picture or one whose pixel count does not match.
std::vector<std::uint8_t> encode(const Image& image);

/// Writes `image` to `path` as a PNG file, completely or not at all (common/atomic_file.hpp);
/// throws InputError naming the file if it cannot.
void write(const std::string& path, const Image& image);

}  // namespace ninja::png
