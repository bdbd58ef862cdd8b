// The chain table (common/chain.hpp) and the facts a chapter's step's call gives
// (common/chapter.hpp): what each chapter's backward pass is made of, what its step writes and
// reads, and, in a CUDA build, a GPU kernel for every chapter with a step.
#include <boost/test/unit_test.hpp>

#include <utility>
#include <vector>

#include "common/chapter.hpp"
#include "common/device.hpp"

using namespace ninja;

namespace {

/// The info of every chapter of the chain table.
template <std::size_t... K>
std::vector<const ChapterInfo*> infos(std::index_sequence<K...>) {
    return {&chapter_info<chain_table[K].chapter>()...};
}
const std::vector<const ChapterInfo*>& chain_infos() {
    static const auto all = infos(std::make_index_sequence<chain_size>());
    return all;
}

/// The names of `ids`.
std::vector<std::string_view> names(const std::vector<TensorId>& ids) {
    std::vector<std::string_view> out;
    for (TensorId id : ids) out.push_back(info(id).name);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_chain_of_a_fused_step_and_of_training) {
    BOOST_TEST(chain_steps(5) == (std::vector<int>{1, 2, 3, 4, 5}),
               boost::test_tools::per_element());
    BOOST_TEST(chain_steps(21) == (std::vector<int>{21}), boost::test_tools::per_element());
    BOOST_TEST(chain_steps(22) == (std::vector<int>{21, 9, 10, 22}),
               boost::test_tools::per_element());
    BOOST_TEST(chain_steps(23, false) == (std::vector<int>{21, 9, 10, 22, 18, 19, 20}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_steps_call_names_its_gradients_and_inputs) {
    // Chapter 22's call: batchnorm_backward(dhprebn, dbngain, dbnbias, dhpreact, bnraw, bngain,
    // bnvar_inv): it writes the first three (taken by non-const reference), reads the rest.
    const ChapterInfo& c22 = chapter_info<22>();
    BOOST_TEST(names(c22.grads) == (std::vector<std::string_view>{"hprebn", "bngain", "bnbias"}),
               boost::test_tools::per_element());
    BOOST_TEST(c22.inputs == (std::vector<std::string>{"dhpreact", "bnraw", "bngain", "bnvar_inv"}),
               boost::test_tools::per_element());
    // Its whole backward pass fills the gradients of 21, 09, 10 and its own, in the table's order.
    BOOST_TEST(
        names(c22.all_grads) == (std::vector<std::string_view>{"logits", "h", "W2", "b2", "hpreact",
                                                               "bngain", "bnbias", "hprebn"}),
        boost::test_tools::per_element());
    // Chapter 20's reads C (its shape) and Xb, which is not a tensor of the table.
    BOOST_TEST(chapter_info<20>().inputs == (std::vector<std::string>{"demb", "C"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_chapter_writes_gradients_and_the_whole_chain_is_in_its_all) {
    for (const ChapterInfo* c : chain_infos()) {
        BOOST_TEST_CONTEXT(c->label()) {
            BOOST_TEST(c->grads.empty() == c->facts.step.empty());
            for (TensorId id : c->grads)
                BOOST_TEST(std::count(c->all_grads.begin(), c->all_grads.end(), id) == 1);
        }
    }
    // Chapter 20 ends Exercise 1, and chapter 23's backward pass is the whole model's.
    BOOST_TEST(chapter_info<20>().all_grads.size() == tensor_count_of(Model::batchnorm));
    BOOST_TEST(chapter_info<23>().all_grads.size() == 13u);
}

BOOST_AUTO_TEST_CASE(every_chapter_with_a_step_has_a_gpu_kernel,
                     *boost::unit_test::enable_if<cuda_build>()) {
    for (const ChapterInfo* c : chain_infos()) BOOST_TEST_CONTEXT(c->label()) {
            BOOST_TEST(gpu_has_chapter(c->number) == !c->grads.empty());
        }
}
