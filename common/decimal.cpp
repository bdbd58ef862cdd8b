#include "common/decimal.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace ninja {

namespace {

/// `text` converted whole by std::from_chars (decimal), if it converts and fits in T.
template <class T>
std::optional<T> from_whole(std::string_view text) {
    T value{};
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || stop != end) return std::nullopt;
    return value;
}

}  // namespace

std::optional<std::uint64_t> parse_decimal_integer(std::string_view text) {
    return from_whole<std::uint64_t>(text);  // unsigned: a '-' is refused, not wrapped
}

std::optional<double> parse_decimal_number(std::string_view text) {
    const std::optional<double> value = from_whole<double>(text);  // general: no hexadecimal
    if (!value || !std::isfinite(*value)) return std::nullopt;     // "nan", "inf", "infinity"
    return value;
}

}  // namespace ninja
