#include "sqlite/schema.hpp"

#include <array>
#include <string>

#include "patron/error.hpp"

namespace patron::sqlite {
namespace {

// Migration N brings the schema from version N-1 to N. Never edit a
// migration that has shipped: add the next one.
constexpr std::array<const char*, 20> kMigrations{
    // 1: customers, contacts and name search.
    R"sql(
CREATE TABLE patron_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO patron_meta (key, value) VALUES ('next_customer_number', 1);

CREATE TABLE customers (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
  number          TEXT NOT NULL COLLATE NOCASE
                    CHECK (length(number) BETWEEN 5 AND 32 AND number NOT GLOB '*[^A-Za-z0-9._/-]*'),
  title           TEXT NOT NULL DEFAULT '',
  first_name      TEXT NOT NULL DEFAULT '',
  last_name       TEXT NOT NULL DEFAULT '',
  date_of_birth   TEXT CHECK (date_of_birth IS NULL OR date(date_of_birth) = date_of_birth),
  lifecycle_stage TEXT NOT NULL DEFAULT '',
  tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  emergency_name  TEXT,
  emergency_phone TEXT,
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),
  ban_reason      TEXT,
  banned_by       TEXT,
  banned_at       INTEGER,
  online_until    INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  first_active_at INTEGER,
  last_active_at  INTEGER,
  CHECK ((status = 'banned') = (banned_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX customers_number ON customers (number);

CREATE TRIGGER customers_id_is_immutable BEFORE UPDATE OF id ON customers
WHEN NEW.id IS NOT OLD.id
BEGIN
  SELECT RAISE(ABORT, 'a customer id is immutable');
END;

-- An email belongs to one customer: the primary key says so.
CREATE TABLE customer_emails (
  address    TEXT PRIMARY KEY,
  customer   INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  position   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_emails_customer ON customer_emails (customer);
CREATE UNIQUE INDEX customer_emails_one_primary ON customer_emails (customer) WHERE is_primary = 1;

CREATE TABLE customer_phones (
  id       INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  number   TEXT NOT NULL,
  label    TEXT NOT NULL CHECK (label IN ('mobile', 'work', 'home', 'other')),
  verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
  UNIQUE (customer, number)
) STRICT;
CREATE INDEX customer_phones_number ON customer_phones (number);

CREATE TABLE customer_addresses (
  id          INTEGER PRIMARY KEY,
  customer    INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  purpose     TEXT NOT NULL CHECK (purpose IN ('billing', 'shipping', 'contact')),
  line1       TEXT NOT NULL,
  line2       TEXT NOT NULL,
  city        TEXT NOT NULL,
  region      TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country     TEXT NOT NULL CHECK (length(country) = 2 AND country NOT GLOB '*[^A-Z]*'),
  is_default  INTEGER NOT NULL CHECK (is_default IN (0, 1))
) STRICT;
CREATE INDEX customer_addresses_customer ON customer_addresses (customer);
CREATE UNIQUE INDEX customer_addresses_one_default
  ON customer_addresses (customer, purpose) WHERE is_default = 1;

-- Folded names (see text::fold) for accent- and case-insensitive prefix
-- search; rowid = customers.seq.
CREATE VIRTUAL TABLE customer_names USING fts5 (name_key, tokenize = 'unicode61 remove_diacritics 2');
)sql",
    // 2: orders, bookings, enquiries.
    R"sql(
CREATE TABLE orders (
  id           INTEGER PRIMARY KEY,
  customer     INTEGER NOT NULL REFERENCES customers (seq),
  source       TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  placed_at    INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('created', 'confirmed', 'completed', 'cancelled')),
  currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
  total        INTEGER NOT NULL CHECK (total >= 0),
  paid         INTEGER NOT NULL CHECK (paid >= 0),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (source, external_ref)
) STRICT;
-- Covers a customer's history and the analytics scan (customer, day, spend).
CREATE INDEX orders_customer_time ON orders (customer, placed_at, status, currency, total);

CREATE TABLE order_items (
  order_id   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  name       TEXT NOT NULL,
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  category   TEXT NOT NULL,
  PRIMARY KEY (order_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE order_payments (
  id       INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  amount   INTEGER NOT NULL CHECK (amount > 0),
  method   TEXT NOT NULL,
  at       INTEGER NOT NULL
) STRICT;
CREATE INDEX order_payments_order ON order_payments (order_id);

CREATE TABLE bookings (
  id           INTEGER PRIMARY KEY,
  customer     INTEGER NOT NULL REFERENCES customers (seq),
  source       TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  service      TEXT NOT NULL,
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL CHECK (ends_at > starts_at),
  status       TEXT NOT NULL CHECK (status IN ('scheduled', 'rescheduled', 'checked_in', 'no_show', 'completed', 'cancelled')),
  party_size   INTEGER NOT NULL CHECK (party_size > 0),
  order_id     INTEGER REFERENCES orders (id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (source, external_ref)
) STRICT;
CREATE INDEX bookings_customer_time ON bookings (customer, starts_at);

CREATE TABLE enquiries (
  id           INTEGER PRIMARY KEY,
  customer     INTEGER NOT NULL REFERENCES customers (seq),
  source       TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  channel      TEXT NOT NULL,
  subject      TEXT NOT NULL,
  body         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
  received_at  INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  UNIQUE (source, external_ref)
) STRICT;
CREATE INDEX enquiries_customer_time ON enquiries (customer, received_at);
)sql",
    // 3: analytics results.
    R"sql(
CREATE TABLE rfm_scores (
  customer        INTEGER NOT NULL REFERENCES customers (seq),
  currency        TEXT NOT NULL,
  recency_days    INTEGER NOT NULL CHECK (recency_days >= 0),
  frequency       INTEGER NOT NULL CHECK (frequency > 0),
  monetary        INTEGER NOT NULL CHECK (monetary >= 0),
  recency_score   INTEGER NOT NULL CHECK (recency_score BETWEEN 1 AND 5),
  frequency_score INTEGER NOT NULL CHECK (frequency_score BETWEEN 1 AND 5),
  monetary_score  INTEGER NOT NULL CHECK (monetary_score BETWEEN 1 AND 5),
  segment         TEXT NOT NULL,
  computed_at     INTEGER NOT NULL,
  PRIMARY KEY (currency, customer)
) STRICT, WITHOUT ROWID;
CREATE INDEX rfm_scores_segment ON rfm_scores (currency, segment);

CREATE TABLE model_fits (
  id           INTEGER PRIMARY KEY,
  currency     TEXT NOT NULL,
  unit         TEXT NOT NULL CHECK (unit IN ('days', 'weeks')),
  cutoff       INTEGER NOT NULL,
  fitted_at    INTEGER NOT NULL,
  customers    INTEGER NOT NULL,
  r            REAL NOT NULL,
  alpha        REAL NOT NULL,
  a            REAL NOT NULL,
  b            REAL NOT NULL,
  bg_nbd_ll    REAL NOT NULL,
  p            REAL NOT NULL,
  q            REAL NOT NULL,
  gamma        REAL NOT NULL,
  gamma_gamma_ll REAL NOT NULL
) STRICT;
CREATE INDEX model_fits_currency ON model_fits (currency, id);
)sql",
    // 4: companies, their email domains and their links to customers.
    R"sql(
CREATE TABLE companies (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL CHECK (length(name) > 0),
  name_key       TEXT NOT NULL,
  sector         TEXT NOT NULL DEFAULT '',
  contact_person TEXT NOT NULL DEFAULT '',
  notes          TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX companies_name ON companies (name_key, id);

-- A domain (registrable, lower-case ASCII) belongs to one company: the
-- primary key says so.
CREATE TABLE company_domains (
  domain   TEXT PRIMARY KEY CHECK (domain = lower(domain) AND instr(domain, '.') > 1),
  company  INTEGER NOT NULL REFERENCES companies (id),
  added_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX company_domains_company ON company_domains (company);

-- The registrable domain of each customer email, computed by the core with
-- the public suffix list (SQLite cannot), written with the email. Emails
-- stored before this migration are indexed by the core right after it
-- (patron_meta.email_domains_pending).
CREATE TABLE customer_email_domains (
  address  TEXT PRIMARY KEY REFERENCES customer_emails (address) ON DELETE CASCADE,
  customer INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  domain   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX customer_email_domains_domain ON customer_email_domains (domain, customer);
INSERT INTO patron_meta (key, value)
  VALUES ('email_domains_pending', (SELECT count(*) > 0 FROM customer_emails));

-- A customer's membership of a company: at most one manual link (domain '')
-- per (company, customer), one email_domain link per (company, customer, domain).
CREATE TABLE company_links (
  company   INTEGER NOT NULL REFERENCES companies (id),
  customer  INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  source    TEXT NOT NULL CHECK (source IN ('email_domain', 'manual')),
  domain    TEXT NOT NULL,
  role      TEXT NOT NULL DEFAULT '',
  billing   INTEGER NOT NULL DEFAULT 0 CHECK (billing IN (0, 1)),
  linked_at INTEGER NOT NULL,
  CHECK ((source = 'manual') = (domain = '')),
  CHECK (source = 'manual' OR (role = '' AND billing = 0)),
  PRIMARY KEY (company, customer, source, domain)
) STRICT, WITHOUT ROWID;
CREATE INDEX company_links_customer ON company_links (customer);
CREATE INDEX company_links_domain ON company_links (company, domain) WHERE source = 'email_domain';
)sql",
    // 5: membership plans and memberships held by customers or companies.
    R"sql(
-- Plan names are unique ignoring (ASCII) case. Subscriptions have a billing
-- period; other kinds have none.
CREATE TABLE membership_plans (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
  kind           TEXT NOT NULL CHECK (kind IN ('personal', 'subscription', 'company')),
  benefits       TEXT NOT NULL DEFAULT '',
  billing_period TEXT NOT NULL DEFAULT 'none'
                   CHECK (billing_period IN ('none', 'weekly', 'monthly', 'quarterly', 'yearly')),
  created_at     INTEGER NOT NULL,
  CHECK ((kind = 'subscription') = (billing_period <> 'none'))
) STRICT;

-- A membership is held by exactly one customer or company. The status is
-- the one set; "expired" is derived from ends_at when read.
CREATE TABLE memberships (
  id         INTEGER PRIMARY KEY,
  plan       INTEGER NOT NULL REFERENCES membership_plans (id),
  customer   INTEGER REFERENCES customers (seq) ON DELETE CASCADE,
  company    INTEGER REFERENCES companies (id),
  starts_at  INTEGER NOT NULL,
  ends_at    INTEGER,
  status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'cancelled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((customer IS NULL) <> (company IS NULL)),
  CHECK (ends_at IS NULL OR ends_at > starts_at)
) STRICT;
CREATE INDEX memberships_customer ON memberships (customer, starts_at) WHERE customer IS NOT NULL;
CREATE INDEX memberships_company ON memberships (company, starts_at) WHERE company IS NOT NULL;
CREATE INDEX memberships_plan ON memberships (plan);
)sql",

    // 6: credentials, doors and door permissions.
    R"sql(
-- A credential a customer presents: a card, fob, code, wallet pass or a
-- phone number used as caller id. Values are matched exactly (case
-- matters); phone values are E.164. An active value is unique per kind
-- (credentials_active_value); a value is free again once its holder's
-- credential is blocked, lost or replaced. Wallet data is present exactly
-- for wallet passes. A replaced credential names its successor (set in the
-- same transaction) and stays replaced (credentials_replaced_is_final).
CREATE TABLE credentials (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('magnetic_card', 'smart_card', 'key_fob', 'barcode', 'qr_code',
                                                  'wallet_pass', 'phone')),
  value            TEXT NOT NULL CHECK (length(CAST(value AS BLOB)) BETWEEN 1 AND 256 AND value = trim(value)),
  customer         INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked', 'lost', 'replaced')),
  valid_from       INTEGER,
  valid_until      INTEGER,
  label            TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 200),
  wallet_provider  TEXT CHECK (wallet_provider IN ('apple', 'google')),
  wallet_serial    TEXT CHECK (length(wallet_serial) BETWEEN 1 AND 200),
  wallet_pass_type TEXT CHECK (wallet_pass_type IN ('membership', 'access', 'loyalty')),
  replaces         INTEGER UNIQUE REFERENCES credentials (id),
  replaced_by      INTEGER UNIQUE REFERENCES credentials (id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until > valid_from),
  CHECK ((kind = 'wallet_pass') = (wallet_provider IS NOT NULL)),
  CHECK ((wallet_provider IS NULL) = (wallet_serial IS NULL) AND (wallet_provider IS NULL) = (wallet_pass_type IS NULL)),
  CHECK (kind <> 'phone' OR value GLOB '+[1-9]*'),
  CHECK (replaced_by IS NULL OR status = 'replaced')
) STRICT;
CREATE UNIQUE INDEX credentials_active_value ON credentials (kind, value) WHERE status = 'active';
CREATE INDEX credentials_value ON credentials (value);
CREATE INDEX credentials_customer ON credentials (customer);
CREATE TRIGGER credentials_replaced_is_final BEFORE UPDATE OF status, replaced_by ON credentials
  WHEN OLD.status = 'replaced' AND (NEW.status <> 'replaced' OR OLD.replaced_by IS NOT NULL)
BEGIN
  SELECT RAISE(ABORT, 'status: a replaced credential is final');
END;

-- A door the host names ("front-gate", "spa/2"), matched exactly.
CREATE TABLE doors (
  id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  notes      TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A customer may open a door within [starts_at, ends_at) (unbounded when
-- NULL), possibly only while holding an active membership of a plan.
CREATE TABLE door_permissions (
  id            INTEGER PRIMARY KEY,
  customer      INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  door          TEXT NOT NULL REFERENCES doors (id),
  starts_at     INTEGER,
  ends_at       INTEGER,
  notes         TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  required_plan INTEGER REFERENCES membership_plans (id),
  created_at    INTEGER NOT NULL,
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
) STRICT;
CREATE INDEX door_permissions_customer ON door_permissions (customer, door, starts_at);
CREATE INDEX door_permissions_door ON door_permissions (door);
)sql",

    // 7: the social graph: connections and referrals.
    R"sql(
-- A connection between two customers, stored with the pair in canonical
-- order (low < high: never a customer with itself) and whether `from` is
-- the low end, so that "one connection of a type per pair, whichever way
-- round" is the unique index below. Types are trimmed and lower-cased by
-- the core. Connections are deleted (by hand or as stale by the inference
-- job): AUTOINCREMENT keeps a removed connection's id from naming another.
CREATE TABLE connections (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  low        INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  high       INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  from_low   INTEGER NOT NULL CHECK (from_low IN (0, 1)),
  type       TEXT NOT NULL CHECK (length(type) BETWEEN 1 AND 64 AND type = lower(trim(type))),
  source     TEXT NOT NULL CHECK (source IN ('manual', 'inferred')),
  note       TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  CHECK (low < high)
) STRICT;
-- Also lists a customer's connections from the low end.
CREATE UNIQUE INDEX connections_pair ON connections (low, high, type);
CREATE INDEX connections_high ON connections (high, low);
CREATE INDEX connections_inferred ON connections (type, low, high) WHERE source = 'inferred';

-- Who brought a customer in: at most one referrer per customer (the primary
-- key says so).
CREATE TABLE referrals (
  referred INTEGER PRIMARY KEY REFERENCES customers (seq) ON DELETE CASCADE,
  referrer INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  note     TEXT NOT NULL DEFAULT '',
  at       INTEGER NOT NULL,
  CHECK (referrer <> referred)
) STRICT;
CREATE INDEX referrals_referrer ON referrals (referrer, at);
)sql",

    // 8: the activity timeline (permanent events), customer data keys, the
    // edit-history index.
    R"sql(
-- A customer's data key: 32 random bytes sealing the details of the
-- customer's events. At most one live key per customer; erasure deletes it
-- (one statement) and the events it sealed stay, unreadable. AUTOINCREMENT:
-- a destroyed key's id never names another key. Customers are named by id
-- (not customers.seq, which SQLite may reuse): keys and events outlive them.
CREATE TABLE data_keys (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  customer   TEXT NOT NULL UNIQUE CHECK (length(customer) = 32 AND customer NOT GLOB '*[^0-9a-f]*'),
  key        BLOB NOT NULL CHECK (typeof(key) = 'blob' AND length(key) = 32),
  created_at INTEGER NOT NULL
) STRICT;

-- The permanent log: what happened to each customer (customer NULL: to the
-- organisation). Ids increase in commit order (one writer) and are never
-- reused: no row is ever deleted (trigger below), so the rowid's max + 1 is
-- enough, without AUTOINCREMENT's sqlite_sequence write per event. Details
-- of a customer's event are nonce || ciphertext || tag (XChaCha20-Poly1305)
-- under data key `data_key` (no foreign key: the key may be destroyed); an
-- organisation's are the JSON text.
CREATE TABLE events (
  id       INTEGER PRIMARY KEY,
  customer TEXT CHECK (length(customer) = 32 AND customer NOT GLOB '*[^0-9a-f]*'),
  at       INTEGER NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('orders', 'customers', 'bookings', 'payments', 'system')),
  type     TEXT NOT NULL CHECK (type IN ('auth', 'access', 'order', 'payment', 'cart', 'booking', 'enquiry', 'visit',
                                         'scan', 'communication', 'settings', 'configuration', 'data', 'security',
                                         'compliance', 'notification', 'integration', 'report', 'export')),
  source   TEXT NOT NULL CHECK (source IN ('system', 'staff', 'customer', 'api', 'webhook', 'integration',
                                           'physical', 'automated')),
  actor    TEXT NOT NULL CHECK (length(actor) <= 200),
  action   TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 100 AND action NOT GLOB '*[^a-z0-9._-]*'),
  summary  TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 500),
  details  BLOB NOT NULL,
  data_key INTEGER,
  CHECK ((customer IS NULL) = (data_key IS NULL)),
  CHECK (customer IS NULL OR length(details) >= 40)
) STRICT;
CREATE INDEX events_timeline ON events (customer, at DESC, id DESC) WHERE customer IS NOT NULL;

CREATE TRIGGER events_are_permanent_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events: an event is permanent and cannot be changed');
END;
CREATE TRIGGER events_are_permanent_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events: an event is permanent and cannot be deleted');
END;

-- The edit-history index: entry `position` of event `event`'s "changes"
-- changed `field` of `customer` (the values are in the sealed details). One
-- B-tree, no secondary index: every created customer writes a row per field
-- given, and a customer's whole history is small enough to sort.
CREATE TABLE event_edits (
  customer TEXT NOT NULL,
  field    TEXT NOT NULL CHECK (length(field) BETWEEN 1 AND 200),
  event    INTEGER NOT NULL REFERENCES events (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  PRIMARY KEY (customer, field, event, position)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER event_edits_are_permanent_update BEFORE UPDATE ON event_edits
BEGIN
  SELECT RAISE(ABORT, 'event_edits: the edit history is permanent and cannot be changed');
END;
CREATE TRIGGER event_edits_are_permanent_delete BEFORE DELETE ON event_edits
BEGIN
  SELECT RAISE(ABORT, 'event_edits: the edit history is permanent and cannot be deleted');
END;
)sql",

    // 9: notes (revisions, FTS5 index) and documents.
    R"sql(
-- Notes are deleted by hand: AUTOINCREMENT keeps a removed note's id from
-- naming another. The current body was written at edited_at, or at
-- created_at when never edited. Mentions: a JSON array of lower-case names.
CREATE TABLE notes (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  customer   INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
  author     TEXT NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
  pinned     INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  mentions   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(mentions) AND json_type(mentions) = 'array'),
  created_at INTEGER NOT NULL,
  edited_at  INTEGER CHECK (edited_at IS NULL OR edited_at >= created_at)
) STRICT;
-- A customer's notes in list order: pinned first, then newest first.
CREATE INDEX notes_customer ON notes (customer, pinned DESC, created_at DESC, id DESC);

-- Earlier bodies of a note, numbered from 1 (the first body).
CREATE TABLE note_revisions (
  note        INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
  number      INTEGER NOT NULL CHECK (number >= 1),
  body        TEXT NOT NULL,
  author      TEXT NOT NULL,
  written_at  INTEGER NOT NULL,
  replaced_at INTEGER NOT NULL CHECK (replaced_at >= written_at),
  PRIMARY KEY (note, number)
) STRICT, WITHOUT ROWID;

-- Full-text index of the current bodies (external content: the text lives
-- in notes once), kept in step by the triggers below; rowid = notes.id.
CREATE VIRTUAL TABLE note_search USING fts5 (
  body, content = 'notes', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN
  INSERT INTO note_search (rowid, body) VALUES (NEW.id, NEW.body);
END;
CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN
  INSERT INTO note_search (note_search, rowid, body) VALUES ('delete', OLD.id, OLD.body);
END;
CREATE TRIGGER notes_search_update AFTER UPDATE OF body ON notes BEGIN
  INSERT INTO note_search (note_search, rowid, body) VALUES ('delete', OLD.id, OLD.body);
  INSERT INTO note_search (rowid, body) VALUES (NEW.id, NEW.body);
END;

-- A document's bytes, apart from its record so that listing documents never
-- reads them; written and read in chunks (incremental BLOB I/O, by rowid).
-- Written first, then claimed by exactly one document, and deleted with it.
CREATE TABLE document_contents (
  id    INTEGER PRIMARY KEY,
  bytes BLOB NOT NULL
) STRICT;

CREATE TABLE documents (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  customer   INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  content    INTEGER NOT NULL UNIQUE REFERENCES document_contents (id),
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255 AND instr(name, '/') = 0
                                  AND instr(name, char(92)) = 0),
  media_type TEXT NOT NULL CHECK (length(media_type) BETWEEN 3 AND 255 AND instr(media_type, '/') > 1),
  kind       TEXT NOT NULL CHECK (kind IN ('agreement', 'contract', 'identification', 'waiver', 'consent_form',
                                           'image', 'other')),
  size       INTEGER NOT NULL CHECK (size >= 0),
  sha256     TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX documents_customer ON documents (customer, created_at DESC, id DESC);

CREATE TRIGGER documents_content_matches BEFORE INSERT ON documents
WHEN (SELECT length(bytes) FROM document_contents WHERE id = NEW.content) IS NOT NEW.size
BEGIN
  SELECT RAISE(ABORT, 'a document''s size must be its content''s');
END;
CREATE TRIGGER documents_content_delete AFTER DELETE ON documents BEGIN
  DELETE FROM document_contents WHERE id = OLD.content;
END;
)sql",

    // 10: custom field definitions and values.
    R"sql(
-- Organisation-defined fields. options and visible_to are JSON arrays of
-- text (options in their order; visible_to: roles, empty = all staff).
CREATE TABLE custom_fields (
  key        TEXT PRIMARY KEY
               CHECK (length(key) BETWEEN 1 AND 64 AND key GLOB '[a-z]*' AND key NOT GLOB '*[^a-z0-9_]*'),
  label      TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  type       TEXT NOT NULL
               CHECK (type IN ('text', 'number', 'date', 'select', 'multi_select', 'checkbox', 'url', 'file')),
  required   INTEGER NOT NULL CHECK (required IN (0, 1)),
  options    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options) AND json_type(options) = 'array'),
  visible_to TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(visible_to) AND json_type(visible_to) = 'array'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- A value is stored as one typed scalar per row: text, select and url as
-- TEXT, date as TEXT 'YYYY-MM-DD', number as REAL, checkbox as INTEGER 0/1,
-- file as the INTEGER document id; a multi_select value is one row per
-- option it holds. (key, value) is indexed so that finding customers by a
-- value is an index lookup. A definition's default is stored the same way.
CREATE TABLE custom_field_defaults (
  key   TEXT NOT NULL REFERENCES custom_fields (key) ON DELETE CASCADE,
  value ANY NOT NULL CHECK (typeof(value) IN ('text', 'real', 'integer')),
  PRIMARY KEY (key, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE custom_field_values (
  customer INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  key      TEXT NOT NULL REFERENCES custom_fields (key) ON DELETE CASCADE,
  value    ANY NOT NULL CHECK (typeof(value) IN ('text', 'real', 'integer')),
  PRIMARY KEY (customer, key, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX custom_field_values_value ON custom_field_values (key, value);
)sql",

    // 11: purses (stored value and credit) and idempotency keys.
    R"sql(
-- A money account per customer and currency. The balance is a checkpoint of
-- the account's ledger (purse_entries), moved by the ledger's insert trigger
-- only; it never goes below minus the credit limit.
CREATE TABLE purse_accounts (
  customer     INTEGER NOT NULL REFERENCES customers (seq),
  currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
  balance      INTEGER NOT NULL DEFAULT 0,
  credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit BETWEEN 0 AND 1000000000000000),
  CHECK (balance >= -credit_limit),
  PRIMARY KEY (customer, currency)
) STRICT, WITHOUT ROWID;

-- The ledger: permanent entries, each with the balance after it. A refund
-- gives back part of a charge of the same account.
CREATE TABLE purse_entries (
  id              INTEGER PRIMARY KEY,
  customer        INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('top_up', 'charge', 'refund')),
  amount          INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
  balance_after   INTEGER NOT NULL,
  refund_of       INTEGER REFERENCES purse_entries (id),
  reference       TEXT NOT NULL CHECK (length(reference) <= 200),
  idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
  actor           TEXT NOT NULL CHECK (length(actor) <= 200),
  at              INTEGER NOT NULL,
  CHECK ((kind = 'refund') = (refund_of IS NOT NULL)),
  FOREIGN KEY (customer, currency) REFERENCES purse_accounts (customer, currency)
) STRICT;
CREATE INDEX purse_entries_account ON purse_entries (customer, currency, id);
CREATE INDEX purse_entries_refunds ON purse_entries (refund_of) WHERE refund_of IS NOT NULL;

CREATE TRIGGER purse_entries_follow_balance BEFORE INSERT ON purse_entries
WHEN NEW.balance_after IS NOT (SELECT balance FROM purse_accounts
                               WHERE customer = NEW.customer AND currency = NEW.currency)
                              + CASE NEW.kind WHEN 'charge' THEN -NEW.amount ELSE NEW.amount END
BEGIN
  SELECT RAISE(ABORT, 'purse_entries: balance_after must be the balance moved by the amount');
END;
CREATE TRIGGER purse_entries_refund_a_charge BEFORE INSERT ON purse_entries
WHEN NEW.kind = 'refund' AND NOT EXISTS (SELECT 1 FROM purse_entries WHERE id = NEW.refund_of AND kind = 'charge'
                                         AND customer = NEW.customer AND currency = NEW.currency)
BEGIN
  SELECT RAISE(ABORT, 'purse_entries: a refund gives back a charge of the same account');
END;
CREATE TRIGGER purse_entries_refund_within_charge BEFORE INSERT ON purse_entries
WHEN NEW.kind = 'refund'
     AND (SELECT total(amount) FROM purse_entries WHERE refund_of = NEW.refund_of) + NEW.amount
         > (SELECT amount FROM purse_entries WHERE id = NEW.refund_of)
BEGIN
  SELECT RAISE(ABORT, 'purse_entries: refunds cannot exceed their charge');
END;
CREATE TRIGGER purse_entries_move_balance AFTER INSERT ON purse_entries
BEGIN
  UPDATE purse_accounts SET balance = NEW.balance_after WHERE customer = NEW.customer AND currency = NEW.currency;
END;
CREATE TRIGGER purse_entries_are_permanent_update BEFORE UPDATE ON purse_entries
BEGIN
  SELECT RAISE(ABORT, 'purse_entries: an entry is permanent and cannot be changed');
END;
CREATE TRIGGER purse_entries_are_permanent_delete BEFORE DELETE ON purse_entries
BEGIN
  SELECT RAISE(ABORT, 'purse_entries: an entry is permanent and cannot be deleted');
END;
CREATE TRIGGER purse_accounts_balance_is_the_ledger BEFORE UPDATE OF balance ON purse_accounts
WHEN NEW.balance IS NOT (SELECT balance_after FROM purse_entries
                         WHERE customer = NEW.customer AND currency = NEW.currency ORDER BY id DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'purse_accounts: the balance is the ledger''s last balance_after');
END;
CREATE TRIGGER purse_accounts_start_empty BEFORE INSERT ON purse_accounts
WHEN NEW.balance IS NOT 0
BEGIN
  SELECT RAISE(ABORT, 'purse_accounts: an account starts at balance 0');
END;
CREATE TRIGGER purse_accounts_are_permanent BEFORE DELETE ON purse_accounts
BEGIN
  SELECT RAISE(ABORT, 'purse_accounts: an account is permanent and cannot be deleted');
END;

-- Idempotency keys of any ledger, by scope ("purse", ...): the canonical
-- text of the request that first used the key and the entry it wrote.
-- Permanent, so a retry can never write twice.
CREATE TABLE idempotency_keys (
  scope   TEXT NOT NULL CHECK (length(scope) BETWEEN 1 AND 50),
  key     TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request TEXT NOT NULL,
  entry   INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER idempotency_keys_are_permanent_update BEFORE UPDATE ON idempotency_keys
BEGIN
  SELECT RAISE(ABORT, 'idempotency_keys: a key is permanent and cannot be changed');
END;
CREATE TRIGGER idempotency_keys_are_permanent_delete BEFORE DELETE ON idempotency_keys
BEGIN
  SELECT RAISE(ABORT, 'idempotency_keys: a key is permanent and cannot be deleted');
END;
)sql",

    // 12: loyalty programs, tiers, the points ledger and its lots, rewards.
    R"sql(
-- Programs, their tiers and rewards: ids chosen by the host.
CREATE TABLE loyalty_programs (
  id                 TEXT PRIMARY KEY
                       CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  points_name        TEXT NOT NULL CHECK (length(points_name) BETWEEN 1 AND 50),
  currency           TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
  earn_points        INTEGER NOT NULL CHECK (earn_points BETWEEN 1 AND 1000000),
  per_amount         INTEGER NOT NULL CHECK (per_amount BETWEEN 1 AND 1000000000),
  rounding           TEXT NOT NULL CHECK (rounding IN ('down', 'nearest', 'up')),
  expiry_months      INTEGER CHECK (expiry_months IS NULL OR expiry_months BETWEEN 1 AND 1200),
  redemption_order   TEXT NOT NULL CHECK (redemption_order IN ('soonest_expiring', 'oldest_earned')),
  tier_window_months INTEGER NOT NULL CHECK (tier_window_months BETWEEN 1 AND 120),
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE loyalty_tiers (
  program                 TEXT NOT NULL REFERENCES loyalty_programs (id),
  id                      TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  name                    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  threshold               INTEGER NOT NULL CHECK (threshold BETWEEN 0 AND 1000000000000),
  earn_multiplier_percent INTEGER NOT NULL CHECK (earn_multiplier_percent BETWEEN 0 AND 10000),
  benefits                TEXT NOT NULL CHECK (length(benefits) <= 2000),
  PRIMARY KEY (program, id),
  UNIQUE (program, threshold)
) STRICT, WITHOUT ROWID;

-- Active over [active_from, active_until); unbounded where absent.
CREATE TABLE loyalty_rewards (
  id           TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  program      TEXT NOT NULL REFERENCES loyalty_programs (id),
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  cost         INTEGER NOT NULL CHECK (cost BETWEEN 1 AND 1000000000000),
  active_from  INTEGER,
  active_until INTEGER CHECK (active_until IS NULL OR active_from IS NULL OR active_until > active_from),
  description  TEXT NOT NULL CHECK (length(description) <= 2000)
) STRICT, WITHOUT ROWID;
CREATE INDEX loyalty_rewards_program ON loyalty_rewards (program, cost, id);

-- One account per customer and program. The balance is a checkpoint of the
-- account's ledger (points_entries), moved by the ledger's insert trigger
-- only; the tier is the one held now.
CREATE TABLE points_accounts (
  id       INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL REFERENCES customers (seq),
  program  TEXT NOT NULL REFERENCES loyalty_programs (id),
  balance  INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
  tier     TEXT,
  UNIQUE (customer, program),
  FOREIGN KEY (program, tier) REFERENCES loyalty_tiers (program, id)
) STRICT;
CREATE INDEX points_accounts_program ON points_accounts (program, tier);

-- The ledger: permanent entries with signed points and the balance after
-- each. A transfer's two entries share their key; the receiving side names
-- the giving one (counterpart). Expiries carry no key.
CREATE TABLE points_entries (
  id              INTEGER PRIMARY KEY,
  account         INTEGER NOT NULL REFERENCES points_accounts (id),
  kind            TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'adjust', 'expire', 'reverse', 'transfer')),
  points          INTEGER NOT NULL CHECK (points BETWEEN -1000000000000 AND 1000000000000),
  balance_after   INTEGER NOT NULL,
  amount          INTEGER CHECK (amount IS NULL OR amount BETWEEN 1 AND 1000000000000000),
  currency        TEXT NOT NULL DEFAULT '',
  pending_until   INTEGER,
  expires_at      INTEGER,
  reverses        INTEGER REFERENCES points_entries (id),
  counterpart     INTEGER REFERENCES points_entries (id),
  reward          TEXT REFERENCES loyalty_rewards (id),
  qualifying      INTEGER NOT NULL CHECK (qualifying IN (0, 1)),
  reference       TEXT NOT NULL CHECK (length(reference) <= 200),
  reason          TEXT NOT NULL CHECK (length(reason) <= 500),
  idempotency_key TEXT CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200),
  actor           TEXT NOT NULL CHECK (length(actor) <= 200),
  at              INTEGER NOT NULL,
  -- Only an earn computed from an amount may come to nothing.
  CHECK (points <> 0 OR (kind = 'earn' AND amount IS NOT NULL)),
  CHECK (kind NOT IN ('earn') OR points >= 0),
  CHECK (kind NOT IN ('redeem', 'expire') OR points < 0),
  CHECK ((kind = 'reverse') = (reverses IS NOT NULL)),
  CHECK (counterpart IS NULL OR (kind = 'transfer' AND points > 0)),
  CHECK (reward IS NULL OR kind = 'redeem'),
  CHECK ((kind = 'expire') = (idempotency_key IS NULL))
) STRICT;
CREATE INDEX points_entries_account ON points_entries (account, id);
CREATE UNIQUE INDEX points_entries_key ON points_entries (idempotency_key, points > 0)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX points_entries_reversals ON points_entries (reverses) WHERE reverses IS NOT NULL;
CREATE INDEX points_entries_counterparts ON points_entries (counterpart) WHERE counterpart IS NOT NULL;
CREATE INDEX points_entries_rewards ON points_entries (account, id) WHERE reward IS NOT NULL;

CREATE TRIGGER points_entries_follow_balance BEFORE INSERT ON points_entries
WHEN NEW.balance_after IS NOT (SELECT balance FROM points_accounts WHERE id = NEW.account) + NEW.points
BEGIN
  SELECT RAISE(ABORT, 'points_entries: balance_after must be the balance moved by the points');
END;
CREATE TRIGGER points_entries_reverse_an_earn_or_redeem BEFORE INSERT ON points_entries
WHEN NEW.kind = 'reverse'
     AND NOT EXISTS (SELECT 1 FROM points_entries WHERE id = NEW.reverses AND account = NEW.account
                     AND kind IN ('earn', 'redeem') AND (points > 0) <> (NEW.points > 0))
BEGIN
  SELECT RAISE(ABORT, 'points_entries: a reversal undoes an earn or a redeem of the same account');
END;
CREATE TRIGGER points_entries_reverse_within_original BEFORE INSERT ON points_entries
WHEN NEW.kind = 'reverse'
     AND (SELECT total(abs(points)) FROM points_entries WHERE reverses = NEW.reverses) + abs(NEW.points)
         > (SELECT abs(points) FROM points_entries WHERE id = NEW.reverses)
BEGIN
  SELECT RAISE(ABORT, 'points_entries: reversals cannot exceed their entry');
END;
CREATE TRIGGER points_entries_move_balance AFTER INSERT ON points_entries
BEGIN
  UPDATE points_accounts SET balance = NEW.balance_after WHERE id = NEW.account;
END;
CREATE TRIGGER points_entries_are_permanent_update BEFORE UPDATE ON points_entries
BEGIN
  SELECT RAISE(ABORT, 'points_entries: an entry is permanent and cannot be changed');
END;
CREATE TRIGGER points_entries_are_permanent_delete BEFORE DELETE ON points_entries
BEGIN
  SELECT RAISE(ABORT, 'points_entries: an entry is permanent and cannot be deleted');
END;
CREATE TRIGGER points_accounts_balance_is_the_ledger BEFORE UPDATE OF balance ON points_accounts
WHEN NEW.balance IS NOT (SELECT balance_after FROM points_entries WHERE account = NEW.id ORDER BY id DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'points_accounts: the balance is the ledger''s last balance_after');
END;
CREATE TRIGGER points_accounts_start_empty BEFORE INSERT ON points_accounts
WHEN NEW.balance IS NOT 0
BEGIN
  SELECT RAISE(ABORT, 'points_accounts: an account starts at balance 0');
END;
CREATE TRIGGER points_accounts_are_permanent BEFORE DELETE ON points_accounts
BEGIN
  SELECT RAISE(ABORT, 'points_accounts: an account is permanent and cannot be deleted');
END;

-- What a + entry made (a transfer's receiving side: one per lot drawn):
-- `points` as made less reversals of its earn, `remaining` what is not yet
-- drawn. Qualifying lots count for tiers from
-- qualifies_at (the release of a pending earn, else its time). The partial
-- indexes hold open lots only, so balances and redemptions stay a few probes
-- however long the ledger.
CREATE TABLE points_lots (
  id            INTEGER PRIMARY KEY,
  account       INTEGER NOT NULL REFERENCES points_accounts (id),
  entry         INTEGER NOT NULL REFERENCES points_entries (id),
  points        INTEGER NOT NULL CHECK (points >= 0),
  remaining     INTEGER NOT NULL CHECK (remaining >= 0),
  earned_at     INTEGER NOT NULL,
  pending_until INTEGER,
  expires_at    INTEGER,
  qualifying    INTEGER NOT NULL CHECK (qualifying IN (0, 1)),
  qualifies_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX points_lots_entry ON points_lots (entry);
CREATE INDEX points_lots_soonest ON points_lots (account, expires_at IS NULL, expires_at, id) WHERE remaining > 0;
CREATE INDEX points_lots_oldest ON points_lots (account, id) WHERE remaining > 0;
CREATE INDEX points_lots_pending ON points_lots (account, pending_until, remaining)
  WHERE remaining > 0 AND pending_until IS NOT NULL;
CREATE INDEX points_lots_expired ON points_lots (account, expires_at, remaining)
  WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE INDEX points_lots_expiring ON points_lots (expires_at, account) WHERE remaining > 0 AND expires_at IS NOT NULL;
CREATE INDEX points_lots_qualifying ON points_lots (account, qualifies_at, points, qualifying) WHERE qualifying = 1;
CREATE TRIGGER points_lots_are_permanent BEFORE DELETE ON points_lots
BEGIN
  SELECT RAISE(ABORT, 'points_lots: a lot is permanent and cannot be deleted');
END;

-- What each − entry took from which lot, in the order it took it
-- (position), so that reversing a redemption gives back exactly those lots.
CREATE TABLE points_draws (
  entry    INTEGER NOT NULL REFERENCES points_entries (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  lot      INTEGER NOT NULL REFERENCES points_lots (id),
  points   INTEGER NOT NULL CHECK (points > 0),
  PRIMARY KEY (entry, position)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER points_draws_are_permanent_update BEFORE UPDATE ON points_draws
BEGIN
  SELECT RAISE(ABORT, 'points_draws: a draw is permanent and cannot be changed');
END;
CREATE TRIGGER points_draws_are_permanent_delete BEFORE DELETE ON points_draws
BEGIN
  SELECT RAISE(ABORT, 'points_draws: a draw is permanent and cannot be deleted');
END;

-- Every change of an account's tier, with why and on how many points.
CREATE TABLE tier_changes (
  id                INTEGER PRIMARY KEY,
  account           INTEGER NOT NULL REFERENCES points_accounts (id),
  from_tier         TEXT,
  to_tier           TEXT,
  reason            TEXT NOT NULL CHECK (reason IN ('qualified', 'evaluation')),
  qualifying_points INTEGER NOT NULL,
  at                INTEGER NOT NULL,
  CHECK (from_tier IS NOT to_tier)
) STRICT;
CREATE INDEX tier_changes_account ON tier_changes (account, at, id);
CREATE TRIGGER tier_changes_are_permanent_update BEFORE UPDATE ON tier_changes
BEGIN
  SELECT RAISE(ABORT, 'tier_changes: a tier change is permanent and cannot be changed');
END;
CREATE TRIGGER tier_changes_are_permanent_delete BEFORE DELETE ON tier_changes
BEGIN
  SELECT RAISE(ABORT, 'tier_changes: a tier change is permanent and cannot be deleted');
END;
)sql",

    // 13: promotion categories and their assignments; purse accounts learn
    // the category credit limit.
    R"sql(
-- A category of terms (discount in basis points, earn multiplier in
-- percent, a credit limit in one currency) with a host-chosen id. The credit
-- currency is present exactly when there is a credit limit.
CREATE TABLE promotion_categories (
  id                      TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  name                    TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  discount_basis_points   INTEGER NOT NULL CHECK (discount_basis_points BETWEEN 0 AND 10000),
  earn_multiplier_percent INTEGER NOT NULL CHECK (earn_multiplier_percent BETWEEN 0 AND 10000),
  credit_limit            INTEGER NOT NULL CHECK (credit_limit BETWEEN 0 AND 1000000000000000),
  credit_currency         TEXT NOT NULL
                            CHECK (credit_currency = '' OR (length(credit_currency) = 3
                                                           AND credit_currency NOT GLOB '*[^A-Z]*')),
  created_at              INTEGER NOT NULL,
  updated_at              INTEGER NOT NULL,
  CHECK ((credit_limit = 0) = (credit_currency = ''))
) STRICT, WITHOUT ROWID;

-- Assignments, directly to customers and to companies (whose linked
-- customers the category applies to). A category cannot go while assigned
-- (the foreign keys have no cascade).
CREATE TABLE category_customers (
  category    TEXT NOT NULL REFERENCES promotion_categories (id),
  customer    INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (category, customer)
) STRICT, WITHOUT ROWID;
CREATE INDEX category_customers_customer ON category_customers (customer, category);
CREATE TABLE category_companies (
  category    TEXT NOT NULL REFERENCES promotion_categories (id),
  company     INTEGER NOT NULL REFERENCES companies (id),
  assigned_at INTEGER NOT NULL,
  PRIMARY KEY (category, company)
) STRICT, WITHOUT ROWID;
CREATE INDEX category_companies_company ON category_companies (company, category);

-- purse_accounts gains category_credit_limit (the categories' limit as the
-- core last stored it: before a charge, and with a change of the own limit)
-- and its balance may go down to minus the larger limit. SQLite cannot
-- change a CHECK, so the table is rebuilt. Migrations run in one
-- transaction, where foreign_keys cannot be switched off (the 12-step
-- procedure's first step), so the rows wait in a scratch table while the old
-- table is dropped and the new one is created under the same name: dropping
-- counts each purse_entries row as a deferred violation and copying the
-- accounts back settles every one of them (the pragma stays on until COMMIT,
-- which checks that none is left; switching it off would forget them). No
-- rename, so the triggers of purse_entries, which name purse_accounts, keep
-- working on the new table as written; the table's own triggers (from
-- migration 11) are dropped with it and recreated below.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE purse_accounts_rows AS SELECT customer, currency, balance, credit_limit FROM purse_accounts;
DROP TABLE purse_accounts;
CREATE TABLE purse_accounts (
  customer              INTEGER NOT NULL REFERENCES customers (seq),
  currency              TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
  balance               INTEGER NOT NULL DEFAULT 0,
  credit_limit          INTEGER NOT NULL DEFAULT 0 CHECK (credit_limit BETWEEN 0 AND 1000000000000000),
  category_credit_limit INTEGER NOT NULL DEFAULT 0 CHECK (category_credit_limit BETWEEN 0 AND 1000000000000000),
  CHECK (balance >= -max(credit_limit, category_credit_limit)),
  PRIMARY KEY (customer, currency)
) STRICT, WITHOUT ROWID;
INSERT INTO purse_accounts (customer, currency, balance, credit_limit)
  SELECT customer, currency, balance, credit_limit FROM purse_accounts_rows;
DROP TABLE purse_accounts_rows;
CREATE TRIGGER purse_accounts_balance_is_the_ledger BEFORE UPDATE OF balance ON purse_accounts
WHEN NEW.balance IS NOT (SELECT balance_after FROM purse_entries
                         WHERE customer = NEW.customer AND currency = NEW.currency ORDER BY id DESC LIMIT 1)
BEGIN
  SELECT RAISE(ABORT, 'purse_accounts: the balance is the ledger''s last balance_after');
END;
CREATE TRIGGER purse_accounts_start_empty BEFORE INSERT ON purse_accounts
WHEN NEW.balance IS NOT 0
BEGIN
  SELECT RAISE(ABORT, 'purse_accounts: an account starts at balance 0');
END;
CREATE TRIGGER purse_accounts_are_permanent BEFORE DELETE ON purse_accounts
BEGIN
  SELECT RAISE(ABORT, 'purse_accounts: an account is permanent and cannot be deleted');
END;
)sql",

    // 14: visits.
    R"sql(
-- A customer came in at a place, presenting one of their credentials or
-- none (credential_is_the_customers).
CREATE TABLE visits (
  id         INTEGER PRIMARY KEY,
  customer   INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  place      TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 64 AND place NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  credential INTEGER REFERENCES credentials (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL
) STRICT;
CREATE INDEX visits_customer ON visits (customer, at DESC, id DESC);
CREATE INDEX visits_place ON visits (place, at DESC, id DESC);
CREATE TRIGGER visits_credential_is_the_customers BEFORE INSERT ON visits
WHEN NEW.credential IS NOT NULL
     AND NEW.customer IS NOT (SELECT customer FROM credentials WHERE id = NEW.credential)
BEGIN
  SELECT RAISE(ABORT, 'visits: the credential must be the customer''s');
END;
)sql",

    // 15: merges. A merged customer's row stays, so that its id and number
    // keep resolving; merged_into names the live customer it leads to (a
    // later merge of that one moves the pointer on: no chains to walk).
    R"sql(
-- No REFERENCES clause (a column with one could never be dropped again):
-- the trigger checks the customer it names instead.
ALTER TABLE customers ADD COLUMN merged_into INTEGER;
ALTER TABLE customers ADD COLUMN merged_at INTEGER;
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

CREATE TRIGGER customers_merge_is_final BEFORE UPDATE OF merged_into ON customers
WHEN (OLD.merged_into IS NOT NULL AND NEW.merged_into IS NULL)
     OR NEW.merged_into = NEW.seq
     OR (NEW.merged_into IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM customers WHERE seq = NEW.merged_into AND merged_into IS NULL))
     OR ((NEW.merged_into IS NULL) <> (NEW.merged_at IS NULL))
BEGIN
  SELECT RAISE(ABORT, 'customers: a merge is final and leads to a customer not merged');
END;
)sql",
    // 16: duplicate detection. The core computes each customer's comparison
    // record and keys (SQLite cannot: phonetic codes, folding); triggers
    // mark a customer stale on every change the record depends on, so no
    // write path can leave an entry out of date.
    R"sql(
CREATE TABLE match_entries (
  customer INTEGER PRIMARY KEY REFERENCES customers (seq) ON DELETE CASCADE,
  record   TEXT NOT NULL
) STRICT;

CREATE TABLE match_keys (
  key      TEXT NOT NULL CHECK (length(key) BETWEEN 2 AND 600),
  customer INTEGER NOT NULL REFERENCES match_entries (customer) ON DELETE CASCADE,
  PRIMARY KEY (key, customer)
) STRICT, WITHOUT ROWID;
CREATE INDEX match_keys_customer ON match_keys (customer);

-- How many entries hold each term key (those starting with 't'): a term
-- frequency in one probe. Kept by the triggers below, never written
-- directly. Blocking keys are not counted: a scan reads their blocks in
-- key order and sizes them as it goes.
CREATE TABLE match_key_counts (
  key TEXT PRIMARY KEY,
  n   INTEGER NOT NULL CHECK (n > 0)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER match_keys_counted AFTER INSERT ON match_keys WHEN NEW.key >= 't' BEGIN
  INSERT INTO match_key_counts (key, n) VALUES (NEW.key, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER match_keys_uncounted AFTER DELETE ON match_keys WHEN OLD.key >= 't' BEGIN
  DELETE FROM match_key_counts WHERE key = OLD.key AND n = 1;
  UPDATE match_key_counts SET n = n - 1 WHERE key = OLD.key;
END;

CREATE TABLE match_stale (customer INTEGER PRIMARY KEY) STRICT;
INSERT INTO match_stale (customer) SELECT seq FROM customers WHERE merged_into IS NULL;
CREATE TRIGGER match_stale_created AFTER INSERT ON customers BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (NEW.seq);
END;
CREATE TRIGGER match_stale_profile
AFTER UPDATE OF number, first_name, last_name, date_of_birth, merged_into ON customers BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (NEW.seq);
END;
CREATE TRIGGER match_stale_email_added AFTER INSERT ON customer_emails BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (NEW.customer);
END;
CREATE TRIGGER match_stale_email_removed AFTER DELETE ON customer_emails BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (OLD.customer);
END;
CREATE TRIGGER match_stale_email_moved AFTER UPDATE OF customer ON customer_emails BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (OLD.customer), (NEW.customer);
END;
CREATE TRIGGER match_stale_phone_added AFTER INSERT ON customer_phones BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (NEW.customer);
END;
CREATE TRIGGER match_stale_phone_removed AFTER DELETE ON customer_phones BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (OLD.customer);
END;
CREATE TRIGGER match_stale_phone_changed AFTER UPDATE ON customer_phones BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (OLD.customer), (NEW.customer);
END;
CREATE TRIGGER match_stale_address_added AFTER INSERT ON customer_addresses BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (NEW.customer);
END;
CREATE TRIGGER match_stale_address_removed AFTER DELETE ON customer_addresses BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (OLD.customer);
END;
CREATE TRIGGER match_stale_address_changed AFTER UPDATE ON customer_addresses BEGIN
  INSERT OR IGNORE INTO match_stale (customer) VALUES (OLD.customer), (NEW.customer);
END;

-- "Not the same person" (same = 0) or "the same" (same = 1), a < b; the
-- latest decision about a pair stands.
CREATE TABLE match_decisions (
  a          INTEGER NOT NULL REFERENCES customers (seq),
  b          INTEGER NOT NULL REFERENCES customers (seq),
  same       INTEGER NOT NULL CHECK (same IN (0, 1)),
  decided_by TEXT NOT NULL CHECK (length(decided_by) > 0),
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
) STRICT, WITHOUT ROWID;
CREATE INDEX match_decisions_b ON match_decisions (b);

CREATE TABLE match_model (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  params TEXT NOT NULL CHECK (json_valid(params))
) STRICT;
)sql",
    // 17: resumable imports. A run exists while an import of one file with
    // one set of options is unfinished; each batch commits its rows and
    // moves the run on in the same transaction.
    R"sql(
CREATE TABLE import_runs (
  id            INTEGER PRIMARY KEY,
  run_key       TEXT NOT NULL UNIQUE CHECK (length(run_key) = 64 AND run_key NOT GLOB '*[^0-9a-f]*'),
  kind          TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
  rows_done     INTEGER NOT NULL CHECK (rows_done >= 0),
  rejects_bytes INTEGER NOT NULL CHECK (rejects_bytes >= 0),
  counts        TEXT NOT NULL CHECK (json_valid(counts)),
  started_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

-- The line of the run that first resolved to each customer.
CREATE TABLE import_touches (
  run      INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  customer INTEGER NOT NULL REFERENCES customers (seq) ON DELETE CASCADE,
  line     INTEGER NOT NULL CHECK (line > 0),
  PRIMARY KEY (run, customer)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_touches_customer ON import_touches (customer);

-- The entries the run's report lists so far, in order.
CREATE TABLE import_listed (
  run   INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  seq   INTEGER NOT NULL CHECK (seq > 0),
  entry TEXT NOT NULL CHECK (json_valid(entry)),
  PRIMARY KEY (run, seq)
) STRICT, WITHOUT ROWID;
)sql",
    // 18: consent — the log, its current states, host-defined purposes,
    // the suppression list and communication preferences.
    R"sql(
CREATE TABLE consent_purposes (
  name        TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^a-z0-9_.-]*'),
  description TEXT NOT NULL CHECK (length(description) <= 500),
  opt_out     INTEGER NOT NULL CHECK (opt_out IN (0, 1)),
  created_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The consent log: what each customer granted, withdrew or was asked to
-- confirm, and who recorded it. Never changed or deleted (triggers below).
-- A request (pending) carries the hash of its token and its expiry; a
-- confirmation names its request, once (UNIQUE).
CREATE TABLE consent_log (
  id           INTEGER PRIMARY KEY,
  customer     INTEGER NOT NULL REFERENCES customers (seq),
  channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post', 'push', 'in_app', 'whatsapp')),
  purpose      TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 64 AND purpose NOT GLOB '*[^a-z0-9_.-]*'),
  status       TEXT NOT NULL CHECK (status IN ('granted', 'withdrawn', 'pending')),
  legal_basis  TEXT CHECK (legal_basis IN ('consent', 'contract', 'legal_obligation', 'vital_interests',
                                           'public_task', 'legitimate_interests')),
  source       TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
  text_version TEXT NOT NULL CHECK (length(text_version) <= 64),
  evidence     TEXT NOT NULL CHECK (length(evidence) <= 500),
  recorded_by  TEXT NOT NULL CHECK (length(recorded_by) <= 200),
  at           INTEGER NOT NULL,
  token_hash   TEXT UNIQUE CHECK (token_hash IS NULL OR (length(token_hash) = 64 AND status = 'pending')),
  expires_at   INTEGER,
  confirms     INTEGER UNIQUE REFERENCES consent_log (id),
  CHECK ((status = 'pending') = (token_hash IS NOT NULL)),
  CHECK ((status = 'pending') = (expires_at IS NOT NULL)),
  CHECK (status = 'withdrawn' OR legal_basis IS NOT NULL),
  CHECK (confirms IS NULL OR status = 'granted')
) STRICT;
CREATE INDEX consent_log_customer ON consent_log (customer, id);

CREATE TRIGGER consent_log_is_permanent_update BEFORE UPDATE ON consent_log
BEGIN
  SELECT RAISE(ABORT, 'consent_log: an entry is permanent and cannot be changed');
END;
CREATE TRIGGER consent_log_is_permanent_delete BEFORE DELETE ON consent_log
BEGIN
  SELECT RAISE(ABORT, 'consent_log: an entry is permanent and cannot be deleted');
END;

-- The current state of each live customer, channel and purpose, kept from
-- the log by the trigger below: the latest granted or withdrawn entry; a
-- request only where there is no state or an older request. Keyed by the customer's id, so
-- that "may we contact this id" is one probe; a merge drops the absorbed
-- customer's states (its id then leads to the survivor's).
CREATE TABLE consent_current (
  customer TEXT NOT NULL,
  channel  TEXT NOT NULL,
  purpose  TEXT NOT NULL,
  status   TEXT NOT NULL,
  entry    INTEGER NOT NULL REFERENCES consent_log (id),
  since    INTEGER NOT NULL,
  PRIMARY KEY (customer, channel, purpose)
) STRICT, WITHOUT ROWID;
CREATE INDEX consent_current_reachable ON consent_current (channel, purpose, status, customer);

CREATE TRIGGER consent_log_keeps_current AFTER INSERT ON consent_log
BEGIN
  INSERT INTO consent_current (customer, channel, purpose, status, entry, since)
  VALUES ((SELECT id FROM customers WHERE seq = NEW.customer), NEW.channel, NEW.purpose, NEW.status, NEW.id,
          NEW.at)
  ON CONFLICT (customer, channel, purpose) DO UPDATE
    SET status = excluded.status, entry = excluded.entry, since = excluded.since
    WHERE excluded.status <> 'pending' OR consent_current.status = 'pending';
END;

-- Keyed hashes (BLAKE2b) of addresses that may not be granted `purpose`
-- again without the person: never the address itself.
CREATE TABLE consent_suppressions (
  hash       TEXT NOT NULL CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
  purpose    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (hash, purpose)
) STRICT, WITHOUT ROWID;

-- Random keys patron creates for itself (the suppression list's).
CREATE TABLE patron_keys (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL CHECK (typeof(value) = 'blob' AND length(value) = 32)
) STRICT, WITHOUT ROWID;

CREATE TABLE contact_preferences (
  customer   INTEGER PRIMARY KEY REFERENCES customers (seq),
  channel    TEXT CHECK (channel IN ('email', 'sms', 'phone', 'post', 'push', 'in_app', 'whatsapp')),
  language   TEXT NOT NULL CHECK (length(language) <= 35),
  time_zone  TEXT NOT NULL CHECK (length(time_zone) <= 64),
  windows    TEXT NOT NULL CHECK (json_valid(windows)),
  updated_at INTEGER NOT NULL
) STRICT;
)sql",
    // 19: erasure. An erased customer's row stays as its tombstone (orders,
    // bookings and ledgers still name it), blank, with the erasure's record;
    // nothing may change it or give it data again.
    R"sql(
ALTER TABLE customers ADD COLUMN erased_at INTEGER;

-- Who erased whom, when and why. survivor: the customer it had been merged
-- into, when erased with it.
CREATE TABLE erasures (
  customer     INTEGER PRIMARY KEY REFERENCES customers (seq),
  erased_at    INTEGER NOT NULL,
  erased_by    TEXT NOT NULL CHECK (length(erased_by) <= 200),
  requested_by TEXT NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 200),
  reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  survivor     INTEGER REFERENCES customers (seq)
) STRICT;
CREATE INDEX erasures_newest ON erasures (erased_at DESC, customer DESC);

CREATE TRIGGER customers_erasure_is_final BEFORE UPDATE ON customers
WHEN OLD.erased_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'customers: an erased customer cannot be changed');
END;
CREATE TRIGGER erasures_are_permanent_update BEFORE UPDATE ON erasures
BEGIN
  SELECT RAISE(ABORT, 'erasures: an erasure is permanent and cannot be changed');
END;
CREATE TRIGGER erasures_are_permanent_delete BEFORE DELETE ON erasures
BEGIN
  SELECT RAISE(ABORT, 'erasures: an erasure is permanent and cannot be deleted');
END;

-- No new data for an erased customer: its contacts, records and timeline
-- (a new event needs a data key) are refused.
CREATE TRIGGER data_keys_not_for_erased BEFORE INSERT ON data_keys
WHEN EXISTS (SELECT 1 FROM customers WHERE id = NEW.customer AND erased_at IS NOT NULL)
BEGIN
  SELECT RAISE(ABORT, 'data_keys: the customer is erased');
END;
CREATE TRIGGER customer_emails_not_for_erased BEFORE INSERT ON customer_emails
WHEN (SELECT erased_at FROM customers WHERE seq = NEW.customer) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'customer_emails: the customer is erased');
END;
CREATE TRIGGER customer_phones_not_for_erased BEFORE INSERT ON customer_phones
WHEN (SELECT erased_at FROM customers WHERE seq = NEW.customer) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'customer_phones: the customer is erased');
END;
CREATE TRIGGER notes_not_for_erased BEFORE INSERT ON notes
WHEN (SELECT erased_at FROM customers WHERE seq = NEW.customer) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'notes: the customer is erased');
END;
CREATE TRIGGER documents_not_for_erased BEFORE INSERT ON documents
WHEN (SELECT erased_at FROM customers WHERE seq = NEW.customer) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'documents: the customer is erased');
END;

-- The timeline stays whole: an erased customer's event keeps everything but
-- its summary (a host's free text), which erasure replaces; its details
-- stay sealed under a key that no longer exists.
DROP TRIGGER events_are_permanent_update;
CREATE TRIGGER events_are_permanent_update BEFORE UPDATE ON events
WHEN NOT (NEW.summary = 'erased' AND NEW.id = OLD.id AND NEW.customer IS OLD.customer AND NEW.at = OLD.at
          AND NEW.category = OLD.category AND NEW.type = OLD.type AND NEW.source = OLD.source
          AND NEW.actor = OLD.actor AND NEW.action = OLD.action AND NEW.details = OLD.details
          AND NEW.data_key IS OLD.data_key
          AND EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer AND erased_at IS NOT NULL))
BEGIN
  SELECT RAISE(ABORT, 'events: an event is permanent and cannot be changed');
END;

-- The consent log is permanent while its customer is: erasure removes it.
DROP TRIGGER consent_log_is_permanent_delete;
CREATE TRIGGER consent_log_is_permanent_delete BEFORE DELETE ON consent_log
WHEN (SELECT erased_at FROM customers WHERE seq = OLD.customer) IS NULL
BEGIN
  SELECT RAISE(ABORT, 'consent_log: an entry is permanent and cannot be deleted');
END;
)sql",

    // 20: retention. Policies, the record of each run, and events whose
    // details a policy dropped.
    R"sql(
-- When a retention policy dropped the event's details (replaced by 40 zero
-- bytes: the column's rule for a customer's event holds, and no byte of
-- the sealed original is left).
ALTER TABLE events ADD COLUMN details_dropped_at INTEGER;

-- The timeline stays whole. An event may change in two ways only: an
-- erased customer's summary becomes 'erased'; a customer's event's details
-- are dropped, once.
DROP TRIGGER events_are_permanent_update;
CREATE TRIGGER events_are_permanent_update BEFORE UPDATE ON events
WHEN NOT (NEW.id = OLD.id AND NEW.customer IS OLD.customer AND NEW.at = OLD.at AND NEW.category = OLD.category
          AND NEW.type = OLD.type AND NEW.source = OLD.source AND NEW.actor = OLD.actor
          AND NEW.action = OLD.action AND NEW.data_key IS OLD.data_key
          AND ((NEW.summary = 'erased' AND NEW.details = OLD.details
                AND NEW.details_dropped_at IS OLD.details_dropped_at
                AND EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer AND erased_at IS NOT NULL))
               OR (NEW.summary = OLD.summary AND OLD.customer IS NOT NULL AND OLD.details_dropped_at IS NULL
                   AND NEW.details_dropped_at IS NOT NULL AND NEW.details = zeroblob(40))))
BEGIN
  SELECT RAISE(ABORT, 'events: an event is permanent and cannot be changed');
END;

CREATE TABLE retention_policies (
  name          TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._:/-]*'),
  category      TEXT NOT NULL CHECK (category IN ('inactive_customers', 'timeline_details', 'documents')),
  days          INTEGER NOT NULL CHECK (days BETWEEN 1 AND 36500),
  document_kind TEXT CHECK (document_kind IN ('agreement', 'contract', 'identification', 'waiver', 'consent_form',
                                              'image', 'other')),
  description   TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK ((category = 'documents') = (document_kind IS NOT NULL))
) STRICT, WITHOUT ROWID;

-- A run: finished_at is set once, at its end (NULL: stopped half way).
CREATE TABLE retention_runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  actor       TEXT NOT NULL CHECK (length(actor) <= 200),
  started_at  INTEGER NOT NULL,
  finished_at INTEGER CHECK (finished_at IS NULL OR finished_at >= started_at)
) STRICT;
CREATE INDEX retention_runs_newest ON retention_runs (started_at DESC, id DESC);

-- What each policy did in a run, with the policy as it was applied:
-- written when the policy starts, grown by each of its steps.
CREATE TABLE retention_outcomes (
  run           INTEGER NOT NULL REFERENCES retention_runs (id),
  policy        TEXT NOT NULL,
  category      TEXT NOT NULL,
  days          INTEGER NOT NULL,
  document_kind TEXT,
  description   TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  cutoff        INTEGER NOT NULL,
  events        INTEGER NOT NULL CHECK (events >= 0),
  held          TEXT NOT NULL,
  PRIMARY KEY (run, policy)
) STRICT, WITHOUT ROWID;

-- The customers erased or whose documents went (kind customer), the
-- documents deleted (document), the customers kept and why (skipped).
CREATE TABLE retention_items (
  run      INTEGER NOT NULL,
  policy   TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind     TEXT NOT NULL CHECK (kind IN ('customer', 'document', 'skipped')),
  customer TEXT,
  document INTEGER,
  reason   TEXT,
  PRIMARY KEY (run, policy, position),
  FOREIGN KEY (run, policy) REFERENCES retention_outcomes (run, policy)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER retention_runs_finish_once BEFORE UPDATE ON retention_runs
WHEN NOT (OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL AND NEW.id = OLD.id AND NEW.actor = OLD.actor
          AND NEW.started_at = OLD.started_at)
BEGIN
  SELECT RAISE(ABORT, 'retention_runs: a run is permanent; only its end is recorded, once');
END;
CREATE TRIGGER retention_runs_are_permanent BEFORE DELETE ON retention_runs
BEGIN
  SELECT RAISE(ABORT, 'retention_runs: a run is permanent and cannot be deleted');
END;
-- An outcome grows as its policy goes: its events count up, and it may be
-- held once; nothing else changes.
CREATE TRIGGER retention_outcomes_are_permanent_update BEFORE UPDATE ON retention_outcomes
WHEN NOT (NEW.run = OLD.run AND NEW.policy = OLD.policy AND NEW.category = OLD.category AND NEW.days = OLD.days
          AND NEW.document_kind IS OLD.document_kind AND NEW.description = OLD.description
          AND NEW.created_at = OLD.created_at AND NEW.updated_at = OLD.updated_at AND NEW.cutoff = OLD.cutoff
          AND NEW.events >= OLD.events AND (NEW.held = OLD.held OR (OLD.held = '' AND NEW.held <> '')))
BEGIN
  SELECT RAISE(ABORT, 'retention_outcomes: an outcome only grows');
END;
CREATE TRIGGER retention_outcomes_are_permanent_delete BEFORE DELETE ON retention_outcomes
BEGIN
  SELECT RAISE(ABORT, 'retention_outcomes: an outcome is permanent and cannot be deleted');
END;
CREATE TRIGGER retention_items_are_permanent_update BEFORE UPDATE ON retention_items
BEGIN
  SELECT RAISE(ABORT, 'retention_items: an item is permanent and cannot be changed');
END;
CREATE TRIGGER retention_items_are_permanent_delete BEFORE DELETE ON retention_items
BEGIN
  SELECT RAISE(ABORT, 'retention_items: an item is permanent and cannot be deleted');
END;
)sql",
};

}  // namespace

int latest_schema_version() noexcept { return static_cast<int>(kMigrations.size()); }

namespace {

// "PATR" in the file header (SQLite's application_id): a patron file says
// so, and patron never adopts another program's database.
constexpr int kApplicationId = 0x50415452;

// Marks a new file as patron's, and one from a patron older than the mark;
// refuses any other program's database.
void claim(Connection& conn) {
  const int id = conn.db().execAndGet("PRAGMA application_id").getInt();
  if (id == kApplicationId) return;
  const bool has_tables = conn.db().execAndGet("SELECT count(*) FROM sqlite_schema").getInt() > 0;
  const bool older_patron =
      conn.db().execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'patron_meta'").getInt() >
      0;
  if (id != 0 || (has_tables && !older_patron)) {
    throw Error(Errc::failed_precondition,
                "path: not a patron database: it holds another program's data (patron adopts only an empty file)",
                "path");
  }
  conn.exec(("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
}

}  // namespace

int migrate(Connection& conn) {
  conn.exec("BEGIN IMMEDIATE");
  try {
    claim(conn);
    const int current = conn.db().execAndGet("PRAGMA user_version").getInt();
    if (current > latest_schema_version()) {
      throw Error(Errc::failed_precondition,
                  "the database has schema version " + std::to_string(current) + ", newer than this patron (" +
                      std::to_string(latest_schema_version()) + "); upgrade patron");
    }
    for (int v = current + 1; v <= latest_schema_version(); ++v) {
      conn.exec(kMigrations[static_cast<std::size_t>(v - 1)]);
    }
    if (current != latest_schema_version()) {
      conn.exec(("PRAGMA user_version = " + std::to_string(latest_schema_version())).c_str());
    }
    conn.exec("COMMIT");
  } catch (...) {
    conn.exec("ROLLBACK");
    throw;
  }
  return latest_schema_version();
}

}  // namespace patron::sqlite
