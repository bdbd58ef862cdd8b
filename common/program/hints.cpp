#include "common/program/hints.hpp"

#include <fstream>
#include <ostream>
#include <stdexcept>

#include "common/error.hpp"

namespace ninja {

std::vector<std::vector<std::string>> read_hints(const std::string& folder) {
    const std::string path = std::string(NINJA_SOURCE_DIR) + "/chapters/" + folder + "/hints.txt";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<std::vector<std::string>> hints;
    bool in_paragraph = false;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] == '#') continue;
        if (line.find_first_not_of(' ') == std::string::npos) {
            in_paragraph = false;
            continue;
        }
        if (!in_paragraph) hints.emplace_back();
        hints.back().push_back(line);
        in_paragraph = true;
    }
    return hints;
}

void print_hint(std::ostream& out, const std::string& folder, std::size_t k) {
    const std::vector<std::vector<std::string>> hints = read_hints(folder);
    if (k < 1 || k > hints.size())
        throw InputError("--hint " + std::to_string(k) + ": chapter " + folder +
                         " has hints 1 to " + std::to_string(hints.size()));
    out << "hint " << k << " of " << hints.size() << ":\n";
    for (const std::string& line : hints[k - 1]) out << "  " << line << '\n';
}

}  // namespace ninja
