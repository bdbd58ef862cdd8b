#include "common/png.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "common/atomic_file.hpp"

namespace ninja::png {

namespace {

/// The 256 remainders of the byte-at-a-time CRC-32, built once.
const std::array<std::uint32_t, 256>& crc_table() {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    return table;
}

void put_u32_be(std::vector<std::uint8_t>& out, std::uint32_t v) {
    out.push_back(std::uint8_t(v >> 24));
    out.push_back(std::uint8_t(v >> 16));
    out.push_back(std::uint8_t(v >> 8));
    out.push_back(std::uint8_t(v));
}

/// Appends one chunk: length, type, data, CRC-32 of type and data.
void put_chunk(std::vector<std::uint8_t>& out, const char (&type)[5],
               const std::vector<std::uint8_t>& data) {
    put_u32_be(out, std::uint32_t(data.size()));
    const std::size_t type_at = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    put_u32_be(out, crc32(&out[type_at], 4 + data.size()));
}

/// The zlib stream of `raw` in stored (uncompressed) deflate blocks.
std::vector<std::uint8_t> zlib_stored(const std::vector<std::uint8_t>& raw) {
    constexpr std::size_t max_block = 65535;
    std::vector<std::uint8_t> out;
    out.reserve(raw.size() + raw.size() / max_block * 5 + 16);
    // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary, "fastest" level, and
    // (0x78 * 256 + 0x01) is a multiple of 31, as the header check requires.
    out.push_back(0x78);
    out.push_back(0x01);
    std::size_t at = 0;
    do {
        const std::size_t len = std::min(max_block, raw.size() - at);
        const bool last = at + len == raw.size();
        out.push_back(last ? 0x01 : 0x00);  // BFINAL, then BTYPE 00 (stored)
        out.push_back(std::uint8_t(len));
        out.push_back(std::uint8_t(len >> 8));
        out.push_back(std::uint8_t(~len));
        out.push_back(std::uint8_t(~len >> 8));
        out.insert(out.end(), raw.begin() + std::ptrdiff_t(at),
                   raw.begin() + std::ptrdiff_t(at + len));
        at += len;
    } while (at < raw.size());
    put_u32_be(out, adler32(raw.data(), raw.size()));
    return out;
}

}  // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc) {
    const auto& table = crc_table();
    std::uint32_t c = crc ^ 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t adler32(const std::uint8_t* data, std::size_t size, std::uint32_t adler) {
    constexpr std::uint32_t mod = 65521;
    std::uint32_t a = adler & 0xFFFFu, b = adler >> 16;
    while (size > 0) {
        // 5552 bytes is the longest run whose sums cannot overflow 32 bits before the modulo.
        const std::size_t run = std::min<std::size_t>(size, 5552);
        for (std::size_t i = 0; i < run; ++i) a += data[i], b += a;
        a %= mod, b %= mod;
        data += run, size -= run;
    }
    return (b << 16) | a;
}

Image::Image(std::size_t w, std::size_t h, std::size_t c, std::uint8_t fill)
    : width(w), height(h), channels(c) {
    if (c != 1 && c != 3) throw std::invalid_argument("png::Image: channels must be 1 or 3");
    pixels.assign(w * h * c, fill);
}

std::vector<std::uint8_t> encode(const Image& image) {
    if (image.width == 0 || image.height == 0 || image.width > 0x7FFFFFFF ||
        image.height > 0x7FFFFFFF)
        throw std::invalid_argument("png::encode: width and height must be 1 to 2^31-1");
    if (image.channels != 1 && image.channels != 3)
        throw std::invalid_argument("png::encode: channels must be 1 or 3");
    const std::size_t row = image.width * image.channels;
    if (image.pixels.size() != row * image.height)
        throw std::invalid_argument("png::encode: the pixel buffer does not match the size");

    std::vector<std::uint8_t> out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<std::uint8_t> header;
    put_u32_be(header, std::uint32_t(image.width));
    put_u32_be(header, std::uint32_t(image.height));
    header.push_back(8);                            // bits per sample
    header.push_back(image.channels == 1 ? 0 : 2);  // colour type: gray or RGB
    header.push_back(0);                            // compression: deflate
    header.push_back(0);                            // filter method 0
    header.push_back(0);                            // no interlace
    put_chunk(out, "IHDR", header);

    std::vector<std::uint8_t> raw;
    raw.reserve((row + 1) * image.height);
    for (std::size_t y = 0; y < image.height; ++y) {
        raw.push_back(0);  // filter type None
        const auto begin = image.pixels.begin() + std::ptrdiff_t(y * row);
        raw.insert(raw.end(), begin, begin + std::ptrdiff_t(row));
    }
    put_chunk(out, "IDAT", zlib_stored(raw));
    put_chunk(out, "IEND", {});
    return out;
}

void write(const std::string& path, const Image& image) {
    const std::vector<std::uint8_t> bytes = encode(image);
    AtomicFile file(path);
    file.write(bytes.data(), bytes.size());
    file.commit();
}

}  // namespace ninja::png
