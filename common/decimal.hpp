/// @file
/// @brief Numbers read from text (the options, meta.txt): written in decimal, the whole text, or
/// refused.
///
/// Every number the workbook reads from text goes through one of these two functions, so that
/// no input is read in another base and none is read in part: "010" is ten (not eight, as C's
/// `strtoull(text, nullptr, 0)` would read it), and "+5", " 5", "5 ", "0x10", "1e3" and "" are
/// not integers; "nan", "inf", "0x1p3" and "1e999" are not (finite) numbers. std::from_chars does
/// the conversion: it ignores the locale and never skips blanks or a leading '+'.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ninja {

/// The non-negative integer that `text` writes in decimal digits only, if it is one and fits in
/// 64 bits.
std::optional<std::uint64_t> parse_decimal_integer(std::string_view text);

/// The finite number that `text` writes in decimal ("0.1", "-3", "2.5e-3", ".5"), if it is one.
std::optional<double> parse_decimal_number(std::string_view text);

}  // namespace ninja
