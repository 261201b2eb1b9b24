// Small pieces the Google Benchmark programs share.
#pragma once

#include <benchmark/benchmark.h>
#include <unistd.h>  // isatty

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace patron::bench {

// `value` with `decimals` digits after the point.
inline std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// Colour as Google Benchmark's own console reporter would choose it
// (--benchmark_color=auto|true|false).
inline benchmark::ConsoleReporter::OutputOptions console_options(const std::vector<char*>& args) {
  std::string color = "auto";
  for (const char* a : args) {
    const std::string_view arg(a);
    if (arg.rfind("--benchmark_color=", 0) == 0) color = arg.substr(std::strlen("--benchmark_color="));
  }
  const char* term = std::getenv("TERM");
  const bool tty = isatty(fileno(stdout)) != 0 && term != nullptr && std::strcmp(term, "dumb") != 0;
  const bool use = color == "true" || color == "yes" || color == "1" || (color == "auto" && tty);
  return use ? benchmark::ConsoleReporter::OO_ColorTabular : benchmark::ConsoleReporter::OO_Tabular;
}

}  // namespace patron::bench
