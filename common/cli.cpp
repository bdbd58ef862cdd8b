#include "common/cli.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace ninja {

Cli::Cli(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {
    flag("help", "print this help and exit");
}

Cli& Cli::option(const std::string& name, const std::string& metavar, const std::string& fallback,
                 const std::string& help) {
    specs_.push_back({name, metavar, fallback, help, true});
    values_[name] = fallback;
    return *this;
}

Cli& Cli::flag(const std::string& name, const std::string& help) {
    specs_.push_back({name, "", "", help, false});
    return *this;
}

const Cli::Spec& Cli::find(const std::string& name) const {
    for (const Spec& s : specs_)
        if (s.name == name) return s;
    throw InputError("unknown option --" + name + " (see --help)");
}

bool Cli::parse(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0) throw InputError("unexpected argument '" + arg + "' (see --help)");
        arg.erase(0, 2);
        std::string value;
        const std::size_t eq = arg.find('=');
        const bool inline_value = eq != std::string::npos;
        if (inline_value) value = arg.substr(eq + 1), arg.erase(eq);
        const Spec& spec = find(arg);
        if (!spec.takes_value) {
            if (inline_value) throw InputError("--" + arg + " takes no value");
            values_[arg] = "1";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argc) throw InputError("--" + arg + " needs a value " + spec.metavar);
            value = argv[++i];
        }
        values_[arg] = value;
    }
    if (has("help")) {
        std::cout << help();
        return false;
    }
    return true;
}

const std::string& Cli::get(const std::string& name) const {
    static const std::string empty;
    const auto it = values_.find(name);
    return it == values_.end() ? empty : it->second;
}

bool Cli::has(const std::string& name) const { return values_.count(name) != 0; }

std::uint64_t Cli::get_uint(const std::string& name) const {
    const std::string& text = get(name);
    char* end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text[0] == '-' || *end != '\0' || errno == ERANGE)
        throw InputError("--" + name + " expects a non-negative integer, got '" + text + "'");
    return value;
}

double Cli::get_double(const std::string& name) const {
    const std::string& text = get(name);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value))
        throw InputError("--" + name + " expects a number, got '" + text + "'");
    return value;
}

std::string Cli::help() const {
    std::ostringstream out;
    out << "usage: " << program_ << " [options]\n\n" << summary_ << "\n\noptions:\n";
    for (const Spec& s : specs_) {
        std::string left = "  --" + s.name + (s.takes_value ? " " + s.metavar : "");
        if (left.size() < 26) left.resize(26, ' ');
        else left += "\n" + std::string(26, ' ');
        out << left << s.help;
        if (!s.fallback.empty()) out << " (default: " << s.fallback << ")";
        out << '\n';
    }
    return out.str();
}

void report_error(const char* program, const char* message) {
    std::fprintf(stderr, "%s: error: %s\n", program, message);
}

}  // namespace ninja
