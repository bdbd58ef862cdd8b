/// @file
/// @brief The program of chapter 00: rebuilds the lecture's setup and compares it with
/// PyTorch's reference data.
#include <iomanip>
#include <iostream>

#include "00_setup/setup.hpp"
#include "common/cmp.hpp"
#include "common/npy.hpp"
#include "common/program/chapter_options.hpp"
#include "common/program/options.hpp"
#include "common/setup.hpp"

namespace {

using namespace ninja;

constexpr const char* program = "chapter_00_setup";

void print_data(const Setup& s, const std::vector<std::string>& first_words) {
    std::cout << "names: " << s.data.words.size() << "; the first 8 in file order:";
    for (const std::string& w : first_words) std::cout << ' ' << w;
    std::cout << "\nvocabulary (" << s.data.vocab.size() << " symbols): {";
    for (std::size_t i = 0; i < s.data.vocab.size(); ++i)
        std::cout << (i ? ", " : "") << i << ": '" << s.data.vocab.itos(std::int64_t(i)) << "'";
    std::cout << "}\nafter random.seed(42); random.shuffle(words), split 80/10/10:\n";
    const auto shapes = [](const char* split, const Examples& ex) {
        std::cout << "  X" << std::left << std::setw(4) << split << shape_string(ex.X.shape())
                  << "  Y" << std::setw(4) << split << shape_string(ex.Y.shape()) << '\n';
    };
    shapes("tr", s.data.train), shapes("dev", s.data.dev), shapes("te", s.data.test);
}

void print_model(const Setup& s, float loss) {
    std::cout << "parameters: " << s.params.count() << " (n_embd " << s.config.n_embd
              << ", n_hidden " << s.config.n_hidden << ", block_size " << s.config.block_size
              << ")\nminibatch of " << s.batch.size() << ", ix[:8] =";
    for (std::size_t i = 0; i < 8 && i < s.batch.size(); ++i) std::cout << ' ' << s.batch.ix(i);
    std::cout << "\nloss: " << std::setprecision(8) << loss << '\n';
}

/// cmp lines of the setup against PyTorch's; true when every one is approximately equal.
// [step]
bool check_against_pytorch(const Setup& s, float loss, const Reference& ref) {
    std::cout << "\ncompared with PyTorch's setup of the lecture:\n";
    bool ok = true;
    const Params<float> torch_params = load_params(ref);
    for (TensorId id : parameters_of(model_of(s.params)))
        visit_pair(id, s.params, torch_params, [&](const auto& t, const auto& torch_t) {
            ok &= cmp(info(id).name, t, torch_t, std::cout).approximate;
        });
    const Batch torch_batch = load_batch(ref);
    ok &= cmp("Xb", s.batch.Xb, torch_batch.Xb, std::cout).approximate;
    ok &= cmp("Yb", s.batch.Yb, torch_batch.Yb, std::cout).approximate;
    ok &=
        cmp("loss", xt::xtensor<float, 1>{loss}, ref.load<float, 1>("loss"), std::cout).approximate;
    return ok;
}
// [step]

int run(int argc, const char* const* argv) {
    SetupOptions o;
    bool info = false;
    CommandLine cl(program,
                   "Chapter 00: " + std::string(chapter<0>.title) +
                       "\nRebuilds the data split, the parameters, a minibatch and the loss,"
                       "\nand compares them with PyTorch's reference data.\n");
    cl.flag("info", info, "print the chapter's facts as 'key: value' lines, and nothing else")
        .setup_options(o);
    if (!cl.parse(argc, argv)) return exit_ok;
    if (info) {
        print_chapter_info(std::cout, make_chapter_info(0, NINJA_CHAPTER_FOLDER, chapter<0>), {});
        return exit_ok;
    }
    const Config config = o.config;
    validate(config);

    NamesFile names = read_names_file(resolve_data_path(o.data));  // read once: a pipe will do
    const auto shown = std::ptrdiff_t(std::min<std::size_t>(8, names.words.size()));
    const std::vector<std::string> first_words(names.words.begin(),  // in file order
                                               names.words.begin() + shown);
    const Reference ref("lecture");  // its meta.txt checked before anything is printed
    const Setup s = make_setup(config, std::move(names.words));
    Forward<float> f;
    forward(f, s.params, s.batch);
    std::cout << "Chapter 00: " << chapter<0>.title << "\n\n";
    print_data(s, first_words);
    print_model(s, f.loss);
    const Config& reference = ref.config();
    if (config.seed != reference.seed || config.batch_size != reference.batch_size ||
        config.n_hidden != reference.n_hidden) {
        std::cout << "\n(no PyTorch reference data for this configuration: nothing compared)\n";
        return exit_ok;
    }
    if (names.sha256 != ref.names_sha256()) {
        std::cout << "\n(no PyTorch reference data for these names, SHA-256 "
                  << names.sha256.substr(0, 16) << "...: nothing compared)\n";
        return exit_ok;
    }
    return check_against_pytorch(s, f.loss, ref) ? exit_ok : exit_mismatch;
}

}  // namespace

int main(int argc, char** argv) {
    return ninja::guarded_main(program, [&] { return run(argc, argv); });
}
