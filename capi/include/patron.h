/*
 * patron.h -- the stable C ABI of patron.
 *
 * patron is an embeddable customer library for hospitality and point of sale.
 * This header is the complete contract of its C interface: the functions, the
 * return codes and the JSON schema of the records that cross it. It is plain
 * C99 and can be included from C++ as well.
 *
 * CONVENTIONS
 *
 *   - Every name starts with patron_ or PATRON_. Only those symbols are
 *     exported by libpatron_c.
 *   - Functions return int: PATRON_OK (0) on success, a negative PATRON_E*
 *     code on failure. Codes are never renumbered. A function that counts
 *     (patron_identify_id) returns a count >= 0 on success.
 *   - After a failure, patron_errmsg() and patron_errfield() describe it. They
 *     are per thread: each thread sees the failure of its own last failed
 *     call. Successful calls leave them unchanged.
 *   - All text is UTF-8 and NUL-terminated. Invalid UTF-8 is refused with
 *     PATRON_EINVAL.
 *   - Records cross the ABI as JSON text (schema below). Every string the
 *     library hands out through a char ** out-parameter is allocated by the
 *     library and must be released with patron_free(). On failure the
 *     out-parameter is set to NULL, so calling patron_free() on it is always
 *     safe.
 *   - Passing NULL for the handle, for a required string or for an
 *     out-parameter fails with PATRON_EMISUSE; patron_errfield() then names
 *     the argument ("db", "ref", "out_json", ...).
 *   - No C++ exception ever crosses this interface.
 *
 * THREADS
 *
 *   A patron_db may be shared between threads: every function taking a
 *   patron_db may be called concurrently on the same handle. Writes are
 *   serialised inside the library; reads run in parallel with writes.
 *   patron_close() must not race with other calls on the same handle.
 *
 * REFERENCES
 *
 *   A `ref` names a customer by id (32 hex digits, or the hyphenated UUID
 *   form, any case) or by customer number (any case).
 *
 * JSON SCHEMA
 *
 *   Customer (what every customer call returns):
 *
 *     {
 *       "id": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",   32 lower-case hex (UUIDv7), immutable
 *       "number": "00001",                         5-32 of A-Z a-z 0-9 . _ - /
 *       "title": "",                               "" when unset
 *       "first_name": "Ana",
 *       "last_name": "Silva",
 *       "date_of_birth": "1990-04-01" | null,
 *       "lifecycle_stage": "",
 *       "tags": ["vip"],                           in the order given, unique ignoring case
 *       "emails": [                                primary first
 *         {"address": "ana@example.com", "primary": true}
 *       ],
 *       "phones": [
 *         {"number": "+447911123456",              E.164 when verified, else as typed
 *          "label": "mobile",                      "mobile" | "work" | "home" | "other"
 *          "verified": true}
 *       ],
 *       "addresses": [
 *         {"id": 1,                                assigned by the database
 *          "purpose": "billing",                   "billing" | "shipping" | "contact"
 *          "line1": "", "line2": "", "city": "", "region": "", "postal_code": "",
 *          "country": "GB",                        ISO 3166-1 alpha-2, upper case
 *          "is_default": true}                     default address of its purpose
 *       ],
 *       "emergency_contact": {"name": "", "phone": ""} | null,
 *       "status": "active" | "banned",
 *       "ban": {"reason": "", "by": "", "at": TIMESTAMP} | null,   set while banned
 *       "presence": "offline" | "online",
 *       "online_until": TIMESTAMP | null,
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP,
 *       "first_active_at": TIMESTAMP | null,
 *       "last_active_at": TIMESTAMP | null
 *     }
 *
 *   Keys may come in any order (JSON objects are unordered).
 *   TIMESTAMP is UTC text with microseconds: "2026-11-22T05:54:45.123456Z".
 *   Emails are stored normalised: trimmed, lower case, the domain in ASCII
 *   (IDNA): "Ana@Bücher.de" is stored as "ana@xn--bcher-kva.de".
 *
 *   New customer (input of patron_customer_create; an array of them for
 *   patron_customer_create_many). Every key is optional, and null is the same
 *   as leaving a key out; unknown keys are refused with PATRON_EINVAL naming
 *   the key:
 *
 *     {
 *       "number": "A-1001",          omitted or "": generated ("00001", "00002", ...)
 *       "title": "Dr",
 *       "first_name": "Ana",
 *       "last_name": "Silva",
 *       "email": "ana@example.com",  becomes the primary email
 *       "phone": "07911 123456",     read in the default region unless it starts with +
 *       "phone_label": "mobile",
 *       "date_of_birth": "1990-04-01" | null,
 *       "lifecycle_stage": "lead",
 *       "tags": ["vip"],
 *       "addresses": [ADDRESS, ...],
 *       "emergency_contact": {"name": "Rui", "phone": "+351912345678"} | null
 *     }
 *
 *   A customer must be recognisable: give first_name + last_name, or an
 *   email, or first_name + a valid phone (one libphonenumber holds valid for
 *   the default region, or an international "+..." number). Anything less is
 *   refused with PATRON_EINVAL: errfield "phone" when a first name came with
 *   a phone that is not valid, "customer" otherwise. An emergency contact,
 *   when given, needs a name.
 *
 *   ADDRESS (input of patron_customer_add_address and the "addresses" of a
 *   new customer; the same keys as in a Customer, without "id"):
 *
 *     {"purpose": "billing", "line1": "1 High St", "line2": "", "city": "London",
 *      "region": "", "postal_code": "N1 1AA", "country": "GB", "is_default": true}
 *
 *   "purpose" defaults to "contact" and "is_default" to false. "country" is
 *   required: an ISO 3166-1 alpha-2 code; lower case is accepted and stored
 *   upper case ("gb" -> "GB"); anything else ("UK", "XX") is refused. An
 *   address needs at least one of line1, city or postal_code.
 *
 *   Customer update (input of patron_customer_update): a partial change, only
 *   the keys present are touched. Any of:
 *
 *     {"title": "", "first_name": "Ana", "last_name": "Silva",
 *      "date_of_birth": "1990-04-01" | null,       null clears
 *      "lifecycle_stage": "customer", "tags": ["vip", "regular"],
 *      "emergency_contact": {"name": "", "phone": ""} | null}   null clears
 *
 *   An empty string (or null) clears a text field, null or [] clears the
 *   tags; the customer must stay recognisable. Contacts, number, status and
 *   presence have their own calls.
 *
 *   Identification (patron_identify): an array, each customer once, in order
 *   of what matched (id, then number, then email, then phone):
 *
 *     [{"matched_on": "id" | "number" | "email" | "phone", "customer": CUSTOMER}, ...]
 *
 * ERROR FIELDS
 *
 *   patron_errfield() names the input at fault with the JSON path inside the
 *   document given ("email", "addresses[0].country", "tags[1]", "[3].email"
 *   for the fourth element of patron_customer_create_many, "address.country"
 *   for patron_customer_add_address), "json" when the document itself is not
 *   valid JSON or not of the expected shape, "customer" when the rule that a
 *   customer be recognisable is broken, or the argument name for arguments
 *   that are not JSON ("ref", "email", "phone", "number", "label", "token").
 *   It is "" when no single input is at fault.
 */
#ifndef PATRON_H
#define PATRON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  if defined(PATRON_C_BUILDING)
#    define PATRON_API __declspec(dllexport)
#  else
#    define PATRON_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define PATRON_API __attribute__((visibility("default")))
#else
#  define PATRON_API
#endif

/* ---------------------------------------------------------------- version */

/* The version of this header. patron_version_number() is the library's. */
#define PATRON_VERSION_MAJOR 0
#define PATRON_VERSION_MINOR 1
#define PATRON_VERSION_PATCH 0
#define PATRON_VERSION "0.1.0"
/* major * 1000000 + minor * 1000 + patch */
#define PATRON_VERSION_NUMBER 1000

/* The version of the library at run time, same encoding as the macros. */
PATRON_API int patron_version_number(void);
/* "major.minor.patch"; a static string, never freed. */
PATRON_API const char *patron_version(void);

/* ------------------------------------------------------------ error codes */

/* Negative codes are -(int)patron::Errc for the first seven. */
#define PATRON_OK 0
#define PATRON_EINVAL (-1)        /* input breaks a rule; patron_errfield() names it */
#define PATRON_ENOTFOUND (-2)     /* the referenced record does not exist */
#define PATRON_EEXIST (-3)        /* a unique value is held by another record */
#define PATRON_ECONFLICT (-4)     /* the request contradicts an earlier one */
#define PATRON_EPRECONDITION (-5) /* the state does not allow the operation */
#define PATRON_ESTORAGE (-6)      /* the database failed (I/O, corruption, busy) */
#define PATRON_EINTERNAL (-7)     /* a bug in patron */
#define PATRON_ENOMEM (-8)        /* out of memory */
#define PATRON_EMISUSE (-9)       /* NULL handle or argument, or other API misuse */

/* The message of the last failed call on this thread ("" before any
 * failure). Valid until the next failing call on the same thread; never
 * freed by the caller. */
PATRON_API const char *patron_errmsg(void);
/* The input named by the last failed call on this thread, or "". Same
 * lifetime as patron_errmsg(). */
PATRON_API const char *patron_errfield(void);
/* Stable lower-case name of a return code: "ok", "invalid_argument",
 * "not_found", "already_exists", "conflict", "failed_precondition",
 * "storage", "internal", "out_of_memory", "misuse"; "unknown" otherwise.
 * A static string, never freed. */
PATRON_API const char *patron_errname(int code);

/* Releases a string (or any block) the library allocated. Safe on NULL. */
PATRON_API void patron_free(void *p);

/* ------------------------------------------------------- opening, closing */

typedef struct patron_db patron_db;

#define PATRON_OPTIONS_VERSION 1

/* Options for patron_open(). Always start from patron_options_init(), which
 * sets `version` and the defaults, then change what you need; fields added in
 * later versions go at the end. */
typedef struct patron_options {
  /* PATRON_OPTIONS_VERSION of the header the caller was compiled with. */
  int version;
  /* ISO 3166-1 region used to read phone numbers written without "+" and a
   * country code ("07911 123456" in "GB"). NULL: "GB". Copied by patron_open. */
  const char *default_region;
  /* Non-zero: SQLite synchronous=FULL (durable at every commit). Zero
   * (default): synchronous=NORMAL (WAL-safe; the last commits may be lost on
   * power loss). */
  int synchronous_full;
  /* How long a write waits for another process holding the file, in
   * milliseconds (default 5000; must not be negative). */
  long long busy_timeout_ms;
  /* "now" for every timestamp patron writes, in microseconds since the Unix
   * epoch (UTC). NULL (default): the system clock. Called with clock_ctx,
   * from any thread, possibly concurrently; it must not call patron. */
  int64_t (*clock)(void *ctx);
  void *clock_ctx;
} patron_options;

/* Fills *opts with the defaults and the current PATRON_OPTIONS_VERSION. */
PATRON_API void patron_options_init(patron_options *opts);

/* Opens (creating if needed) the database at `path`, a file path or
 * ":memory:", and brings its schema up to date. `opts` may be NULL for the
 * defaults. On success *out receives the handle, to be closed with
 * patron_close(); on failure *out is set to NULL.
 * Errors: PATRON_EMISUSE (NULL out or path), PATRON_EINVAL (bad options;
 * errfield "version", "default_region" or "busy_timeout_ms"),
 * PATRON_ESTORAGE (the file cannot be opened), PATRON_EPRECONDITION (the file
 * was written by a newer patron). */
PATRON_API int patron_open(patron_db **out, const char *path, const patron_options *opts);

/* Closes the database and frees the handle. Safe on NULL. */
PATRON_API void patron_close(patron_db *db);

/* The schema version of the open file (> 0), or a negative PATRON_E* code. */
PATRON_API int patron_schema_version(patron_db *db);

/* ---------------------------------------------------------------- customers */

/* Every function below returns PATRON_OK and a JSON document in *out_json
 * (release it with patron_free), or a negative code with *out_json = NULL.
 * Functions taking a `ref` fail with PATRON_ENOTFOUND (errfield "ref") when
 * it names nobody, and PATRON_EINVAL (errfield "ref") when it is neither an
 * id nor a customer number. A change that would leave a customer
 * unrecognisable (no first + last name, no email, no first name + valid
 * phone) fails with PATRON_EPRECONDITION, errfield "customer".
 * Every change is atomic: on failure nothing was written. */

/* Creates a customer from a new-customer JSON object; returns the Customer.
 * Errors: PATRON_EINVAL (bad JSON, unknown key, a value that breaks a rule:
 * invalid email, phone or country, bad number, not recognisable),
 * PATRON_EEXIST (the email is held by another customer -- the message names
 * that customer's id -- or the number is taken). */
PATRON_API int patron_customer_create(patron_db *db, const char *json, char **out_json);

/* Creates every customer of a JSON array of new-customer objects in one
 * transaction: all or none. Returns the array of created Customers, in the
 * order given. When one is refused, errfield starts with its index
 * ("[12].email"). */
PATRON_API int patron_customer_create_many(patron_db *db, const char *json_array,
                                           char **out_json);

/* The Customer that `ref` names. PATRON_ENOTFOUND when none. */
PATRON_API int patron_customer_get(patron_db *db, const char *ref, char **out_json);

/* Like patron_customer_get, but absence is not an error: PATRON_OK with
 * *out_json = "null". */
PATRON_API int patron_customer_find(patron_db *db, const char *ref, char **out_json);

/* The holder of `email` (any case or IDN form of the same address), or
 * "null" when nobody holds it (PATRON_OK). */
PATRON_API int patron_customer_find_by_email(patron_db *db, const char *email, char **out_json);

/* Every holder of `phone` (any format normalising to the same number) as a
 * JSON array, possibly empty. */
PATRON_API int patron_customer_find_by_phone(patron_db *db, const char *phone, char **out_json);

/* Customers whose names match `text` -- accent- and case-insensitive, each
 * word of `text` a prefix of a word of the first or last name; "" lists
 * everyone -- as a JSON array ordered by last name, first name (both
 * compared accent- and case-insensitively), then number. At most `limit`
 * (1..1000, else PATRON_EINVAL with errfield "limit") records after skipping
 * `offset`. */
PATRON_API int patron_customer_search(patron_db *db, const char *text, size_t limit,
                                      size_t offset, char **out_json);

/* Applies a customer-update JSON object; returns the Customer. */
PATRON_API int patron_customer_update(patron_db *db, const char *ref, const char *json_patch,
                                      char **out_json);

/* Renames the customer number. PATRON_EEXIST when another customer holds it
 * (compared ignoring case). */
PATRON_API int patron_customer_set_number(patron_db *db, const char *ref, const char *number,
                                          char **out_json);

/* Adds an email; the first email of a customer becomes primary, and a
 * non-zero `primary` makes this one primary. PATRON_EEXIST when another
 * customer holds it. */
PATRON_API int patron_customer_add_email(patron_db *db, const char *ref, const char *email,
                                         int primary, char **out_json);

/* Removes an email (any form of the same address); the next one becomes
 * primary when it was. PATRON_ENOTFOUND (errfield "email") when the customer
 * does not have it. */
PATRON_API int patron_customer_remove_email(patron_db *db, const char *ref, const char *email,
                                            char **out_json);

/* Makes one of the customer's emails the primary one. PATRON_ENOTFOUND
 * (errfield "email") when the customer does not have it. */
PATRON_API int patron_customer_set_primary_email(patron_db *db, const char *ref,
                                                 const char *email, char **out_json);

/* Adds a phone with a label: "mobile" (also when `label` is NULL), "work",
 * "home" or "other". A number libphonenumber recognises is stored as E.164
 * and verified; anything else is kept as typed, unverified. PATRON_EEXIST
 * when the customer already has that number (a phone may be shared between
 * customers, not repeated on one). */
PATRON_API int patron_customer_add_phone(patron_db *db, const char *ref, const char *phone,
                                         const char *label, char **out_json);

/* Removes every phone of the customer that normalises to `phone`.
 * PATRON_ENOTFOUND (errfield "phone") when none does. */
PATRON_API int patron_customer_remove_phone(patron_db *db, const char *ref, const char *phone,
                                            char **out_json);

/* Adds an ADDRESS JSON object. The first address of a purpose becomes its
 * default; "is_default": true moves the default. Rule errors name the field
 * under "address" ("address.country"). */
PATRON_API int patron_customer_add_address(patron_db *db, const char *ref,
                                           const char *address_json, char **out_json);

/* Removes the address with the given "id"; when it was the default of its
 * purpose, another address of that purpose becomes the default.
 * PATRON_ENOTFOUND (errfield "address_id") when the customer has no such
 * address. */
PATRON_API int patron_customer_remove_address(patron_db *db, const char *ref,
                                              int64_t address_id, char **out_json);

/* Bans the customer, recording why, by whom (staff member, API client, ...)
 * and when (from the clock). `reason` and `by` must not be empty (EINVAL,
 * errfield "reason" / "by"). PATRON_EPRECONDITION when already banned. */
PATRON_API int patron_customer_ban(patron_db *db, const char *ref, const char *reason,
                                   const char *by, char **out_json);

/* Lifts a ban. PATRON_EPRECONDITION when the customer is not banned. */
PATRON_API int patron_customer_unban(patron_db *db, const char *ref, char **out_json);

/* Presence: online until now + ttl_seconds (a live flow: check-in, till
 * session), which also records activity (first_active_at, last_active_at);
 * ttl_seconds is 1..604800 (7 days), else PATRON_EINVAL with errfield "ttl".
 * Offline ends it at once. Presence is computed when read: after
 * online_until the customer reads as offline. */
PATRON_API int patron_customer_set_online(patron_db *db, const char *ref, long long ttl_seconds,
                                          char **out_json);
PATRON_API int patron_customer_set_offline(patron_db *db, const char *ref, char **out_json);

/* ----------------------------------------------------------- identification */

/* Finds customers by a token from a till, door or form: an id, a customer
 * number, an email or a phone. *out_json receives the Identification array
 * (empty "[]" when nothing matched). */
PATRON_API int patron_identify(patron_db *db, const char *token, char **out_json);

/* Size of the buffer that receives a customer id: 32 hex digits and a NUL. */
#define PATRON_ID_BUFSIZE 33

/* The hot path: ids only, no profile load, nothing to free. Returns the
 * number of customers matched (0 when none) and copies the id of the first
 * match (same precedence as patron_identify) into out_id, NUL-terminated;
 * out_id is set to "" when nothing matched or on failure. Returns a negative
 * PATRON_E* code on failure. */
PATRON_API int patron_identify_id(patron_db *db, const char *token,
                                  char out_id[PATRON_ID_BUFSIZE]);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PATRON_H */
