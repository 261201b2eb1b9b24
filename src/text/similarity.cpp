// String similarity for record linkage, on folded text (text::fold: lower-case
// ASCII). No package in Debian offers these for C++, and each is a few lines
// of a published algorithm.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "text/text.hpp"

namespace patron::text {

double jaro_winkler(std::string_view a, std::string_view b) noexcept {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  // Matching characters: equal and no further apart than half the longer length - 1.
  const std::size_t window = std::max<std::size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;
  constexpr std::size_t kMax = 64;  // longer strings are compared on their first 64 bytes
  const std::size_t na = std::min(a.size(), kMax);
  const std::size_t nb = std::min(b.size(), kMax);
  std::array<bool, kMax> used_a{};
  std::array<bool, kMax> used_b{};
  std::size_t matches = 0;
  for (std::size_t i = 0; i < na; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(nb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!used_b[j] && a[i] == b[j]) {
        used_a[i] = used_b[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transposed = 0;
  for (std::size_t i = 0, j = 0; i < na; ++i) {
    if (!used_a[i]) continue;
    while (!used_b[j]) ++j;
    if (a[i] != b[j]) ++transposed;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(na) + m / static_cast<double>(nb) +
                       (m - static_cast<double>(transposed) / 2.0) / m) /
                      3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) noexcept {
  if (a == b) return 0;
  const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > limit) return limit + 1;
  if (a.size() > 64 || b.size() > 64) return limit + 1;
  // Optimal string alignment: insertions, deletions, substitutions and
  // transpositions of two neighbours, each costing one. Three rows suffice.
  std::array<std::size_t, 65> two{};
  std::array<std::size_t, 65> one{};
  std::array<std::size_t, 65> row{};
  for (std::size_t j = 0; j <= b.size(); ++j) one[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    std::size_t best = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({one[j] + 1, row[j - 1] + 1, one[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], two[j - 2] + 1);
      best = std::min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    two = one;
    one = row;
  }
  return std::min(one[b.size()], limit + 1);
}

namespace {

bool vowel(char c) noexcept { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

}  // namespace

std::string nysiis(std::string_view word) {
  // New York State Identification and Intelligence System code (Taft 1970),
  // without the six-letter cut so that long names keep telling apart.
  std::string s;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') s += c;
  }
  if (s.empty()) return s;
  const auto starts = [&](std::string_view p) { return s.compare(0, p.size(), p) == 0; };
  const auto ends = [&](std::string_view p) {
    return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
  };
  if (starts("mac")) s.replace(0, 3, "mcc");
  else if (starts("kn")) s.replace(0, 2, "nn");
  else if (starts("k")) s[0] = 'c';
  else if (starts("ph") || starts("pf")) s.replace(0, 2, "ff");
  else if (starts("sch")) s.replace(0, 3, "sss");
  if (ends("ee") || ends("ie")) s.replace(s.size() - 2, 2, "y");
  else if (ends("dt") || ends("rt") || ends("rd") || ends("nt") || ends("nd")) s.replace(s.size() - 2, 2, "d");

  // Translate in place, so that H and W look at the letter before them as
  // already translated (a vowel before them reads as 'a').
  std::string key(1, s[0]);
  for (std::size_t i = 1; i < s.size(); ++i) {
    std::size_t width = 1;
    if (s.compare(i, 2, "ev") == 0) {
      s.replace(i, 2, "af");
      width = 2;
    } else if (vowel(s[i])) {
      s[i] = 'a';
    } else if (s[i] == 'q') {
      s[i] = 'g';
    } else if (s[i] == 'z') {
      s[i] = 's';
    } else if (s[i] == 'm') {
      s[i] = 'n';
    } else if (s.compare(i, 2, "kn") == 0) {
      s[i] = 'n';
    } else if (s[i] == 'k') {
      s[i] = 'c';
    } else if (s.compare(i, 3, "sch") == 0) {
      s.replace(i, 3, "sss");
      width = 3;
    } else if (s.compare(i, 2, "ph") == 0) {
      s.replace(i, 2, "ff");
      width = 2;
    } else if (s[i] == 'h' && (!vowel(s[i - 1]) || (i + 1 < s.size() && !vowel(s[i + 1])))) {
      s[i] = s[i - 1];
    } else if (s[i] == 'w' && vowel(s[i - 1])) {
      s[i] = s[i - 1];
    }
    for (std::size_t k = i; k < i + width; ++k) {
      if (key.back() != s[k]) key += s[k];
    }
    i += width - 1;
  }
  if (key.size() > 1 && key.back() == 's') key.pop_back();
  if (key.size() > 2 && key.compare(key.size() - 2, 2, "ay") == 0) key.replace(key.size() - 2, 2, "y");
  if (key.size() > 1 && key.back() == 'a') key.pop_back();
  return key;
}

}  // namespace patron::text
