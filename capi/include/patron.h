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
 *   - Hot paths also have typed entry points that take and give plain C
 *     values, with nothing to free: patron_identify_id,
 *     patron_credential_holder, patron_points_earn_typed and
 *     patron_points_redeem_typed.
 *   - Records cross the ABI as JSON text (schema below). Every string the
 *     library hands out through a char ** out-parameter is allocated by the
 *     library and must be released with patron_free(). On failure the
 *     out-parameter is set to NULL, so calling patron_free() on it is always
 *     safe.
 *   - Passing NULL for the handle, for a required string or for an
 *     out-parameter fails with PATRON_EMISUSE; patron_errfield() then names
 *     the argument ("db", "ref", "out_json", ...).
 *   - No C++ exception ever crosses this interface.
 *   - Bounds on every JSON input, each refused with PATRON_EINVAL and
 *     patron_errfield() naming the path inside the document ("details.a[2]",
 *     "[3].total"; "json" for the document as a whole):
 *       nesting: at most 64 levels of objects and arrays, the document
 *         itself counting as one ("nested deeper than 64 levels");
 *       numbers: a number a 64-bit float cannot hold (1e400) is refused
 *         ("number out of range"); an integer field takes -2^63 .. 2^63-1
 *         ("must be an integer below 2^63"), never wrapped;
 *       times: a TIMESTAMP or date outside the years 0001-9999 of UTC,
 *         after its offset is applied, is refused ("must be between
 *         0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z"); times
 *         patron computes (expiries, renewals, predicted next orders)
 *         saturate at those ends;
 *       money: every amount (totals, prices, payments, purse amounts,
 *         credit limits) is at most 10^15 minor units ("must be 0 to 10^15
 *         minor units"); sums patron reports saturate at 2^63-1.
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
 *   TIMESTAMP is UTC text with microseconds: "2026-11-22T05:54:45.123456Z";
 *   as input an offset ("+01:00") or none (read as UTC) is accepted too.
 *   Between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.
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
 *       "emergency_contact": {"name": "Rui", "phone": "+351912345678"} | null,
 *       "custom_fields": {"vip_level": "gold"}      CUSTOM FIELDS values by key
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
 *   of what matched (id, then number, then credential, then email, then
 *   phone); "credential" is the id of the credential matched on (see
 *   CREDENTIALS), null for the other kinds:
 *
 *     [{"matched_on": "id" | "number" | "credential" | "email" | "phone",
 *       "credential": 7 | null,
 *       "customer": CUSTOMER}, ...]
 *
 *   ORDERS, BOOKINGS, ENQUIRIES
 *
 *   The facts a host's systems push in, each linked to a customer. Every
 *   record has an "id" (assigned by the database, > 0), a "source" (the host
 *   system: "pos", "web", ...) and an "external_ref" (its reference in that
 *   system), unique per source: the same (source, external_ref) pushed
 *   twice is refused with PATRON_EEXIST (errfield "external_ref"). Money is
 *   integer minor units ("total": 4200 is 42.00) in an ISO 4217 currency.
 *
 *   Order:
 *
 *     {
 *       "id": 1,
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",  the customer's id
 *       "source": "pos",
 *       "external_ref": "R-1001",
 *       "placed_at": TIMESTAMP,
 *       "status": "created",                        ORDER STATUS (below)
 *       "currency": "GBP",                          ISO 4217, upper case
 *       "total": 5400,                              minor units, >= 0
 *       "paid": 5400,                               minor units, >= 0
 *       "items": [
 *         {"name": "Espresso", "quantity": 2, "unit_price": 250, "category": "drinks"}
 *       ],
 *       "payments": [                               in the order recorded
 *         {"amount": 5000, "method": "card", "at": TIMESTAMP}
 *       ],
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   Booking:
 *
 *     {
 *       "id": 1,
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "source": "spa",
 *       "external_ref": "B-77",
 *       "service": "massage 60",                    the service or resource booked
 *       "starts_at": TIMESTAMP,
 *       "ends_at": TIMESTAMP,                       after starts_at
 *       "status": "scheduled",                      BOOKING STATUS (below)
 *       "party_size": 2,                            1..10000
 *       "order_id": 12 | null,                      the linked order, if any
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   Enquiry:
 *
 *     {
 *       "id": 1,
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "source": "web",
 *       "external_ref": "Q-9",
 *       "channel": "web form",                      "email", "phone", "web form", ...
 *       "subject": "Wedding in June",               "" when none
 *       "body": "Hello,\nwe are 80 guests.",        free text, line breaks kept
 *       "status": "open",                           ENQUIRY STATUS (below)
 *       "received_at": TIMESTAMP,
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   Pushed record (what patron_order_record, patron_booking_record and
 *   patron_enquiry_record return): the record under "order", "booking" or
 *   "enquiry", and how its customer was found:
 *
 *     {"customer_match": "given" | "email" | "phone" | "created", "order": ORDER}
 *
 *   "given": the input named the customer; "email": found by the email of
 *   the details; "phone": found by their phone with a matching first name;
 *   "created": a new customer was created from the details.
 *
 *   CUSTOMER (the "customer" key of every new record; required) is either a
 *   reference string -- an id or a customer number, as for `ref` -- or the
 *   customer details a flow collected:
 *
 *     "customer": "A-1001"
 *     "customer": {"first_name": "Ana", "last_name": "Silva",
 *                  "email": "ana@example.com", "phone": "07911 123456"}
 *
 *   Every detail is optional (null or "" = not given); unknown keys are
 *   refused. With details patron looks for the holder of the email first,
 *   then for a customer with that phone (any format of the same number)
 *   whose first name matches, ignoring accents and case; when neither
 *   exists it creates a customer from the details under the rules of
 *   patron_customer_create (the details must make a recognisable customer
 *   even when a match is found). The record and the new customer are
 *   written in one transaction: a refused record creates no customer.
 *
 *   New order (input of patron_order_record). Keys may be absent or null
 *   unless marked required; unknown keys are refused with PATRON_EINVAL
 *   naming the key:
 *
 *     {
 *       "customer": CUSTOMER,                       required
 *       "source": "pos",                            required, 1-128 characters
 *       "external_ref": "R-1001",                   required, 1-128 characters
 *       "placed_at": TIMESTAMP,                     default: now
 *       "status": "created",                        default "created"; any ORDER STATUS
 *       "currency": "gbp",                          required; ISO 4217, any case
 *       "total": 5400,                              integer >= 0, default 0
 *       "paid": 5400,                               integer >= 0; default: the sum of
 *                                                   the payments (0 without any); with
 *                                                   payments it must equal their sum
 *       "items": [{"name": "Espresso",              name required
 *                  "quantity": 2,                   > 0, default 1
 *                  "unit_price": 250,               >= 0, default 0
 *                  "category": "drinks"}],          default ""; at most 1000 items
 *       "payments": [PAYMENT, ...]
 *     }
 *
 *   PAYMENT (the "payments" of a new order; input of patron_order_add_payment):
 *
 *     {"amount": 5000,                              integer > 0, required
 *      "method": "card",                            required: "card", "cash", "voucher", ...
 *      "at": TIMESTAMP}                             default: now
 *
 *   New booking (input of patron_booking_record):
 *
 *     {
 *       "customer": CUSTOMER,                       required
 *       "source": "spa", "external_ref": "B-77",    required, as for orders
 *       "service": "massage 60",                    required, 1-200 characters
 *       "starts_at": TIMESTAMP,                     required
 *       "ends_at": TIMESTAMP,                       required, after starts_at
 *       "status": "scheduled",                      default "scheduled"; any BOOKING STATUS
 *       "party_size": 2,                            1..10000, default 1
 *       "order_external_ref": "R-1001"              links the order of the same source
 *                                                   with that reference (PATRON_ENOTFOUND,
 *                                                   errfield "order_external_ref", when
 *                                                   there is none); default "": no order
 *     }
 *
 *   New enquiry (input of patron_enquiry_record):
 *
 *     {
 *       "customer": CUSTOMER,                       required
 *       "source": "web", "external_ref": "Q-9",     required, as for orders
 *       "channel": "web form",                      required, 1-128 characters
 *       "subject": "Wedding in June",               at most 300 characters, default ""
 *       "body": "Hello,\nwe are 80 guests.",        at most 20000 characters, default ""
 *       "received_at": TIMESTAMP,                   default: now
 *       "status": "open"                            default "open"; any ENQUIRY STATUS
 *     }
 *
 *   Times given as input are TIMESTAMP text; an offset ("+01:00") is
 *   converted to UTC, and a time without "Z" or an offset is read as UTC.
 *
 *   FILTER (of patron_order_list, patron_booking_list, patron_enquiry_list);
 *   NULL, "" or "{}" lists everything; unknown keys are refused:
 *
 *     {"statuses": ["created", "confirmed"],        any of these; absent or [] = all
 *      "from": TIMESTAMP,                           inclusive
 *      "until": TIMESTAMP}                          exclusive; after "from"
 *
 *   "from" and "until" apply to the record's time: placed_at for orders,
 *   starts_at for bookings, received_at for enquiries.
 *
 *   STATUSES and the moves patron_*_set_status allows (moving to the status
 *   a record already has is not a move, and is refused too):
 *
 *     ORDER STATUS:   "created"   -> "confirmed" | "completed" | "cancelled"
 *                     "confirmed" -> "completed" | "cancelled"
 *                     "completed", "cancelled": final
 *     BOOKING STATUS: "scheduled" | "rescheduled" -> "rescheduled" | "checked_in"
 *                                                    | "no_show" | "cancelled"
 *                     "checked_in" -> "completed"
 *                     "no_show", "completed", "cancelled": final
 *     ENQUIRY STATUS: "open"        -> "in_progress" | "resolved" | "closed"
 *                     "in_progress" -> "resolved" | "closed"
 *                     "resolved"    -> "open" | "closed"      (reopened)
 *                     "closed": final
 *
 *   A name that is not a status of its kind is refused with PATRON_EINVAL
 *   (errfield "status", or "statuses[i]" in a filter); a move the table does
 *   not allow with PATRON_EPRECONDITION (errfield "status"), the message
 *   naming both statuses ("... cannot move from completed to created").
 *
 *   ANALYTICS
 *
 *   What a customer's orders say about them. Cancelled orders never count.
 *   Money is per currency (integer minor units); RFM and the model work on
 *   one currency at a time, given as an ISO 4217 code in any case ("gbp").
 *
 *   Customer stats (patron_analytics_stats):
 *
 *     {
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "orders": 3,                                every currency
 *       "by_currency": [                            by currency code
 *         {"currency": "EUR", "orders": 1, "spend": 500, "average_order_value": 500},
 *         {"currency": "GBP", "orders": 2, "spend": 3001, "average_order_value": 1501}
 *       ],                                          average rounded half away from zero
 *       "first_order_at": TIMESTAMP | null,         null without orders
 *       "last_order_at": TIMESTAMP | null,
 *       "days_since_last_order": 4 | null           whole days from the last order to now
 *     }
 *
 *   RFM score (patron_analytics_rfm, patron_analytics_rfm_segment). Scores
 *   are quintiles 1-5 across the customers with an order in the currency
 *   when patron_analytics_recompute_rfm ran (5 = most recent, most frequent,
 *   highest spending fifth; tied values share the lower score):
 *
 *     {
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "currency": "GBP",
 *       "recency_days": 9,                          whole days from the last order to "computed_at"
 *       "frequency": 10,                            orders
 *       "monetary": 100000,                         spend, minor units
 *       "recency_score": 1, "frequency_score": 5, "monetary_score": 5,
 *       "segment": "cannot_lose",                   RFM SEGMENT (below)
 *       "computed_at": TIMESTAMP
 *     }
 *
 *   RFM SEGMENT, from the recency (R) and frequency (F) scores:
 *     "champions" R5 F4-5, "loyal" R3-4 F4-5, "potential_loyalist" R4-5 F2-3,
 *     "new_customer" R5 F1, "promising" R4 F1, "need_attention" R3 F3,
 *     "about_to_sleep" R3 F1-2, "at_risk" R1-2 F3-4, "cannot_lose" R1-2 F5,
 *     "hibernating" R1-2 F1-2.
 *
 *   The predictive model: BG/NBD (Fader, Hardie & Lee 2005) for how often a
 *   customer buys and when they drop out, Gamma-Gamma (Fader & Hardie) for
 *   how much they spend per order, fitted by maximum likelihood on every
 *   customer's purchase summary. Summaries follow that literature: orders on
 *   the same UTC calendar day are one purchase occasion; "frequency" counts
 *   the repeat occasions after the first; "recency" and "age" run from the
 *   first occasion to the last one and to the cut-off, in the model's unit;
 *   "monetary" is the mean spend of the repeat occasions in minor units (0
 *   without any).
 *
 *   MODEL OPTIONS (input of patron_analytics_summaries and
 *   patron_analytics_fit_model); unknown keys are refused:
 *
 *     {"currency": "GBP",                           required
 *      "cutoff": TIMESTAMP,                         end of calibration; default: now
 *      "unit": "weeks"}                             "weeks" (default) | "days"
 *
 *   Summaries (patron_analytics_summaries): one per customer with an order in
 *   the currency before the cut-off, in customer-number order:
 *
 *     [{"customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "frequency": 2.0, "recency": 8.0, "age": 10.0, "monetary": 3000.0}, ...]
 *
 *   Model fit (patron_analytics_fit_model, patron_analytics_latest_fit):
 *
 *     {
 *       "id": 1,                                    assigned by the database
 *       "currency": "GBP",
 *       "unit": "weeks",                            the unit of "alpha" and of the summaries
 *       "cutoff": TIMESTAMP,
 *       "fitted_at": TIMESTAMP,
 *       "customers": 2357,                          summaries the model was fitted on
 *       "bg_nbd": {"r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4258,
 *                  "log_likelihood": -9582.43},     over every customer
 *       "gamma_gamma": {"p": 6.2488, "q": 3.7446, "gamma": 15.4477,
 *                       "log_likelihood": -4055.92}  over the customers with frequency > 0
 *     }
 *
 *   PREDICTION OPTIONS (input of patron_analytics_predict and
 *   patron_analytics_predict_all); unknown keys are refused:
 *
 *     {"currency": "GBP",                           required; its latest fit is used
 *      "at": TIMESTAMP,                             history up to this time; default: now
 *      "horizon_days": 365,                         integer >= 0, default 365
 *      "period_days": 30,                           integer > 0, default 30
 *      "discount_rate": 0.01,                       per period, >= 0, default 0.01
 *      "coverage": 0.8}                             of the next-order window, in (0, 1), default 0.8
 *
 *   Prediction:
 *
 *     {
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "summary": {"frequency": 2.0, "recency": 8.0, "age": 10.0,
 *                   "monetary": 3000.0},            up to "at", in the fit's unit
 *       "probability_alive": 0.87,                  in [0, 1]
 *       "expected_orders": 1.9,                     within the horizon
 *       "expected_order_value": 2950.2,             minor units (Gamma-Gamma)
 *       "lifetime_value": 5100.7,                   minor units: expected spend in the
 *                                                   horizon, period by period, discounted
 *       "next_order_from": TIMESTAMP,               central window (coverage) for the next
 *       "next_order_until": TIMESTAMP               order, given the customer is alive
 *     }
 *
 *   The lifetime value sums ceil(horizon_days / period_days) periods.
 *
 *   COMPANIES
 *
 *   Organisations customers belong to, recognised by the email domains they
 *   own. Every company domain is a registrable domain under the public
 *   suffix list: "eu.acme.co.uk", "acme.co.uk" and "ana@eu.acme.co.uk" all
 *   name the domain "acme.co.uk". A bare public suffix ("co.uk") and
 *   free-mail or ISP domains (gmail.com, outlook.com, yahoo.*, icloud.com,
 *   ..., and patron_options.free_mail_domains) are refused with
 *   PATRON_EINVAL, errfield "domain" ("domains[i]" in a new company). A
 *   domain belongs to one company: PATRON_EEXIST, errfield "domain"
 *   ("domains[i]"), when another company owns it.
 *
 *   A customer with an email at a company domain is linked to the company
 *   automatically ("source": "email_domain"): when the email is added, when
 *   the customer is created, and when the domain is added to the company
 *   later (every existing customer with a matching email, in one
 *   transaction). Removing the email or the domain removes the links it
 *   made, never a manual link. Manual links ("source": "manual") carry a role
 *   and a billing-relationship flag. A customer may belong to several
 *   companies, and to one company through several links (one per domain it
 *   matched, and the manual one).
 *
 *   Company:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "name": "Acme Ltd",
 *       "sector": "hospitality",                    business domain, "" when unset
 *       "contact_person": "Rui Costa",              "" when unset
 *       "notes": "",
 *       "domains": ["acme.co.uk", "acme.com"],      registrable domains, sorted
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   New company (input of patron_company_create); every key but "name" is
 *   optional, null is the same as leaving a key out, unknown keys are
 *   refused:
 *
 *     {"name": "Acme Ltd", "sector": "", "contact_person": "", "notes": "",
 *      "domains": ["acme.co.uk", "ana@acme.com"]}   domains or emails at them
 *
 *   Company update (input of patron_company_update): only the keys present
 *   are touched; "" or null clears a field (the name cannot be cleared):
 *
 *     {"name": "Acme plc", "sector": "law", "contact_person": "", "notes": ""}
 *
 *   Company link (patron_company_link, patron_company_customers,
 *   patron_customer_companies):
 *
 *     {
 *       "company": 1,                               the company's id
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",  the customer's id
 *       "source": "email_domain" | "manual",        how the link was made
 *       "role": "billing contact",                  manual links; "" otherwise
 *       "billing": true,                            manual links: a billing relationship
 *       "domain": "acme.co.uk",                     email_domain links: the domain; "" otherwise
 *       "linked_at": TIMESTAMP
 *     }
 *
 *   MEMBERSHIPS
 *
 *   Plans, and memberships of a plan held by a customer or by a company.
 *
 *   Plan:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "name": "Gold",                             unique ignoring case
 *       "kind": "personal" | "subscription" | "company",
 *       "benefits": "free coffee",
 *       "billing_period": "none" | "weekly" | "monthly" | "quarterly" | "yearly",
 *                                                   subscriptions: not "none"; others: "none"
 *       "created_at": TIMESTAMP
 *     }
 *
 *   New plan (input of patron_plan_create); every key but "name" is
 *   optional ("kind" defaults to "personal", "billing_period" to "none"),
 *   null is the same as leaving a key out, unknown keys are refused:
 *
 *     {"name": "Gold", "kind": "subscription", "benefits": "", "billing_period": "monthly"}
 *
 *   Membership:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "plan": 1,                                  the plan's id
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b" | null,   the holder: a customer
 *       "company": 1 | null,                        or a company
 *       "starts_at": TIMESTAMP,
 *       "ends_at": TIMESTAMP | null,                null: open-ended
 *       "status": "active" | "paused" | "cancelled" | "expired",
 *                                                   "expired" once ends_at has passed (never stored)
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   New membership (input of patron_membership_add): "plan" and exactly one
 *   of "customer" (a ref) or "company" (an id); "starts_at" defaults to now,
 *   "ends_at" to open-ended (subscriptions: one billing period from the
 *   start); unknown keys are refused:
 *
 *     {"plan": 1, "customer": "ANA-01", "starts_at": TIMESTAMP, "ends_at": TIMESTAMP}
 *     {"plan": 1, "company": 1}
 *
 *   Effective membership (patron_membership_effective): a customer's own
 *   memberships and those of every company they belong to:
 *
 *     {"membership": MEMBERSHIP, "via_company": 1 | null}   null: the customer's own
 *
 *   CREDENTIALS
 *
 *   The cards, key fobs, barcodes, QR codes, wallet passes and caller ids
 *   customers present, in one registry. A value is trimmed UTF-8 of 1-256
 *   bytes without control characters, matched exactly (case matters); a
 *   phone credential's value must be a valid phone number and is stored in
 *   E.164 (read with the default region). An active value is unique per
 *   kind; a value may be reused once the credential holding it is no longer
 *   active.
 *
 *   Credential:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "kind": "magnetic_card" | "smart_card" | "key_fob" | "barcode" | "qr_code"
 *               | "wallet_pass" | "phone",
 *       "value": "04A1B2C3",                        as stored: E.164 for "phone"
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",   the holder
 *       "status": "active" | "blocked" | "lost" | "replaced",
 *       "valid_from": TIMESTAMP | null,             inclusive; null: unbounded
 *       "valid_until": TIMESTAMP | null,            exclusive; null: unbounded
 *       "label": "",                                at most 200 characters
 *       "wallet": WALLET | null,                    set exactly for "wallet_pass"
 *       "replaces": 1 | null,                       the credential this one replaced
 *       "replaced_by": 2 | null,                    set once replaced
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   WALLET (a wallet pass's data; "provider" defaults to "apple",
 *   "pass_type" to "membership"; "serial" is 1-200 characters):
 *
 *     {"provider": "apple" | "google", "serial": "PASS-1",
 *      "pass_type": "membership" | "access" | "loyalty"}
 *
 *   New credential (input of patron_credential_issue): "kind", "value" and
 *   "customer" (a ref) are required; "wallet" is required for "wallet_pass"
 *   and refused for the other kinds; null is the same as leaving a key out;
 *   unknown keys are refused:
 *
 *     {"kind": "smart_card", "value": "04A1B2C3", "customer": "ANA-01", "label": "",
 *      "valid_from": TIMESTAMP, "valid_until": TIMESTAMP, "wallet": WALLET}
 *
 *   Replacement (input of patron_credential_replace): the successor's
 *   "value" (required); "label", "valid_until" and "wallet" are the old
 *   credential's when absent or null; unknown keys are refused:
 *
 *     {"value": "04FFEE01", "label": "new card", "valid_until": TIMESTAMP, "wallet": WALLET}
 *
 *   Credential check (patron_identify_credential): what a token names at a
 *   moment. "credential" is the accepted one or, when none is, the most
 *   recently changed one holding the value (null when "unknown");
 *   "customer" is the holder, only when accepted:
 *
 *     {"verdict": "accepted" | "unknown" | "blocked" | "lost" | "replaced"
 *                 | "not_yet_valid" | "expired",
 *      "credential": CREDENTIAL | null,
 *      "customer": CUSTOMER | null}
 *
 *   Statuses: "active", "blocked" and "lost" move freely among themselves;
 *   "replaced" is final and only patron_credential_replace sets it.
 *
 *   DOORS
 *
 *   Which customer may open which door, when. A door's id is chosen by the
 *   host: 1-64 of A-Z a-z 0-9 . _ - : / ("front-gate", "spa/2"), matched
 *   exactly.
 *
 *   Door:
 *
 *     {"id": "front-gate", "name": "Front gate", "notes": "",
 *      "created_at": TIMESTAMP, "updated_at": TIMESTAMP}
 *
 *   New door (input of patron_door_create): "id" and "name" (1-200
 *   characters) are required, "notes" at most 2000 characters; unknown keys
 *   are refused:
 *
 *     {"id": "front-gate", "name": "Front gate", "notes": ""}
 *
 *   Permission (one customer may open one door within a window, optionally
 *   only while holding an active membership of a plan):
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
 *       "door": "front-gate",
 *       "starts_at": TIMESTAMP | null,              inclusive; null: unbounded
 *       "ends_at": TIMESTAMP | null,                exclusive; null: unbounded
 *       "notes": "",
 *       "required_plan": 1 | null,                  a plan id (see MEMBERSHIPS)
 *       "created_at": TIMESTAMP
 *     }
 *
 *   New permission (input of patron_permission_grant): "customer" (a ref)
 *   and "door" are required; unknown keys are refused:
 *
 *     {"customer": "ANA-01", "door": "front-gate", "starts_at": TIMESTAMP,
 *      "ends_at": TIMESTAMP, "notes": "", "required_plan": 1}
 *
 *   Access decision (patron_door_check, patron_door_open):
 *
 *     {
 *       "allowed": true | false,
 *       "reason": "allowed" | "unknown_door" | "unknown_credential"
 *                 | "credential_blocked" | "credential_lost" | "credential_replaced"
 *                 | "credential_not_yet_valid" | "credential_expired" | "banned"
 *                 | "no_permission" | "outside_window" | "membership_required",
 *       "customer": "0190c5a2e4b87c3d9a1b2c3d4e5f6a7b" | null,   who was checked
 *       "credential": 1 | null,                     patron_door_open: the credential presented
 *       "permission": 1 | null                      when allowed: the permission that allowed it
 *     }
 *
 *   A denied customer gets the first reason that applies, in this order:
 *   "banned", "no_permission" (none for the door), "outside_window" (none
 *   covers the moment), "membership_required" (every covering permission
 *   needs a membership the customer lacks).
 *
 *   CONNECTIONS
 *
 *   Who knows whom among the customers. A connection joins two different
 *   customers with a type ("colleague", "friend", "relative",
 *   "acquaintance", "referral", or a custom label: trimmed, lower-cased,
 *   1-64 characters); two customers have at most one connection of a type,
 *   whichever way round. Only "referral" has a direction (from referred to).
 *   CUSTOMER_ID below is a customer's "id" (32 lower-case hex).
 *
 *   Connection:
 *
 *     {"id": 1, "from": CUSTOMER_ID, "to": CUSTOMER_ID, "type": "friend",
 *      "source": "manual" | "inferred", "note": "", "created_at": TIMESTAMP}
 *
 *   New connection (input of patron_connection_connect): "from" and "to"
 *   (refs) and "type" are required, "note" at most 2000 characters; unknown
 *   keys are refused. Connecting a pair where an inferred connection of the
 *   type exists makes it manual (keeping its id and creation time):
 *
 *     {"from": "ANA-01", "to": "BO-01", "type": "friend", "note": ""}
 *
 *   Referral (who brought a customer in; a customer has at most one
 *   referrer):
 *
 *     {"referrer": CUSTOMER_ID, "referred": CUSTOMER_ID, "note": "", "at": TIMESTAMP}
 *
 *   INFERENCE OPTIONS (input of patron_connections_infer; NULL, "" or "{}"
 *   keeps the default; unknown keys are refused):
 *
 *     {"max_company_size": 500}                    at least 2
 *
 *   Inference report:
 *
 *     {"colleagues_added": 0, "referrals_added": 0,
 *      "removed": 0,                               stale inferred colleague connections
 *      "companies_skipped": 0}                     larger than max_company_size
 *
 *   Neighbour (patron_connections_neighbours): a customer `distance` hops
 *   from the start, first reached through `via` (the start for 1):
 *
 *     {"id": CUSTOMER_ID, "distance": 1, "via": CUSTOMER_ID}
 *
 *   ACTIVITY
 *
 *   The permanent timeline of what happened to each customer, the edit
 *   history of profiles and the change feed. patron records its own events
 *   for every change it makes; a host records its own (email sent, visit,
 *   scan, ...) with patron_event_record. Events are never changed or
 *   deleted. Their details are stored encrypted under the customer's data
 *   key; once that key is destroyed they read as erased.
 *
 *   Event:
 *
 *     {
 *       "id": 1,                                    position in the log, increasing in commit order
 *       "customer": CUSTOMER_ID | null,             null: an event about the organisation
 *       "at": TIMESTAMP,
 *       "category": EVENT CATEGORY,
 *       "type": EVENT TYPE,
 *       "source": EVENT SOURCE,
 *       "actor": "jane",                            who did it; "" when unknown
 *       "action": "customer.created",               1-100 of a-z 0-9 . _ -
 *       "summary": "Customer created",              1-500 characters, never personal data
 *       "details": {...} | null,                    a JSON object ({} when none); null when erased
 *       "details_erased": false                     the customer's data key was destroyed
 *     }
 *
 *   EVENT CATEGORY: "orders" | "customers" | "bookings" | "payments" | "system".
 *   EVENT TYPE: "auth" | "access" | "order" | "payment" | "cart" | "booking"
 *     | "enquiry" | "visit" | "scan" | "communication" | "settings"
 *     | "configuration" | "data" | "security" | "compliance" | "notification"
 *     | "integration" | "report" | "export".
 *   EVENT SOURCE: "system" | "staff" | "customer" | "api" | "webhook"
 *     | "integration" | "physical" | "automated".
 *
 *   New event (input of patron_event_record; an array of them for
 *   patron_event_record_many). "action" and "summary" are required; null is
 *   the same as leaving a key out; unknown keys are refused:
 *
 *     {"customer": "ANA-01",                        a ref; absent: about the organisation
 *      "at": TIMESTAMP,                             default: now
 *      "category": "customers",                     default "customers"
 *      "type": "communication",                     default "data"
 *      "source": "integration",                     default: the thread's actor source
 *      "actor": "mailer",                           default: the thread's actor
 *      "action": "email.sent",
 *      "summary": "Welcome email sent",
 *      "details": {"campaign": "welcome"}}          a JSON object, at most 64 KiB compact
 *
 *   TIMELINE FILTER (of patron_timeline; NULL, "" or "{}" = no filter; an
 *   empty list does not filter; unknown keys are refused):
 *
 *     {"categories": ["orders"], "types": ["communication"], "sources": ["staff"],
 *      "from": TIMESTAMP,                           inclusive
 *      "until": TIMESTAMP,                          exclusive; after "from"
 *      "actor": "jane",                             exact
 *      "text": "email"}                             case-insensitive, in the summary or action
 *
 *   Event page (patron_timeline), newest first; pass "next" as `before` for
 *   the following page:
 *
 *     {"events": [EVENT, ...], "next": "opaque cursor" | null}   null: no more
 *
 *   Field change (patron_history), newest first:
 *
 *     {"event": 12,                                 the event that recorded it
 *      "at": TIMESTAMP, "actor": "jane", "source": EVENT SOURCE,
 *      "field": "email",                            "first_name", "tags", "email", "phone",
 *                                                   "address", "custom.<key>", ...
 *      "old": JSON value, "new": JSON value,        null for none (an added email's "old");
 *                                                   both null when erased
 *      "erased": false}                             the customer's data key was destroyed
 *
 *   The actor: patron_actor_push names who performs the calls the calling
 *   thread makes until the matching patron_actor_pop (pushes nest; the
 *   innermost wins), and the source they come from. Without one, events
 *   carry actor "" and source "api".
 *
 *   NOTES
 *
 *   Notes on customers (Markdown text), with their earlier bodies kept as
 *   revisions and full-text search. @mentions ("@jane", "@front-desk"; not
 *   the @ of an email address) are extracted lower-cased, each once.
 *
 *   Note:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "customer": CUSTOMER_ID,
 *       "body": "Prefers the @jane table",          1-100,000 characters
 *       "author": "jane",                           who wrote the current body, 1-200 characters
 *       "pinned": false,
 *       "mentions": ["jane"],                       in order of appearance
 *       "created_at": TIMESTAMP,
 *       "edited_at": TIMESTAMP | null,              null until edited
 *       "revisions": 0                              earlier bodies kept
 *     }
 *
 *   Note revision (patron_note_revisions), oldest first:
 *
 *     {"note": 1, "number": 1,                      1 = the first body
 *      "body": "...", "author": "jane",
 *      "written_at": TIMESTAMP, "replaced_at": TIMESTAMP}
 *
 *   Note hit (patron_note_search), best first:
 *
 *     {"note": NOTE,
 *      "snippet": "... the [conference] room ...",  matches in [brackets], "…" where cut
 *      "rank": -1.25}                               bm25: lower is better
 *
 *   DOCUMENTS
 *
 *   Files attached to customers; the bytes live in the database and read
 *   back exactly. At most patron_options.max_document_bytes (default 25
 *   MiB) each; an empty document is allowed.
 *
 *   Document:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "customer": CUSTOMER_ID,
 *       "name": "waiver.pdf",                       1-255 characters, no control characters, "/" or "\"
 *       "media_type": "application/pdf",            type/subtype lower-cased, parameters kept
 *       "kind": "agreement" | "contract" | "identification" | "waiver" | "consent_form"
 *               | "image" | "other",
 *       "size": 52311,                              bytes
 *       "sha256": "9f86d0...",                      64 lower-case hex digits
 *       "created_at": TIMESTAMP
 *     }
 *
 *   Document metadata (the `meta_json` of patron_document_attach and
 *   patron_document_attach_file): "customer" (a ref) and "name" are
 *   required; "media_type" defaults to "application/octet-stream", "kind"
 *   to "other"; unknown keys are refused:
 *
 *     {"customer": "ANA-01", "name": "waiver.pdf", "media_type": "application/pdf", "kind": "waiver"}
 *
 *   CUSTOM FIELDS
 *
 *   Organisation-defined fields on customers.
 *
 *   Field definition:
 *
 *     {
 *       "key": "vip_level",                         1-64 of a-z 0-9 _, starting with a letter; unique
 *       "label": "VIP level",                       1-200 characters
 *       "type": FIELD TYPE,
 *       "required": false,
 *       "default": VALUE | null,                    filled in on create when required
 *       "options": ["silver", "gold"],              select and multi_select: 1-200, distinct, in order
 *       "visible_to": ["manager"],                  roles; [] = all staff
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   FIELD TYPE and the JSON of its VALUE:
 *
 *     "text"          a string, at most 10,000 characters
 *     "number"        a finite number (3 and 3.0 are the same value; read back as 3.0)
 *     "date"          a "YYYY-MM-DD" string
 *     "select"        a string, one of the options
 *     "multi_select"  an array of distinct options (kept in the options' order)
 *     "checkbox"      true or false
 *     "url"           a string: an absolute http or https URL with a host
 *     "file"          an integer: the id of a document of the same customer
 *
 *   A value is read for its field's type, so the same JSON may be different
 *   values for different fields ("2024-05-01" is text for a text field, a
 *   date for a date field). A value of the wrong JSON type, or that breaks
 *   the field's rule, is refused with PATRON_EINVAL, errfield
 *   "custom_fields.<key>".
 *
 *   New field definition (input of patron_field_define): "key", "label" and
 *   "type" are required ("type" defaults to "text"); "default" is read for
 *   the "type"; null is the same as leaving a key out; unknown keys are
 *   refused:
 *
 *     {"key": "vip_level", "label": "VIP level", "type": "select", "required": true,
 *      "default": "silver", "options": ["silver", "gold"], "visible_to": []}
 *
 *   Field definition update (input of patron_field_update): only the keys
 *   present change (the key never does); "default": null clears the default,
 *   "options" or "visible_to" null is []; "default" is read for the new
 *   "type" when given, else for the field's type now:
 *
 *     {"label": "VIP tier", "type": "multi_select", "required": false,
 *      "default": null, "options": ["silver", "gold", "platinum"], "visible_to": ["manager"]}
 *
 *   Custom values (patron_field_values, patron_field_set, patron_field_clear):
 *   an object of VALUEs by key, keys sorted; fields without a value are
 *   absent:
 *
 *     {"birthday_club": true, "vip_level": "gold"}
 *
 *   The "custom_fields" of a new customer (patron_customer_create and
 *   patron_customer_create_many) is the same object: each value read for
 *   its field's type; a required field with a default is filled in, one
 *   without must be given; a key no field has is refused (errfield
 *   "custom_fields.<key>").
 *
 *   PURSES
 *
 *   Stored value and credit: one money account per customer and currency,
 *   a ledger of entries (top-up, charge, refund) that are never changed or
 *   deleted. Money is integer minor units ("amount": 2500 is 25.00) in an
 *   ISO 4217 currency, never floating point. An account's credit limit (0 by
 *   default), or a larger one of the promotion categories that apply to the
 *   customer, lets its balance go down to minus that limit and no further.
 *
 *   Purse account:
 *
 *     {
 *       "customer": CUSTOMER_ID,
 *       "currency": "GBP",                          ISO 4217, upper case
 *       "balance": -1500,                           minor units; negative while on credit
 *       "credit_limit": 5000,                       the account's own limit (patron_purse_set_credit_limit)
 *       "category_credit_limit": 0,                 the largest credit limit in this currency of the
 *                                                   promotion categories that apply now (PROMOTIONS)
 *       "available": 3500                           balance + the larger of the two limits
 *     }
 *
 *   Purse entry:
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "customer": CUSTOMER_ID,
 *       "currency": "GBP",
 *       "kind": "top_up" | "charge" | "refund",
 *       "amount": 2500,                             minor units, always > 0
 *       "balance_after": 2500,                      the account's balance after this entry
 *       "refund_of": 7 | null,                      refunds: the charge; null otherwise
 *       "refunded": 0,                              charges: how much of it was refunded so far
 *       "reference": "R-1001",                      the host's order or receipt; "" when none
 *       "idempotency_key": "till-3/0042",
 *       "actor": "jane",                            "" when unknown
 *       "at": TIMESTAMP
 *     }
 *
 *   Purse request (input of patron_purse_top_up and patron_purse_charge);
 *   null is the same as leaving a key out; unknown keys are refused with
 *   PATRON_EINVAL naming the key:
 *
 *     {"customer": "ANA-01",                        a ref; required
 *      "currency": "gbp",                           required; ISO 4217, any case
 *      "amount": 2500,                              required; an integer, 1 to 10^15
 *      "idempotency_key": "till-3/0042",            required; 1-200 characters
 *      "reference": "R-1001"}                       at most 200 characters, default ""
 *
 *   Idempotency: every write carries an idempotency key, unique across all
 *   purse writes. The same key with the same request returns the original
 *   entry and changes nothing (a till may retry a write whose answer it
 *   lost, from any process); the same key with a different request is
 *   refused with PATRON_ECONFLICT, errfield "idempotency_key".
 *
 *   LOYALTY
 *
 *   Programs of points: a customer earns points on what they pay (or as
 *   given), spends them on rewards or at the till, and climbs tiers by the
 *   points they earned over a rolling window. Program, tier and reward ids
 *   are chosen by the host: 1-64 of A-Z a-z 0-9 . _ - : / ("stars",
 *   "gold"), matched exactly.
 *
 *   Program:
 *
 *     {
 *       "id": "stars",
 *       "name": "Stars",                            1-200 characters
 *       "points_name": "points",                    1-50 characters
 *       "currency": "GBP",                          ISO 4217 of the earn rule
 *       "earn_points": 1,                           the rule: earn_points points (1 to 10^6) ...
 *       "per_amount": 100,                          ... per per_amount minor units (1 to 10^9)
 *       "rounding": "down" | "nearest" | "up",      of the points computed (nearest: halves up)
 *       "expiry_months": 12 | null,                 1-1200 months after points become spendable; null: never
 *       "redemption_order": "soonest_expiring" | "oldest_earned",
 *       "tier_window_months": 12,                   1-120: qualifying points count over this window
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   Program definition (input of patron_loyalty_program_create and
 *   patron_loyalty_program_update): the keys of a Program without
 *   "created_at" and "updated_at"; "id", "name" and "currency" are
 *   required, the others default to the values shown above ("expiry_months"
 *   to null); null is the same as leaving a key out; unknown keys are
 *   refused. An update replaces everything but the id; rule and expiry
 *   changes apply to later earns only.
 *
 *   Tier (a level of a program; thresholds are unique within a program):
 *
 *     {
 *       "program": "stars",
 *       "id": "gold",
 *       "name": "Gold",                             1-200 characters
 *       "threshold": 1000,                          qualifying points, 0 to 10^12
 *       "earn_multiplier_percent": 150,             0-10000: 150 earns 1.5 times the points
 *       "benefits": ""                              at most 2000 characters
 *     }
 *
 *   Tier definition (input of patron_loyalty_tier_save): the keys of a
 *   Tier; "program", "id" and "name" are required, "threshold" defaults to
 *   0, "earn_multiplier_percent" to 100; unknown keys are refused.
 *
 *   A customer's tier is the one with the highest threshold at or below
 *   their qualifying points: what earns (and adjustments marked
 *   "qualifying") added over the program's window up to now, net of
 *   reversals; pending points qualify from the day they are released.
 *   Upgrades happen at once; downgrades only at
 *   patron_loyalty_evaluate_tiers, which the host runs (e.g. nightly).
 *
 *   Points account (one per customer and program, made on first write):
 *
 *     {
 *       "customer": CUSTOMER_ID,
 *       "program": "stars",
 *       "balance": 1200,                            the ledger's running balance
 *       "pending": 200,                             of it, locked until released
 *       "expired": 0,                               of it, past expiry, not yet written off
 *       "spendable": 1000,                          balance - pending - expired, never negative
 *       "tier": "gold" | null
 *     }
 *
 *   Points entry (the ledger; entries are never changed or deleted):
 *
 *     {
 *       "id": 1,                                    assigned by the database, > 0
 *       "customer": CUSTOMER_ID,
 *       "program": "stars",
 *       "kind": "earn" | "redeem" | "adjust" | "expire" | "reverse" | "transfer",
 *       "points": 150,                              signed: + adds to the balance, - takes from it
 *       "balance_after": 1350,
 *       "amount": 10000 | null,                     earn by amount: the minor units ...
 *       "currency": "GBP",                          ... of this currency; "" otherwise
 *       "pending_until": TIMESTAMP | null,          earn: locked (not spendable, not qualifying) until then
 *       "expires_at": TIMESTAMP | null,             earn, + adjust: its lot's expiry
 *       "reverses": 7 | null,                       reverse: the earn or redeem entry
 *       "reversed": 0,                              earn, redeem: how much of it was reversed so far
 *       "counterpart": 8 | null,                    transfer: the other customer's entry
 *       "reward": "free-coffee" | null,             redeem of a reward
 *       "qualifying": true,                         counts for tiers
 *       "reference": "R-1001",                      the host's order; "" when none
 *       "reason": "",
 *       "idempotency_key": "till-3/0042",
 *       "actor": "jane",                            "" when unknown
 *       "at": TIMESTAMP
 *     }
 *
 *   Earn: + points with a lot; given as "points" (as is, no multiplier) or
 *   computed from an "amount": the program's rule x the tier multiplier x
 *   the best promotion category multiplier, rounded once. Redeem: -
 *   points, drawn from spendable lots in the program's redemption order.
 *   Adjust: a manual correction with a reason and an actor. Expire: what
 *   was left of lots past expiry. Reverse: undoes (part of) an earn (-) or
 *   a redemption (+), never more than the original. Transfer: a - entry on
 *   the giver and a + entry on the receiver, whose new lots keep the expiry
 *   of the lots drawn.
 *
 *   Points lot (what is left of an earn, a + adjustment or points received):
 *
 *     {"id": 1,
 *      "entry": 1,                                  the entry that made it
 *      "points": 150,                               as made, less reversals
 *      "remaining": 150,                            not yet redeemed, expired or transferred
 *      "earned_at": TIMESTAMP,
 *      "pending_until": TIMESTAMP | null,
 *      "expires_at": TIMESTAMP | null}
 *
 *   Earn request (input of patron_points_earn; an array of them for
 *   patron_points_earn_many). Exactly one of "points" and "amount"; null is
 *   the same as leaving a key out; unknown keys are refused:
 *
 *     {"customer": "ANA-01",                        a ref; required
 *      "program": "stars",                          required
 *      "points": 150,                               1 to 10^12
 *      "amount": 10000,                             1 to 10^15 minor units ...
 *      "currency": "GBP",                           ... in the program's currency (the default)
 *      "pending_until": TIMESTAMP,                  locked until then
 *      "reference": "R-1001",                       at most 200 characters
 *      "idempotency_key": "till-3/0042"}            required; 1-200 characters
 *
 *   Redeem request (patron_points_redeem; an array for
 *   patron_points_redeem_many):
 *
 *     {"customer": "ANA-01", "program": "stars", "points": 500,
 *      "reference": "R-1002", "idempotency_key": "till-3/0043"}
 *
 *   Adjust request (patron_points_adjust): "points" is nonzero within
 *   +-10^12; "reason" (1-500 characters) is required, and an actor: the
 *   document's "actor" or, when absent, the one pushed with
 *   patron_actor_push; "qualifying" (default false) makes a + adjustment
 *   count for tiers:
 *
 *     {"customer": "ANA-01", "program": "stars", "points": -50, "reason": "goodwill",
 *      "qualifying": false, "actor": "jane", "idempotency_key": "adj-1"}
 *
 *   Transfer request (patron_points_transfer): from one customer to another
 *   in the same program:
 *
 *     {"from": "ANA-01", "to": "BO-01", "program": "stars", "points": 100,
 *      "reason": "", "idempotency_key": "gift-1"}
 *
 *   Tier change (a customer's tier history):
 *
 *     {"id": 1, "customer": CUSTOMER_ID, "program": "stars",
 *      "from": "silver" | null,                     null: no tier
 *      "to": "gold" | null,
 *      "reason": "qualified" | "evaluation",        an earn (or an evaluation) lifted them, or
 *                                                   an evaluation found them below their tier
 *      "qualifying_points": 1000,                   at the change
 *      "at": TIMESTAMP}
 *
 *   Tier progress:
 *
 *     {"tier": "silver" | null,                     held now
 *      "qualifies_for": "gold" | null,              by the qualifying points now
 *      "qualifying_points": 1000,
 *      "window_start": TIMESTAMP,                   qualifying points count from here
 *      "next_tier": "platinum" | null,              the next tier above qualifies_for
 *      "points_to_next": 4000}                      0 when there is no next tier
 *
 *   Tier evaluation: {"accounts": 10, "upgraded": 1, "downgraded": 2}
 *   Expiry run: {"accounts": 3, "lots": 4, "points": 900}  (accounts with an
 *   expire entry written, lots written off, points expired)
 *
 *   Reward (id unique across programs):
 *
 *     {"id": "free-coffee", "program": "stars", "name": "Free coffee",
 *      "cost": 500,                                 points, 1 to 10^12
 *      "active_from": TIMESTAMP | null,             inclusive; null: unbounded
 *      "active_until": TIMESTAMP | null,            exclusive; null: unbounded
 *      "description": ""}                           at most 2000 characters
 *
 *   Reward definition (input of patron_reward_save): the keys of a Reward;
 *   "id", "program", "name" and "cost" are required; unknown keys are
 *   refused.
 *
 *   Idempotency: every ledger write carries an idempotency key, unique
 *   across all points writes (patron_points_*, patron_reward_redeem). The
 *   same key with the same request returns the original entry and changes
 *   nothing; the same key with a different request is refused with
 *   PATRON_ECONFLICT, errfield "idempotency_key".
 *
 *   PROMOTIONS
 *
 *   Promotion categories are terms a customer enjoys ("staff", "VIP", a
 *   partner company), assigned to the customer or to a company they are
 *   linked to. When several apply, the customer gets the best of each term
 *   (largest discount, largest earn multiplier, largest credit limit in a
 *   currency); they do not stack. Category ids follow the loyalty id rule.
 *
 *   Promotion category:
 *
 *     {
 *       "id": "staff",
 *       "name": "Staff",                            1-200 characters
 *       "discount_basis_points": 1250,              0-10000: 1250 is 12.5%
 *       "earn_multiplier_percent": 200,             0-10000: 200 is double points
 *       "credit_limit": 5000,                       0 to 10^15 minor units; 0: none
 *       "credit_currency": "GBP",                   ISO 4217; "" when credit_limit is 0
 *       "created_at": TIMESTAMP,
 *       "updated_at": TIMESTAMP
 *     }
 *
 *   Category definition (input of patron_category_create and
 *   patron_category_update): the keys of a Promotion category without
 *   "created_at" and "updated_at"; "id" and "name" are required,
 *   "discount_basis_points" and "credit_limit" default to 0,
 *   "earn_multiplier_percent" to 100; "credit_currency" is required with a
 *   credit limit; unknown keys are refused.
 *
 *   A category's credit limit is a purse credit limit: the customer's purse
 *   in that currency may go down to minus the larger of its own limit and
 *   the categories' ("category_credit_limit" of a Purse account).
 *
 *   Applied category (how a category applies to a customer):
 *
 *     {"category": {...},                           the Promotion category
 *      "direct": true,                              assigned to the customer
 *      "companies": [3, 7]}                         through these companies, ascending
 *
 *   Quote (what a till asks before it takes payment; nothing is written):
 *
 *     {
 *       "amount": 10000,                            as asked, minor units
 *       "currency": "GBP",
 *       "discount_basis_points": 1250,              the best that applies
 *       "discount": 1250,                           minor units, rounded down
 *       "to_pay": 8750,                             amount - discount
 *       "program": "stars" | null,
 *       "points": 175,                              what paying to_pay would earn; 0 without a program
 *       "tier": "gold" | null,
 *       "tier_multiplier_percent": 100,
 *       "category_multiplier_percent": 200,
 *       "credit_limit": 5000,                       effective purse credit limit in currency
 *       "credit_available": 5000,                   purse balance + credit_limit
 *       "categories": ["staff"]                     applied, by id
 *     }
 *
 *   VISITS
 *
 *   A customer came in and presented an id (a card, a fob, a phone) at a
 *   place: a host-named site, door or till, 1-64 of A-Z a-z 0-9 . _ - : /
 *   ("spa", "front-gate").
 *
 *   Visit:
 *
 *     {"id": 1,                                     assigned by the database, > 0
 *      "customer": CUSTOMER_ID,
 *      "place": "spa",
 *      "credential": 4 | null,                      the credential presented, if any
 *      "at": TIMESTAMP}
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
 *
 *   For orders, bookings and enquiries: "items[1].quantity",
 *   "items[1].unit_price", "items[1].amount" (quantity x unit_price above
 *   10^15), "payments[0].amount", "payments[0].at", "payments" (their sum
 *   above 10^15), "total", "paid", "placed_at"; "customer.email", "customer.phone" or the unknown
 *   key ("customer.nickname") for bad customer details; and "customer" when
 *   the details do not make a recognisable customer, when neither a
 *   reference nor details were given, and when the reference names nobody
 *   (PATRON_ENOTFOUND) or is neither an id nor a customer number
 *   (PATRON_EINVAL).
 *
 *   For companies: "id" (no company with that id), "ref" (the customer
 *   reference), "domain" (the `domain` argument), "domains[i]" (a domain of
 *   a new company), "name", the unknown key of a document; for
 *   patron_open, "free_mail_domains[i]".
 *
 *   For memberships: "id" (no plan or membership with that id), "ref" (the
 *   customer reference of patron_membership_effective and
 *   patron_membership_has_active), "company_id", "status", "at", and in a
 *   document "name", "kind", "billing_period", "plan", "customer",
 *   "company", "starts_at", "ends_at" or the unknown key.
 *
 *   For credentials: "id" (no credential with that id; PATRON_EPRECONDITION,
 *   errfield "status", when the credential is already replaced), "ref",
 *   "kind", "value" (PATRON_EEXIST when another active credential of the
 *   kind holds it), "status", "label", "valid_from", "valid_until", "token",
 *   "at", and in a document "customer", "wallet", "wallet.provider",
 *   "wallet.serial", "wallet.pass_type" or the unknown key.
 *
 *   For doors: "id" (the door id of patron_door_update and patron_door_get,
 *   a new door's "id", or a permission id), "door", "ref", "name", "notes",
 *   "token", "at", "limit", and in a document "customer", "starts_at",
 *   "ends_at", "required_plan" or the unknown key.
 *
 *   For connections: "id" (no connection with that id), "ref", "referrer",
 *   "referred", "hops", "limit", and in a document "from", "to", "type",
 *   "note", "max_company_size" or the unknown key.
 *
 *   For activity: "json" or, in a new event, "customer", "at",
 *   "category", "type", "source", "actor", "action", "summary", "details"
 *   or the unknown key ("[i].action" in patron_event_record_many); in a
 *   timeline filter "categories[i]", "types[i]", "sources[i]", "from",
 *   "until" (not after "from"), "actor", "text"; and "ref", "before" (not
 *   a cursor patron_timeline returned), "limit", "actor" and "source"
 *   (patron_actor_push).
 *
 *   For notes: "id" (no note with that id), "ref", "body", "author",
 *   "editor", "query" (no word in it), "limit".
 *
 *   For documents: "id" (no document with that id), "ref", "data", "path"
 *   (the file cannot be read or written, the system's reason in the
 *   message), "bytes" (larger than patron_options.max_document_bytes, the
 *   limit in the message), and in the metadata "customer", "name",
 *   "media_type", "kind" or the unknown key.
 *
 *   For custom fields: "key" (PATRON_ENOTFOUND: no field with that key;
 *   PATRON_EEXIST: a field has it already), "label", "type", "required",
 *   "default", "options", "options[i]", "visible_to[i]", the unknown key of
 *   a document, "custom_fields.<key>" for a bad value (or, in a new
 *   customer, a key no field has), "ref", "limit"; PATRON_EPRECONDITION, errfield "type", "options"
 *   or "required", when existing values would break a changed definition
 *   (the message counts the customers), and "required" for clearing a
 *   required field's value.
 *
 *   For purses: in a purse request "customer" (PATRON_ENOTFOUND or
 *   PATRON_EINVAL, as for `ref`), "currency", "amount", "idempotency_key",
 *   "reference" or the unknown key; "id" (no entry with that id), "ref",
 *   "currency", "charge" (PATRON_ENOTFOUND: no charge with that id),
 *   "amount", "idempotency_key", "reference", "credit_limit", "limit";
 *   PATRON_EPRECONDITION, errfield "amount" (a charge beyond the available
 *   amount, or a refund beyond what is left of the charge; the amount left
 *   in the message) or "credit_limit" (a limit the balance is already
 *   below); PATRON_ECONFLICT, errfield "idempotency_key".
 *
 *   For loyalty: in a definition "id", "name", "points_name", "currency",
 *   "earn_points", "per_amount", "rounding", "expiry_months",
 *   "redemption_order", "tier_window_months", "program", "threshold",
 *   "earn_multiplier_percent", "benefits", "cost", "active_from",
 *   "active_until" (not after "active_from"), "description" or the unknown
 *   key (PATRON_EEXIST, errfield "id", when a program with the id exists;
 *   errfield "threshold" when another tier of the program has it);
 *   in a request "customer" (PATRON_ENOTFOUND or PATRON_EINVAL, as for
 *   `ref`), "from", "to" (PATRON_EINVAL also when it is the giver),
 *   "program", "points" (also when an earn has both or neither of "points"
 *   and "amount"), "amount", "currency", "pending_until", "reference",
 *   "reason", "actor" (an adjustment without any actor), "idempotency_key"
 *   or the unknown key, "[i].points" and the like in a batch; as arguments
 *   "ref", "program", "tier", "reward", "entry" (PATRON_ENOTFOUND: no earn
 *   or redeem entry with that id), "id" (no entry with that id), "points",
 *   "idempotency_key", "reason", "at", "active_at", "limit".
 *   PATRON_EPRECONDITION, errfield "points" (a redemption, transfer,
 *   negative adjustment or earn reversal beyond the spendable points, the
 *   spendable points in the message; a reversal beyond what is left of the
 *   original), "currency" (an earn by amount in another currency than the
 *   program's), "reward" (not active now) or "tier" (removing a tier that
 *   accounts hold); PATRON_ECONFLICT, errfield "idempotency_key".
 *
 *   For promotions: in a definition "id", "name",
 *   "discount_basis_points", "earn_multiplier_percent", "credit_limit",
 *   "credit_currency" (required with a credit limit) or the unknown key
 *   (PATRON_EEXIST, errfield "id", when a category with the id exists;
 *   PATRON_ENOTFOUND, errfield "id", when updating one that does not); as
 *   arguments "category", "ref", "company", "amount" (0 to 10^15),
 *   "currency", "program", "limit"; PATRON_EPRECONDITION, errfield
 *   "category", when removing a category still assigned.
 *
 *   For visits: "token" (PATRON_EPRECONDITION when the credential it names
 *   is not accepted, the verdict in the message), "place", "ref",
 *   "credential" (PATRON_ENOTFOUND: no such credential, or not the
 *   customer's), "at", "from", "to" (not after "from"), "limit".
 *
 *   For analytics: "currency" (not ISO 4217; or, with PATRON_EPRECONDITION,
 *   no model fitted or no orders to fit on), "segment", "unit", "cutoff",
 *   "at", "horizon_days", "period_days", "discount_rate", "coverage", the
 *   unknown key of an options document, and "ref".
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

#define PATRON_OPTIONS_VERSION 2

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
   * from any thread, possibly concurrently; it must not call patron. A time
   * outside 0001-9999 fails the call that asked for it (PATRON_EINVAL,
   * errfield "clock"). */
  int64_t (*clock)(void *ctx);
  void *clock_ctx;
  /* More free-mail and ISP domains to refuse as company domains, on top of
   * the built-in list (gmail.com, outlook.com, yahoo.*, icloud.com, ...): an
   * array of free_mail_domain_count strings, copied by patron_open. Each is
   * reduced to its registrable domain ("mail.bigisp.net" refuses
   * bigisp.net and every domain under it). NULL and 0 (default): the
   * built-in list only. A NULL array with a non-zero count fails with
   * PATRON_EINVAL, errfield "free_mail_domains"; a NULL element, or one that
   * is not a domain or is a bare public suffix, with errfield
   * "free_mail_domains[i]". */
  const char *const *free_mail_domains;
  size_t free_mail_domain_count;
  /* Version 2. The largest document patron_document_attach and
   * patron_document_attach_file accept, in bytes (default 25 MiB = 26214400;
   * must be > 0, else patron_open fails with PATRON_EINVAL, errfield
   * "max_document_bytes"). Read only when `version` >= 2: options of a
   * version-1 caller get the default. */
  int64_t max_document_bytes;
} patron_options;

/* Fills *opts with the defaults and the current PATRON_OPTIONS_VERSION. */
PATRON_API void patron_options_init(patron_options *opts);

/* Opens (creating if needed) the database at `path`, a file path or
 * ":memory:", and brings its schema up to date. `opts` may be NULL for the
 * defaults. On success *out receives the handle, to be closed with
 * patron_close(); on failure *out is set to NULL.
 * Errors: PATRON_EMISUSE (NULL out or path), PATRON_EINVAL (bad options;
 * errfield "version", "default_region", "busy_timeout_ms",
 * "free_mail_domains[i]" or "max_document_bytes"),
 * PATRON_ESTORAGE (the file cannot be opened), PATRON_EPRECONDITION (the file
 * was written by a newer patron, or is another program's database: errfield
 * "path"; patron adopts only an empty file and marks its own with SQLite's
 * application_id "PATR"). */
PATRON_API int patron_open(patron_db **out, const char *path, const patron_options *opts);

/* Closes the database and frees the handle. Safe on NULL. */
PATRON_API void patron_close(patron_db *db);

/* The schema version of the open file (> 0), or a negative PATRON_E* code. */
PATRON_API int patron_schema_version(patron_db *db);

/* A consistent copy of the whole database in a new file at `path`, taken
 * from one snapshot while others keep writing (SQLite's online backup API;
 * writers are not held up), written beside `path`, checked (quick_check)
 * and renamed into place. *out_json receives {"path", "bytes",
 * "schema_version"}. PATRON_EEXIST ("path": the file exists; a backup
 * never overwrites); PATRON_EINVAL ("path": empty, or its directory cannot
 * be written). */
PATRON_API int patron_backup(patron_db *db, const char *path, char **out_json);

/* Checks the database in one snapshot: SQLite's integrity_check
 * (quick_check when `quick` is non-zero), its foreign keys, and every purse
 * and points account's balance against its ledger (points also against
 * their open lots), and every customer's current consent against its
 * consent log. *out_json receives {"ok": true|false, "quick",
 * "customers", "purse_accounts", "points_accounts", "problems": [{"check":
 * "integrity|foreign_keys|purse_balance|points_balance|consent_state",
 * "detail"}]} (at
 * most 100 problems). A problem found is not an error: the call succeeds. */
PATRON_API int patron_check(patron_db *db, int quick, char **out_json);

/* How much the database holds, counted in one snapshot. *out_json receives
 * {"schema_version", "file_bytes" (the file, its WAL not counted),
 * "customers" (live), "merged" (merged into another), "erased" (tombstones), "banned",
 * "with_email", "with_phone" (live customers with at least one),
 * "companies", "memberships", "credentials", "orders", "bookings",
 * "enquiries", "visits", "notes", "documents", "events",
 * "purses": [{"currency", "accounts", "balance"}] (minor units, by currency),
 * "points": [{"program", "accounts", "points"}] (outstanding, by program)}. */
PATRON_API int patron_stats(patron_db *db, char **out_json);

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

/* The customer's orders, bookings and enquiries in one JSON array, newest
 * first by their own time (placed_at, starts_at, received_at): each element
 * {"kind": "order"|"booking"|"enquiry", "id": <record id>, "source",
 * "external_ref", "at": <timestamp>, "status": <that kind's status name>,
 * "label": <booking service, enquiry subject, "" for orders>, "total":
 * <order total in minor units, 0 otherwise>, "currency": <order currency, ""
 * otherwise>}. `filter_json` may be NULL, "" or {"kinds": [...], "statuses":
 * [...], "from": ts, "until": ts}; an unknown kind or status is PATRON_EINVAL
 * naming "kinds[i]" / "statuses[i]". Paging as for patron_customer_search. */
PATRON_API int patron_customer_history(patron_db *db, const char *ref, const char *filter_json, size_t limit,
                                       size_t offset, char **out_json);

/* Applies a customer-update JSON object; returns the Customer. */
PATRON_API int patron_customer_update(patron_db *db, const char *ref, const char *json_patch,
                                      char **out_json);

/* Renames the customer number. PATRON_EEXIST when another customer holds it
 * (compared ignoring case) -- except a customer merged into this one, whose
 * number this one takes over (the merged customer is renumbered
 * "merged-..."; its id still leads here). */
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
 * errfield "reason" / "by"). PATRON_EPRECONDITION (errfield "status") when
 * already banned. */
PATRON_API int patron_customer_ban(patron_db *db, const char *ref, const char *reason,
                                   const char *by, char **out_json);

/* Lifts a ban. PATRON_EPRECONDITION (errfield "status") when the customer
 * is not banned. */
PATRON_API int patron_customer_unban(patron_db *db, const char *ref, char **out_json);

/* Presence: online until now + ttl_seconds (a live flow: check-in, till
 * session), which also records activity (first_active_at, last_active_at);
 * ttl_seconds is 1..604800 (7 days), else PATRON_EINVAL with errfield "ttl".
 * Offline ends it at once. Presence is computed when read: after
 * online_until the customer reads as offline. */
PATRON_API int patron_customer_set_online(patron_db *db, const char *ref, long long ttl_seconds,
                                          char **out_json);
PATRON_API int patron_customer_set_offline(patron_db *db, const char *ref, char **out_json);

/* Merges customer `absorbed` into customer `survivor` (both refs): one
 * transaction, irreversible, all or nothing. The survivor keeps its id and
 * number; from then on the absorbed id and number lead to the survivor in
 * every call that takes a customer reference (patron_customer_resolve tells
 * when one was redirected). What moves and how: see "MERGE" below.
 *
 *   MERGE OPTIONS (options_json):
 *
 *     {
 *       "by": "desk-ana",             who decided it: required, at most 200
 *                                     characters; the actor of every event
 *       "take": ["first_name",        fields whose absorbed value replaces the
 *                "custom.vip"],       survivor's: title, first_name, last_name,
 *                                     date_of_birth, lifecycle_stage,
 *                                     emergency_contact, custom.<key>
 *       "dry_run": false              true: work it out, write nothing
 *     }
 *
 *   MERGE RESULT (out_json):
 *
 *     {
 *       "customer": {...},            the survivor after the merge (dry run:
 *                                     as it would be)
 *       "absorbed": "0190...",        the customer merged away, and its number
 *       "absorbed_number": "00017",
 *       "moved": {"orders": 3,        records that moved, by kind (kinds with
 *                 "notes": 1},        none are left out): emails, phones,
 *                                     addresses, orders, bookings, enquiries,
 *                                     memberships, credentials, visits,
 *                                     door_permissions, notes, documents,
 *                                     company_links, promotion_categories,
 *                                     connections, referrals, purse_accounts,
 *                                     points_accounts
 *       "filled": ["date_of_birth"],  fields the survivor left blank, filled
 *       "taken": ["first_name"],      fields taken by request ("take")
 *       "dry_run": false,
 *       "event": 812                  the "customer.merged" event; 0 on a dry run
 *     }
 *
 *   MERGE: profile fields and custom fields keep the survivor's value; the
 *   absorbed customer's fill the blanks; "take" takes it anyway. Tags: the
 *   union (more than 50 together: PATRON_EPRECONDITION, errfield "tags"). A
 *   ban carries over. Emails, phones and addresses: the union without
 *   duplicates (the survivor's primary email and default addresses stay
 *   so). Orders, bookings, enquiries, memberships, credentials, visits,
 *   door permissions, notes, documents, company links, promotion categories,
 *   connections (the one between the two goes; two of one type to the same
 *   customer become one) and referrals move. A purse balance moves through
 *   two ledger entries per currency (keys "merge:<absorbed id>:<currency>:out"
 *   and ":in"; the survivor's credit limit becomes the larger of the two); a
 *   points account moves whole, or, where both have one, its balance moves
 *   through two transfer entries with its open lots (pending and expiry
 *   dates kept) and both customers' qualifying history counts for the tier.
 *   Timelines and edit history are not rewritten: the survivor's show the
 *   absorbed customer's events too, and a "customer.merged" event records
 *   who merged whom, what moved and which values were filled or taken.
 *
 * Refused, writing nothing: PATRON_EINVAL ("by" empty; "take[i]" not a
 * field a merge takes, or naming no custom field; "absorbed" the
 * survivor itself; "survivor" / "absorbed" not an id or number);
 * PATRON_ENOTFOUND ("survivor", "absorbed"); PATRON_EPRECONDITION
 * ("survivor" or "absorbed" already merged away, "tags"). */
PATRON_API int patron_customer_merge(patron_db *db, const char *survivor, const char *absorbed,
                                     const char *options_json, char **out_json);

/* Where `ref` leads: {"id", "number", "merged_from": id|null,
 * "merged_from_number": text|null} -- merged_from is the customer `ref`
 * named when a merge redirected it. "null" when `ref` names nobody;
 * PATRON_EINVAL (errfield "ref") when it is neither an id nor a number. */
PATRON_API int patron_customer_resolve(patron_db *db, const char *ref, char **out_json);

/* --------------------------------------------------------------- duplicates */

/* Which customers are probably the same person, and why: a Fellegi-Sunter
 * record-linkage model compares two profiles field by field (first_name,
 * last_name, email, phone, date_of_birth, postcode, street, city, number);
 * each comparison lands on a level with a weight, log2(m/u), and the
 * weights and the prior add up to the pair's match weight (log2 odds).
 * Agreeing on a rare name, city or postcode weighs more than on a common
 * one (term frequencies, once 500 profiles hold the field). A missing value
 * weighs 0. Until patron_duplicates_train has run a default model answers.
 * Nothing is merged here (patron_customer_merge).
 *
 *   LEVELS, best first, per field:
 *     first_name: exact, swapped (first and last names crossed), close
 *       (Jaro-Winkler >= 0.92 or one edit), phonetic (same NYSIIS code),
 *       similar (Jaro-Winkler >= 0.8), different, missing;
 *     last_name: the same without "swapped" of its own (a swap shows on
 *       both names with weight 0 on last_name: it counts once);
 *     email: exact, same_local_part (at another domain), close (one edit),
 *       different, missing;
 *     phone (valid numbers, E.164): exact, close (one digit changed,
 *       dropped or swapped), different, missing;
 *     date_of_birth: exact, transposed (day and month swapped), one_digit,
 *       different, missing;
 *     postcode: exact, close (one edit), different, missing;
 *     street (line1), city: exact, close (Jaro-Winkler >= 0.88), moved
 *       (different, and so is the postcode: a move counts once, on the
 *       postcode, with weight 0 here), different, missing;
 *     number: exact, different, missing.
 *
 *   EXPLANATION (in each candidate and pair):
 *
 *     "probability": 0.998,         that the two are the same person
 *     "weight": 8.97,               prior_weight + the fields' weights
 *     "prior_weight": -13.29,       log2 of the prior odds
 *     "fields": [{"field": "last_name", "level": "close", "weight": 6.32,
 *                 "m": 0.08, "u": 0.001,
 *                 "term_frequency": null}, ...]   every field, in the order
 *                                   above; term_frequency: the share of
 *                                   profiles holding the agreed value, when
 *                                   it replaced u
 *
 *   SIMILAR OPTIONS (options_json, NULL or "" for the defaults):
 *     {"min_probability": 0.5, "limit": 10}     0..1; 1..1000
 *
 *   CANDIDATES (out_json): best first, an EXPLANATION with "customer",
 *   "number", "first_name", "last_name".
 *
 * patron_duplicates_similar_to: before a till creates a customer. probe_json
 * is a new customer's document (as patron_customer_create takes; only number, first_name,
 * last_name, email, phone, date_of_birth and addresses are compared), each
 * field checked by the rules of patron_customer_create: PATRON_EINVAL
 * naming it ("email", "addresses[0].country", ...), or "probe_json" when it
 * holds none of them. patron_duplicates_of: the profiles resembling
 * customer `ref` (not itself, not those dismissed with it); PATRON_ENOTFOUND
 * ("ref"). Both: PATRON_EINVAL ("min_probability", "limit"). */
PATRON_API int patron_duplicates_similar_to(patron_db *db, const char *probe_json, const char *options_json,
                                            char **out_json);
PATRON_API int patron_duplicates_of(patron_db *db, const char *ref, const char *options_json, char **out_json);

/* The whole base: pairs above the threshold, best first, paged, and the
 * clusters they form.
 *
 *   SCAN OPTIONS (options_json, NULL or "" for the defaults):
 *     {"min_probability": 0.95, "offset": 0, "limit": 1000}   limit 1..100000
 *
 *   SCAN (out_json):
 *     {
 *       "pairs": [{"a": id, "b": id, ...EXPLANATION}, ...],  a < b; this page
 *       "clusters": [[id, id, id], ...],   connected components of all the
 *                                          pairs above the threshold, ids
 *                                          ascending, the largest first
 *       "total_pairs": 130,                above the threshold, all pages
 *       "candidate_pairs": 5270,           pairs the blocking keys proposed
 *       "customers": 4828                  profiles compared
 *     }
 *
 * PATRON_EINVAL ("min_probability", "offset", "limit"). */
PATRON_API int patron_duplicates_scan(patron_db *db, const char *options_json, char **out_json);

/* "Not the same person" (dismiss), or a labelled pair for training (label:
 * same non-zero for "the same person", 0 as dismiss). Remembered with `by`
 * and the time; the latest decision about a pair stands; a dismissed pair
 * is never suggested again. Both customers' timelines get an event,
 * "customer.duplicate_dismissed" (or "customer.duplicate_confirmed"),
 * whose details name the other ({"other": id}). PATRON_EINVAL ("b": the same customer as a;
 * "by" empty or over 200 characters; "a" / "b" not an id or number);
 * PATRON_ENOTFOUND ("a", "b"). */
PATRON_API int patron_duplicates_dismiss(patron_db *db, const char *a, const char *b, const char *by);
PATRON_API int patron_duplicates_label(patron_db *db, const char *a, const char *b, int same, const char *by);

/* Fits the model on the base (u from random pairs, m by EM over the
 * blocked pairs, labelled pairs held at their answer) and stores it.
 *
 *   TRAIN OPTIONS (options_json):
 *     {"by": "nightly", "random_pairs": 1000000, "max_iterations": 50, "seed": 1}
 *       by: required; random_pairs 1000..100000000; max_iterations 1..1000;
 *       the same seed on the same base gives the same model
 *
 *   MODEL (out_json, also of patron_duplicates_model):
 *     {
 *       "prior": 2.1e-4,              that two profiles picked at random match
 *       "fields": [{"field": "first_name",
 *                   "levels": [{"level": "exact", "m": 0.91, "u": 0.004}, ...]},
 *                  ...],              every field, its levels best first
 *                                     ("missing" left out: always 0)
 *       "trained_at": TIMESTAMP|null, null: the default model
 *       "trained_by": "nightly",
 *       "profiles": 4828, "candidate_pairs": 2248, "random_pairs": 1000000,
 *       "labelled_pairs": 3, "iterations": 7, "converged": true
 *     }
 *
 * Records a "duplicates.trained" event (category system, no customer, by
 * "by"). PATRON_EINVAL ("by", "random_pairs", "max_iterations");
 * PATRON_EPRECONDITION ("profiles": fewer than 2 customers to compare). */
PATRON_API int patron_duplicates_train(patron_db *db, const char *options_json, char **out_json);
PATRON_API int patron_duplicates_model(patron_db *db, char **out_json);

/* ------------------------------------------------------------------ imports */

/* Called after each committed batch of an import with the rows done so far
 * and the rows in the file; return 0 to go on, anything else to stop at
 * that batch (the report says "completed": false; the same call again
 * resumes). Must not call back into patron with the same db. */
typedef int (*patron_import_progress)(uint64_t rows_done, uint64_t rows_total, void *user_data);

/* Imports customers from a CSV (RFC 4180; `,` `;` or tab, detected from the
 * header) or JSON Lines file (by extension .jsonl/.ndjson, or "format"), in
 * UTF-8 or the "encoding" named (any ICU converter: "windows-1252", ...).
 * The file is read once whole first: a file that is not text, not in the
 * encoding or not CSV is refused before anything is written. Then every row
 * is validated, matched (by customer number, by any of its emails, then by
 * a phone held by a customer of the same first name) and created, updated
 * or left unchanged, in batches of "batch_size" rows, one transaction each.
 * A row naming the customer an earlier row of the file created or matched
 * is "the same as" that line and adds to it. A new row resembling an
 * existing customer (duplicate detection, probability >=
 * "duplicate_probability") is created and listed ("duplicates": "list"),
 * held back as rejected ("hold"), or not looked for ("off").
 *
 *   OPTIONS (options_json; NULL or "" for the defaults):
 *     {"mapping": {"columns": {"Vorname": "first_name", "Notes": "ignore"},
 *                  "policy": "overwrite", "fill_blanks": ["title"]},
 *      "mapping_file": "map.toml",        instead of "mapping": .json or .toml
 *      "format": "detect", "encoding": "", "delimiter": ",",   or "tab"
 *      "mode": "upsert",                  create | update | upsert
 *      "duplicates": "list", "duplicate_probability": 0.9,
 *      "date_order": "day_first",         03/04/1985 is 3 April; ISO always read
 *      "dry_run": false,                  everything but the writes
 *      "rejects": "rejects.csv",          reject file: importable once corrected
 *      "batch_size": 1000, "max_listed": 1000, "by": "import"}
 *
 *   A row updating a customer needs only a key (number, email, or a valid
 *   phone with the first name); a row creating one needs what
 *   patron_customer_create needs. Fields a column can feed: number, title, first_name, last_name,
 *   date_of_birth, lifecycle_stage, tags, email, phone, phone.mobile,
 *   phone.home, phone.work, phone.other, address.line1, address.line2,
 *   address.city, address.region, address.postal_code, address.country,
 *   custom.<key>, ignore; and what patron_export_customers writes: id,
 *   created_at, updated_at, first_active_at, last_active_at, status,
 *   ban.reason, ban.by, ban.at, emergency_contact.name,
 *   emergency_contact.phone, tags.<n>, emails.<n>.address, emails.<n>.primary,
 *   phones.<n>.number, phones.<n>.label, addresses.<n>.<field>,
 *   custom_fields.<key>[.<n>] (JSON Lines arrays number themselves the same
 *   way). An id, the times, status and ban are kept when the row creates a
 *   customer and ignored when it updates one; a row with an id matches the
 *   customer of that id first. Common headers map themselves ("First Name",
 *   "Surname", "E-mail", "Mobile", "DOB", "Postcode", ...); other columns are
 *   listed in "unknown_columns" and not imported.
 *
 *   REPORT (out_json):
 *     {"file": "guests.csv", "format": "csv", "encoding": "UTF-8",
 *      "delimiter": ",", "dry_run": false, "completed": true,
 *      "resumed_after": 0,               rows an interrupted run had done
 *      "rows": 5, "created": 2, "updated": 1, "unchanged": 0, "rejected": 1,
 *      "same_as_earlier_line": 1, "possible_duplicates": 0,
 *      "columns": {"First Name": "first_name", ...},
 *      "unknown_columns": ["Fax"],
 *      "rejected_rows": [{"line": 4, "field": "E-mail", "code": "invalid_argument",
 *                         "message": "E-mail: ..."}],
 *      "same_as_rows": [{"line": 6, "earlier_line": 2, "customer": ID}],
 *      "possible_duplicate_rows": [{"line": 5, "customer": ID|null,
 *                                   "resembles": ID, "probability": 0.97}]}
 *   Every row is counted in exactly one of created, updated, unchanged,
 *   rejected, same_as_earlier_line; the lists hold the first "max_listed"
 *   of each. Line numbers are the file's (a CSV header is line 1).
 *
 * Resumable: killed or stopped, the same call on the same file with the
 * same options goes on after the last committed batch and ends as one clean
 * run would. One run of a file at a time. PATRON_EINVAL ("file": with the
 * line; "encoding", "mapping...", "batch_size", "max_listed",
 * "duplicate_probability", "by", "rejects": the file being imported or not
 * writable, an option); PATRON_ENOTFOUND ("file", "mapping": no such file);
 * PATRON_ECONFLICT ("file": another import of the file is running, or the
 * file changed while it was being imported). */
PATRON_API int patron_import_customers(patron_db *db, const char *path, const char *options_json,
                                       patron_import_progress progress, void *user_data, char **out_json);

/* The other files of a migration, read, batched, resumed and reported as
 * patron_import_customers does, with the same OPTIONS (but "duplicates",
 * "duplicate_probability" and "policy" are the customers file's) and the
 * same REPORT ("updated" stays 0). Each row names its customer in a
 * "customer" column (an id or a customer number; a merged-away customer
 * leads to the survivor) or a "customer.email" column, and adds one record
 * for them with the write its area's own call makes (events included). A
 * record already there is "unchanged" when the row says the same of it
 * (an empty cell says nothing), else the row is rejected with
 * "conflict": a file never changes what patron holds. "mode" create
 * rejects a row whose record is there ("already_exists"), update one whose
 * record is not ("not_found"). Amounts are in major units as a till shows
 * them ("125.50"), at most the currency's decimals; times are TIMESTAMP
 * text or a date (ISO, or day and month in "date_order"), at midnight UTC.
 *
 *   credentials:     customer, kind, value, label, status (active, blocked,
 *                    lost), valid_from, valid_until. The same: kind, value
 *                    and holder, in the row's status when one holds it
 *                    (a card lost since stays lost). A value another
 *                    customer holds actively: conflict.
 *   purse_balances:  customer, currency, balance >= 0. A top-up with the
 *                    reference "opening balance" and the idempotency key
 *                    "import:opening:<customer id>:<currency>" (also
 *                    looked for under customers merged into it): one per
 *                    customer and currency whichever file or run brings it;
 *                    0 writes nothing.
 *   points_balances: customer, program, points >= 0, qualifying. An
 *                    adjustment with the reason "opening balance", keyed
 *                    "import:opening:<customer id>:<program>".
 *   memberships:     customer, plan (its name or id), starts_at (required),
 *                    ends_at, status (active, paused, cancelled; expired
 *                    for an ends_at that has passed). The same: holder,
 *                    plan and starts_at.
 *   orders:          customer, external_ref, source ("import" when absent),
 *                    placed_at (required), status ("completed" when
 *                    absent), currency, total, paid (when absent: the total
 *                    of a completed order, else 0), items.<n>.name,
 *                    items.<n>.quantity, items.<n>.unit_price,
 *                    items.<n>.category. The same: source and external_ref.
 *
 * Common headers map themselves ("Customer Number", "Card Number",
 * "Balance", "Order Number", "Start Date", ...). PATRON_EINVAL as for
 * patron_import_customers, and ("mapping.columns.<column>") for a field the
 * file does not fill, ("mapping.policies.<field>") for any policy;
 * PATRON_ENOTFOUND ("file", "mapping"); PATRON_ECONFLICT ("file"). */
PATRON_API int patron_import_credentials(patron_db *db, const char *path, const char *options_json,
                                         patron_import_progress progress, void *user_data, char **out_json);
PATRON_API int patron_import_purse_balances(patron_db *db, const char *path, const char *options_json,
                                            patron_import_progress progress, void *user_data, char **out_json);
PATRON_API int patron_import_points_balances(patron_db *db, const char *path, const char *options_json,
                                             patron_import_progress progress, void *user_data, char **out_json);
PATRON_API int patron_import_memberships(patron_db *db, const char *path, const char *options_json,
                                         patron_import_progress progress, void *user_data, char **out_json);
PATRON_API int patron_import_orders(patron_db *db, const char *path, const char *options_json,
                                    patron_import_progress progress, void *user_data, char **out_json);

/* ----------------------------------------------------------------- exports */

/* Called after each page of an export with the customers written so far and
 * the customers selected; return 0 to go on, anything else to stop (no file
 * is written; the report says "completed": false). Must not call back into
 * patron with the same db. */
typedef int (*patron_export_progress)(uint64_t rows_done, uint64_t rows_total, void *user_data);

/* Exports customers to `path`, from one read snapshot (tills keep writing),
 * in the order they were created. The file is written beside `path` and
 * renamed into place complete.
 *
 *   JSON Lines (the default; "format": "jsonl"): one customer per line, the
 *   Customer document without "presence", "online_until" and address ids,
 *   with "custom_fields" ({key: value}) before "created_at".
 *   CSV ("format": "csv", or a path ending .csv): RFC 4180, every cell
 *   quoted, CRLF; a column per field of that record, nested names joined
 *   with dots and lists numbered from 1 ("tags.1", "emails.1.address",
 *   "emails.1.primary", "phones.2.label", "addresses.1.city",
 *   "custom_fields.<key>", a multi_select's "custom_fields.<key>.2"), each
 *   list as long as the longest among the customers exported.
 *   Both are what patron_import_customers takes: exported, imported into an
 *   empty database (custom fields defined alike) and exported again, the
 *   file comes out the same, byte for byte (ids, numbers, times kept).
 *
 *   OPTIONS (options_json; NULL or "" for the defaults):
 *     {"format": "detect",                detect | jsonl | csv
 *      "fields": ["number", "emails"],    the record's fields to write; all when absent:
 *                                         id number title first_name last_name
 *                                         date_of_birth lifecycle_stage tags emails
 *                                         phones addresses emergency_contact status
 *                                         ban custom_fields (or custom_fields.<key>)
 *                                         created_at updated_at first_active_at
 *                                         last_active_at
 *      "delimiter": ",",                  , ; or tab (CSV)
 *      "overwrite": false,                replace an existing file
 *      "select": {"customers": [ref, ...], "company": 12,
 *                 "rfm_currency": "GBP", "rfm_segment": "champions",
 *                 "created_since": TIMESTAMP, "changed_since": TIMESTAMP}}
 *   Criteria given all apply; customers merged away are never exported.
 *
 *   REPORT (out_json): {"file", "format": "jsonl|csv", "completed": true,
 *                       "customers": 120, "bytes": 48211, "columns": [...]}
 *   ("columns": a CSV's header, [] for JSON Lines).
 *
 * PATRON_EINVAL ("path": empty, no such directory, not writable; "format",
 * "fields[i]", "delimiter", "select...": a criterion); PATRON_EEXIST
 * ("path": exists and "overwrite" is not set); PATRON_ENOTFOUND
 * ("select.customers[i]", "select.company"). */
PATRON_API int patron_export_customers(patron_db *db, const char *path, const char *options_json,
                                       patron_export_progress progress, void *user_data, char **out_json);

/* ----------------------------------------------------------- identification */

/* Finds customers by a token from a till, door or form: an id, a customer
 * number, a credential (active and valid now; see CREDENTIALS), an email or
 * a phone. *out_json receives the Identification array (empty "[]" when
 * nothing matched). */
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

/* -------------------------------------------- orders, bookings, enquiries */

/* Every function below returns PATRON_OK and a JSON document in *out_json
 * (release it with patron_free), or a negative code with *out_json = NULL.
 * Records are named by their "id"; an id that names no record of the kind
 * fails with PATRON_ENOTFOUND, errfield "id". Every change is atomic: on
 * failure nothing was written. */

/* Records an order from a new-order JSON object and returns the pushed
 * record {"customer_match": ..., "order": ORDER}.
 * Errors: PATRON_EINVAL (bad JSON, unknown key, a value that breaks a rule:
 * "currency" not ISO 4217, negative "total", "paid" not the sum of the
 * payments, "items[i].quantity" not positive, ...), PATRON_ENOTFOUND
 * (errfield "customer": the customer reference names nobody), PATRON_EEXIST
 * (errfield "external_ref": the source already has an order with that
 * reference). */
PATRON_API int patron_order_record(patron_db *db, const char *json, char **out_json);

/* The Order with that id. */
PATRON_API int patron_order_get(patron_db *db, int64_t id, char **out_json);

/* The Order of `source` with `external_ref`, or "null" when there is none
 * (PATRON_OK). Both must be non-empty (PATRON_EINVAL, errfield "source" /
 * "external_ref"). */
PATRON_API int patron_order_find(patron_db *db, const char *source, const char *external_ref,
                                 char **out_json);

/* Moves the order to ORDER STATUS `status` ("confirmed", ...); returns the
 * Order. PATRON_EINVAL when `status` is not an order status,
 * PATRON_EPRECONDITION when the move is not allowed (errfield "status"). */
PATRON_API int patron_order_set_status(patron_db *db, int64_t id, const char *status,
                                       char **out_json);

/* Adds a PAYMENT JSON object to the order and raises its "paid" by the
 * amount; returns the Order. A refused payment names its field under
 * "payment", as patron_customer_add_address does under "address":
 * "payment.amount" when it is not an integer or not positive,
 * "payment.method" when empty, "payment.at" for a bad time, the unknown
 * key ("payment.tip"). PATRON_EPRECONDITION (errfield "status") when the
 * order is cancelled. */
PATRON_API int patron_order_add_payment(patron_db *db, int64_t id, const char *payment_json,
                                        char **out_json);

/* The orders of the customer `ref`, newest "placed_at" first, as a JSON
 * array, filtered by `filter_json` (a FILTER object; NULL or "" for none).
 * At most `limit` (1..1000, else PATRON_EINVAL with errfield "limit")
 * records after skipping `offset`. PATRON_EINVAL (errfield "until") when
 * "until" is not after "from". */
PATRON_API int patron_order_list(patron_db *db, const char *ref, const char *filter_json,
                                 size_t limit, size_t offset, char **out_json);

/* Records a booking from a new-booking JSON object and returns
 * {"customer_match": ..., "booking": BOOKING}. Errors as for orders, and
 * PATRON_EINVAL for a missing "starts_at", an "ends_at" not after it, a
 * "party_size" outside 1..10000 or an empty "service"; PATRON_ENOTFOUND
 * (errfield "order_external_ref") when the linked order does not exist. */
PATRON_API int patron_booking_record(patron_db *db, const char *json, char **out_json);

/* The Booking with that id. */
PATRON_API int patron_booking_get(patron_db *db, int64_t id, char **out_json);

/* The Booking of `source` with `external_ref`, or "null". */
PATRON_API int patron_booking_find(patron_db *db, const char *source, const char *external_ref,
                                   char **out_json);

/* Moves the booking to BOOKING STATUS `status`; returns the Booking. Errors
 * as for patron_order_set_status. */
PATRON_API int patron_booking_set_status(patron_db *db, int64_t id, const char *status,
                                         char **out_json);

/* Moves the booking to a new time, given as TIMESTAMP text, and its status
 * to "rescheduled"; returns the Booking. PATRON_EINVAL (errfield
 * "starts_at" / "ends_at") for text that is not a timestamp or an end not
 * after the start; PATRON_EPRECONDITION (errfield "status") when the
 * booking may no longer move to "rescheduled" (checked in, no-show,
 * completed, cancelled). */
PATRON_API int patron_booking_reschedule(patron_db *db, int64_t id, const char *starts_at,
                                         const char *ends_at, char **out_json);

/* The bookings of the customer `ref`, latest "starts_at" first; as
 * patron_order_list. */
PATRON_API int patron_booking_list(patron_db *db, const char *ref, const char *filter_json,
                                   size_t limit, size_t offset, char **out_json);

/* Records an enquiry from a new-enquiry JSON object and returns
 * {"customer_match": ..., "enquiry": ENQUIRY}. Errors as for orders, and
 * PATRON_EINVAL for an empty "channel" or a "subject" or "body" that is too
 * long. */
PATRON_API int patron_enquiry_record(patron_db *db, const char *json, char **out_json);

/* The Enquiry with that id. */
PATRON_API int patron_enquiry_get(patron_db *db, int64_t id, char **out_json);

/* The Enquiry of `source` with `external_ref`, or "null". */
PATRON_API int patron_enquiry_find(patron_db *db, const char *source, const char *external_ref,
                                   char **out_json);

/* Moves the enquiry to ENQUIRY STATUS `status`; returns the Enquiry. Errors
 * as for patron_order_set_status. */
PATRON_API int patron_enquiry_set_status(patron_db *db, int64_t id, const char *status,
                                         char **out_json);

/* The enquiries of the customer `ref`, newest "received_at" first; as
 * patron_order_list. */
PATRON_API int patron_enquiry_list(patron_db *db, const char *ref, const char *filter_json,
                                   size_t limit, size_t offset, char **out_json);

/* --------------------------------------------------------------- analytics */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Each `currency` is an ISO
 * 4217 code in any case; anything else fails with PATRON_EINVAL, errfield
 * "currency". Functions taking a `ref` fail as the customer functions do
 * (PATRON_ENOTFOUND or PATRON_EINVAL, errfield "ref"). Options documents
 * are JSON objects (see MODEL OPTIONS and PREDICTION OPTIONS above); bad
 * JSON fails with PATRON_EINVAL, errfield "json", an unknown key with
 * PATRON_EINVAL naming the key. */

/* The customer's Customer stats (a customer without orders has "orders": 0,
 * "by_currency": [] and nulls). */
PATRON_API int patron_analytics_stats(patron_db *db, const char *ref, char **out_json);

/* Scores every customer with an order in `currency` placed before `at`
 * (TIMESTAMP text; NULL = now), replacing the stored scores of that currency
 * in one transaction, and sets *out_count to how many were scored (0 on
 * failure). PATRON_EINVAL (errfield "at") when `at` is not a timestamp.
 * PATRON_EMISUSE (errfield "out_count") when out_count is NULL. */
PATRON_API int patron_analytics_recompute_rfm(patron_db *db, const char *currency, const char *at,
                                              int64_t *out_count);

/* The customer's stored RFM score in `currency`, or "null" (PATRON_OK) when
 * none was computed for them. */
PATRON_API int patron_analytics_rfm(patron_db *db, const char *ref, const char *currency,
                                    char **out_json);

/* The stored RFM scores of one RFM SEGMENT ("at_risk", ...; anything else
 * fails with PATRON_EINVAL, errfield "segment") in `currency`, as a JSON
 * array in customer-number order: at most `limit` (1..1000, else
 * PATRON_EINVAL with errfield "limit") after skipping `offset`. */
PATRON_API int patron_analytics_rfm_segment(patron_db *db, const char *currency, const char *segment,
                                            size_t limit, size_t offset, char **out_json);

/* The purchase Summaries the model sees, for a MODEL OPTIONS document.
 * PATRON_EINVAL with errfield "unit" or "cutoff" for a bad value. */
PATRON_API int patron_analytics_summaries(patron_db *db, const char *options_json, char **out_json);

/* Fits BG/NBD and Gamma-Gamma on every customer's summary (MODEL OPTIONS),
 * stores the fit and returns the Model fit. Fitting reads the orders and
 * works outside the write lock; it takes a while on a large base.
 * PATRON_EPRECONDITION (errfield "currency") when nobody has an order in
 * the currency before the cut-off; PATRON_EPRECONDITION (errfield "") when
 * the likelihood has no maximum (for example when no customer ever came
 * back, or fewer than two customers have repeat orders). */
PATRON_API int patron_analytics_fit_model(patron_db *db, const char *options_json, char **out_json);

/* The latest stored Model fit of `currency`, or "null" (PATRON_OK). */
PATRON_API int patron_analytics_latest_fit(patron_db *db, const char *currency, char **out_json);

/* The Prediction for the customer `ref` under the latest fit of the
 * options' currency (PREDICTION OPTIONS).
 * Errors: PATRON_EPRECONDITION (errfield "currency") when no model has been
 * fitted for the currency, (errfield "ref") when the customer has no order in
 * it before "at"; PATRON_EINVAL naming "horizon_days", "period_days",
 * "discount_rate" or "coverage" for a value out of range. */
PATRON_API int patron_analytics_predict(patron_db *db, const char *ref, const char *options_json,
                                        char **out_json);

/* Predictions for every customer with an order in the currency before
 * "at", as a JSON array in customer-number order; errors as for
 * patron_analytics_predict. Each element equals what
 * patron_analytics_predict returns for that customer (to rounding: the
 * bulk path shares work between customers). */
PATRON_API int patron_analytics_predict_all(patron_db *db, const char *options_json, char **out_json);

/* --------------------------------------------------------------- companies */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Companies are named by their
 * "id"; an id that names no company fails with PATRON_ENOTFOUND, errfield
 * "id". Functions taking a `ref` fail as the customer functions do
 * (PATRON_ENOTFOUND or PATRON_EINVAL, errfield "ref"). Domains are refused as
 * described under COMPANIES (PATRON_EINVAL or PATRON_EEXIST, errfield
 * "domain"). Every change is atomic: on failure nothing was written. */

/* Creates a company from a new-company JSON object, links every customer
 * with an email at its domains, and returns the Company.
 * Errors: PATRON_EINVAL (bad JSON, unknown key, an empty "name", a refused
 * domain: errfield "domains[i]"), PATRON_EEXIST (errfield "domains[i]": the
 * domain belongs to another company). */
PATRON_API int patron_company_create(patron_db *db, const char *json, char **out_json);

/* The Company with that id. */
PATRON_API int patron_company_get(patron_db *db, int64_t id, char **out_json);

/* Applies a company-update JSON object; returns the Company. Domains have
 * their own calls. PATRON_EINVAL for bad JSON, an unknown key or an empty
 * "name". */
PATRON_API int patron_company_update(patron_db *db, int64_t id, const char *json_patch,
                                     char **out_json);

/* Companies whose name starts with `text`, accent- and case-insensitive (""
 * lists every company), as a JSON array of Companies ordered by name. At
 * most `limit` (1..1000, else PATRON_EINVAL with errfield "limit") after
 * skipping `offset`. */
PATRON_API int patron_company_search(patron_db *db, const char *text, size_t limit, size_t offset,
                                     char **out_json);

/* The Company owning the registrable domain of `domain` (a domain or an
 * email address: "eu.acme.co.uk", "ana@acme.co.uk"), or "null" when none
 * does (PATRON_OK; also for a free-mail domain). PATRON_EINVAL (errfield
 * "domain") when `domain` is not a domain or email, or is a bare public
 * suffix ("co.uk"). */
PATRON_API int patron_company_find_by_domain(patron_db *db, const char *domain, char **out_json);

/* Adds a domain (or the domain of an email) to the company and links every
 * customer with an email at it, in one transaction; sets *out_linked to how
 * many customers were newly linked (0 on failure). PATRON_EEXIST (errfield
 * "domain") when this company or another one already owns the domain.
 * PATRON_EMISUSE (errfield "out_linked") when out_linked is NULL. */
PATRON_API int patron_company_add_domain(patron_db *db, int64_t id, const char *domain,
                                         int64_t *out_linked);

/* Removes a domain from the company and the links it made (manual links
 * stay); sets *out_removed to how many links were removed (0 on failure).
 * PATRON_ENOTFOUND (errfield "domain") when the company does not own it.
 * PATRON_EMISUSE (errfield "out_removed") when out_removed is NULL. */
PATRON_API int patron_company_remove_domain(patron_db *db, int64_t id, const char *domain,
                                            int64_t *out_removed);

/* Links the customer `ref` to the company by hand with a `role` (NULL = "")
 * and a billing relationship (non-zero `billing`), or updates the role and
 * flag of the existing manual link; returns the Company link. */
PATRON_API int patron_company_link(patron_db *db, int64_t id, const char *ref, const char *role,
                                   int billing, char **out_json);

/* Removes the manual link between the company and the customer `ref`; links
 * made by email domains stay. PATRON_ENOTFOUND (errfield "ref") when there is
 * no manual link. */
PATRON_API int patron_company_unlink(patron_db *db, int64_t id, const char *ref);

/* The company's customers as a JSON array of Company links, by customer
 * number, each customer once per link. Paging as for
 * patron_company_search. */
PATRON_API int patron_company_customers(patron_db *db, int64_t id, size_t limit, size_t offset,
                                        char **out_json);

/* The companies of the customer `ref` as a JSON array of Company links (how
 * each link was made); "[]" when none. */
PATRON_API int patron_customer_companies(patron_db *db, const char *ref, char **out_json);

/* The registrable domain patron would store for `domain` (a domain or an
 * email address), as a JSON string ("\"acme.co.uk\""), without writing
 * anything. PATRON_EINVAL (errfield "domain") when it would be refused: not
 * a domain, a bare public suffix, or a free-mail domain. */
PATRON_API int patron_registrable_domain(patron_db *db, const char *domain, char **out_json);

/* ------------------------------------------------------------- memberships */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Plans and memberships are
 * named by their "id"; an id that names none fails with PATRON_ENOTFOUND,
 * errfield "id". Functions taking a `ref` fail as the customer functions do
 * (PATRON_ENOTFOUND or PATRON_EINVAL, errfield "ref"). Every change is
 * atomic: on failure nothing was written. */

/* Creates a plan from a new-plan JSON object; returns the Plan.
 * Errors: PATRON_EINVAL (bad JSON, unknown key, empty "name", an unknown
 * "kind" or "billing_period", a subscription without a billing period or
 * another kind with one), PATRON_EEXIST (errfield "name": a plan of that
 * name, ignoring case, exists). */
PATRON_API int patron_plan_create(patron_db *db, const char *json, char **out_json);

/* The Plan with that id. */
PATRON_API int patron_plan_get(patron_db *db, int64_t id, char **out_json);

/* Every plan as a JSON array of Plans, by name; "[]" when none. */
PATRON_API int patron_plan_list(patron_db *db, char **out_json);

/* Adds a membership from a new-membership JSON object; returns the
 * Membership. Errors: PATRON_EINVAL (bad JSON, unknown key; errfield
 * "customer" for both or neither of "customer" and "company"; "ends_at" not
 * after "starts_at"), PATRON_ENOTFOUND (errfield "plan", "customer" or
 * "company": names nothing). */
PATRON_API int patron_membership_add(patron_db *db, const char *json, char **out_json);

/* The Membership with that id, its status as of now. */
PATRON_API int patron_membership_get(patron_db *db, int64_t id, char **out_json);

/* Sets the status ("active", "paused" or "cancelled"; cancelled is final);
 * returns the Membership; setting the status it has changes nothing.
 * PATRON_EINVAL (errfield "status") for an unknown status;
 * PATRON_EPRECONDITION (errfield "status", the message naming both
 * statuses) for "expired", or a move out of "cancelled" or "expired". */
PATRON_API int patron_membership_set_status(patron_db *db, int64_t id, const char *status,
                                            char **out_json);

/* Subscriptions only: moves the end by one billing period (from the current
 * end, or from now when it has none; months are calendar months); returns
 * the Membership. PATRON_EPRECONDITION (errfield "plan") when the plan is
 * not a subscription, (errfield "status") when the membership is cancelled. */
PATRON_API int patron_membership_renew(patron_db *db, int64_t id, char **out_json);

/* The customer's own memberships and those of their companies, as a JSON
 * array of Effective memberships ordered by start; "[]" when none. */
PATRON_API int patron_membership_effective(patron_db *db, const char *ref, char **out_json);

/* A company's own memberships as a JSON array of Memberships ordered by
 * start. PATRON_ENOTFOUND (errfield "company_id") when no company has that
 * id. */
PATRON_API int patron_membership_of_company(patron_db *db, int64_t company_id, char **out_json);

/* 1 when the customer `ref` holds, on their own or through a company, a
 * membership of `plan` that is active (not paused or cancelled) at `at_iso`
 * (a TIMESTAMP; NULL = now), with starts_at <= at < ends_at; 0 when not; a
 * negative PATRON_E* code on failure (PATRON_EINVAL, errfield "at", for a
 * bad timestamp; PATRON_ENOTFOUND, errfield "plan", when no plan has that
 * id; errfield "ref" for the reference). */
PATRON_API int patron_membership_has_active(patron_db *db, const char *ref, int64_t plan,
                                            const char *at_iso);

/* ------------------------------------------------------------- credentials */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Credentials are named by
 * their "id"; an id that names none fails with PATRON_ENOTFOUND, errfield
 * "id". Functions taking a `ref` fail as the customer functions do
 * (PATRON_ENOTFOUND or PATRON_EINVAL, errfield "ref"). A change to a
 * replaced credential fails with PATRON_EPRECONDITION, errfield "status".
 * Every change is atomic: on failure nothing was written. */

/* Issues a credential from a new-credential JSON object; returns the
 * Credential. Errors: PATRON_EINVAL (bad JSON, unknown key, a missing or
 * unknown "kind", a bad "value" (a phone credential's must be a valid phone
 * number), "label", "valid_until" not after "valid_from", "wallet" given
 * for a kind other than "wallet_pass" or missing for one, "wallet.serial"),
 * PATRON_ENOTFOUND or PATRON_EINVAL (errfield "customer": the holder's
 * ref), PATRON_EEXIST (errfield "value": another active credential of the
 * kind holds the value). */
PATRON_API int patron_credential_issue(patron_db *db, const char *json, char **out_json);

/* The Credential with that id. */
PATRON_API int patron_credential_get(patron_db *db, int64_t id, char **out_json);

/* Every credential of the customer `ref`, whatever its status, newest first,
 * as a JSON array of Credentials; "[]" when none. */
PATRON_API int patron_credential_of_customer(patron_db *db, const char *ref, char **out_json);

/* Every credential of `kind` holding `value` (normalised as on issue),
 * whatever its status, newest first (at most one is active); "[]" when
 * none. PATRON_EINVAL (errfield "kind") for an unknown kind. */
PATRON_API int patron_credential_find(patron_db *db, const char *kind, const char *value, char **out_json);

/* Sets the status ("active", "blocked" or "lost"); returns the Credential;
 * setting the status it has changes nothing. PATRON_EINVAL (errfield
 * "status") for an unknown status or "replaced"; PATRON_EEXIST (errfield
 * "value") when reactivating a value another active credential now holds. */
PATRON_API int patron_credential_set_status(patron_db *db, int64_t id, const char *status,
                                            char **out_json);

/* Issues the successor of the credential `id` from a Replacement JSON
 * object (same kind and holder, valid from now or from the old valid_from
 * if later) and marks the old one replaced, linking the two ("replaces",
 * "replaced_by"), in one transaction; returns the successor. Errors as for
 * patron_credential_issue, and PATRON_EPRECONDITION (errfield "status")
 * when the credential is already replaced. */
PATRON_API int patron_credential_replace(patron_db *db, int64_t id, const char *json, char **out_json);

/* Sets the validity window: valid_from_iso and valid_until_iso are
 * TIMESTAMPs, NULL for unbounded on that side; returns the Credential.
 * PATRON_EINVAL (errfield "valid_from" or "valid_until") for a bad
 * timestamp, (errfield "valid_until") when it is not after valid_from. */
PATRON_API int patron_credential_set_validity(patron_db *db, int64_t id, const char *valid_from_iso,
                                              const char *valid_until_iso, char **out_json);

/* Sets the label (at most 200 characters; "" clears it); returns the
 * Credential. */
PATRON_API int patron_credential_set_label(patron_db *db, int64_t id, const char *label, char **out_json);

/* The Credential check of `token` at `at_iso` (a TIMESTAMP; NULL = now):
 * whether a credential with that value identifies its holder, or why not.
 * An unknown token is not an error ("verdict": "unknown"). PATRON_EINVAL
 * (errfield "token") for an empty token, (errfield "at") for a bad
 * timestamp. patron_identify also finds customers by a credential that is
 * active and valid now. */
PATRON_API int patron_identify_credential(patron_db *db, const char *token, const char *at_iso,
                                          char **out_json);

/* The hot path for card readers: copies the id of the holder of the usable
 * credential `token` names at `at_iso` (NULL = now) into out_id and returns
 * 1, or sets out_id to "" and returns 0 when no credential with that value
 * is usable then (the first issued wins when several kinds share it). Only
 * credentials count: no id, number, email or profile-phone matching, no
 * profile load, nothing to free. Errors as patron_identify_credential. */
PATRON_API int patron_credential_holder(patron_db *db, const char *token, const char *at_iso,
                                        char out_id[PATRON_ID_BUFSIZE]);

/* ------------------------------------------------------------------- doors */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. A door id that names no door
 * fails with PATRON_ENOTFOUND, errfield "id" (or "door" where the argument
 * is `door`); a malformed one with PATRON_EINVAL and the same errfield.
 * Functions taking a `ref` fail as the customer functions do
 * (PATRON_ENOTFOUND or PATRON_EINVAL, errfield "ref"). Times (`at_iso`)
 * are TIMESTAMPs, NULL for now (PATRON_EINVAL, errfield "at", when
 * malformed). Every change is atomic: on failure nothing was written. */

/* Creates a door from a new-door JSON object; returns the Door.
 * PATRON_EINVAL (bad JSON, unknown key, a bad "id", "name" or "notes"),
 * PATRON_EEXIST (errfield "id": a door with that id exists). */
PATRON_API int patron_door_create(patron_db *db, const char *json, char **out_json);

/* Renames the door `id` and replaces its notes (NULL = ""); returns the
 * Door. */
PATRON_API int patron_door_update(patron_db *db, const char *id, const char *name, const char *notes,
                                  char **out_json);

/* The Door with that id. */
PATRON_API int patron_door_get(patron_db *db, const char *id, char **out_json);

/* Every door as a JSON array of Doors, by id; "[]" when none. */
PATRON_API int patron_door_list(patron_db *db, char **out_json);

/* Grants a permission from a new-permission JSON object; returns the
 * Permission. Errors: PATRON_EINVAL (bad JSON, unknown key, "ends_at" not
 * after "starts_at", "notes" too long), PATRON_ENOTFOUND (errfield "door",
 * "customer" or "required_plan": names nothing; PATRON_EINVAL, errfield
 * "customer", for a malformed ref). */
PATRON_API int patron_permission_grant(patron_db *db, const char *json, char **out_json);

/* Revokes (deletes) the permission with that id. PATRON_ENOTFOUND
 * (errfield "id") when there is none. */
PATRON_API int patron_permission_revoke(patron_db *db, int64_t id);

/* The permissions of the customer `ref` as a JSON array of Permissions, by
 * door, then start (unbounded first), then id; "[]" when none. */
PATRON_API int patron_permission_of_customer(patron_db *db, const char *ref, char **out_json);

/* The permissions for `door` as a JSON array of Permissions, by customer
 * number, then start, then id. At most `limit` (1..1000, else PATRON_EINVAL
 * with errfield "limit") after skipping `offset`. */
PATRON_API int patron_permission_of_door(patron_db *db, const char *door, size_t limit, size_t offset,
                                         char **out_json);

/* 1 when the customer `ref` may open `door` at `at_iso`, 0 when not (an
 * unknown door, a banned customer, no permission covering the moment, or a
 * missing membership); a negative PATRON_E* code on failure. */
PATRON_API int patron_door_can_open(patron_db *db, const char *ref, const char *door, const char *at_iso);

/* The Access decision for the customer `ref` at `door` and `at_iso`: the
 * same answer as patron_door_can_open, with the reason. */
PATRON_API int patron_door_check(patron_db *db, const char *ref, const char *door, const char *at_iso,
                                 char **out_json);

/* Opens `door` with a presented credential `token`: identifies it (as
 * patron_identify_credential does) and returns the Access decision. An
 * unknown, blocked, lost, replaced, not-yet-valid or expired credential, or
 * an unknown door, is a denial ("allowed": false), not an error;
 * PATRON_EINVAL (errfield "token") for an empty token. */
PATRON_API int patron_door_open(patron_db *db, const char *token, const char *door, const char *at_iso,
                                char **out_json);

/* ------------------------------------------------------------- connections */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Connections are named by
 * their "id"; an id that names none fails with PATRON_ENOTFOUND, errfield
 * "id". Customer references fail as the customer functions do
 * (PATRON_ENOTFOUND or PATRON_EINVAL), errfield naming the argument ("ref",
 * "referrer", "referred") or the document key ("from", "to"). Every change
 * is atomic: on failure nothing was written. */

/* Connects two customers from a new-connection JSON object; returns the
 * Connection. Errors: PATRON_EINVAL (bad JSON, unknown key, a bad "type"
 * or "note", errfield "to" when both ends are the same customer),
 * PATRON_EEXIST (errfield "type": a manual connection of the type joins the
 * pair already). */
PATRON_API int patron_connection_connect(patron_db *db, const char *json, char **out_json);

/* Removes the connection with that id (manual or inferred; inference may
 * make an inferred one again). */
PATRON_API int patron_connection_disconnect(patron_db *db, int64_t id);

/* The Connection with that id. */
PATRON_API int patron_connection_get(patron_db *db, int64_t id, char **out_json);

/* The connections of the customer `ref`, either end, of `type` (NULL or ""
 * = every type), as a JSON array of Connections ordered by type, then the
 * other customer's number, then id; "[]" when none. */
PATRON_API int patron_connection_of_customer(patron_db *db, const char *ref, const char *type,
                                             char **out_json);

/* Records that the customer `referrer` brought in `referred`, with a `note`
 * (NULL = ""); returns the Referral. PATRON_EINVAL (errfield "referred")
 * for a self-referral; PATRON_EEXIST (errfield "referred", the message
 * naming the existing referrer) when the customer already has a referrer. */
PATRON_API int patron_referral_record(patron_db *db, const char *referrer, const char *referred,
                                      const char *note, char **out_json);

/* The Referral that brought in the customer `ref`, or "null" (PATRON_OK)
 * when none is recorded. */
PATRON_API int patron_referral_referrer_of(patron_db *db, const char *ref, char **out_json);

/* Every Referral made by the customer `ref`, by time, as a JSON array; "[]"
 * when none. */
PATRON_API int patron_referral_by(patron_db *db, const char *ref, char **out_json);

/* Runs the inference job under INFERENCE OPTIONS (NULL or "" = defaults):
 * customers linked to the same company become "colleague", recorded
 * referrals become "referral", both marked "inferred"; manual connections
 * are never overwritten; inferred colleagues whose pair no longer shares a
 * company are removed. One transaction. Returns the Inference report. */
PATRON_API int patron_connections_infer(patron_db *db, const char *options_json, char **out_json);

/* Customers within `hops` (1-6) of the customer `ref`, not the start, by
 * breadth-first search, nearest first, then by customer number, at most
 * `limit` (1-10000) of them, as a JSON array of Neighbours. PATRON_EINVAL
 * (errfield "hops" or "limit") out of range. */
PATRON_API int patron_connections_neighbours(patron_db *db, const char *ref, unsigned hops, size_t limit,
                                             char **out_json);

/* The neighbourhood of the customer `ref` (as patron_connections_neighbours
 * finds it) and every connection among it, as Graphviz DOT text in
 * *out_dot (a "graph"; nodes named by customer id and labelled with the
 * name or number, edges labelled with the type; referrals carry an arrow,
 * inferred edges are dashed). Release it with patron_free; NULL on failure.
 * PATRON_EMISUSE (errfield "out_dot") when out_dot is NULL. */
PATRON_API int patron_connections_dot(patron_db *db, const char *ref, unsigned hops, size_t limit,
                                      char **out_dot);

/* ---------------------------------------------------------------- activity */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Functions taking a `ref`
 * fail as the customer functions do (PATRON_ENOTFOUND or PATRON_EINVAL,
 * errfield "ref"). */

/* Records a host's event from a new-event JSON object; returns the Event.
 * PATRON_EINVAL for bad JSON, an unknown key or a value that breaks a rule
 * (errfield the key); errfield "customer" for its ref. */
PATRON_API int patron_event_record(patron_db *db, const char *json, char **out_json);

/* Records every event of a JSON array of new-event objects in one
 * transaction, all or none, in order; returns the array of Events. A
 * refusal names the element ("[2].action"). */
PATRON_API int patron_event_record_many(patron_db *db, const char *json, char **out_json);

/* A page of the customer `ref`'s timeline, newest first (by time, then id):
 * the events matching the TIMELINE FILTER `filter_json` (NULL or "" = all),
 * after the cursor `before` (NULL or "" = from the newest; else a previous
 * page's "next"), at most `limit` (1-1000) of them, as an Event page.
 * PATRON_EINVAL (errfield "before") for a cursor patron_timeline did not
 * return, (errfield "limit") out of range. */
PATRON_API int patron_timeline(patron_db *db, const char *ref, const char *filter_json, const char *before,
                               size_t limit, char **out_json);

/* The change feed: every event (of every customer, and of none) with id >
 * `after`, by id, at most `limit` (1-1000), as a JSON array of Events; "[]"
 * when none. Keep the last id seen and pass it as `after` next time: ids
 * increase in commit order, so the feed never skips or repeats an event. */
PATRON_API int patron_feed(patron_db *db, int64_t after, size_t limit, char **out_json);

/* The id of the newest event (0 when none) into *out_id: where a new feed
 * reader starts to see only what comes next. PATRON_EMISUSE (errfield
 * "out_id") when out_id is NULL. */
PATRON_API int patron_last_event_id(patron_db *db, int64_t *out_id);

/* The edit history of the customer `ref`, newest first, as a JSON array of
 * Field changes; `field` (NULL or "" = every field) keeps one field's
 * ("email", "custom.vip_level"). At most `limit` (1-1000) after skipping
 * `offset`. */
PATRON_API int patron_history(patron_db *db, const char *ref, const char *field, size_t limit, size_t offset,
                              char **out_json);

/* Names the actor of the calls the calling thread makes from now until the
 * matching patron_actor_pop: `actor` (at most 200 characters; "" for none)
 * and `source`, an EVENT SOURCE (NULL = "staff"). Pushes nest; the
 * innermost wins. Actors pushed on a thread end with it. PATRON_EINVAL
 * (errfield "source") for an unknown source, (errfield "actor") for a bad
 * actor; PATRON_EMISUSE (errfield "actor") when actor is NULL. */
PATRON_API int patron_actor_push(const char *actor, const char *source);

/* Ends the innermost actor the calling thread pushed. PATRON_EPRECONDITION
 * (errfield "actor") when it pushed none. */
PATRON_API int patron_actor_pop(void);

/* ------------------------------------------------------------------- notes */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Notes are named by their
 * "id"; an id that names none fails with PATRON_ENOTFOUND, errfield "id".
 * Functions taking a `ref` fail as the customer functions do. Every change
 * is one transaction and records its event in the timeline ("note.added",
 * "note.edited", "note.pinned", "note.unpinned", "note.removed"). */

/* Adds a note with `body` by `author` to the customer `ref`, pinned when
 * `pinned` is non-zero; returns the Note. PATRON_EINVAL (errfield "body" or
 * "author") for a value out of bounds. */
PATRON_API int patron_note_add(patron_db *db, const char *ref, const char *body, const char *author, int pinned,
                               char **out_json);

/* Replaces the body of the note `id`, keeping the old one as a revision;
 * `editor` becomes the author. An unchanged body changes nothing. Returns
 * the Note. */
PATRON_API int patron_note_edit(patron_db *db, int64_t id, const char *body, const char *editor, char **out_json);

/* Pins (non-zero) or unpins (0) the note `id`; returns the Note. */
PATRON_API int patron_note_set_pinned(patron_db *db, int64_t id, int pinned, char **out_json);

/* Removes the note `id` and its revisions (the timeline keeps that it
 * existed). */
PATRON_API int patron_note_remove(patron_db *db, int64_t id);

/* The Note with that id. */
PATRON_API int patron_note_get(patron_db *db, int64_t id, char **out_json);

/* The notes of the customer `ref`, pinned first, then newest first, as a
 * JSON array of Notes: at most `limit` (1-1000, else PATRON_EINVAL with
 * errfield "limit") after skipping `offset`. */
PATRON_API int patron_note_of_customer(patron_db *db, const char *ref, size_t limit, size_t offset,
                                       char **out_json);

/* The earlier bodies of the note `id`, oldest first, as a JSON array of
 * Note revisions; "[]" when never edited. */
PATRON_API int patron_note_revisions(patron_db *db, int64_t id, char **out_json);

/* Full-text search of the notes of the customer `ref` (NULL or "" = every
 * customer's): `query` is words, each a prefix, matched ignoring case and
 * accents ("cafe" finds "Café"; search syntax is taken as plain words).
 * Returns a JSON array of Note hits, best first, at most `limit` after
 * skipping `offset`. PATRON_EINVAL (errfield "query") when it has no word. */
PATRON_API int patron_note_search(patron_db *db, const char *query, const char *ref, size_t limit, size_t offset,
                                  char **out_json);

/* --------------------------------------------------------------- documents */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Documents are named by their
 * "id"; an id that names none fails with PATRON_ENOTFOUND, errfield "id".
 * Attaching and removing are one transaction each (a refused attach leaves
 * nothing behind) and record their events ("document.attached",
 * "document.removed"). */

/* Attaches the `size` bytes at `data` (any byte values; NULL allowed when
 * size is 0) as a document described by the metadata `meta_json`; returns
 * the Document. PATRON_EINVAL (errfield "bytes") when size exceeds
 * max_document_bytes; errfield "customer" for the metadata's ref;
 * PATRON_EMISUSE (errfield "data") for NULL data with a non-zero size. */
PATRON_API int patron_document_attach(patron_db *db, const char *meta_json, const void *data, size_t size,
                                      char **out_json);

/* Attaches the file at `path`, streamed in chunks (never held whole in
 * memory). PATRON_EINVAL (errfield "path") when it cannot be read (the
 * message gives the system's reason) or exceeds max_document_bytes. */
PATRON_API int patron_document_attach_file(patron_db *db, const char *meta_json, const char *path,
                                           char **out_json);

/* The Document with that id (its metadata). */
PATRON_API int patron_document_get(patron_db *db, int64_t id, char **out_json);

/* The documents of the customer `ref`, newest first, as a JSON array of
 * Documents; "[]" when none. */
PATRON_API int patron_document_of_customer(patron_db *db, const char *ref, char **out_json);

/* The exact bytes of the document `id`: a block of *out_size bytes in
 * *out_data (never NULL on success, also for an empty document), released
 * with patron_free. On failure *out_data is NULL and *out_size 0.
 * PATRON_EMISUSE (errfield "out_data" or "out_size") when either is NULL. */
PATRON_API int patron_document_read(patron_db *db, int64_t id, void **out_data, size_t *out_size);

/* Streams the bytes of the document `id` to the file `path` (created or
 * truncated); the size written into *out_size. PATRON_EINVAL (errfield
 * "path") when the file cannot be written. */
PATRON_API int patron_document_read_to_file(patron_db *db, int64_t id, const char *path, int64_t *out_size);

/* Removes the document `id`. */
PATRON_API int patron_document_remove(patron_db *db, int64_t id);

/* ----------------------------------------------------------- custom fields */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Fields are named by their
 * `key`; a key that names none fails with PATRON_ENOTFOUND, errfield
 * "key". Functions taking a `ref` fail as the customer functions do. Every
 * call is one transaction; every change of a value records an edit-history
 * entry ("custom.<key>") and a timeline event. */

/* Defines a field from a new field definition JSON object; returns the
 * Field definition. PATRON_EEXIST (errfield "key") when the key is taken. */
PATRON_API int patron_field_define(patron_db *db, const char *json, char **out_json);

/* Changes the field `key` by a field definition update JSON object;
 * returns the Field definition. PATRON_EPRECONDITION (errfield "type",
 * "options" or "required") when existing values would break it. */
PATRON_API int patron_field_update(patron_db *db, const char *key, const char *json, char **out_json);

/* Removes the field `key` and every value of it. */
PATRON_API int patron_field_remove(patron_db *db, const char *key);

/* The Field definition with that key. */
PATRON_API int patron_field_get(patron_db *db, const char *key, char **out_json);

/* Every Field definition, by key, as a JSON array; "[]" when none. */
PATRON_API int patron_field_list(patron_db *db, char **out_json);

/* The Custom values of the customer `ref`; with a `role` (NULL = all), only
 * the fields visible to it. */
PATRON_API int patron_field_values(patron_db *db, const char *ref, const char *role, char **out_json);

/* Sets the customer's value of the field `key` to the VALUE in
 * `value_json` (read for the field's type); returns all of the customer's
 * Custom values. PATRON_EINVAL (errfield "custom_fields.<key>") for a bad
 * value; PATRON_ENOTFOUND (errfield "key") when no field has the key. */
PATRON_API int patron_field_set(patron_db *db, const char *ref, const char *key, const char *value_json,
                                char **out_json);

/* Removes the customer's value of the field `key`; returns all of the
 * customer's Custom values. PATRON_EPRECONDITION (errfield "required") for
 * a required field. */
PATRON_API int patron_field_clear(patron_db *db, const char *ref, const char *key, char **out_json);

/* The customers whose value of the field `key` equals the VALUE in
 * `value_json` (for multi_select: holds each of its options), by customer
 * number, as a JSON array of Customers: at most `limit` (1-1000) after
 * skipping `offset`. */
PATRON_API int patron_field_find(patron_db *db, const char *key, const char *value_json, size_t limit,
                                 size_t offset, char **out_json);

/* ------------------------------------------------------------------ purses */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Functions taking a `ref`
 * fail as the customer functions do (PATRON_ENOTFOUND or PATRON_EINVAL,
 * errfield "ref"); a `currency` that is not ISO 4217 fails with
 * PATRON_EINVAL, errfield "currency" (any case is accepted). Each call is
 * one transaction; writes are serialised across threads and processes, so
 * every entry counts once and the balance never goes below minus the
 * credit limit. Every entry and credit-limit change records its event in
 * the timeline ("purse.topped_up", "purse.charged", "purse.refunded",
 * "purse.credit_limit_changed"; category "payments", type "payment"). */

/* Tops up the account of the Purse request `request_json`; returns the
 * Purse entry (kind "top_up"). Replaying an idempotency key with the same
 * request returns the original entry and writes nothing. Errors:
 * PATRON_EINVAL (bad JSON, unknown key, "amount" not 1 to 10^15,
 * "currency", "idempotency_key", "reference"), errfield "customer" for the
 * ref (PATRON_ENOTFOUND when it names nobody), PATRON_ECONFLICT (errfield
 * "idempotency_key": the key was used for a different request),
 * PATRON_EPRECONDITION (errfield "amount") when the balance would exceed
 * what an int64_t holds. */
PATRON_API int patron_purse_top_up(patron_db *db, const char *request_json, char **out_json);

/* Charges the account of the Purse request `request_json`; returns the
 * Purse entry (kind "charge"). Errors as patron_purse_top_up, and
 * PATRON_EPRECONDITION (errfield "amount") when the amount exceeds what is
 * available (balance + the larger of the account's and the promotion
 * categories' credit limit; the available amount in the message): nothing
 * is written. */
PATRON_API int patron_purse_charge(patron_db *db, const char *request_json, char **out_json);

/* Gives back `amount` of the charge entry `charge` to the same account
 * under `idempotency_key`, with `reference` (NULL = ""); returns the Purse
 * entry (kind "refund", "refund_of" the charge). Partial refunds may follow
 * one another, never more in all than the charge. Errors: PATRON_ENOTFOUND
 * (errfield "charge": no entry with that id, or it is not a charge),
 * PATRON_EINVAL (errfield "amount", "idempotency_key" or "reference"),
 * PATRON_EPRECONDITION (errfield "amount": more than is left of the charge,
 * the amount left in the message), PATRON_ECONFLICT (errfield
 * "idempotency_key"). A refund of a charge whose customer was since merged
 * into another is written on the charge's account and handed over to the
 * survivor at once (two more entries, as a merge's). */
PATRON_API int patron_purse_refund(patron_db *db, int64_t charge, int64_t amount, const char *idempotency_key,
                                   const char *reference, char **out_json);

/* The Purse account of the customer `ref` in `currency` (balance 0 and no
 * credit when nothing was ever written to it). */
PATRON_API int patron_purse_account(patron_db *db, const char *ref, const char *currency, char **out_json);

/* The customer's accounts that have entries or a credit limit, by
 * currency, as a JSON array of Purse accounts; "[]" when none. */
PATRON_API int patron_purse_accounts(patron_db *db, const char *ref, char **out_json);

/* Sets the credit limit (0 to 10^15 minor units) of the customer's account
 * in `currency`; returns the Purse account. PATRON_EINVAL (errfield
 * "credit_limit") out of range; PATRON_EPRECONDITION (errfield
 * "credit_limit") when the balance is already below minus the new limit. */
PATRON_API int patron_purse_set_credit_limit(patron_db *db, const char *ref, const char *currency,
                                             int64_t credit_limit, char **out_json);

/* The Purse entry with that id (a charge's "refunded" as it is now);
 * PATRON_ENOTFOUND (errfield "id") when there is none. */
PATRON_API int patron_purse_entry(patron_db *db, int64_t id, char **out_json);

/* The entries of the customer's account in `currency`, newest first, as a
 * JSON array of Purse entries: at most `limit` (1-1000, else PATRON_EINVAL
 * with errfield "limit") after skipping `offset`. */
PATRON_API int patron_purse_entries(patron_db *db, const char *ref, const char *currency, size_t limit,
                                    size_t offset, char **out_json);

/* ----------------------------------------------------------------- loyalty */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Functions taking a `ref`
 * fail as the customer functions do (PATRON_ENOTFOUND or PATRON_EINVAL,
 * errfield "ref"); a `program`, `tier` or `reward` that names none fails
 * with PATRON_ENOTFOUND naming the argument. Times (`at_iso`,
 * `active_at_iso`) are TIMESTAMPs, NULL for now (PATRON_EINVAL naming "at"
 * or "active_at" when malformed). Each call is one transaction: a refused
 * call leaves nothing behind. Writes are serialised across threads and
 * processes, so spendable points never go below zero and every entry
 * counts once. Ledger writes record their event in the timeline
 * ("points.earned", "points.redeemed", "points.adjusted", "points.expired",
 * "points.reversed", "points.transferred", "tier.changed",
 * "reward.redeemed"; category "payments", type "payment"). */

/* Creates a program from a Program definition; returns the Program.
 * PATRON_EEXIST (errfield "id") when a program has that id. */
PATRON_API int patron_loyalty_program_create(patron_db *db, const char *json, char **out_json);

/* Replaces the program the definition's "id" names (everything but the
 * id); returns the Program. PATRON_ENOTFOUND (errfield "id") when there is
 * none. */
PATRON_API int patron_loyalty_program_update(patron_db *db, const char *json, char **out_json);

/* The Program with id `program`. */
PATRON_API int patron_loyalty_program_get(patron_db *db, const char *program, char **out_json);

/* Every program as a JSON array of Programs, by id; "[]" when none. */
PATRON_API int patron_loyalty_program_list(patron_db *db, char **out_json);

/* Creates or replaces the tier (program, id) of a Tier definition; returns
 * the Tier. PATRON_ENOTFOUND (errfield "program") for an unknown program;
 * PATRON_EEXIST (errfield "threshold") for a threshold another tier of the
 * program has. */
PATRON_API int patron_loyalty_tier_save(patron_db *db, const char *json, char **out_json);

/* Removes the tier `tier` of `program`. PATRON_EPRECONDITION (errfield
 * "tier") while accounts hold it. */
PATRON_API int patron_loyalty_tier_remove(patron_db *db, const char *program, const char *tier);

/* The tiers of `program` as a JSON array of Tiers, by threshold. */
PATRON_API int patron_loyalty_tier_list(patron_db *db, const char *program, char **out_json);

/* Earns points from an Earn request; returns the Points entry (kind
 * "earn"). Replaying an idempotency key with the same request returns the
 * original entry and writes nothing. Errors: PATRON_EINVAL (bad JSON,
 * unknown key, "points" (also both or neither of points and amount),
 * "amount", "currency", "reference", "idempotency_key"), errfield
 * "customer" for the ref, PATRON_ENOTFOUND (errfield "program"),
 * PATRON_EPRECONDITION (errfield "currency": an amount in another currency
 * than the program's), PATRON_ECONFLICT (errfield "idempotency_key"). */
PATRON_API int patron_points_earn(patron_db *db, const char *request_json, char **out_json);

/* Earns every Earn request of a JSON array in one transaction, all or
 * none, in order; returns the JSON array of Points entries. A refusal
 * names the element ("[2].points", "[0].customer"). */
PATRON_API int patron_points_earn_many(patron_db *db, const char *json_array, char **out_json);

/* Redeems points from a Redeem request; returns the Points entry (kind
 * "redeem", negative points). Errors as patron_points_earn, and
 * PATRON_EPRECONDITION (errfield "points") beyond the spendable points
 * (the spendable points in the message): nothing is written. */
PATRON_API int patron_points_redeem(patron_db *db, const char *request_json, char **out_json);

/* Redeems every Redeem request of a JSON array in one transaction, all or
 * none, in order; returns the JSON array of Points entries. A refusal
 * names the element ("[1].points"). */
PATRON_API int patron_points_redeem_many(patron_db *db, const char *json_array, char **out_json);

/* Typed hot paths of patron_points_earn and patron_points_redeem for tills:
 * no JSON either way, nothing to free. `customer` is an id or number;
 * `reference` may be NULL. An earn gives either `points` (> 0, `amount` 0)
 * or `amount` minor units of `currency` (> 0, `points` 0; `currency` NULL
 * for the program's), never pending. On success the new (or, for a
 * replayed key, the original) entry's id, signed points and balance after
 * it go to the out-parameters that are not NULL. Errors as the JSON forms
 * (errfield "customer", "program", "points", "amount", "currency",
 * "reference", "idempotency_key"). */
PATRON_API int patron_points_earn_typed(patron_db *db, const char *customer, const char *program, int64_t points,
                                        int64_t amount, const char *currency, const char *reference,
                                        const char *idempotency_key, int64_t *out_entry, int64_t *out_points,
                                        int64_t *out_balance_after);
PATRON_API int patron_points_redeem_typed(patron_db *db, const char *customer, const char *program, int64_t points,
                                          const char *reference, const char *idempotency_key, int64_t *out_entry,
                                          int64_t *out_points, int64_t *out_balance_after);

/* Adjusts points from an Adjust request; returns the Points entry (kind
 * "adjust"). PATRON_EINVAL (errfield "reason" when empty, "actor" when
 * neither the document nor patron_actor_push names one, "points" when 0);
 * PATRON_EPRECONDITION (errfield "points") for a negative adjustment
 * beyond the spendable points. */
PATRON_API int patron_points_adjust(patron_db *db, const char *request_json, char **out_json);

/* Reverses `points` of the earn or redeem entry `entry` under
 * `idempotency_key`, with `reason` (NULL = ""); returns the Points entry
 * (kind "reverse", "reverses" the entry). Partial reversals may follow one
 * another, never more in all than the original. Errors: PATRON_ENOTFOUND
 * (errfield "entry": no entry with that id, or not an earn or redeem),
 * PATRON_EINVAL (errfield "points", "idempotency_key" or "reason"),
 * PATRON_EPRECONDITION (errfield "points": more than is left of the
 * original, or an earn's points no longer spendable; errfield "entry": an
 * earn of a customer since merged into another, whose points went with the
 * merge), PATRON_ECONFLICT (errfield "idempotency_key"). A redemption of a
 * merged-away customer given back goes on to the survivor (two transfer
 * entries, as a merge's). */
PATRON_API int patron_points_reverse(patron_db *db, int64_t entry, int64_t points, const char *idempotency_key,
                                     const char *reason, char **out_json);

/* Transfers spendable points from a Transfer request; returns the giver's
 * Points entry (kind "transfer", negative points); its "counterpart" is
 * the receiver's entry. Errors: errfield "from" and "to" for the refs
 * (PATRON_EINVAL, errfield "to", when both are the same customer),
 * PATRON_EPRECONDITION (errfield "points") beyond the giver's spendable
 * points. */
PATRON_API int patron_points_transfer(patron_db *db, const char *request_json, char **out_json);

/* Writes off what is left of every lot of `program` whose expiry is at or
 * before `at_iso` (NULL = now): one expire entry per account; returns the
 * Expiry run. */
PATRON_API int patron_points_expire(patron_db *db, const char *program, const char *at_iso, char **out_json);

/* The Points account of the customer `ref` in `program` (all zero and no
 * tier when never written). */
PATRON_API int patron_points_account(patron_db *db, const char *ref, const char *program, char **out_json);

/* The customer's Points accounts, by program, as a JSON array; "[]" when
 * none. */
PATRON_API int patron_points_accounts(patron_db *db, const char *ref, char **out_json);

/* The Points entry with that id ("reversed" as it is now);
 * PATRON_ENOTFOUND (errfield "id") when there is none. */
PATRON_API int patron_points_entry(patron_db *db, int64_t id, char **out_json);

/* The entries of the customer's account in `program`, newest first, as a
 * JSON array of Points entries: at most `limit` (1-1000, else
 * PATRON_EINVAL with errfield "limit") after skipping `offset`. */
PATRON_API int patron_points_entries(patron_db *db, const char *ref, const char *program, size_t limit,
                                     size_t offset, char **out_json);

/* The lots of the customer's account in `program` with points left, in the
 * program's redemption order, as a JSON array of Points lots. */
PATRON_API int patron_points_lots(patron_db *db, const char *ref, const char *program, char **out_json);

/* The Tier the customer `ref` holds in `program` now, or "null". */
PATRON_API int patron_loyalty_tier_of(patron_db *db, const char *ref, const char *program, char **out_json);

/* The Tier the customer held at `at` (a TIMESTAMP; required: PATRON_EMISUSE
 * when NULL), or "null". */
PATRON_API int patron_loyalty_tier_at(patron_db *db, const char *ref, const char *program, const char *at,
                                      char **out_json);

/* The customer's Tier progress in `program`. */
PATRON_API int patron_loyalty_progress(patron_db *db, const char *ref, const char *program, char **out_json);

/* The customer's tier changes in `program`, newest first, as a JSON array
 * of Tier changes; "[]" when none. */
PATRON_API int patron_loyalty_tier_history(patron_db *db, const char *ref, const char *program,
                                           char **out_json);

/* Moves every account of `program` to the tier its qualifying points at
 * `at_iso` (NULL = now) give, up or down; returns the Tier evaluation. */
PATRON_API int patron_loyalty_evaluate_tiers(patron_db *db, const char *program, const char *at_iso,
                                             char **out_json);

/* Creates or replaces the reward of a Reward definition; returns the
 * Reward. PATRON_ENOTFOUND (errfield "program") for an unknown program. */
PATRON_API int patron_reward_save(patron_db *db, const char *json, char **out_json);

/* The Reward with id `reward`. */
PATRON_API int patron_reward_get(patron_db *db, const char *reward, char **out_json);

/* The rewards of `program` as a JSON array of Rewards, by cost then id;
 * with `active_at_iso` (a TIMESTAMP; NULL = every reward), only those
 * active then. */
PATRON_API int patron_reward_list(patron_db *db, const char *program, const char *active_at_iso, char **out_json);

/* Redeems the reward for the customer `ref` under `idempotency_key`: a
 * Points entry of kind "redeem" for the reward's cost, naming it.
 * PATRON_EPRECONDITION (errfield "reward") when the reward is not active
 * now, (errfield "points") beyond the spendable points; PATRON_ECONFLICT
 * (errfield "idempotency_key"). */
PATRON_API int patron_reward_redeem(patron_db *db, const char *ref, const char *reward, const char *idempotency_key,
                                    char **out_json);

/* The rewards of `program` active now that the customer's spendable points
 * afford, by cost then id, as a JSON array of Rewards. */
PATRON_API int patron_reward_available(patron_db *db, const char *ref, const char *program, char **out_json);

/* The customer's reward redemptions in `program`, newest first, as a JSON
 * array of Points entries: at most `limit` (1-1000) after skipping
 * `offset`. */
PATRON_API int patron_reward_redemptions(patron_db *db, const char *ref, const char *program, size_t limit,
                                         size_t offset, char **out_json);

/* -------------------------------------------------------------- promotions */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. A `category` that names
 * none fails with PATRON_ENOTFOUND, errfield "category"; functions taking
 * a `ref` fail as the customer functions do. Each call is one transaction.
 * Assignments record "category.assigned" / "category.unassigned" on the
 * customer's timeline (category "customers", type "data"). */

/* Creates a category from a Category definition; returns the Promotion
 * category. PATRON_EEXIST (errfield "id") when a category has that id. */
PATRON_API int patron_category_create(patron_db *db, const char *json, char **out_json);

/* Replaces the category the definition's "id" names (everything but the
 * id); returns the Promotion category. PATRON_ENOTFOUND (errfield "id")
 * when there is none. */
PATRON_API int patron_category_update(patron_db *db, const char *json, char **out_json);

/* Removes the category. PATRON_EPRECONDITION (errfield "category") while
 * it is assigned to a customer or a company. */
PATRON_API int patron_category_remove(patron_db *db, const char *category);

/* The Promotion category with id `category`. */
PATRON_API int patron_category_get(patron_db *db, const char *category, char **out_json);

/* Every category as a JSON array of Promotion categories, by id. */
PATRON_API int patron_category_list(patron_db *db, char **out_json);

/* Assigns the category to the customer `ref` / unassigns it. Assigning
 * twice, or unassigning what is not assigned, changes and records
 * nothing. */
PATRON_API int patron_category_assign(patron_db *db, const char *category, const char *ref);
PATRON_API int patron_category_unassign(patron_db *db, const char *category, const char *ref);

/* Assigns the category to the company `company` (every customer linked
 * to it enjoys it) / unassigns it; idempotent as above. PATRON_ENOTFOUND
 * (errfield "company") when there is no such company. */
PATRON_API int patron_category_assign_company(patron_db *db, const char *category, int64_t company);
PATRON_API int patron_category_unassign_company(patron_db *db, const char *category, int64_t company);

/* The categories that apply to the customer `ref`, directly or through a
 * company, by id, as a JSON array of Applied categories. */
PATRON_API int patron_category_of_customer(patron_db *db, const char *ref, char **out_json);

/* The customers the category is assigned to directly, by customer number,
 * as a JSON array of customer ids: at most `limit` (1-1000) after skipping
 * `offset`. */
PATRON_API int patron_category_customers(patron_db *db, const char *category, size_t limit, size_t offset,
                                         char **out_json);

/* The companies the category is assigned to, as a JSON array of company
 * ids, ascending. */
PATRON_API int patron_category_companies(patron_db *db, const char *category, char **out_json);

/* The Quote for the customer `ref` paying `amount` (0 to 10^15 minor
 * units) of `currency`, earning in `program` (NULL = no points). Writes
 * nothing. PATRON_ENOTFOUND (errfield "program") for an unknown program;
 * PATRON_EPRECONDITION (errfield "currency") for another currency than the
 * program's. */
PATRON_API int patron_promotion_quote(patron_db *db, const char *ref, int64_t amount, const char *currency,
                                      const char *program, char **out_json);

/* ------------------------------------------------------------------ visits */

/* Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Functions taking a `ref`
 * fail as the customer functions do. Times are TIMESTAMPs: `at_iso` NULL
 * for now; `from_iso` (inclusive) and `to_iso` (exclusive) NULL for
 * unbounded. `place` is NULL for every place in patron_visit_count and
 * patron_visit_list; the other calls need one (PATRON_EMISUSE, errfield
 * "place", when NULL). Each visit records
 * "visit.recorded" on the customer's timeline (category "customers", type
 * "visit", source "physical"). */

/* Records the visit of whoever holds the credential `token` at `place`:
 * the token is identified as patron_identify_credential does, and only an
 * accepted credential records a Visit (naming it), which is returned. Any
 * other verdict writes nothing and fails with PATRON_EPRECONDITION,
 * errfield "token", the verdict in the message. */
PATRON_API int patron_visit_record_presented(patron_db *db, const char *token, const char *place,
                                             const char *at_iso, char **out_json);

/* Records a visit of the customer `ref` at `place`, with the credential
 * they presented (an id; 0 = none); returns the Visit. PATRON_ENOTFOUND
 * (errfield "credential") when the credential does not exist or is not the
 * customer's. */
PATRON_API int patron_visit_record(patron_db *db, const char *ref, const char *place, int64_t credential,
                                   const char *at_iso, char **out_json);

/* The number of the customer's visits at `place` within [from, to) into
 * *out_count. PATRON_EINVAL (errfield "to") when `to_iso` is not after
 * `from_iso`; PATRON_EMISUSE (errfield "out_count") when out_count is
 * NULL. */
PATRON_API int patron_visit_count(patron_db *db, const char *ref, const char *place, const char *from_iso,
                                  const char *to_iso, int64_t *out_count);

/* The customer's visits at `place` within [from, to), newest first, as a
 * JSON array of Visits: at most `limit` (1-1000, else PATRON_EINVAL with
 * errfield "limit") after skipping `offset`. */
PATRON_API int patron_visit_list(patron_db *db, const char *ref, const char *place, const char *from_iso,
                                 const char *to_iso, size_t limit, size_t offset, char **out_json);

/* The visits of any customer at `place` within [from, to), newest first,
 * as patron_visit_list. */
PATRON_API int patron_visit_at_place(patron_db *db, const char *place, const char *from_iso, const char *to_iso,
                                     size_t limit, size_t offset, char **out_json);

/* ----------------------------------------------------------------- consent */

/* Consent and communication preferences (see consent.hpp for the rules).
 * Functions returning JSON hand it out in *out_json (release it with
 * patron_free), or fail with *out_json = NULL. Functions taking a `ref`
 * fail as the customer functions do. `channel` is "email", "sms",
 * "phone", "post", "push", "in_app" or "whatsapp" (else PATRON_EINVAL,
 * errfield "channel"). `purpose` is a built-in purpose ("marketing",
 * "profiling", "third_party": opt-in; "service": opt-out) or one the host
 * defined (PATRON_EINVAL, errfield "purpose", when it is not 1-64
 * characters of a-z 0-9 _ . -; PATRON_ENOTFOUND when undefined). A
 * ConsentEntry is {"id", "customer", "channel", "purpose", "status"
 * ("granted", "withdrawn", "pending"), "legal_basis": name|null, "source",
 * "text_version", "evidence", "recorded_by", "at", "expires_at":
 * TIMESTAMP|null, "confirms": id|null} (and "token" in a double opt-in's
 * answer). Each write records consent.* on the customer's timeline
 * (category "customers", type "compliance"). */

/* Grants `purpose` on `channel`; returns the ConsentEntry. `grant_json`
 * (NULL for {}): {"legal_basis": "consent" | "contract" |
 * "legal_obligation" | "vital_interests" | "public_task" |
 * "legitimate_interests" (required: PATRON_EINVAL, errfield
 * "legal_basis"), "source" (required, a host id: PATRON_EINVAL, errfield
 * "source"), "text_version" (at most 64 characters), "evidence" (at most
 * 500), "double_opt_in": bool, "valid_for_seconds" (a double opt-in's
 * token validity: 60 to 7776000, default 604800; PATRON_EINVAL, errfield
 * "valid_for_seconds"; ignored without double_opt_in), "reaffirmed": bool}. A
 * double opt-in writes a pending entry and returns its "token" (patron
 * keeps only its hash). A plain grant to an address on the suppression
 * list fails with PATRON_EPRECONDITION, errfield "channel", unless
 * "reaffirmed" (the person grants anew, in person), which lifts it. */
PATRON_API int patron_consent_grant(patron_db *db, const char *ref, const char *channel, const char *purpose,
                                    const char *grant_json, char **out_json);

/* Withdraws `purpose` on `channel`; returns the ConsentEntry and puts the
 * customer's addresses on that channel on the suppression list.
 * `withdrawal_json` (NULL for {}): {"source" (required), "evidence"}. */
PATRON_API int patron_consent_withdraw(patron_db *db, const char *ref, const char *channel, const char *purpose,
                                       const char *withdrawal_json, char **out_json);

/* Confirms a double opt-in with the token its grant returned; returns the
 * granted ConsentEntry ("confirms" names the request). PATRON_EINVAL
 * (errfield "token") when it is not 64 hex digits; PATRON_ENOTFOUND when
 * no request has it; PATRON_EPRECONDITION when already confirmed, expired,
 * or withdrawn since the request. */
PATRON_API int patron_consent_confirm(patron_db *db, const char *token, char **out_json);

/* The hot path: *out_allowed = 1 when the customer may be contacted on
 * `channel` for `purpose` (an opt-in purpose: granted; an opt-out one: not
 * withdrawn), else 0. PATRON_EMISUSE (errfield "out_allowed") when
 * out_allowed is NULL. */
PATRON_API int patron_consent_can_contact(patron_db *db, const char *ref, const char *channel, const char *purpose,
                                          int *out_allowed);

/* Every current state of the customer as a JSON array of {"channel",
 * "purpose", "status", "can_contact", "entry", "since"}. */
PATRON_API int patron_consent_state(patron_db *db, const char *ref, char **out_json);

/* The customer's consent log, newest first, as a JSON array of
 * ConsentEntries: at most `limit` (1-1000, else PATRON_EINVAL with errfield
 * "limit") after skipping `offset`. */
PATRON_API int patron_consent_history(patron_db *db, const char *ref, size_t limit, size_t offset,
                                      char **out_json);

/* One page of the customers reachable on `channel` for `purpose`:
 * {"customers": [id, ...], "next": cursor|null}. `after` is NULL or "" for
 * the first page, else the previous page's "next" (PATRON_EINVAL, errfield
 * "after", when it is not one); `limit` 1-10000 (errfield "limit"). */
PATRON_API int patron_consent_reachable(patron_db *db, const char *channel, const char *purpose, const char *after,
                                        size_t limit, char **out_json);

/* Defines a purpose of the host's; returns {"name", "description",
 * "opt_out", "built_in"}. PATRON_EINVAL (errfield "name" or
 * "description"); PATRON_EEXIST (errfield "name") when it exists. */
PATRON_API int patron_consent_define_purpose(patron_db *db, const char *name, const char *description,
                                             int opt_out, char **out_json);

/* Every purpose, built-in first, as a JSON array. */
PATRON_API int patron_consent_purposes(patron_db *db, char **out_json);

/* Puts `address` (an email, or a phone number for "sms", "phone",
 * "whatsapp"; other channels: PATRON_EINVAL, errfield "channel") on the
 * suppression list for `purpose` (NULL for "marketing"). PATRON_EINVAL
 * (errfield "address") when it is not a valid address of the channel. */
PATRON_API int patron_consent_suppress(patron_db *db, const char *channel, const char *address,
                                       const char *purpose);

/* *out_suppressed = 1 when `address` is on the suppression list for
 * `purpose` (NULL for "marketing"), else 0. */
PATRON_API int patron_consent_is_suppressed(patron_db *db, const char *channel, const char *address,
                                            const char *purpose, int *out_suppressed);

/* Sets the customer's contact preferences from `preferences_json`:
 * {"channel": name|null, "language": BCP 47 tag, "time_zone": IANA id,
 * "windows": [{"days": ["mon", ...], "from": "HH:MM", "to": "HH:MM"}]};
 * returns them as stored (canonical tags). PATRON_EINVAL naming the member
 * ("channel", "language", "time_zone", "windows", "windows[0].days[1]",
 * "windows[0].to", ...). */
PATRON_API int patron_consent_set_preferences(patron_db *db, const char *ref, const char *preferences_json,
                                              char **out_json);

/* The customer's contact preferences, as set (all empty when never set). */
PATRON_API int patron_consent_preferences(patron_db *db, const char *ref, char **out_json);

/* ---- Privacy: subject access export (GDPR Art. 15) and erasure (Art. 17) --
 *
 * Writes everything patron holds on the customer `ref` (and on every
 * customer merged into it) as one zip archive at `path`, which must not
 * exist: customer.json (format "patron-subject-access", version 1: profile,
 * contacts, custom fields, companies, memberships, credentials, door
 * permissions, connections, the whole timeline with its details decrypted,
 * the edit history, notes with revisions, documents, purse and points
 * ledgers, orders, bookings, enquiries, visits, promotion categories, the
 * consent log, states and preferences, analytics and predictions, the
 * customers merged in, and the Art. 15 information: purposes, legal bases,
 * sources, recipients, retention, rights), README.txt, and
 * documents/<id>-<name> (each document's bytes). Written beside `path` and
 * put in place complete or not at all; recorded on the customer's timeline
 * ("customer.access_exported"). *out_json receives {"path", "bytes",
 * "customer", "merged": [id, ...], "events", "documents", "version"}.
 * PATRON_EINVAL naming "ref" or "path" (empty, or its folder cannot be
 * written); PATRON_ENOTFOUND naming "ref"; PATRON_EEXIST naming "path". */
PATRON_API int patron_privacy_export(patron_db *db, const char *ref, const char *path, char **out_json);

/*
 * Erases the customer `ref` and every customer merged into it, in one
 * transaction: its personal data goes (profile, contacts, notes and their
 * revisions, documents, custom field values, credentials, door permissions,
 * memberships, links, enquiries, the consent log and preferences, the
 * full-text entries, and the data key of its timeline, so every event's
 * details become unreadable); orders, bookings, visits, purse and points
 * ledgers and the events' types and times stay, anonymous, under a
 * tombstone. Its emails and phone numbers go on the suppression list for
 * every purpose. The file's freed space is zeroed and its WAL checkpointed:
 * no erased byte is left in the database file or its WAL.
 * `request_json`: {"requested_by": who asked (1-200 characters), "reason":
 * why (1-500 characters)}. *out_json receives the report: {"tombstone":
 * Tombstone, "customers": [id, ...] (the customer, then those merged into
 * it), "removed": {kind: rows}, "kept": {kind: rows}, "suppressed": n}.
 * A Tombstone: {"customer", "number" ("erased-..."), "erased_at",
 * "erased_by" (the actor), "requested_by", "reason", "merged_into": id|null}.
 * PATRON_EINVAL naming "ref", "requested_by" or "reason"; PATRON_ENOTFOUND
 * naming "ref" (no such customer, or erased already); PATRON_EPRECONDITION
 * naming "purses" (money in a purse: settle it first) or "imports" (an
 * unfinished import could bring the customer back). */
PATRON_API int patron_privacy_erase(patron_db *db, const char *ref, const char *request_json, char **out_json);

/* The Tombstone of an erased customer by its id (or a merged-in one's), or
 * null when it is not erased. PATRON_EINVAL naming "customer_id" when it is
 * not a customer id. */
PATRON_API int patron_privacy_tombstone(patron_db *db, const char *customer_id, char **out_json);

/* Every erasure, newest first, as a JSON array of Tombstones: at most
 * `limit` (1-1000, else PATRON_EINVAL with errfield "limit") after skipping
 * `offset`. */
PATRON_API int patron_privacy_erasures(patron_db *db, size_t limit, size_t offset, char **out_json);

/*
 * Retention (privacy.hpp): policies the host sets, each keeping one
 * category of data for a number of days. A policy as JSON: {"name" (1-64
 * characters of A-Z a-z 0-9 . _ - : /), "category" ("inactive_customers": erase
 * customers with no activity for "days"; "timeline_details": drop the
 * details of customers' events older than "days"; "documents": delete
 * documents of "document_kind" "days" after upload), "days" (1-36500),
 * "document_kind" (documents only), "description" (at most 500
 * characters, shown in access exports)}.
 *
 * patron_privacy_set_retention_policy creates the policy or replaces the
 * one of that name, and answers it with "created_at" and "updated_at".
 * PATRON_EINVAL naming "json" (not a JSON object), an unknown key, "name",
 * "category", "days", "document_kind" or "description". */
PATRON_API int patron_privacy_set_retention_policy(patron_db *db, const char *policy_json, char **out_json);

/* Removes the policy `name`. PATRON_ENOTFOUND naming "name". */
PATRON_API int patron_privacy_remove_retention_policy(patron_db *db, const char *name);

/* Every policy, by name, as a JSON array. */
PATRON_API int patron_privacy_retention_policies(patron_db *db, char **out_json);

/*
 * The dry run: what patron_privacy_run_retention would do now, as a run
 * with "id" 0 and "dry_run" true; writes nothing. A run: {"id", "dry_run",
 * "actor", "started_at", "finished_at" (null: a dry run, or stopped half
 * way), "outcomes": one per policy, by name: {"policy" (the whole policy
 * as applied), "cutoff", "customers" (erased, or whose documents were
 * deleted), "documents" (deleted ids), "events" (events whose details were
 * dropped), "skipped" ([{"customer", "reason": "banned"|"purses"|
 * "memberships"|"bookings"}]), "held" (why the policy waited or stopped,
 * e.g. an unfinished import, with what it did before listed; "" when it ran
 * through)}]}. */
PATRON_API int patron_privacy_preview_retention(patron_db *db, char **out_json);

/* Applies every policy and records the run (see the dry run for its JSON).
 * Each erasure, each 100 documents and each 10,000 events is its own
 * transaction, recording what it did; a run stopped half way is listed
 * without "finished_at". */
PATRON_API int patron_privacy_run_retention(patron_db *db, char **out_json);

/* The recorded runs, newest first, as a JSON array: at most `limit`
 * (1-1000, else PATRON_EINVAL with errfield "limit") after skipping
 * `offset`. */
PATRON_API int patron_privacy_retention_runs(patron_db *db, size_t limit, size_t offset, char **out_json);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PATRON_H */
