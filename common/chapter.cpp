#include "common/chapter.hpp"

#include <algorithm>
#include <cstdio>

namespace ninja {

std::string ChapterInfo::name() const { return folder.substr(folder.find('_') + 1); }

std::string ChapterInfo::program() const { return "chapter_" + folder; }

std::string chapter_number(int number) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d", number);
    return text;
}

std::string ChapterInfo::number_text() const { return chapter_number(number); }

std::string ChapterInfo::label() const { return "chapter " + number_text() + " (" + name() + ")"; }

ChapterInfo make_chapter_info(int number, std::string folder, const ChapterFacts& facts,
                              const std::vector<bool>& writes,
                              const std::vector<TensorId>& chain_grads) {
    ChapterInfo info{number, std::move(folder), facts, {}, {}, chain_grads};
    for (std::size_t k = 0; k < writes.size(); ++k) {
        const std::string_view name = call_argument(facts.step, k);
        const Arg arg = parse_argument(name);
        if (writes[k] && arg.source != Source::grad)
            throw std::logic_error(info.label() + ": its step writes " + std::string(name) +
                                   ", which is not a gradient");
        if (arg.source == Source::grad || arg.source == Source::value)
            if (ninja::info(arg.id).model == Model::layernorm) info.model = Model::layernorm;
        if (writes[k])
            info.grads.push_back(arg.id);
        else if (arg.source == Source::grad || arg.source == Source::value)
            info.inputs.emplace_back(name);
    }
    for (TensorId id : info.grads)
        if (std::find(info.all_grads.begin(), info.all_grads.end(), id) == info.all_grads.end())
            info.all_grads.push_back(id);
    std::sort(info.all_grads.begin(), info.all_grads.end());
    return info;
}

}  // namespace ninja
