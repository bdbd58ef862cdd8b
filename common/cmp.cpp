#include "common/cmp.hpp"

#include <cstdio>
#include <cstdlib>
#include <ostream>

namespace ninja {

namespace {

/// The shortest "%.*e" representation of `value` that reads back as the same double.
std::string shortest_scientific(double value) {
    char buffer[40];
    for (int digits = 0; digits <= 16; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*e", digits, value);
        if (std::strtod(buffer, nullptr) == value) break;
    }
    return buffer;
}

}  // namespace

std::string python_float(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
    // Split "d.ddde±XX" into sign, digits and decimal exponent.
    const std::string sci = shortest_scientific(value);
    const std::size_t e = sci.find('e');
    const int exponent = std::atoi(sci.c_str() + e + 1);
    const bool negative = sci[0] == '-';
    std::string digits;
    for (std::size_t i = negative ? 1 : 0; i < e; ++i)
        if (sci[i] != '.') digits += sci[i];
    const std::string sign = negative ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
        std::string mantissa = digits.substr(0, 1);
        if (digits.size() > 1) mantissa += "." + digits.substr(1);
        char exp_text[16];
        std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+',
                      std::abs(exponent));
        return sign + mantissa + exp_text;
    }
    const auto point = static_cast<std::ptrdiff_t>(exponent) + 1;  // digits before the point
    if (point <= 0)
        return sign + "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    const auto whole = static_cast<std::size_t>(point);
    if (digits.size() <= whole)
        return sign + digits + std::string(whole - digits.size(), '0') + ".0";
    return sign + digits.substr(0, whole) + "." + digits.substr(whole);
}

std::string format_cmp(const Comparison& c) {
    char line[256];
    std::snprintf(line, sizeof line, "%-15s | exact: %-5s | approximate: %-5s | maxdiff: %s",
                  c.name.c_str(), c.exact ? "True" : "False", c.approximate ? "True" : "False",
                  python_float(c.maxdiff).c_str());
    return line;
}

void print_line(std::ostream& out, const std::string& line) { out << line << '\n'; }

}  // namespace ninja
