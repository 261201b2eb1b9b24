#include "patron/notes.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "core/customer_ops.hpp"
#include "core/event_builders.hpp"
#include "core/rules.hpp"
#include "core/state.hpp"
#include "patron/error.hpp"
#include "text/text.hpp"

namespace patron {
namespace {

constexpr std::size_t kMaxBody = 100000;
constexpr std::size_t kMaxAuthor = 200;

[[noreturn]] void refuse(std::string_view field, const std::string& rule) {
  throw Error(Errc::invalid_argument, std::string(field) + ": " + rule, std::string(field));
}

// The code points of valid UTF-8, each with where it starts and ends.
struct CodePoint {
  UChar32 c;
  std::size_t begin;
  std::size_t end;
};
std::vector<CodePoint> code_points(std::string_view s) {
  std::vector<CodePoint> out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  for (std::int32_t i = 0; i < n;) {
    const auto begin = static_cast<std::size_t>(i);
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    out.push_back({c, begin, static_cast<std::size_t>(i)});
  }
  return out;
}

// Letters, digits, marks and private-use characters: what FTS5's unicode61
// tokenizer keeps in a word.
bool is_word_char(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK | U_GC_CO_MASK)) != 0;
}

// Trimmed Markdown: valid UTF-8, 1-100,000 characters, no control
// characters but tabs and line breaks.
std::string body_text(std::string_view input) {
  if (!text::is_valid_utf8(input)) refuse("body", "not valid UTF-8");
  const std::string_view t = text::trim(input);
  for (unsigned char c : text::bytes(t)) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      refuse("body", "control characters other than tabs and line breaks are not allowed");
    }
  }
  const std::size_t length = text::utf8_length(t);
  if (length < 1 || length > kMaxBody) refuse("body", "must be 1 to " + std::to_string(kMaxBody) + " characters");
  return std::string(t);
}

std::string person(std::string_view input, std::string_view field) {
  return text::clean_required(input, field, kMaxAuthor);
}

// "@name" where the @ starts the text or follows a space or punctuation (so
// "ana@example.com" is no mention); the name is letters and digits, with
// ".", "-" and "_" inside it. Lower-cased, each once, in order.
std::vector<std::string> mentions_in(std::string_view body) {
  const auto cps = code_points(body);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (cps[i].c != '@') continue;
    if (i > 0 && !u_isUWhiteSpace(cps[i - 1].c) && (U_GET_GC_MASK(cps[i - 1].c) & U_GC_P_MASK) == 0) continue;
    std::size_t j = i + 1;
    if (j >= cps.size() || !is_word_char(cps[j].c)) continue;
    std::size_t last = j;  // the last letter or digit of the name
    for (; j < cps.size(); ++j) {
      const UChar32 c = cps[j].c;
      if (is_word_char(c)) {
        last = j;
      } else if (c != '.' && c != '-' && c != '_') {
        break;
      }
    }
    std::string name = text::lower(body.substr(cps[i + 1].begin, cps[last].end - cps[i + 1].begin));
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    i = last;
  }
  return out;
}

// The words of a search query: runs of letters, digits and marks. Anything
// else (quotes, *, -, parentheses, ...) only separates words.
std::vector<std::string> query_words(std::string_view query) {
  if (!text::is_valid_utf8(query)) refuse("query", "not valid UTF-8");
  std::vector<std::string> words;
  std::string word;
  for (const auto& cp : code_points(query)) {
    if (is_word_char(cp.c)) {
      word += query.substr(cp.begin, cp.end - cp.begin);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (words.empty()) refuse("query", "must have a word (letters or digits)");
  return words;
}

Note require_note(store::NoteRepository& repo, std::int64_t id) {
  auto n = repo.get(id);
  if (!n) throw Error(Errc::not_found, "id: no note " + std::to_string(id), "id");
  return std::move(*n);
}

void record_note_event(store::Transaction& tx, Timestamp now, const Note& n, std::string action, std::string summary,
            const detail::EventJson& more = detail::EventJson::object()) {
  detail::EventJson details{{"note", n.id}};
  details.update(more);
  detail::record_event(tx, now,
                       detail::make_change(n.customer, EventCategory::customers, EventType::data, std::move(action),
                                           std::move(summary), details));
}

}  // namespace

Note Notes::add(std::string_view customer_ref, std::string_view body, std::string_view author, bool pinned) {
  const Timestamp now = state_->now();
  Note n;
  n.body = body_text(body);
  n.author = person(author, "author");
  n.pinned = pinned;
  n.mentions = mentions_in(n.body);
  n.created_at = now;
  return state_->write([&](store::Transaction& tx) {
    n.customer = detail::require_customer(tx.customers(), customer_ref, now).id;
    tx.notes().insert(n);
    record_note_event(tx, now, n, "note.added", "Note added",
           {{"author", n.author}, {"pinned", n.pinned}, {"mentions", n.mentions}});
    return n;
  });
}

Note Notes::edit(std::int64_t id, std::string_view body, std::string_view editor) {
  const Timestamp now = state_->now();
  const std::string text = body_text(body);
  const std::string author = person(editor, "editor");
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.notes();
    const Note before = require_note(repo, id);
    if (before.body == text) return before;
    const std::vector<std::string> mentions = mentions_in(text);
    repo.replace_body(id, text, author, mentions, now);
    const Note after = require_note(repo, id);
    record_note_event(tx, now, after, "note.edited", "Note edited",
           {{"author", author}, {"revision", after.revisions}, {"mentions", mentions}});
    return after;
  });
}

Note Notes::set_pinned(std::int64_t id, bool pinned) {
  const Timestamp now = state_->now();
  return state_->write([&](store::Transaction& tx) {
    auto& repo = tx.notes();
    Note n = require_note(repo, id);
    if (n.pinned == pinned) return n;
    repo.set_pinned(id, pinned);
    n.pinned = pinned;
    record_note_event(tx, now, n, pinned ? "note.pinned" : "note.unpinned", pinned ? "Note pinned" : "Note unpinned");
    return n;
  });
}

void Notes::remove(std::int64_t id) {
  const Timestamp now = state_->now();
  state_->write([&](store::Transaction& tx) {
    auto& repo = tx.notes();
    const Note n = require_note(repo, id);
    repo.remove(id);
    record_note_event(tx, now, n, "note.removed", "Note removed", {{"revisions", n.revisions}});
  });
}

Note Notes::get(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) { return require_note(tx.notes(), id); });
}

std::vector<Note> Notes::of_customer(std::string_view customer_ref, Page page) const {
  rules::page(page);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    const Customer c = detail::require_customer(tx.customers(), customer_ref, now);
    return tx.notes().of_customer(c.id, page.limit, page.offset);
  });
}

std::vector<NoteRevision> Notes::revisions(std::int64_t id) const {
  return state_->read([&](store::Transaction& tx) {
    require_note(tx.notes(), id);
    return tx.notes().revisions(id);
  });
}

std::vector<NoteHit> Notes::search(std::string_view query, std::string_view customer_ref, Page page) const {
  const std::vector<std::string> words = query_words(query);
  rules::page(page);
  const Timestamp now = state_->now();
  return state_->read([&](store::Transaction& tx) {
    std::optional<CustomerId> customer;
    if (!customer_ref.empty()) customer = detail::require_customer(tx.customers(), customer_ref, now).id;
    return tx.notes().search(words, customer, page.limit, page.offset);
  });
}

}  // namespace patron
