// Reading and writing whole files as bytes, for tests that hand patron files
// by path.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace patron::testing {

inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The file's bytes ("" when it cannot be read).
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  if (in) out << in.rdbuf();
  return out.str();
}

}  // namespace patron::testing
