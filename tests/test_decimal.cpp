/// @file
/// @brief Numbers read from text (common/decimal.hpp): decimal, the whole text, or refused.
#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

#include "common/decimal.hpp"

using namespace ninja;

BOOST_AUTO_TEST_CASE(a_leading_zero_is_not_octal) {
    BOOST_TEST(*parse_decimal_integer("010") == 10u);
    BOOST_TEST(*parse_decimal_integer("08") == 8u);
    BOOST_TEST(*parse_decimal_integer("017") == 17u);
    BOOST_TEST(*parse_decimal_integer("0") == 0u);
    BOOST_TEST(*parse_decimal_number("010") == 10.0);
}

BOOST_AUTO_TEST_CASE(an_integer_is_decimal_digits_and_nothing_else) {
    for (const std::string text : {"", "+5", "-3", "-0", " 5", "5 ", "\t5", "5\n", "0x10", "0X10",
                                   "0b11", "1e3", "1.0", "5,0", "1_000", "1'000", "abc", "5abc"})
        BOOST_TEST_CONTEXT("'" << text << "'") { BOOST_TEST(!parse_decimal_integer(text)); }
    BOOST_TEST(*parse_decimal_integer("18446744073709551615") ==
               std::numeric_limits<std::uint64_t>::max());
    BOOST_TEST(!parse_decimal_integer("18446744073709551616"));  // 2^64: refused, not wrapped
    BOOST_TEST(!parse_decimal_integer("12345678901234567890123"));
}

BOOST_AUTO_TEST_CASE(a_number_is_a_finite_decimal) {
    BOOST_TEST(*parse_decimal_number("0.1") == 0.1);
    BOOST_TEST(*parse_decimal_number("1e-1") == 0.1);
    BOOST_TEST(*parse_decimal_number("-3") == -3.0);
    BOOST_TEST(*parse_decimal_number(".5") == 0.5);
    BOOST_TEST(*parse_decimal_number("2.5E3") == 2500.0);
    for (const std::string text : {"", "nan", "NaN", "inf", "-inf", "infinity", "1e999", "0x1p3",
                                   "0x10", " 0.1", "0.1 ", "0,1", "+0.1", "1e", "e3", "1.2.3"})
        BOOST_TEST_CONTEXT("'" << text << "'") { BOOST_TEST(!parse_decimal_number(text)); }
}
