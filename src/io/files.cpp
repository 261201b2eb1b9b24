#include "io/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/sealed.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::io {

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
