#include "common/program/runs.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/atomic_file.hpp"
#include "common/program/steps.hpp"
#include "common/rng.hpp"

namespace ninja {

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
    return all ? info.all_grads : info.grads;
}

std::vector<TensorId> gradients_read(const ChapterInfo& info) {
    std::vector<TensorId> ids;
    TensorId id{};
    for (const std::string& name : info.inputs)
        if (name.size() > 1 && name[0] == 'd' && find_tensor(name.substr(1), id)) ids.push_back(id);
    return ids;
}

template <class T>
std::string output_shape_errors(const ChapterInfo& chapter, const Grads<T>& g, const Forward<T>& f,
                                const Params<T>& p) {
    std::string lines;
    for (TensorId id : chapter.grads)
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

ChapterRun<float> load_pytorch_run(const Reference& ref) {
    return ChapterRun<float>{
        load_params(ref), load_batch(ref), load_forward(ref), {}, load_grads(ref)};
}

namespace {

/// PyTorch's reference data exists for one setup only; any other is a usage error.
void require_lecture_setup(const Config& config, const Config& lecture) {
    if (config.seed != lecture.seed || config.batch_size != lecture.batch_size ||
        config.n_hidden != lecture.n_hidden)
        throw InputError("PyTorch reference data exists only for the lecture setup (seed " +
                         std::to_string(lecture.seed) + ", batch size " +
                         std::to_string(lecture.batch_size) + ", n_hidden " +
                         std::to_string(lecture.n_hidden) + "); use --reference numerical");
}

/// PyTorch's reference data was made from one names file (meta.txt's names_sha256): the names
/// file of the run (`--data`, $NINJA_NAMES, data/names.txt) must be that one, else it is a usage
/// error. The file is read (and checked) once.
void require_reference_names(const Reference& ref, const std::string& path) {
    const std::string sha256 = read_names_file(path).sha256;
    if (sha256 != ref.names_sha256())
        throw InputError(path + ": there is no PyTorch reference data for these names (SHA-256 " +
                         sha256.substr(0, 16) + "..., the reference's " +
                         ref.names_sha256().substr(0, 16) + "...); use --reference numerical");
}

/// The folders the program will write into can take files: checked once the input is (so that
/// bad input leaves no folder behind), before any work.
void prepare_output_folders(const ChapterOptions& o) {
    if (!o.dump.empty()) prepare_output_folder(o.dump, "--dump");
    if (!o.out.empty()) prepare_output_folder(o.out, "--out");
}

}  // namespace

ChapterRun<float> pytorch_run(const ChapterOptions& o) {
    const Reference ref(reference_name(o.setup.config.model));
    require_lecture_setup(o.setup.config, ref.config());
    require_reference_names(ref, resolve_data_path(o.setup.data));
    ChapterRun<float> r = load_pytorch_run(ref);
    prepare_output_folders(o);
    return r;
}

ChapterRun<double> numerical_run(const ChapterOptions& o) {
    const Setup setup = make_setup(o.setup.config, resolve_data_path(o.setup.data));
    prepare_output_folders(o);
    return double_run(setup);
}

ChapterRun<double> double_run(const Setup& setup) {
    ChapterRun<double> r{cast_params<double>(setup.params), setup.batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    return r;
}

OracleReport add_numerical_reference(ChapterRun<double>& r, const std::vector<TensorId>& wanted,
                                     const OracleProgress& progress) {
    return numerical_grads(r.expected, r.params, r.batch, wanted, progress);
}

template <class T>
ChapterRun<double> made_up_run(const Params<T>& params, const Batch& batch) {
    ChapterRun<double> r{cast_params<double>(params), batch, {}, {}, {}};
    forward(r.f, r.params, r.batch);
    TorchGenerator gen(made_up_seed);
    for (const TensorInfo& t : tensor_table)
        visit_tensor(t.id, r.params, r.f, [&](const auto& tensor) {
            r.g.visit(t.id, [&](auto& d) {
                d.resize(tensor.shape());
                for (double& x : d) x = 2 * gen.uniform_double() - 1;
            });
        });
    r.expected = r.g;
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

#define NINJA_RUNS(T)                                                              \
    template std::string output_shape_errors(const ChapterInfo&, const Grads<T>&,  \
                                             const Forward<T>&, const Params<T>&); \
    template ChapterRun<double> made_up_run(const Params<T>&, const Batch&);       \
    template std::vector<Comparison> compare_grads(const ChapterRun<T>&,           \
                                                   const std::vector<TensorId>&);
NINJA_RUNS(float)
NINJA_RUNS(double)
#undef NINJA_RUNS

}  // namespace ninja
