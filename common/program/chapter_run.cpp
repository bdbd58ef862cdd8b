#include "common/program/chapter_run.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace ninja {

std::string ChapterSteps::name() const { return folder.substr(folder.find('_') + 1); }

std::string ChapterSteps::program() const { return "chapter_" + folder; }

std::string ChapterSteps::label() const {
    return "chapter " + folder.substr(0, folder.find('_')) + " (" + name() + ")";
}

std::vector<TensorId> tensor_ids(const std::vector<std::string>& names) {
    std::vector<TensorId> ids;
    for (const std::string& name : names) {
        TensorId id{};
        if (!find_tensor(name, id)) throw std::logic_error("no tensor is called '" + name + "'");
        ids.push_back(id);
    }
    return ids;
}

std::vector<TensorId> printed_grads(const ChapterInfo& info, bool all) {
    if (!all) return tensor_ids(info.grads);
    if (!info.all_grads.empty()) return tensor_ids(info.all_grads);
    std::size_t last = 0;  // one past the last own gradient, in the table's order
    for (TensorId id : tensor_ids(info.grads)) last = std::max(last, std::size_t(id) + 1);
    std::vector<TensorId> ids;
    for (std::size_t k = 0; k < last; ++k) ids.push_back(tensor_table[k].id);
    return ids;
}

template <class T>
std::string output_shape_errors(const std::vector<std::string>& grads, const Grads<T>& g,
                                const Forward<T>& f, const Params<T>& p) {
    std::string lines;
    for (TensorId id : tensor_ids(grads))
        visit_tensor(id, p, f, [&](const auto& tensor) {
            g.visit(id, [&](const auto& d) {
                if (std::equal(d.shape().begin(), d.shape().end(), tensor.shape().begin(),
                               tensor.shape().end()))
                    return;
                const std::string name(info(id).name);
                lines += std::string(lines.empty() ? "" : "\n") + "  d" + name + " has shape " +
                         shape_string(d.shape()) + "; it must have the shape of " + name + ", " +
                         shape_string(tensor.shape());
            });
        });
    return lines;
}

template std::string output_shape_errors(const std::vector<std::string>&, const Grads<float>&,
                                         const Forward<float>&, const Params<float>&);
template std::string output_shape_errors(const std::vector<std::string>&, const Grads<double>&,
                                         const Forward<double>&, const Params<double>&);

ChapterRun<float> load_pytorch_run(const Reference& ref) {
    return ChapterRun<float>{
        load_params(ref), load_batch(ref), load_forward(ref), {}, load_grads(ref)};
}

ChapterRun<float> run_on_pytorch_reference(BackwardFn<float> backward, const Reference& ref) {
    ChapterRun<float> r = load_pytorch_run(ref);
    backward(r.g, r.f, r.params, r.batch);
    return r;
}

ChapterRun<double> run_on_numerical_reference(BackwardFn<double> backward, const Setup& setup,
                                              const std::vector<TensorId>& wanted,
                                              const OracleProgress& progress,
                                              OracleReport* report) {
    ChapterRun<double> r{cast_params<double>(setup.params), setup.batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    backward(r.g, r.f, r.params, r.batch);
    const OracleReport measured = numerical_grads(r.expected, r.params, r.batch, wanted, progress);
    if (report != nullptr) *report = measured;
    return r;
}

template <class T>
std::vector<Comparison> compare_grads(const ChapterRun<T>& r, const std::vector<TensorId>& ids) {
    std::vector<Comparison> out;
    for (TensorId id : ids)
        visit_pair(id, r.g, r.expected, [&](const auto& mine, const auto& theirs) {
            out.push_back(compare(info(id).name, mine, theirs));
        });
    return out;
}

template std::vector<Comparison> compare_grads(const ChapterRun<float>&,
                                               const std::vector<TensorId>&);
template std::vector<Comparison> compare_grads(const ChapterRun<double>&,
                                               const std::vector<TensorId>&);

}  // namespace ninja
