/// @file rng.hpp
/// @brief Bit-exact reproductions of the two random number generators the lecture relies on:
///        PyTorch 1.13's CPU `torch.Generator` (randn, randint, multinomial) and CPython's
///        `random.Random` (seed + shuffle of the names).
///
/// The algorithms were established from PyTorch 1.13's ATen sources and its AVX2 kernels, and are
/// checked against PyTorch's own output in tests/test_rng.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ninja {

/// Implementation details shared by TorchGenerator and PythonRandom.
namespace detail {

/// The 32-bit Mersenne Twister (MT19937) as both PyTorch and CPython run it.
///
/// PyTorch and CPython produce the same words from the same state; they differ only in how they
/// seed it, so both seeding procedures live here. The state is regenerated lazily: seeding sets
/// `left_ = 1`, so the first output after seeding regenerates all 624 words.
class Mt19937 {
public:
    /// Number of 32-bit words in the state.
    static constexpr std::size_t state_size = 624;

    /// The reference `init_genrand(seed)`: what `torch.manual_seed` does with the low 32 bits.
    /// @param seed the 32-bit seed, which becomes the first state word
    void init_genrand(std::uint32_t seed);

    /// The reference `init_by_array(key)`: what CPython's `random.seed(n)` does with the 32-bit
    /// words of |n| (least significant first).
    /// @param key the seed words; must not be empty
    void init_by_array(const std::vector<std::uint32_t>& key);

    /// One tempered 32-bit output word.
    /// @return the next word of the stream
    std::uint32_t next();

    /// True when both engines are at the same place of the same stream.
    bool operator==(const Mt19937& other) const {
        return mt_ == other.mt_ && next_ == other.next_ && left_ == other.left_;
    }

private:
    /// Recomputes all 624 state words in place (the "twist").
    void regenerate();

    std::array<std::uint32_t, state_size> mt_{};  ///< the state words
    std::size_t next_ = 0;                        ///< index of the next state word to temper
    std::size_t left_ = 1;                        ///< outputs left before the next regeneration
};

}  // namespace detail

/// Reproduces torch.Generator (CPU, PyTorch 1.13) bit for bit.
///
/// Covers the calls the makemore lectures make with an explicit generator: `torch.randn`,
/// `torch.randint`, `torch.multinomial(replacement=False)` and `Tensor.exponential_`.
/// Results match the AVX2 kernels that PyTorch uses on every x86-64 CPU with AVX2 (including
/// AVX-512 CPUs, whose normal kernel PyTorch deliberately does not specialise).
class TorchGenerator {
public:
    /// The seed of a freshly constructed `torch.Generator()` (not of the global default
    /// generator, which PyTorch seeds from /dev/urandom).
    static constexpr std::uint64_t default_seed = 67280421310721ULL;

    /// Same as `torch.Generator().manual_seed(seed)`.
    /// @param seed the seed; only its low 32 bits matter
    explicit TorchGenerator(std::uint64_t seed = default_seed);

    /// `manual_seed(seed)`: seeds the engine with the low 32 bits of @p seed (PyTorch keeps the
    /// high bits only to report them back) and clears the cached normal sample.
    /// @param seed the seed; only its low 32 bits matter
    void manual_seed(std::uint64_t seed);

    /// One 32-bit word of the engine.
    /// @return the next word
    std::uint32_t random();

    /// True when both generators will draw the same numbers from here on (the same engine
    /// state and the same cached normal sample): two copies that drew the same draws.
    bool operator==(const TorchGenerator& other) const {
        return engine_ == other.engine_ && next_double_normal_ == other.next_double_normal_;
    }
    /// Not operator==.
    bool operator!=(const TorchGenerator& other) const { return !(*this == other); }

    /// Two consecutive words as one 64-bit value; the first word is the HIGH half.
    /// @return `(first << 32) | second`
    std::uint64_t random64();

    /// PyTorch's double uniform in [0, 1): `(random64() & (2^53-1)) * 2^-53`, i.e. the low 21 bits
    /// of the first word followed by all 32 bits of the second. Consumes 2 words.
    /// @return a multiple of 2^-53 in [0, 1)
    double uniform_double();

    /// torch.randn(numel) as float32 in row-major order: block path for numel >= 16
    /// (exact float32 Cephes polynomials with the FMA placement of PyTorch's compiled kernel, tail rule), element path with
    /// the double cache for numel < 16.
    ///
    /// Block path: one word per element is turned into a float uniform, then
    /// every block of 16 becomes 8 Box-Muller pairs (lane j takes its radius from element j and its
    /// angle from element 8+j; cos goes to j, sin to 8+j). PyTorch's vectorised kernel can only
    /// work on whole blocks, so when numel is not a multiple of 16 it draws 16 fresh uniforms for
    /// the last 16 elements and transforms them as one more block; this "tail rule" costs
    /// numel + 16 words and overwrites the last full block's outputs there.
    ///
    /// Element path: scalar Box-Muller in double, 4 words per pair. The sin half
    /// of each pair is cached in the generator and becomes the next element, even one of a later
    /// small randn (randn(3) leaves one cached). The block path neither reads nor clears the cache.
    /// @param numel number of elements of the (contiguous) tensor
    /// @return the samples, in the order PyTorch stores them
    std::vector<float> randn(std::size_t numel);

    /// torch.randint(low, high, (numel,)) -> int64
    ///
    /// Each element is `low + word % (high - low)`: one word when the range fits in 32 bits, one
    /// random64() otherwise. A plain modulo, exactly as PyTorch does (no rejection, tiny bias).
    /// @param low smallest value (inclusive)
    /// @param high bound (exclusive)
    /// @param numel number of elements
    /// @return the samples in element order
    /// @throws std::invalid_argument if high <= low.
    std::vector<std::int64_t> randint(std::int64_t low, std::int64_t high, std::size_t numel);

    /// torch.empty(numel).exponential_(1.0, generator=g): Exp(1) samples as float32.
    ///
    /// Each value is `(float)(-log(1 - u))` in double, with u = uniform_double(); 2 words each.
    /// @param numel number of elements
    /// @return the samples in element order
    std::vector<float> exponential(std::size_t numel);

    /// torch.multinomial(row, num_samples=1, replacement=False) for one row of k probabilities
    /// (non-negative float32, need not be normalised). 2 words per category.
    ///
    /// PyTorch samples without replacement by the "exponential race": it draws q ~ Exp(1) for
    /// every category and returns argmax(p / q) (computed in float32, first maximum wins, and a NaN
    /// counts as the maximum, as torch.argmax does).
    /// @throws std::invalid_argument if k == 0, or an entry is negative, NaN or infinite, or all
    ///         entries are zero. Checked before any word is consumed, as PyTorch does.
    /// @param probs the k weights of the row
    /// @param k number of categories
    /// @return the sampled category, in [0, k)
    std::size_t multinomial(const float* probs, std::size_t k);

private:
    /// Block path of randn.
    /// @param numel number of elements, at least 16
    /// @return the samples in element order
    std::vector<float> randn_blocks(std::size_t numel);

    /// One standard normal double from the element path, using and refilling the cache.
    /// @return a N(0, 1) sample in double precision
    double normal_double();

    detail::Mt19937 engine_;                    ///< the MT19937 engine
    std::optional<double> next_double_normal_;  ///< cached sin half of the last scalar pair
};

/// Reproduces CPython's random.Random(seed) for an int seed >= 0 that fits in 32 bits, and shuffle().
class PythonRandom {
public:
    /// `random.seed(seed)` for a non-negative int seed below 2^32.
    /// @param seed the int passed to `random.seed`
    explicit PythonRandom(std::uint32_t seed);

    /// `random.getrandbits(k)`: the top @p k bits of one word.
    /// @param k number of bits, 1 to 32
    /// @return a value in [0, 2^k)
    /// @throws std::invalid_argument unless 1 <= k <= 32.
    std::uint32_t getrandbits(int k);

    /// `random._randbelow(n)`: rejection sampling with `n.bit_length()` bits, so the result is
    /// uniform in [0, n) without modulo bias.
    /// @param n the exclusive bound, at least 1
    /// @return a value in [0, n)
    /// @throws std::invalid_argument if n == 0.
    std::uint32_t randbelow(std::uint32_t n);

    /// `random.shuffle(x)`: Fisher-Yates exactly as CPython does it, from the last element down,
    /// swapping `x[i]` with `x[randbelow(i + 1)]`.
    /// @throws std::invalid_argument if x has 2^32 elements or more (CPython would then draw
    ///         more than one word per index, which is not reproduced here).
    /// @tparam T element type (anything std::swap can swap)
    /// @param x the sequence, shuffled in place
    template <class T>
    void shuffle(std::vector<T>& x);

private:
    detail::Mt19937 engine_;  ///< the MT19937 engine, seeded by init_by_array
};

template <class T>
void PythonRandom::shuffle(std::vector<T>& x) {
    if (x.size() > UINT32_MAX) {
        throw std::invalid_argument("PythonRandom::shuffle: at most 2^32-1 elements are supported");
    }
    for (std::size_t i = x.size(); i-- > 1;) {
        const std::size_t j = randbelow(static_cast<std::uint32_t>(i + 1));
        std::swap(x[i], x[j]);
    }
}

}  // namespace ninja
