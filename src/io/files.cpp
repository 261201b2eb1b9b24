#include "io/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/sealed.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::io {

void check_destination(const std::string& path, bool overwrite, std::string_view exists_note) {
  namespace fs = std::filesystem;
  if (path.empty()) throw Error(Errc::invalid_argument, "path: must not be empty", "path");
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (!overwrite) {
      throw Error(Errc::already_exists, "path: " + text::printable(path) + " exists" + std::string(exists_note),
                  "path");
    }
    if (!fs::is_regular_file(path, ec)) {
      throw Error(Errc::invalid_argument, "path: " + text::printable(path) + " is not a regular file", "path");
    }
  }
  const fs::path directory = fs::path(path).parent_path();
  if (!directory.empty() && !fs::is_directory(directory, ec)) {
    throw Error(Errc::invalid_argument, "path: no directory " + text::printable(directory.string()), "path");
  }
}

std::string partial_name(const std::string& path) { return path + ".partial-" + detail::random_hex(16); }

int create_partial(const std::string& partial, const std::string& path) {
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(Errc::invalid_argument, "path: cannot write " + text::printable(path) + ": " + std::strerror(errno),
                "path");
  }
  return fd;
}

void put_in_place(const std::string& partial, const std::string& path, bool overwrite) {
  if (overwrite) {
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
      const int e = errno;
      ::unlink(partial.c_str());
      throw Error(Errc::storage, "path: cannot write " + text::printable(path) + ": " + std::strerror(e), "path");
    }
    return;
  }
  // link() fails when `path` exists, where rename() would replace it.
  if (::link(partial.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(partial.c_str());
    if (e == EEXIST) {
      throw Error(Errc::already_exists, "path: " + text::printable(path) + " exists", "path");
    }
    throw Error(Errc::storage, "path: cannot write " + text::printable(path) + ": " + std::strerror(e), "path");
  }
  ::unlink(partial.c_str());
}

}  // namespace patron::io
