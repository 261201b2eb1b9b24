// Conversions between Python objects and patron's C++ values.
//
// The binding converts its arguments itself instead of leaning on
// pybind11's casters, so that every refusal names the field at fault:
//  - text: a str (never bytes), encoded to UTF-8 here; a str that cannot be
//    UTF-8 (a lone surrogate such as "\udcff") is refused with
//    patron::Error(invalid_argument) naming the field, like any other bad
//    input, rather than surfacing as a bare UnicodeEncodeError;
//  - times: patron::Timestamp <-> timezone-aware datetime in UTC, exact to
//    the microsecond and never through local time (a naive datetime is
//    refused with Error(invalid_argument) naming the field);
//  - dates: std::chrono::year_month_day <-> datetime.date (or ISO text in).
// A wrong Python type raises TypeError naming the field.
//
// Every function here needs the GIL.
#pragma once

#include <pybind11/pybind11.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patron/customer.hpp"
#include "patron/error.hpp"
#include "patron/types.hpp"

namespace patron::python {

namespace py = pybind11;

// Imports the datetime C API; call once at module initialisation.
void init_datetime();

// --- Python -> C++ --------------------------------------------------------

// A str as UTF-8. TypeError when `value` is not a str; Error(invalid_argument)
// naming `field` when it holds a lone surrogate.
std::string text(py::handle value, std::string_view field);
// Like text(), with None read as the empty string.
std::string optional_text(py::handle value, std::string_view field);
// A bool (True/False only, not any truthy object).
bool boolean(py::handle value, std::string_view field);
// A list/tuple/iterable of str (a bare str is refused: it is a common mistake).
std::vector<std::string> text_list(py::handle value, std::string_view field);
// A timezone-aware datetime, converted to UTC; a naive one is refused
// (Error(invalid_argument) naming `field`).
Timestamp timestamp(py::handle value, std::string_view field);
// A datetime.date (not a datetime) or an ISO 8601 "YYYY-MM-DD" str.
Date date(py::handle value, std::string_view field);
// A timedelta or a number of seconds (int or float), rounded to whole seconds.
std::chrono::seconds seconds(py::handle value, std::string_view field);
// An int (not a bool) that fits in 64 bits.
std::int64_t integer(py::handle value, std::string_view field);
// A real number: a float, an int (not a bool) or any object with __float__
// or __index__ (numpy scalars, Decimal, Fraction). Not checked for finiteness.
double number(py::handle value, std::string_view field);
// A timedelta of whole days (Error(invalid_argument) naming `field` when it
// has a fraction of a day).
std::chrono::days whole_days(py::handle value, std::string_view field);
// A file-system path: str, bytes or os.PathLike, as the bytes the OS sees.
std::string path(py::handle value, std::string_view field);

// Throws Error(invalid_argument) naming `field`: "unknown field".
[[noreturn]] void unknown_field(std::string_view field, std::string_view hint = {});

// --- C++ -> Python --------------------------------------------------------

// UTF-8 to str (invalid sequences, which patron never stores, are replaced).
py::str str(std::string_view utf8);
py::object datetime(Timestamp t);
py::object datetime(const std::optional<Timestamp>& t);
py::object date(const Date& d);
py::object date(const std::optional<Date>& d);

// --- errors ---------------------------------------------------------------

// Sets the Python error matching `error` (patron.errors.ValidationError for
// invalid_argument, ...), carrying its message, code and field.
void set_python_error(const patron::Error& error) noexcept;

}  // namespace patron::python
