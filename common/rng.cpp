// Bit-exact PyTorch 1.13 CPU generator and CPython random.Random; see common/rng.hpp.
//
// This file MUST be compiled with -ffp-contract=off. PyTorch's AVX2 normal kernel fuses some
// multiply-adds and not others, and bit-exactness depends on that placement (a build with no FMA
// at all mismatches ~1% of randn values by 1-2 ulp). We reproduce it with explicit std::fmaf calls
// and need every other operation rounded on its own, exactly as written. Today the remaining
// products feeding an add happen to be exact, so GCC's default contraction (-ffp-contract=fast,
// active as soon as -march offers FMA) would not change a result; the flag keeps it that way when
// the code or the compiler changes.

#include "common/rng.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace ninja {

// ---------------------------------------------------------------------------------------------
// MT19937

namespace detail {

void Mt19937::init_genrand(std::uint32_t seed) {
    mt_[0] = seed;
    for (std::uint32_t i = 1; i < state_size; ++i) {
        mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + i;
    }
    left_ = 1;  // the first output regenerates the state
    next_ = 0;
}

void Mt19937::init_by_array(const std::vector<std::uint32_t>& key) {
    init_genrand(19650218U);
    std::size_t i = 1;
    std::size_t j = 0;
    // Advancing i wraps from 623 to 1 and copies the last word to mt[0].
    const auto advance_i = [this, &i] {
        if (++i >= state_size) {
            mt_[0] = mt_[state_size - 1];
            i = 1;
        }
    };
    for (std::size_t n = std::max(state_size, key.size()); n > 0; --n) {
        const std::uint32_t prev = mt_[i - 1] ^ (mt_[i - 1] >> 30);
        mt_[i] = (mt_[i] ^ (prev * 1664525U)) + key[j] + static_cast<std::uint32_t>(j);
        advance_i();
        if (++j >= key.size()) { j = 0; }
    }
    for (std::size_t n = state_size - 1; n > 0; --n) {
        const std::uint32_t prev = mt_[i - 1] ^ (mt_[i - 1] >> 30);
        mt_[i] = (mt_[i] ^ (prev * 1566083941U)) - static_cast<std::uint32_t>(i);
        advance_i();
    }
    mt_[0] = 0x80000000U;  // guarantees a non-zero state
}

void Mt19937::regenerate() {
    constexpr std::size_t shift = 397;
    for (std::size_t k = 0; k < state_size; ++k) {
        const std::uint32_t y = (mt_[k] & 0x80000000U) | (mt_[(k + 1) % state_size] & 0x7FFFFFFFU);
        mt_[k] = mt_[(k + shift) % state_size] ^ (y >> 1) ^ ((y & 1U) ? 0x9908B0DFU : 0U);
    }
}

std::uint32_t Mt19937::next() {
    if (--left_ == 0) {
        regenerate();
        left_ = state_size;
        next_ = 0;
    }
    std::uint32_t y = mt_[next_++];
    // Tempering improves the equidistribution of the raw state words.
    y ^= y >> 11;
    y ^= (y << 7) & 0x9D2C5680U;
    y ^= (y << 15) & 0xEFC60000U;
    y ^= y >> 18;
    return y;
}

}  // namespace detail

namespace {

// ---------------------------------------------------------------------------------------------
// The float32 math of PyTorch's AVX2 normal kernel.
//
// ATen inlines the Cephes-style log256_ps / sincos256_ps from avx_mathfun.h; GCC contracted some of
// their multiply-adds into FMA instructions. Each function below is that sequence of float32
// operations: std::fmaf where the binary has an FMA, one rounding for everything else.

/// A float from its IEEE-754 bit pattern (the constants are given that way, as read from PyTorch's binary).
float from_bits(std::uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

/// The IEEE-754 bit pattern of a float.
std::uint32_t to_bits(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

/// Natural log for x > 0: split x = m * 2^k with m in [0.5, 1), shift m to [sqrt(1/2), sqrt(2))
/// so that t = m - 1 is small, evaluate a degree-9 polynomial in t and add k*ln(2) in two parts
/// (Q2 + Q1 = ln 2, with Q2 exact in few bits so that e*Q2 is exact).
float cephes_log(float x) {
    static const float sqrthf = from_bits(0x3f3504f3);
    static const std::array<float, 9> p = {
        from_bits(0x3d9021bb), from_bits(0xbdebd1b8), from_bits(0x3def251a),
        from_bits(0xbdfe5d4f), from_bits(0x3e11e9bf), from_bits(0xbe2aae50),
        from_bits(0x3e4cceac), from_bits(0xbe7ffffc), from_bits(0x3eaaaaaa)};
    static const float q1 = from_bits(0xb95e8083);
    static const float q2 = from_bits(0x3f318000);

    x = std::max(x, from_bits(0x00800000));  // smallest normal float, 2^-126
    const std::uint32_t bits = to_bits(x);
    const int k = static_cast<int>(bits >> 23) - 127;
    const float m = from_bits((bits & 0x807FFFFFU) | 0x3F000000U);

    float e = static_cast<float>(k) + 1.0f;
    const bool small = m < sqrthf;
    const float t = (m - 1.0f) + (small ? m : 0.0f);  // m - 1, or 2m - 1 when m < sqrt(1/2)
    e = e - (small ? 1.0f : 0.0f);
    const float z = t * t;

    float y = p[0];
    for (std::size_t i = 1; i < p.size(); ++i) { y = std::fmaf(y, t, p[i]); }
    y = y * t;
    y = std::fmaf(y, z, e * q1);  // y*z fused, e*q1 rounded on its own
    y = y - z * 0.5f;
    float r = t + y;
    r = r + e * q2;
    return r;
}

/// sin and cos of one angle.
struct SinCos {
    float sin;  ///< sin(a)
    float cos;  ///< cos(a)
};

/// sin and cos of a >= 0 (theta is in [0, 2pi) here, so the kernel's handling of negative
/// angles is left out): subtract the nearest even multiple j of pi/4, with pi/4 split in three
/// pieces (Cody-Waite) so that the reduction is nearly exact, evaluate a sine and a cosine
/// polynomial on the remainder x in [-pi/4, pi/4], then pick and sign them by octant.
SinCos cephes_sincos(float a) {
    static const float fopi = from_bits(0x3fa2f983);  // 4/pi
    static const float dp1 = from_bits(0xbf490000);
    static const float dp2 = from_bits(0xb97da000);
    static const float dp3 = from_bits(0xb3222169);
    static const float s0 = from_bits(0xb94ca1f9);
    static const float s1 = from_bits(0x3c08839e);
    static const float s2 = from_bits(0xbe2aaaa3);
    static const float c0 = from_bits(0x37ccf5ce);
    static const float c1 = from_bits(0xbab6061a);
    static const float c2 = from_bits(0x3d2aaaa5);

    const float y = a * fopi;
    int j = static_cast<int>(y);  // truncation
    j = (j + 1) & ~1;
    const float yf = static_cast<float>(j);

    float x = std::fmaf(yf, dp1, a);
    x = std::fmaf(yf, dp2, x);
    x = std::fmaf(yf, dp3, x);
    const float z = x * x;

    float pc = std::fmaf(c0, z, c1);
    pc = std::fmaf(pc, z, c2);
    pc = pc * z;
    pc = std::fmaf(pc, z, -(z * 0.5f));
    pc = pc + 1.0f;

    float ps = std::fmaf(s0, z, s1);
    ps = std::fmaf(ps, z, s2);
    ps = ps * z;
    ps = std::fmaf(ps, x, x);

    // The vector code selects a polynomial by adding it to a +0 lane, so a -0 would become +0.
    const bool swap = (j & 2) != 0;
    SinCos sc{(swap ? pc : ps) + 0.0f, (swap ? ps : pc) + 0.0f};
    if ((j & 4) != 0) { sc.sin = -sc.sin; }
    if (((j - 2) & 4) == 0) { sc.cos = -sc.cos; }
    return sc;
}

/// Mean of randn, which is normal_(mean=0, std=1); PyTorch converts it to float for the kernel.
constexpr float kMean = 0.0f;
/// Standard deviation of randn, converted to float like the mean.
constexpr float kStd = 1.0f;

/// Box-Muller on 16 float uniforms in place: lane j takes A = data[j] and B = data[8 + j], and
/// writes the cos output to data[j] and the sin output to data[8 + j].
void normal_fill_16(float* data) {
    static const float two_pi = from_bits(0x40C90FDB);
    for (std::size_t j = 0; j < 8; ++j) {
        const float u1 = 1.0f - data[j];  // in (0, 1], so the log is finite
        const float radius = std::sqrt(-2.0f * cephes_log(u1));
        const float theta = two_pi * data[8 + j];
        const SinCos sc = cephes_sincos(theta);
        // radius*cos is rounded first; the fma with std=1, mean=0 only turns -0 into +0.
        data[j] = std::fmaf(radius * sc.cos, kStd, kMean);
        data[8 + j] = std::fmaf(radius * sc.sin, kStd, kMean);
    }
}

/// PyTorch's float uniform in [0, 1): the low 24 bits of a word times 2^-24 (exact).
float uniform_float(std::uint32_t word) { return static_cast<float>(word & 0xFFFFFFU) * 0x1p-24f; }

/// True if p is a valid multinomial weight: finite and >= 0.
bool valid_probability(float p) { return std::isfinite(p) && p >= 0.0f; }

/// Throws unless probs[0..k) is a valid multinomial row (the checks torch.multinomial makes).
void check_multinomial_row(const float* probs, std::size_t k) {
    if (k == 0) { throw std::invalid_argument("multinomial: the row of probabilities is empty"); }
    bool any_positive = false;
    for (std::size_t i = 0; i < k; ++i) {
        if (!valid_probability(probs[i])) {
            throw std::invalid_argument("multinomial: probability " + std::to_string(i) +
                                        " is negative, NaN or infinite");
        }
        any_positive = any_positive || probs[i] > 0.0f;
    }
    if (!any_positive) { throw std::invalid_argument("multinomial: all probabilities are zero"); }
}

/// Index of the largest value as torch.argmax finds it: the first maximum, and the first NaN
/// beats every number.
std::size_t argmax_nan_first(const std::vector<float>& v) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size() && !std::isnan(v[best]); ++i) {
        if (std::isnan(v[i]) || v[i] > v[best]) { best = i; }
    }
    return best;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// TorchGenerator

TorchGenerator::TorchGenerator(std::uint64_t seed) { manual_seed(seed); }

void TorchGenerator::manual_seed(std::uint64_t seed) {
    engine_.init_genrand(static_cast<std::uint32_t>(seed & 0xFFFFFFFFU));
    next_double_normal_.reset();
}

std::uint32_t TorchGenerator::random() { return engine_.next(); }

std::uint64_t TorchGenerator::random64() {
    const std::uint64_t hi = random();
    const std::uint64_t lo = random();
    return (hi << 32) | lo;
}

double TorchGenerator::uniform_double() {
    constexpr std::uint64_t mask53 = (std::uint64_t{1} << 53) - 1;
    return static_cast<double>(random64() & mask53) * 0x1p-53;
}

std::vector<float> TorchGenerator::randn(std::size_t numel) {
    if (numel >= 16) { return randn_blocks(numel); }
    std::vector<float> out(numel);
    for (float& v : out) { v = static_cast<float>(normal_double() * kStd + kMean); }
    return out;
}

std::vector<float> TorchGenerator::randn_blocks(std::size_t numel) {
    std::vector<float> out(numel);
    for (float& v : out) { v = uniform_float(random()); }
    for (std::size_t b = 0; b + 16 <= numel; b += 16) { normal_fill_16(&out[b]); }
    // Tail rule: redo the last 16 elements as a block of their own with 16 fresh words.
    if (numel % 16 != 0) {
        float* tail = &out[numel - 16];
        for (std::size_t i = 0; i < 16; ++i) { tail[i] = uniform_float(random()); }
        normal_fill_16(tail);
    }
    return out;
}

double TorchGenerator::normal_double() {
    if (next_double_normal_) {
        const double cached = *next_double_normal_;
        next_double_normal_.reset();
        return cached;
    }
    constexpr double pi = 3.14159265358979323846;
    const double u1 = uniform_double();
    const double u2 = uniform_double();
    const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    const double theta = 2.0 * pi * u1;
    next_double_normal_ = r * std::sin(theta);
    return r * std::cos(theta);
}

std::vector<std::int64_t> TorchGenerator::randint(std::int64_t low, std::int64_t high,
                                                  std::size_t numel) {
    if (high <= low) {
        throw std::invalid_argument("randint: high (" + std::to_string(high) +
                                    ") must be greater than low (" + std::to_string(low) + ")");
    }
    // Unsigned arithmetic: high - low may not fit in int64, and low + offset wraps correctly.
    const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    const bool one_word = range <= UINT32_MAX;
    std::vector<std::int64_t> out(numel);
    for (std::int64_t& v : out) {
        const std::uint64_t word = one_word ? random() : random64();
        v = static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + word % range);
    }
    return out;
}

std::vector<float> TorchGenerator::exponential(std::size_t numel) {
    std::vector<float> out(numel);
    for (float& v : out) { v = static_cast<float>(-1.0 * std::log(1.0 - uniform_double())); }
    return out;
}

std::size_t TorchGenerator::multinomial(const float* probs, std::size_t k) {
    check_multinomial_row(probs, k);
    std::vector<float> ratio = exponential(k);
    for (std::size_t i = 0; i < k; ++i) { ratio[i] = probs[i] / ratio[i]; }
    return argmax_nan_first(ratio);
}

// ---------------------------------------------------------------------------------------------
// PythonRandom

PythonRandom::PythonRandom(std::uint32_t seed) { engine_.init_by_array({seed}); }

std::uint32_t PythonRandom::getrandbits(int k) {
    if (k < 1 || k > 32) {
        throw std::invalid_argument("getrandbits: k must be in [1, 32], got " + std::to_string(k));
    }
    return engine_.next() >> (32 - k);
}

std::uint32_t PythonRandom::randbelow(std::uint32_t n) {
    if (n == 0) { throw std::invalid_argument("randbelow: n must be at least 1"); }
    int bits = 0;  // n.bit_length()
    for (std::uint32_t v = n; v != 0; v >>= 1) { ++bits; }
    std::uint32_t r = getrandbits(bits);
    while (r >= n) { r = getrandbits(bits); }
    return r;
}

}  // namespace ninja
