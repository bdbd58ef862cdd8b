#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/png.hpp"
#include "test_helpers.hpp"

using namespace ninja;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::uint32_t u32_be(const Bytes& b, std::size_t at) {
    return std::uint32_t(b.at(at)) << 24 | std::uint32_t(b.at(at + 1)) << 16 |
           std::uint32_t(b.at(at + 2)) << 8 | std::uint32_t(b.at(at + 3));
}

/// One chunk of a PNG file as read back.
struct Chunk {
    std::string type;
    Bytes data;
};

/// Splits a PNG file into its chunks, checking the signature and every chunk's CRC on the way.
std::vector<Chunk> read_chunks(const Bytes& file) {
    const Bytes signature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    BOOST_TEST_REQUIRE(file.size() >= signature.size());
    BOOST_TEST(Bytes(file.begin(), file.begin() + 8) == signature,
               boost::test_tools::per_element());
    std::vector<Chunk> chunks;
    std::size_t at = 8;
    while (at < file.size()) {
        BOOST_TEST_REQUIRE(at + 12 <= file.size());
        const std::size_t len = u32_be(file, at);
        BOOST_TEST_REQUIRE(at + 12 + len <= file.size());
        Chunk c{std::string(file.begin() + std::ptrdiff_t(at + 4),
                            file.begin() + std::ptrdiff_t(at + 8)),
                Bytes(file.begin() + std::ptrdiff_t(at + 8),
                      file.begin() + std::ptrdiff_t(at + 8 + len))};
        BOOST_TEST_CONTEXT("chunk " << c.type) {
            BOOST_TEST(u32_be(file, at + 8 + len) == png::crc32(&file[at + 4], 4 + len));
        }
        chunks.push_back(std::move(c));
        at += 12 + len;
    }
    BOOST_TEST(at == file.size());
    return chunks;
}

/// Undoes the zlib stream of stored deflate blocks that the writer produces, checking the header,
/// each block's length and one's complement, and the Adler-32 at the end.
Bytes inflate_stored(const Bytes& z) {
    BOOST_TEST_REQUIRE(z.size() >= 6);
    BOOST_TEST(z[0] == 0x78);                   // deflate, 32 KiB window
    BOOST_TEST((z[0] * 256 + z[1]) % 31 == 0);  // the header check
    BOOST_TEST((z[1] & 0x20) == 0);             // no preset dictionary
    Bytes raw;
    std::size_t at = 2;
    for (bool last = false; !last;) {
        BOOST_TEST_REQUIRE(at + 5 <= z.size());
        last = z[at] & 1;
        BOOST_TEST((z[at] >> 1) == 0);  // BTYPE 00: stored, and no stray bits
        const std::size_t len = z[at + 1] | z[at + 2] << 8;
        const std::size_t nlen = z[at + 3] | z[at + 4] << 8;
        BOOST_TEST(len == (~nlen & 0xFFFFu));
        BOOST_TEST_REQUIRE(at + 5 + len <= z.size());
        raw.insert(raw.end(), z.begin() + std::ptrdiff_t(at + 5),
                   z.begin() + std::ptrdiff_t(at + 5 + len));
        at += 5 + len;
    }
    BOOST_TEST_REQUIRE(at + 4 == z.size());
    BOOST_TEST(u32_be(z, at) == png::adler32(raw.data(), raw.size()));
    return raw;
}

/// A picture whose every byte depends on its position, so that any misplaced byte shows.
png::Image pattern(std::size_t w, std::size_t h, std::size_t channels) {
    png::Image image(w, h, channels);
    for (std::size_t i = 0; i < image.pixels.size(); ++i)
        image.pixels[i] = std::uint8_t(i * 7 + i / 251);
    return image;
}

}  // namespace

BOOST_AUTO_TEST_CASE(crc32_matches_the_standard_check_values) {
    const Bytes check = bytes_of("123456789"), iend = bytes_of("IEND");
    BOOST_TEST(png::crc32(check.data(), check.size()) == 0xCBF43926u);  // the CRC-32 check value
    BOOST_TEST(png::crc32(iend.data(), iend.size()) == 0xAE426082u);    // ends every PNG file
    BOOST_TEST(png::crc32(nullptr, 0) == 0u);
    // A running checksum over two pieces equals the checksum of the whole.
    BOOST_TEST(png::crc32(check.data() + 4, 5, png::crc32(check.data(), 4)) == 0xCBF43926u);
    Bytes big(100000);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = std::uint8_t(i * 7 + 3);
    BOOST_TEST(png::crc32(big.data(), big.size()) == 0xF730CAA8u);  // zlib.crc32 of the same bytes
}

BOOST_AUTO_TEST_CASE(adler32_matches_known_values) {
    const Bytes wiki = bytes_of("Wikipedia");
    BOOST_TEST(png::adler32(wiki.data(), wiki.size()) == 0x11E60398u);
    BOOST_TEST(png::adler32(nullptr, 0) == 1u);
    BOOST_TEST(png::adler32(wiki.data() + 3, 6, png::adler32(wiki.data(), 3)) == 0x11E60398u);
    // Longer than the 5552-byte runs between two modulo reductions.
    Bytes big(100000);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = std::uint8_t(i * 7 + 3);
    BOOST_TEST(png::adler32(big.data(), big.size()) == 0x2DFB940Fu);  // zlib.adler32
    const Bytes ones(20000, 0xFF);                                    // the worst case for overflow
    std::uint32_t a = 1, b = 0;
    for (std::uint8_t x : ones) a = (a + x) % 65521, b = (b + a) % 65521;
    BOOST_TEST(png::adler32(ones.data(), ones.size()) == (b << 16 | a));
}

BOOST_AUTO_TEST_CASE(one_gray_pixel_gives_the_known_file) {
    // The 70 bytes Python's zlib and struct modules give for a 1x1 8-bit gray picture of value
    // 0x80 written the same way (filter 0, one stored block).
    const Bytes expected{0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D,
                         0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
                         0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00,
                         0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF,
                         0x00, 0x80, 0x00, 0x82, 0x00, 0x81, 0xC3, 0x6E, 0x25, 0xE0, 0x00, 0x00,
                         0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
    png::Image image(1, 1, 1, 0x80);
    BOOST_TEST(png::encode(image) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(structure_and_pixels_survive_a_round_trip) {
    // 300 x 250 RGB: 225,250 bytes of scanlines, so several stored blocks of at most 65,535.
    for (const std::size_t channels : {std::size_t(1), std::size_t(3)}) {
        BOOST_TEST_CONTEXT("channels " << channels) {
            const png::Image image = pattern(300, 250, channels);
            const std::vector<Chunk> chunks = read_chunks(png::encode(image));
            BOOST_TEST_REQUIRE(chunks.size() == 3u);
            BOOST_TEST(chunks[0].type == "IHDR");
            BOOST_TEST(chunks[1].type == "IDAT");
            BOOST_TEST(chunks[2].type == "IEND");
            BOOST_TEST(chunks[2].data.empty());
            const Bytes& h = chunks[0].data;
            BOOST_TEST_REQUIRE(h.size() == 13u);
            BOOST_TEST(u32_be(h, 0) == 300u);
            BOOST_TEST(u32_be(h, 4) == 250u);
            BOOST_TEST(h[8] == 8);                        // bit depth
            BOOST_TEST(h[9] == (channels == 1 ? 0 : 2));  // gray or truecolour
            BOOST_TEST(h[10] == 0);
            BOOST_TEST(h[11] == 0);
            BOOST_TEST(h[12] == 0);
            const Bytes raw = inflate_stored(chunks[1].data);
            const std::size_t row = 300 * channels;
            BOOST_TEST_REQUIRE(raw.size() == (row + 1) * 250);
            Bytes pixels;
            for (std::size_t y = 0; y < 250; ++y) {
                BOOST_TEST(raw[y * (row + 1)] == 0);  // filter None on every scanline
                pixels.insert(pixels.end(), raw.begin() + std::ptrdiff_t(y * (row + 1) + 1),
                              raw.begin() + std::ptrdiff_t((y + 1) * (row + 1)));
            }
            BOOST_TEST(pixels == image.pixels);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_block_boundary_exactly_at_the_end) {
    // 65,535 bytes of scanlines exactly: one full stored block, marked final.
    png::Image image(65534, 1, 1, 7);
    const std::vector<Chunk> chunks = read_chunks(png::encode(image));
    BOOST_TEST_REQUIRE(chunks.size() == 3u);
    const Bytes& z = chunks[1].data;
    BOOST_TEST(z.size() == 2 + 5 + 65535 + 4u);
    BOOST_TEST(z[2] == 0x01);
    BOOST_TEST(inflate_stored(z).size() == 65535u);
}

BOOST_AUTO_TEST_CASE(write_puts_the_encoded_bytes_in_the_file) {
    const png::Image image = pattern(17, 5, 3);
    test::TempFile file("picture.png", "");
    png::write(file.path(), image);
    std::ifstream in(file.path(), std::ios::binary);
    const Bytes written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(written == png::encode(image));
}

BOOST_AUTO_TEST_CASE(bad_pictures_and_paths_are_errors) {
    BOOST_CHECK_THROW(png::Image(2, 2, 2), std::invalid_argument);
    BOOST_CHECK_THROW(png::encode(png::Image(0, 3, 1)), std::invalid_argument);
    png::Image wrong(4, 4, 1);
    wrong.pixels.pop_back();
    BOOST_CHECK_THROW(png::encode(wrong), std::invalid_argument);
    test::TempFile file("x", "");
    BOOST_CHECK_EXCEPTION(png::write(file.dir() + "/no/such/folder/x.png", png::Image(1, 1, 1)),
                          InputError, test::message_has("x.png: cannot create the file"));
}
