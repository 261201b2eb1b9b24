#include "convert.hpp"

// The datetime C API is reached through a per-translation-unit pointer
// (PyDateTimeAPI), so every use of it lives in this file.
#include <datetime.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace patron::python {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;

std::string type_name(py::handle value) { return Py_TYPE(value.ptr())->tp_name; }

[[noreturn]] void wrong_type(py::handle value, std::string_view field, std::string_view expected) {
  throw py::type_error(std::string(field) + " must be " + std::string(expected) + ", not " +
                       type_name(value));
}

[[noreturn]] void invalid(std::string_view field, std::string message) {
  throw patron::Error(Errc::invalid_argument, std::move(message), std::string(field));
}

// The datetime accessor macros use C casts; wrap them once here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
struct Fields {
  int year, month, day, hour, minute, second, microsecond;
};
Fields date_fields(PyObject* p) {
  return {PyDateTime_GET_YEAR(p), PyDateTime_GET_MONTH(p), PyDateTime_GET_DAY(p), 0, 0, 0, 0};
}
Fields datetime_fields(PyObject* p) {
  return {PyDateTime_GET_YEAR(p),        PyDateTime_GET_MONTH(p),         PyDateTime_GET_DAY(p),
          PyDateTime_DATE_GET_HOUR(p),   PyDateTime_DATE_GET_MINUTE(p),   PyDateTime_DATE_GET_SECOND(p),
          PyDateTime_DATE_GET_MICROSECOND(p)};
}
std::int64_t delta_micros(py::handle delta) {
  const auto d = static_cast<std::int64_t>(PyDateTime_DELTA_GET_DAYS(delta.ptr()));
  const auto s = static_cast<std::int64_t>(PyDateTime_DELTA_GET_SECONDS(delta.ptr()));
  const auto us = static_cast<std::int64_t>(PyDateTime_DELTA_GET_MICROSECONDS(delta.ptr()));
  // A timedelta reaches 999,999,999 days; microseconds in 64 bits, 106,751:
  // beyond, the extreme, which every caller's range check refuses.
  constexpr std::int64_t kMaxDays = 106751;
  if (d > kMaxDays) return std::numeric_limits<std::int64_t>::max();
  if (d < -kMaxDays) return std::numeric_limits<std::int64_t>::min();
  return (d * 86400 + s) * 1000000 + us;
}
bool is_datetime(PyObject* p) { return PyDateTime_Check(p); }
bool is_date(PyObject* p) { return PyDate_Check(p); }
bool is_delta(PyObject* p) { return PyDelta_Check(p); }
PyObject* utc() { return PyDateTime_TimeZone_UTC; }
#pragma GCC diagnostic pop

std::chrono::year_month_day ymd_of(const Fields& f) {
  return std::chrono::year_month_day{std::chrono::year{f.year}, std::chrono::month{static_cast<unsigned>(f.month)},
                                     std::chrono::day{static_cast<unsigned>(f.day)}};
}

void ensure_datetime_api() {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  }
}

// Rounds microseconds to whole seconds, halves away from zero.
std::int64_t round_seconds(std::int64_t us) {
  const std::int64_t q = us / 1000000;
  const std::int64_t r = us % 1000000;
  if (r >= 500000) return q + 1;
  if (r <= -500000) return q - 1;
  return q;
}

}  // namespace

void init_datetime() { ensure_datetime_api(); }

// --- Python -> C++ --------------------------------------------------------

std::string text(py::handle value, std::string_view field) {
  if (!PyUnicode_Check(value.ptr())) wrong_type(value, field, "str");
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();
    invalid(field, std::string(field) +
                       ": not valid UTF-8 (the str holds a lone surrogate, e.g. from bytes decoded with "
                       "errors='surrogateescape')");
  }
  return std::string(data, static_cast<std::size_t>(size));
}

std::string optional_text(py::handle value, std::string_view field) {
  if (value.is_none()) return {};
  return text(value, field);
}

bool boolean(py::handle value, std::string_view field) {
  if (!PyBool_Check(value.ptr())) wrong_type(value, field, "bool");
  return value.ptr() == Py_True;
}

std::vector<std::string> text_list(py::handle value, std::string_view field) {
  if (PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr()) || !py::isinstance<py::iterable>(value)) {
    wrong_type(value, field, "a list of str");
  }
  std::vector<std::string> out;
  std::size_t i = 0;
  for (py::handle item : value) {
    out.push_back(text(item, patron::indexed_field(field, i)));
    ++i;
  }
  return out;
}

Timestamp timestamp(py::handle value, std::string_view field) {
  ensure_datetime_api();
  if (!is_datetime(value.ptr())) wrong_type(value, field, "a datetime.datetime");
  const Fields f = datetime_fields(value.ptr());
  Timestamp t = Timestamp{std::chrono::sys_days{ymd_of(f)}} + hours{f.hour} + minutes{f.minute} +
                std::chrono::seconds{f.second} + microseconds{f.microsecond};
  // A naive datetime is refused rather than guessed: read as UTC it is wrong
  // by the host's offset, read as local time (as datetime.timestamp() does)
  // it depends on the machine's zone. Either way a till would store the
  // wrong moment silently.
  py::object offset = value.attr("utcoffset")();
  if (offset.is_none()) {
    invalid(field, std::string(field) +
                       ": must be timezone-aware (a naive datetime is not guessed as UTC or local time; "
                       "give tzinfo, e.g. datetime.timezone.utc)");
  }
  if (!is_delta(offset.ptr())) wrong_type(offset, std::string(field) + ".utcoffset()", "a timedelta");
  t -= microseconds{delta_micros(offset)};
  return checked_time(t, field);  // an offset can move 0001-01-01 or 9999-12-31 out of range
}

Date date(py::handle value, std::string_view field) {
  ensure_datetime_api();
  PyObject* p = value.ptr();
  if (PyUnicode_Check(p)) {
    const std::string s = text(value, field);
    return patron::parse_date(s, field);
  }
  if (is_datetime(p)) {
    throw py::type_error(std::string(field) +
                         " must be a datetime.date or an ISO 8601 date string, not a datetime "
                         "(pass value.date())");
  }
  if (!is_date(p)) wrong_type(value, field, "a datetime.date or an ISO 8601 date string");
  return ymd_of(date_fields(p));
}

std::chrono::seconds seconds(py::handle value, std::string_view field) {
  ensure_datetime_api();
  PyObject* p = value.ptr();
  if (is_delta(p)) return std::chrono::seconds{round_seconds(delta_micros(value))};
  if (PyFloat_Check(p)) {
    const double d = PyFloat_AS_DOUBLE(p);
    if (!std::isfinite(d) || std::fabs(d) > 1e15) invalid(field, std::string(field) + ": out of range");
    return std::chrono::seconds{std::llround(d)};
  }
  if (PyLong_Check(p) && !PyBool_Check(p)) return std::chrono::seconds{integer(value, field)};
  wrong_type(value, field, "a datetime.timedelta or a number of seconds");
}

std::int64_t integer(py::handle value, std::string_view field) {
  if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr())) wrong_type(value, field, "int");
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
  if (overflow != 0) invalid(field, std::string(field) + ": out of range");
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  return static_cast<std::int64_t>(v);
}

double number(py::handle value, std::string_view field) {
  PyObject* p = value.ptr();
  if (PyFloat_Check(p)) return PyFloat_AS_DOUBLE(p);
  if (PyBool_Check(p) || PyUnicode_Check(p) || PyBytes_Check(p) || PyNumber_Check(p) == 0) {
    wrong_type(value, field, "a number");
  }
  if (PyLong_Check(p)) {
    const double d = PyLong_AsDouble(p);
    if (d == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      invalid(field, std::string(field) + ": out of range");
    }
    return d;
  }
  const double d = PyFloat_AsDouble(p);  // __float__, else __index__
  if (d == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    wrong_type(value, field, "a number");
  }
  return d;
}

std::chrono::days whole_days(py::handle value, std::string_view field) {
  ensure_datetime_api();
  if (!is_delta(value.ptr())) wrong_type(value, field, "a datetime.timedelta");
  constexpr std::int64_t kDayMicros = 86400LL * 1000000;
  const std::int64_t us = delta_micros(value);
  if (us == std::numeric_limits<std::int64_t>::max() || us == std::numeric_limits<std::int64_t>::min()) {
    invalid(field, std::string(field) + ": out of range");
  }
  if (us % kDayMicros != 0) invalid(field, std::string(field) + ": must be a whole number of days");
  return days{us / kDayMicros};
}

std::string path(py::handle value, std::string_view field) {
  py::object fs = py::reinterpret_steal<py::object>(PyOS_FSPath(value.ptr()));
  if (!fs) throw py::error_already_set();
  py::object bytes;
  if (PyUnicode_Check(fs.ptr())) {
    bytes = py::reinterpret_steal<py::object>(PyUnicode_EncodeFSDefault(fs.ptr()));
    if (!bytes) {
      PyErr_Clear();
      invalid(field, std::string(field) + ": cannot be encoded for the file system");
    }
  } else {
    bytes = fs;
  }
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(bytes.ptr(), &data, &size) != 0) throw py::error_already_set();
  std::string out(data, static_cast<std::size_t>(size));
  if (out.find('\0') != std::string::npos) invalid(field, std::string(field) + ": contains a NUL character");
  if (out.empty()) invalid(field, std::string(field) + ": must not be empty");
  return out;
}

void unknown_field(std::string_view field, std::string_view hint) {
  std::string message = std::string(field) + ": unknown field";
  if (!hint.empty()) message += " (" + std::string(hint) + ")";
  invalid(field, std::move(message));
}

// --- C++ -> Python --------------------------------------------------------

py::str str(std::string_view utf8) {
  PyObject* o = PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

py::object datetime(Timestamp t) {
  ensure_datetime_api();
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss<microseconds> tod{t - day};
  PyObject* o = PyDateTimeAPI->DateTime_FromDateAndTime(
      static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
      static_cast<int>(static_cast<unsigned>(ymd.day())), static_cast<int>(tod.hours().count()),
      static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
      static_cast<int>(tod.subseconds().count()), utc(), PyDateTimeAPI->DateTimeType);
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object datetime(const std::optional<Timestamp>& t) {
  if (!t) return py::none();
  return datetime(*t);
}

py::object date(const Date& d) {
  ensure_datetime_api();
  PyObject* o = PyDate_FromDate(static_cast<int>(d.year()), static_cast<int>(static_cast<unsigned>(d.month())),
                                static_cast<int>(static_cast<unsigned>(d.day())));
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

py::object date(const std::optional<Date>& d) {
  if (!d) return py::none();
  return date(*d);
}

// --- errors ---------------------------------------------------------------

void set_python_error(const patron::Error& error) noexcept {
  try {
    py::module_ errors = py::module_::import("patron.errors");
    py::object exc = errors.attr("_from_code")(str(errc_name(error.code())), str(error.what()),
                                               str(error.field()));
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  } catch (py::error_already_set& e) {
    py::raise_from(e, PyExc_RuntimeError, error.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, error.what());
  }
}

}  // namespace patron::python
