#include "patron/documents.hpp"

#include <sodium.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>

#include "core/customer_ops.hpp"
#include "core/enum_names.hpp"
#include "core/event_builders.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::array<std::string_view, 7> kKinds{"agreement", "contract", "identification", "waiver",
                                                 "consent_form", "image", "other"};
constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxMediaType = 255;
constexpr std::size_t kMaxRestrictedName = 127;

[[noreturn]] void refuse(std::string_view field, const std::string& rule) {
  throw Error(Errc::invalid_argument, std::string(field) + ": " + rule, std::string(field));
}

// A file name: 1-255 characters, no control characters, no "/" or "\".
std::string document_name(std::string_view input) {
  std::string name = text::clean_required(input, "name", kMaxName);
  if (name.find_first_of("/\\") != std::string::npos) refuse("name", "must not contain \"/\" or \"\\\"");
  if (name == "." || name == "..") refuse("name", "must be a file name, not \"" + name + "\"");
  return name;
}

// RFC 6838 restricted-name, lower-cased: 1-127 of A-Z a-z 0-9 ! # $ & - ^ _ . +,
// starting with a letter or digit.
bool restricted_name(std::string& s) {
  if (s.empty() || s.size() > kMaxRestrictedName || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  for (char& ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!std::isalnum(c) && std::strchr("!#$&-^_.+", c) == nullptr) return false;
    ch = static_cast<char>(std::tolower(c));
  }
  return true;
}

// "Application/PDF" -> "application/pdf"; "text/plain;Charset=utf-8" ->
// "text/plain; charset=utf-8". Empty is application/octet-stream.
std::string media_type(std::string_view input) {
  const std::string_view t = text::trim(input);
  if (t.empty()) return "application/octet-stream";
  const auto bad = [&] {
    refuse("media_type", "must be type/subtype as RFC 6838 spells them (\"application/pdf\"), with optional "
                         "\"; name=value\" parameters, at most " + std::to_string(kMaxMediaType) + " characters");
  };
  if (t.size() > kMaxMediaType) bad();
  for (unsigned char c : text::bytes(t)) {
    if (c < 0x20 || c > 0x7E) bad();
  }
  std::string_view rest = t;
  const auto next_part = [&] {
    const auto semi = rest.find(';');
    const std::string_view part = text::trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    return part;
  };
  const std::string_view essence = next_part();
  const auto slash = essence.find('/');
  if (slash == std::string_view::npos) bad();
  std::string type(text::trim(essence.substr(0, slash)));
  std::string subtype(text::trim(essence.substr(slash + 1)));
  if (!restricted_name(type) || !restricted_name(subtype)) bad();
  std::string out = type + "/" + subtype;
  while (!rest.empty()) {
    const std::string_view param = next_part();
    const auto eq = param.find('=');
    if (eq == std::string_view::npos) bad();
    std::string attribute(text::trim(param.substr(0, eq)));
    const std::string_view value = text::trim(param.substr(eq + 1));
    if (!restricted_name(attribute) || value.empty()) bad();
    out += "; " + attribute + "=" + std::string(value);
  }
  return out;
}

DocumentKind kind(DocumentKind k) {
  if (static_cast<std::size_t>(k) >= kKinds.size()) refuse("kind", "not a document kind");
  return k;
}

std::string size_rule(std::int64_t size, std::int64_t limit) {
  return "is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(limit) + " bytes";
}

// SHA-256 (libsodium) of bytes fed in chunks, as lower-case hex.
class Sha256 {
 public:
  Sha256() {
    static const bool ready = sodium_init() >= 0;
    if (!ready) throw Error(Errc::internal, "libsodium could not be initialised");
    crypto_hash_sha256_init(&state_);
  }
  void update(std::string_view chunk) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(chunk.data()), chunk.size());
  }
  std::string hex() {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state_, digest.data());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> out{};
    sodium_bin2hex(out.data(), out.size(), digest.data(), digest.size());
    return std::string(out.data(), crypto_hash_sha256_BYTES * 2);
  }

 private:
  crypto_hash_sha256_state state_{};
};

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string quoted_path(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

[[noreturn]] void refuse_path(const std::string& what, const std::filesystem::path& path, int error) {
  refuse("path", what + " " + quoted_path(path) + ": " + std::strerror(error));
}

// The validated record of a new document (customer, id, hash, time to come).
Document new_document(const NewDocument& in, std::int64_t size) {
  Document d;
  d.name = document_name(in.name);
  d.media_type = media_type(in.media_type);
  d.kind = kind(in.kind);
  d.size = size;
  return d;
}

// Stores the document and its `d.size` bytes from `source` in the caller's
// transaction: the bytes first (hashed on the way), then the record.
Document store_document(store::Transaction& tx, Timestamp now, std::string_view customer_ref, Document d,
                        const store::ByteSource& source) {
  d.customer = detail::require_customer(tx.customers(), customer_ref, now).id;
  d.created_at = now;
  Sha256 hash;
  auto& repo = tx.documents();
  const std::int64_t content = repo.write_content(d.size, [&](std::span<char> chunk) {
    source(chunk);
    hash.update(std::string_view(chunk.data(), chunk.size()));
  });
  d.sha256 = hash.hex();
  repo.insert(d, content);
  detail::record(tx, now, detail::document_change(d, "document.attached", "Document attached"));
  return d;
}

Document require_document(store::DocumentRepository& repo, std::int64_t id) {
  auto d = repo.get(id);
  if (!d) throw Error(Errc::not_found, "id: no document " + std::to_string(id), "id");
  return std::move(*d);
}

}  // namespace

std::string_view to_string(DocumentKind v) noexcept { return kKinds[static_cast<std::size_t>(v)]; }

DocumentKind parse_document_kind(std::string_view text, std::string_view field) {
  return detail::parse_named<DocumentKind>(kKinds, text, field);
}

Document Documents::attach(const NewDocument& document, std::string_view bytes) {
  const auto size = static_cast<std::int64_t>(bytes.size());
  const std::int64_t limit = state_->options.max_document_bytes;
  if (size > limit) refuse("bytes", "the document " + size_rule(size, limit));
  const Document d = new_document(document, size);
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    std::size_t at = 0;
    return store_document(tx, now, document.customer_ref, d, [&](std::span<char> chunk) {
      std::memcpy(chunk.data(), bytes.data() + at, chunk.size());
      at += chunk.size();
    });
  });
}

Document Documents::attach_file(const NewDocument& document, const std::filesystem::path& path) {
  errno = 0;
  const File file(std::fopen(path.c_str(), "rb"));
  if (!file) refuse_path("cannot read", path, errno);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    refuse("path", "cannot read " + quoted_path(path) + ": not a regular file");
  }
  const auto file_size = std::filesystem::file_size(path, ec);
  if (ec) refuse("path", "cannot read " + quoted_path(path) + ": " + ec.message());
  const auto size = static_cast<std::int64_t>(file_size);
  const std::int64_t limit = state_->options.max_document_bytes;
  if (size > limit) refuse("path", "the file at " + quoted_path(path) + " " + size_rule(size, limit));
  const Document d = new_document(document, size);
  const Timestamp now = state_->now();
  const auto changed = [&] { refuse("path", "the file at " + quoted_path(path) + " changed while it was read"); };
  return state_->write([&](store::Transaction& tx) {
    Document stored = store_document(tx, now, document.customer_ref, d, [&](std::span<char> chunk) {
      errno = 0;
      if (std::fread(chunk.data(), 1, chunk.size(), file.get()) != chunk.size()) {
        if (std::ferror(file.get())) refuse_path("cannot read", path, errno);
        changed();
      }
    });
    if (std::fgetc(file.get()) != EOF) changed();
    return stored;
  });
}

Document Documents::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_document(tx.documents(), id); });
}

std::vector<Document> Documents::of_customer(std::string_view customer_ref) const {
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    return tx.documents().of_customer(detail::require_customer(tx.customers(), customer_ref, now).id);
  });
}

std::string Documents::read(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.documents();
    std::string out;
    out.reserve(static_cast<std::size_t>(require_document(repo, id).size));
    repo.read_content(id, [&](std::string_view chunk) { out += chunk; });
    return out;
  });
}

std::int64_t Documents::read_to_file(std::int64_t id, const std::filesystem::path& path) const {
  return state_->read([&](store::Transaction& tx) {
    auto& repo = tx.documents();
    const Document d = require_document(repo, id);
    errno = 0;
    File file(std::fopen(path.c_str(), "wb"));
    if (!file) refuse_path("cannot write", path, errno);
    try {
      repo.read_content(id, [&](std::string_view chunk) {
        errno = 0;
        if (std::fwrite(chunk.data(), 1, chunk.size(), file.get()) != chunk.size()) {
          refuse_path("cannot write", path, errno);
        }
      });
      errno = 0;
      if (std::fclose(file.release()) != 0) refuse_path("cannot write", path, errno);
    } catch (...) {
      file.reset();
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
      throw;
    }
    return d.size;
  });
}

void Documents::remove(std::int64_t id) {
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.documents();
    const Document d = require_document(repo, id);
    repo.remove(id);
    detail::record(tx, now, detail::document_change(d, "document.removed", "Document removed"));
  });
}

}  // namespace patron
