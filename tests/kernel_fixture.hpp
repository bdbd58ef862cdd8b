/// @file
/// @brief A random model, batch, forward pass and every CPU gradient (chapters 01-20, or with
/// LayerNorm chapter 24's chain and 18-20), at any size: the inputs and expected outputs of the
/// kernel tests (CPU math and GPU kernels).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <boost/test/unit_test.hpp>

#include "20_embedding_table/embedding_table.hpp"
#include "24_layernorm/layernorm.hpp"

namespace ninja::test {

/// The sizes the kernel tests run at: batch 2, 32, 1000 with n_hidden 1, 64, 200.
struct KernelSize {
    std::size_t n, H;
};
inline const KernelSize kernel_sizes[] = {{2, 1}, {32, 64}, {1000, 200}, {2, 200}, {1000, 1}};

/// Fresh random inputs: parameters from the seeded generator, a random batch (not drawn from
/// names.txt: any indices in [0, V) will do), the CPU forward pass and all CPU gradients.
struct KernelCase {
    Config config;
    Params<float> p;
    Batch b;
    Forward<float> f;
    Grads<float> g;

    KernelCase(std::size_t n, std::size_t H, std::uint64_t seed = 42,
               Model model = Model::batchnorm) {
        config.batch_size = n, config.n_hidden = H, config.seed = seed, config.model = model;
        TorchGenerator gen(seed);
        p = init_params(config, gen);
        // A gain near 1 and a bias near 0 as initialised would make some steps trivial: spread
        // them (batchnorm's or LayerNorm's, whichever the model has).
        for (auto* gain : {&p.bngain.storage(), &p.lngain.storage()})
            for (float& x : *gain) x = 0.5f + 0.01f * float(gen.randint(0, 100, 1)[0]);
        for (auto* bias : {&p.bnbias.storage(), &p.lnbias.storage()})
            for (float& x : *bias) x = 0.01f * float(gen.randint(0, 100, 1)[0] - 50);
        const auto V = std::int64_t(config.vocab_size);
        b.Xb = xt::xtensor<std::int64_t, 2>::from_shape({n, config.block_size});
        b.Yb = xt::xtensor<std::int64_t, 1>::from_shape({n});
        const std::vector<std::int64_t> xs = gen.randint(0, V, b.Xb.size()),
                                        ys = gen.randint(0, V, n);
        std::copy(xs.begin(), xs.end(), b.Xb.begin());
        std::copy(ys.begin(), ys.end(), b.Yb.begin());
        b.ix = xt::zeros<std::int64_t>({n});
        forward(f, p, b);
        if (model == Model::layernorm) {
            backward<24>(g, f, p, b);
            then_steps<23>(g, f, p, b);  // 18, 19, 20
        } else {
            backward<20>(g, f, p, b);
        }
    }
    int n() const { return int(config.batch_size); }
    int H() const { return int(config.n_hidden); }
    int V() const { return int(config.vocab_size); }
    int B() const { return int(config.block_size); }
    int E() const { return int(config.n_embd); }
    std::string label() const { return "n=" + std::to_string(n()) + " H=" + std::to_string(H()); }
};

/// Checks that `got` matches `want` element by element: |got - want| <= rtol * max|want| + atol.
/// A NaN in `got` (an element a kernel never wrote) always fails.
template <class A, class B>
void check_close(const std::string& what, const A& got, const B& want, double rtol = 1e-5,
                 double atol = 1e-7) {
    BOOST_TEST_REQUIRE(got.size() == want.size(),
                       what << ": " << got.size() << " elements, expected " << want.size());
    double scale = 0;
    for (std::size_t k = 0; k < want.size(); ++k)
        scale = std::max(scale, std::abs(double(want.data()[k])));
    std::size_t bad = 0, first_bad = 0;
    for (std::size_t k = 0; k < want.size(); ++k) {
        const double d = std::abs(double(got.data()[k]) - double(want.data()[k]));
        if (!(d <= rtol * scale + atol)) {  // also true for NaN
            if (bad++ == 0) first_bad = k;
        }
    }
    BOOST_TEST(bad == 0u, what << ": " << bad << " of " << want.size()
                               << " elements differ; first at flat index " << first_bad << ": got "
                               << got.data()[first_bad] << ", expected " << want.data()[first_bad]
                               << " (scale " << scale << ")");
}

}  // namespace ninja::test
