#include "io/zip.hpp"

#include <zip.h>

#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron::io {
namespace {

[[noreturn]] void failed(const std::string& path, const char* what, zip_t* archive) {
  throw Error(Errc::storage,
              "path: cannot write " + text::printable(path) + ": " + what + ": " +
                  (archive != nullptr ? zip_strerror(archive) : "libzip"),
              "path");
}

}  // namespace

ZipWriter::ZipWriter(const std::string& path) : path_(path) {
  int error = 0;
  archive_ = zip_open(path.c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  if (archive_ == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    const std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw Error(Errc::invalid_argument, "path: cannot create " + text::printable(path) + ": " + why, "path");
  }
}

ZipWriter::~ZipWriter() {
  if (archive_ != nullptr) zip_discard(archive_);
}

void ZipWriter::added(long long index, const std::string& name) {
  if (index < 0) failed(path_, ("adding " + name).c_str(), archive_);
}

void ZipWriter::add(const std::string& name, std::string bytes) {
  held_.push_back(std::move(bytes));
  const std::string& b = held_.back();
  zip_source_t* source = zip_source_buffer(archive_, b.data(), b.size(), 0);
  if (source == nullptr) failed(path_, "a buffer", archive_);
  const zip_int64_t index = zip_file_add(archive_, name.c_str(), source, ZIP_FL_ENC_UTF_8);
  if (index < 0) zip_source_free(source);
  added(index, name);
}

void ZipWriter::add_file(const std::string& name, const std::string& file) {
  zip_source_t* source = zip_source_file(archive_, file.c_str(), 0, -1);
  if (source == nullptr) failed(path_, ("reading " + name).c_str(), archive_);
  const zip_int64_t index = zip_file_add(archive_, name.c_str(), source, ZIP_FL_ENC_UTF_8);
  if (index < 0) zip_source_free(source);
  added(index, name);
}

void ZipWriter::close() {
  if (zip_close(archive_) != 0) failed(path_, "closing", archive_);
  archive_ = nullptr;
  held_.clear();
}

}  // namespace patron::io
