/// @file
/// @brief The table of the model's tensors: every parameter and every intermediate of the
/// lecture's forward pass, with its shape, declared once (plain C++, also read by the CUDA code).
///
/// Dimension legend used in every shape comment of the workbook:
/// - `n`  batch size (32)
/// - `B`  block size: characters of context (3)
/// - `E`  embedding size, `n_embd` (10)
/// - `H`  hidden units, `n_hidden` (64; 200 in chapter 23)
/// - `V`  vocabulary size (27)
///
/// NINJA_TENSORS below is the one place a tensor is named. Everything that lists tensors is
/// generated from it: the structs Params, Forward and Grads (common/tensors.hpp) and their GPU
/// mirrors (kernels/kernels.hpp), `for_each` and `visit`, the look-up by name that grading and
/// the reference data use, the order of the forward pass (Stage), and the finite-difference
/// oracle's order.
#pragma once

#include <array>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

// clang-format off
/// The tensors in the order of the notebook's gradient table (the order in which the backward
/// pass reaches them). Reversed, the intermediates are the forward pass in the order it runs.
/// Columns: kind (parameter or intermediate), name, rank, shape, how the lecture makes it, what it
/// is made from (each input with the operation that takes it: `h:@` is h in `h @ W2`; Xb, the
/// minibatch, is the one input that is not in the table), and the model it belongs to: `any`,
/// `batchnorm` (the lecture's, Exercises 1 to 4) or `layernorm` (chapter 24: LayerNorm in place
/// of batchnorm). The expressions are the lecture's; hpreact's inputs name the tensors of both
/// models (`hpreact = lngain * lnraw + lnbias` with LayerNorm).
#define NINJA_TENSORS(X)                                                                                                                               \
    X(intermediate, logprobs,       2, "(n, V)",    "probs.log()",                                    "probs:log",                 any)                 \
    X(intermediate, probs,          2, "(n, V)",    "counts * counts_sum_inv",                        "counts:* counts_sum_inv:*", any)                 \
    X(intermediate, counts_sum_inv, 2, "(n, 1)",    "counts_sum**-1",                                 "counts_sum:**-1",           any)                 \
    X(intermediate, counts_sum,     2, "(n, 1)",    "counts.sum(1, keepdims=True)",                   "counts:sum(1)",             any)                 \
    X(intermediate, counts,         2, "(n, V)",    "norm_logits.exp()",                              "norm_logits:exp",           any)                 \
    X(intermediate, norm_logits,    2, "(n, V)",    "logits - logit_maxes",                           "logits:- logit_maxes:-",    any)                 \
    X(intermediate, logit_maxes,    2, "(n, 1)",    "logits.max(1, keepdim=True).values",             "logits:max(1)",             any)                 \
    X(intermediate, logits,         2, "(n, V)",    "h @ W2 + b2",                                    "h:@ W2:@ b2:+",             any)                 \
    X(intermediate, h,              2, "(n, H)",    "torch.tanh(hpreact)",                            "hpreact:tanh",              any)                 \
    X(parameter,    W2,             2, "(H, V)",    "torch.randn((H, V)) * 0.1",                      "",                          any)                 \
    X(parameter,    b2,             1, "(V,)",      "torch.randn(V) * 0.1",                           "",                          any)                 \
    X(intermediate, hpreact,        2, "(n, H)",    "bngain * bnraw + bnbias",                        "bngain:* bnraw:* bnbias:+ lngain:* lnraw:* lnbias:+", any) \
    X(parameter,    bngain,         2, "(1, H)",    "torch.randn((1, H)) * 0.1 + 1.0",                "",                          batchnorm)           \
    X(parameter,    bnbias,         2, "(1, H)",    "torch.randn((1, H)) * 0.1",                      "",                          batchnorm)           \
    X(intermediate, bnraw,          2, "(n, H)",    "bndiff * bnvar_inv",                             "bndiff:* bnvar_inv:*",      batchnorm)           \
    X(intermediate, bnvar_inv,      2, "(1, H)",    "(bnvar + 1e-5)**-0.5",                           "bnvar:**-0.5",              batchnorm)           \
    X(intermediate, bnvar,          2, "(1, H)",    "1/(n-1) * bndiff2.sum(0, keepdim=True)",         "bndiff2:sum(0)/(n-1)",      batchnorm)           \
    X(intermediate, bndiff2,        2, "(n, H)",    "bndiff**2",                                      "bndiff:**2",                batchnorm)           \
    X(intermediate, bndiff,         2, "(n, H)",    "hprebn - bnmeani",                               "hprebn:- bnmeani:-",        batchnorm)           \
    X(intermediate, bnmeani,        2, "(1, H)",    "1/n * hprebn.sum(0, keepdim=True)",              "hprebn:mean(0)",            batchnorm)           \
    X(parameter,    lngain,         1, "(H,)",      "torch.randn(H) * 0.1 + 1.0",                     "",                          layernorm)           \
    X(parameter,    lnbias,         1, "(H,)",      "torch.randn(H) * 0.1",                           "",                          layernorm)           \
    X(intermediate, lnraw,          2, "(n, H)",    "(hprebn - hprebn.mean(1, keepdim=True)) * lnvar_inv", "hprebn:- lnvar_inv:*", layernorm)           \
    X(intermediate, lnvar_inv,      2, "(n, 1)",    "(hprebn.var(1, keepdim=True, unbiased=False) + 1e-5)**-0.5", "hprebn:var(1)", layernorm)      \
    X(intermediate, hprebn,         2, "(n, H)",    "embcat @ W1 + b1",                               "embcat:@ W1:@ b1:+",        any)                 \
    X(intermediate, embcat,         2, "(n, B*E)",  "emb.view(emb.shape[0], -1)",                     "emb:view",                  any)                 \
    X(parameter,    W1,             2, "(B*E, H)",  "torch.randn((B*E, H)) * (5/3)/((B*E)**0.5)",     "",                          any)                 \
    X(parameter,    b1,             1, "(H,)",      "torch.randn(H) * 0.1",                           "",                          any)                 \
    X(intermediate, emb,            3, "(n, B, E)", "C[Xb]",                                          "C:index Xb:index",          any)                 \
    X(parameter,    C,              2, "(V, E)",    "torch.randn((V, E))",                            "",                          any)

/// The lecture's `parameters = [C, W1, b1, W2, b2, bngain, bnbias]`: the order they are drawn in
/// (the LayerNorm model draws lngain and lnbias where the lecture draws bngain and bnbias).
#define NINJA_PARAMETER_ORDER(X) X(C) X(W1) X(b1) X(W2) X(b2) X(bngain) X(bnbias) X(lngain) X(lnbias)
// clang-format on

/// Expands to its arguments for a row of kind `kind`, to nothing for the other kind.
#define NINJA_IF_parameter(...) __VA_ARGS__
#define NINJA_IF_intermediate(...)
/// See NINJA_IF_parameter.
#define NINJA_IF_NOT_parameter(...)
#define NINJA_IF_NOT_intermediate(...) __VA_ARGS__

namespace ninja {

/// What a tensor is in the model.
enum class Kind { parameter, intermediate };

/// The models of the workbook: the lecture's, with batchnorm, and chapter 24's, with LayerNorm
/// in its place. A tensor belongs to one of them, or to `any`.
enum class Model { any, batchnorm, layernorm };

/// Every tensor of the table, in its order.
enum class TensorId {
#define NINJA_ID(kind, name, ...) name,
    NINJA_TENSORS(NINJA_ID)
#undef NINJA_ID
};

/// One row of the table.
struct TensorInfo {
    TensorId id;              ///< its place in the table
    std::string_view name;    ///< the lecture's name, e.g. "bnvar_inv"
    Kind kind;                ///< parameter or intermediate
    std::size_t rank;         ///< dimensions: 1, 2 or 3
    std::string_view shape;   ///< in the legend's letters, e.g. "(1, H)"
    std::string_view made;    ///< the lecture's expression (or initialisation) for it
    std::string_view inputs;  ///< "name:operation" pairs, e.g. "h:@ W2:@ b2:+"
    Model model;              ///< the model it belongs to (Model::any: both)
};

/// The table as data, in its order.
inline constexpr TensorInfo tensor_table[] = {
#define NINJA_ROW(kind, name, rank, shape, made, inputs, model) \
    {TensorId::name, #name, Kind::kind, rank, shape, made, inputs, Model::model},
    NINJA_TENSORS(NINJA_ROW)
#undef NINJA_ROW
};

/// The number of tensors in the table (those of both models).
inline constexpr std::size_t tensor_count = std::size(tensor_table);

/// The row of tensor `id`.
constexpr const TensorInfo& info(TensorId id) { return tensor_table[std::size_t(id)]; }

/// Whether tensor `id` is part of `model` (the tensors of Model::any are part of both).
constexpr bool in_model(TensorId id, Model model) {
    return info(id).model == Model::any || info(id).model == model;
}

/// The tensor called `name` ("probs"); false when no tensor has that name.
constexpr bool find_tensor(std::string_view name, TensorId& id) {
    for (const TensorInfo& t : tensor_table)
        if (t.name == name) return id = t.id, true;
    return false;
}

/// Whether every input of every row is a tensor of the table (or Xb) that the row's expression
/// names (or, the expression being the lecture's, a tensor of the LayerNorm model), each with its
/// operation after a colon.
constexpr bool inputs_are_consistent() {
    for (const TensorInfo& t : tensor_table) {
        for (std::string_view rest = t.inputs; !rest.empty();) {
            const std::size_t end = rest.find(' ');
            const std::string_view item = rest.substr(0, end);
            const std::size_t colon = item.find(':');
            const std::string_view name = item.substr(0, colon);
            TensorId id{};
            if (colon == std::string_view::npos || colon + 1 == item.size()) return false;
            if (name != "Xb" && !find_tensor(name, id)) return false;
            if (t.made.find(name) == std::string_view::npos && info(id).model != Model::layernorm)
                return false;
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
    }
    return true;
}
static_assert(inputs_are_consistent(),
              "NINJA_TENSORS: an input must be a tensor (or Xb) that its row's expression uses");

/// The number of intermediates (19).
inline constexpr int intermediate_count = [] {
    int count = 0;
    for (const TensorInfo& t : tensor_table) count += t.kind == Kind::intermediate;
    return count;
}();

/// The number of intermediates computed before `id` in the forward pass: 0 for `emb`, 18 for
/// `logprobs` (the intermediates are the table's rows of that kind, read backwards).
constexpr int forward_position(TensorId id) {
    int later = 0;  // intermediates listed before `id` in the table, i.e. computed after it
    for (std::size_t k = 0; k < std::size_t(id); ++k)
        later += tensor_table[k].kind == Kind::intermediate;
    return intermediate_count - 1 - later;
}

/// The intermediates in the order the forward pass computes them.
inline constexpr std::array<TensorId, intermediate_count> forward_order = [] {
    std::array<TensorId, intermediate_count> order{};
    for (const TensorInfo& t : tensor_table)
        if (t.kind == Kind::intermediate) order[std::size_t(forward_position(t.id))] = t.id;
    return order;
}();

/// What the dimension letters of the shapes count (the legend above), for the axes of the
/// pictures.
inline constexpr std::pair<std::string_view, std::string_view> dimension_names[] = {
    {"n", "examples"},     {"B", "context positions"}, {"E", "embedding dimensions"},
    {"H", "hidden units"}, {"V", "characters"},        {"B*E", "context x embedding"},
    {"1", "one row"}};

/// Every tensor, in the table's order.
inline constexpr std::array<TensorId, tensor_count> table_order = [] {
    std::array<TensorId, tensor_count> order{};
    for (std::size_t k = 0; k < tensor_count; ++k) order[k] = tensor_table[k].id;
    return order;
}();

/// The parameters in the lecture's order (NINJA_PARAMETER_ORDER).
inline constexpr TensorId parameter_order[] = {
#define NINJA_PARAMETER(name) TensorId::name,
    NINJA_PARAMETER_ORDER(NINJA_PARAMETER)
#undef NINJA_PARAMETER
};

static_assert(forward_order.front() == TensorId::emb && forward_order.back() == TensorId::logprobs,
              "the table lists the backward order: its last intermediate is the first computed");
static_assert(std::size(parameter_order) + intermediate_count == tensor_count,
              "NINJA_PARAMETER_ORDER names every parameter of the table once");

/// The parameters of `model`, in the lecture's order: C, W1, b1, W2, b2, and its gain and bias.
inline std::vector<TensorId> parameters_of(Model model) {
    std::vector<TensorId> ids;
    for (TensorId id : parameter_order)
        if (in_model(id, model)) ids.push_back(id);
    return ids;
}

/// The number of tensors of `model` (26 in the lecture's).
constexpr std::size_t tensor_count_of(Model model) {
    std::size_t count = 0;
    for (const TensorInfo& t : tensor_table) count += in_model(t.id, model);
    return count;
}

}  // namespace ninja
