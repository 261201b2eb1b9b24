#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/<name> from the table below,
and the dictionary fuzz/corpus/<target>.dict: JSON tokens, edge numbers,
the names of patron's enumerations and every quoted word of the seeds.

Run it after changing a seed (the files are checked in; libFuzzer reads
them). A seed is the operation letter followed by its arguments separated by
newlines (see fuzz/harness.hpp). Seeds are small valid inputs of every
operation, plus a few refused ones near the rules.
"""
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CUSTOMER = ('{"number":"A-1001","title":"Dr","first_name":"Ana","last_name":"Silva","email":"ana2@example.com",'
            '"phone":"07911 123457","phone_label":"mobile","date_of_birth":"1990-04-01","lifecycle_stage":"lead",'
            '"tags":["vip","regular"],"addresses":[{"purpose":"billing","line1":"1 High St","line2":"","city":"London",'
            '"region":"","postal_code":"N1 1AA","country":"gb","is_default":true}],'
            '"emergency_contact":{"name":"Rui","phone":"+351912345678"}}')

SEEDS = {
    "fuzz_customers": {
        "create-full": "a" + CUSTOMER,
        "create-email": 'a{"email":"Ana@Bücher.DE "}',
        "create-phone": 'a{"first_name":"Zoë","phone":"+44 7911 123458"}',
        "create-unrecognisable": 'a{"first_name":"Ana"}',
        "create-unknown-key": 'a{"nick":"x","email":"n@example.com"}',
        "create-null": 'a{"email":"z@example.com","title":null,"tags":null,"date_of_birth":null}',
        "create-custom": 'a{"email":"c@example.com","custom_fields":{"vip_level":"gold"}}',
        "create-many": 'b[{"email":"m1@example.com"},{"first_name":"B","last_name":"C","number":"NUM-77"}]',
        "create-many-bad": 'b[{"email":"m2@example.com"},{"email":"not-an-email"}]',
        "update": 'c{"title":"","first_name":"Anna","date_of_birth":"1991-02-28","tags":["a","A"],'
                  '"emergency_contact":{"name":"Rui","phone":""}}',
        "update-clear": 'c{"date_of_birth":null,"tags":null,"emergency_contact":null,"lifecycle_stage":"customer"}',
        "address": 'd{"purpose":"shipping","line1":"2 Low Rd","city":"Leeds","country":"GB","is_default":true}',
        "address-bad": 'd{"line1":"x","country":"UK"}',
        "email": "eana+news@example.com\n1",
        "email-idn": "eJosé@Bücher.de\n",
        "phone": "f+1 (650) 253-0000\nwork",
        "phone-bad": "f12\nmobile",
        "number": "gBO-0002",
        "number-bad": "gno",
        "search": "hana silva",
        "search-accents": "hJOSÉ müller",
        "get-number": "iana-01",
        "get-uuid": "i0190c5a2-e4b8-7c3d-9a1b-2c3d4e5f6a7b",
        "find-email": "jANA@example.com",
        "find-phone": "j07911123456",
        "history": 'k{"field":"first_name"}',
        "ban": "lfighting\njane",
        "online": "m300",
        "nested-tags": "ntags\n3\n\"vip\"",
        "nested-custom": 'ncustom_fields\n2\n{"t":1}',
        "merge": 'oANA-01\nBO-01\n{"by":"desk-jane","take":["first_name","custom.vip"]}',
        "merge-dry-run": 'oBO-01\n' + "ana@example.com" + '\n{"by":"jane","dry_run":true}',
        "merge-self": 'oANA-01\nana-01\n{"by":"jane"}',
        "duplicates": 'p{"first_name":"Ana","last_name":"Sliva","email":"ana@mail.example","date_of_birth":"1990-04-01"}'
                      '\nANA-01\n{"min_probability":0.1,"limit":5}',
        "duplicates-bad": 'p{"title":"Dr"}\n??\n{"limit":-1,"offset":2}',
        # fixed in issue 11: kept so every sanitized run replays it
        "errmsg-invalid-utf8": b'a{"i\xef_default":true}',
        "key-with-nul": 'a{"first_name":"A","last_name":"B","\\u0000x":0}',
    },
    "fuzz_commerce": {
        "order": 'a{"customer":"ANA-01","source":"pos","external_ref":"R-2","placed_at":"2026-10-02T12:00:00+01:00",'
                 '"status":"confirmed","currency":"gbp","total":5400,"paid":5400,'
                 '"items":[{"name":"Espresso","quantity":2,"unit_price":250,"category":"drinks"}],'
                 '"payments":[{"amount":5000,"method":"card","at":"2026-10-02T12:00:00Z"},{"amount":400,"method":"cash"}]}',
        "order-details": 'a{"customer":{"first_name":"Cy","last_name":"Dee","email":"cy@example.com","phone":"07700 900123"},'
                         '"source":"web","external_ref":"W-1","currency":"EUR","total":100}',
        "order-match-phone": 'a{"customer":{"first_name":"ana","phone":"+447911123456"},"source":"web",'
                             '"external_ref":"W-2","currency":"GBP","total":1}',
        "order-big": 'a{"customer":"ANA-01","source":"pos","external_ref":"R-big","currency":"GBP",'
                     '"total":999999999999999,"paid":0}',
        "order-bad": 'a{"customer":"ANA-01","source":"pos","external_ref":"R-3","currency":"XXX","total":-1}',
        "booking": 'b{"customer":"ANA-01","source":"spa","external_ref":"B-2","service":"facial",'
                   '"starts_at":"2026-12-02T10:00:00Z","ends_at":"2026-12-02T10:30:00Z","status":"scheduled",'
                   '"party_size":1,"order_external_ref":""}',
        "booking-order": 'b{"customer":"ANA-01","source":"pos","external_ref":"B-3","service":"table",'
                         '"starts_at":"2026-12-02T19:00:00Z","ends_at":"2026-12-02T21:00:00Z","order_external_ref":"R-1"}',
        "enquiry": 'c{"customer":"ANA-01","source":"web","external_ref":"Q-2","channel":"email","subject":"Room",'
                   '"body":"Hi,\\nis there a room?","received_at":"2026-11-01T08:00:00Z","status":"open"}',
        "payment": 'd{"amount":1000,"method":"voucher","at":"2026-10-01T12:05:00Z"}',
        "status-confirmed": "econfirmed",
        "status-cancelled": "ecancelled",
        "reschedule": "f2026-12-03T10:00:00Z\n2026-12-03T11:00:00Z",
        "filter": 'g{"statuses":["created","confirmed"],"from":"2026-01-01T00:00:00Z","until":"2027-01-01T00:00:00Z"}',
        "find": "hpos\nR-1",
        "model": 'i{"currency":"GBP","cutoff":"2026-11-01T00:00:00Z","unit":"days"}',
        "predict": 'j{"currency":"GBP","at":"2026-11-01T00:00:00Z","horizon_days":365,"period_days":30,'
                   '"discount_rate":0.01,"coverage":0.8}',
        "rfm": "kgbp\n2026-11-01T00:00:00Z",
        "segment": "lGBP\nchampions",
        "stats": "mANA-01",
        # fixed in issue 11: kept so every sanitized run replays it
        "payments-sum-overflow": 'a{"customer":"ANA-01","source":"pos","external_ref":"R-ovf","currency":"GBP","payments":[{"amount":9223372036854775807,"method":"card"},{"amount":9223372036854775807,"method":"card"}]}',
        "stats-sum-overflow": 'a{"customer":"ANA-01","source":"pos","external_ref":"R-max","currency":"GBP","total":9223372036854775807}',
    },
    "fuzz_activity": {
        "event": 'a{"customer":"ANA-01","at":"2026-11-22T05:54:45.123456Z","category":"customers",'
                 '"type":"communication","source":"integration","actor":"mailer","action":"email.sent",'
                 '"summary":"Welcome email sent","details":{"campaign":"welcome","n":[1,2.5,true,null]}}',
        "event-org": 'a{"action":"report.run","summary":"Nightly report","category":"system","type":"report"}',
        "event-nested": 'a{"customer":"ANA-01","action":"x","summary":"x","details":{"a":[[[[[[[[{"b":{}}]]]]]]]]}}',
        "event-bad": 'a{"customer":"ANA-01","action":"Not Valid!","summary":""}',
        "events": 'b[{"customer":"ANA-01","action":"visit.scan","summary":"Scan"},'
                  '{"action":"sync.done","summary":"Sync","details":{}}]',
        "filter": 'c{"categories":["customers"],"types":["communication","data"],"sources":["integration"],'
                  '"from":"2026-01-01T00:00:00Z","until":"2027-01-01T00:00:00Z","actor":"mailer","text":"Email"}',
        "cursor": "d12",
        "history": "efirst_name",
        "actor": "fjane\nstaff",
        "feed": "g0",
        "nested-arrays": "h100\n\n\"x\"",
        "nested-objects": 'h50\no\n{"b":[1,2]}',
        # fixed in issue 11: kept so every sanitized run replays it
        "nesting-read-20000": 'h20000\n\n',
        "nesting-write-100000": 'h100000\n\n',
    },
    "fuzz_custom_fields": {
        "define-select": 'a{"key":"vip_level","label":"VIP level","type":"select","required":true,'
                         '"default":"silver","options":["silver","gold"],"visible_to":[]}',
        "define-number": 'a{"key":"score","label":"Score","type":"number","default":3.5}',
        "define-bad": 'a{"key":"9bad","label":"","type":"colour"}',
        "update": 'bt_select\n{"label":"Choice","type":"multi_select","options":["a","b","c"],"default":null}',
        "update-required": 'bt_text\n{"required":true}',
        "set-text": 'ct_text\n"hello"',
        "set-number": "ct_number\n3.0",
        "set-number-big": "ct_number\n1e308",
        "set-date": 'ct_date\n"2024-02-29"',
        "set-select": 'ct_select\n"b"',
        "set-multi": 'ct_multi\n["c","a"]',
        "set-check": "ct_check\ntrue",
        "set-url": 'ct_url\n"https://example.com/a?b=c"',
        "set-file": "ct_file\n1",
        "set-wrong": 'ct_date\n"2024-13-01"',
        "find": 'dt_multi\n["a"]',
        "create": 'e{"first_name":"Cy","last_name":"Dee","custom_fields":{"t_text":"x","t_check":false,'
                  '"t_number":-2,"t_date":"2000-01-01"}}',
        "values-role": "fmanager",
        "remove": "gt_url",
        "nested": 'ht_multi\n1\n"a"',
        # fixed in issue 11: kept so every sanitized run replays it
        "errmsg-key-invalid-utf8": b'ca\xff\n1',
    },
    "fuzz_accounts": {
        "program": 'a{"id":"miles","name":"Miles","points_name":"miles","currency":"EUR","earn_points":2,'
                   '"per_amount":100,"rounding":"nearest","expiry_months":24,"redemption_order":"oldest_earned",'
                   '"tier_window_months":6}',
        "program-update": 'a{"id":"stars","name":"Stars","currency":"GBP","rounding":"up"}',
        "tier": 'b{"program":"stars","id":"silver","name":"Silver","threshold":200,"earn_multiplier_percent":120,'
                '"benefits":""}',
        "reward": 'c{"id":"cake","program":"stars","name":"Cake","cost":300,"active_from":"2026-01-01T00:00:00Z",'
                  '"active_until":"2027-01-01T00:00:00Z","description":"A slice"}',
        "earn-points": 'd{"customer":"ANA-01","program":"stars","points":150,"reference":"R-1","idempotency_key":"k-1"}',
        "earn-amount": 'd{"customer":"BO-01","program":"stars","amount":10000,"currency":"gbp",'
                       '"pending_until":"2026-12-01T00:00:00Z","idempotency_key":"k-2"}',
        "earn-both": 'd{"customer":"ANA-01","program":"stars","points":1,"amount":1,"idempotency_key":"k-3"}',
        "earn-many": 'e[{"customer":"ANA-01","program":"stars","points":1,"idempotency_key":"m-1"},'
                     '{"customer":"BO-01","program":"stars","amount":999999999999999,"idempotency_key":"m-2"}]',
        "redeem": 'f{"customer":"ANA-01","program":"stars","points":100,"reference":"R-2","idempotency_key":"r-1"}',
        "redeem-many": 'g[{"customer":"ANA-01","program":"stars","points":10,"idempotency_key":"r-2"},'
                       '{"customer":"ANA-01","program":"stars","points":10,"idempotency_key":"r-3"}]',
        "adjust": 'h{"customer":"ANA-01","program":"stars","points":-50,"reason":"goodwill","qualifying":false,'
                  '"actor":"jane","idempotency_key":"adj-1"}',
        "transfer": 'i{"from":"ANA-01","to":"BO-01","program":"stars","points":100,"reason":"gift",'
                    '"idempotency_key":"gift-1"}',
        "purse": 'j{"customer":"ANA-01","currency":"gbp","amount":2500,"idempotency_key":"p-1","reference":"R-1"}',
        "purse-max": 'j{"customer":"ANA-01","currency":"GBP","amount":1000000000000000,"idempotency_key":"p-2"}',
        "category": 'k{"id":"vip","name":"VIP","discount_basis_points":500,"earn_multiplier_percent":150,'
                    '"credit_limit":0,"credit_currency":""}',
        "category-update": 'k{"id":"staff","name":"Staff","credit_limit":999999999999999,"credit_currency":"GBP"}',
        "quote": "l10000\ngbp\nstars",
        "credit": "mGBP\n20000",
        "reverse": "n100\nrev-1\nmistake",
        "reward-redeem": "ocoffee\nrw-1",
        "typed": "p0\n5000\nGBP\nty-1",
        # fixed in issue 11: kept so every sanitized run replays it
        "number-1e400": 'd{"customer":"ANA-01","program":"stars","points":1e400,"idempotency_key":"k-1e400"}',
    },
    "fuzz_identify": {
        "id": "a0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
        "number": "aana-01",
        "email": "a ANA@EXAMPLE.COM ",
        "phone": "a+44 7911 123456",
        "card": "a04A1B2C3",
        "credential-at": "b9780201379624\n2026-06-01T00:00:00Z",
        "credential-expired": "b9780201379624\n2028-01-01T00:00:00+02:00",
        "find": "cwallet_pass\nPASS-1",
        "issue": 'd{"kind":"qr_code","value":"QR-77","customer":"BO-01","label":"app","valid_from":"2026-01-01T00:00:00Z",'
                 '"valid_until":"2030-01-01T00:00:00Z"}',
        "issue-wallet": 'd{"kind":"wallet_pass","value":"PASS-2","customer":"BO-01","wallet":{"serial":"S-2"}}',
        "issue-phone": 'd{"kind":"phone","value":"+1 650 253 0000","customer":"BO-01"}',
        "replace": 'e{"value":"FOB-NEW","label":"new fob","valid_until":"2031-01-01T00:00:00Z"}',
        "status": "flost\nlost it\n2026-01-01T00:00:00Z\n2027-01-01T00:00:00Z",
        "door": "g04A1B2C3\nfront-gate\n2026-11-22T06:00:00Z",
        "visit": "h04A1B2C3\nspa\n2026-11-22T06:00:00Z",
        "consent-grant": 'iANA-01\nemail\nmarketing\n{"legal_basis":"consent","source":"till","text_version":"v3",'
                         '"evidence":"form 42"}',
        "consent-double-opt-in": 'iBO-01\nsms\nmarketing\n{"legal_basis":"consent","source":"web_form",'
                                 '"double_opt_in":true,"valid_for_seconds":3600,"reaffirmed":false}',
        "consent-no-basis": 'iANA-01\nwhatsapp\nprofiling\n{"source":"till"}',
        "consent-bad-channel": 'iANA-01\nfax\nservice\n{"legal_basis":"contract","source":"x"}',
        "suppress": "jemail\nAna@Example.com\nmarketing\n",
        "suppress-phone": "jsms\n07911 123456\n\n0190c5a2e4b87c3d9a1b2c3d4e5f6a7b",
        "suppress-post": "jpost\n1 High St\nservice\nzz",
        "preferences": 'k{"channel":"sms","language":"pt-br","time_zone":"Europe/Lisbon",'
                       '"windows":[{"days":["mon","sat"],"from":"09:00","to":"24:00"}]}\nwine-club\nTastings',
        "preferences-bad": 'k{"windows":[{"days":["funday"],"from":"9","to":"8"}],"language":"??"}\nBad Name\n',
        "erase": 'lZebedee\n{"requested_by":"the guest","reason":"Art. 17"}\n0190c5a2e4b87c3d9a1b2c3d4e5f6a7b',
        "erase-bad": 'lZeb\n{"requested_by":"","reason":"x","by":1}\nANA-01',
        # found by fuzz_identify in its first run: a name that is not UTF-8 broke the harness's own JSON
        "erase-name-not-utf8": b'lZebe\xffsted_by\n{"requested_by":"the guest","reason":"Art. 17"}\n0190c5a2e4b87c3d9a1b2c3d4e5f6a7b',
        "retention-documents": 'm{"name":"id-scans","category":"documents","days":90,"document_kind":"identification",'
                               '"description":"ID scans go after 90 days"}\nid-scans',
        "retention-inactive": 'm{"name":"inactive-3y","category":"inactive_customers","days":1095}\nnone',
        "retention-bad": 'm{"name":"a b","category":"timeline_details","days":0,"document_kind":"image"}\n',
    },
    "fuzz_import": {
        "csv": "aFirst Name,Surname,E-mail,Mobile,DOB,Postcode,Fax\nBen,Okafor,ben@example.com,07400 654321,14/03/1985,"
               "SW1A 1AA,1\nAna,Silva,ANA@example.com,,,,\nBen,,bad@,,,,\n",
        "csv-quotes": 'afirst_name;last_name;email;tags\r\n"Ana";"Silva; da Costa";a@example.com;"vip,""gold"""\r\n'
                      '\r\nBen;"Oka\nfor";b@example.com;\r\n',
        "csv-unclosed": 'afirst_name,last_name\nAna,"Silva\n',
        "csv-consent": "aemail,newsletter,consent.sms.marketing,consent.legal_basis,consent.source,consent.text_version\n"
                       "ana@example.com,yes,no,consent,crm,v1\nbo@example.com,unsubscribed,maybe,,,\n"
                       "bo@example.com,yes,,contract,,\n",
        "csv-custom": "anumber,first_name,last_name,custom.tier,address.city,address.country\n"
                      "K-10001,Cara,Lee,gold,Leeds,GB\nK-10002,Dan,Ng,bronze,York,XX\n",
        "cp1252": b"bFirst Name,Last Name\nJos\xe9,Mu\xf1oz\n",
        "jsonl": 'c{"first_name":"Zoe","last_name":"Quinn","email":["z@example.com","zq@example.org"],'
                 '"address":{"city":"Leeds","postal_code":"LS1 1AA"}}\n[1]\nnot json\n'
                 '{"first_name":"Jonathon","last_name":"Silva","date_of_birth":"1990-04-01"}\n',
        "options": 'd{"mapping":{"columns":{"Vorname":"first_name","Nachname":"last_name"}},"delimiter":"tab",'
                   '"batch_size":1,"max_listed":0}\nVorname\tNachname\nJörg\tSchmidt\n',
        "options-bad": 'd{"mapping":{"columns":{"A":"nope"}}}\nA\nx\n',
        "utf16": b"e\xff\xfef\x00i\x00r\x00s\x00t\x00_\x00n\x00a\x00m\x00e\x00,\x00l\x00a\x00s\x00t\x00"
                 b"_\x00n\x00a\x00m\x00e\x00\n\x00A\x00n\x00a\x00,\x00S\x00i\x00l\x00v\x00a\x00\n\x00",
        "update": "fnumber,first_name,date_of_birth\nANA-01,Anna,04/01/1990\n",
        "export-jsonl": 'g{}',
        "export-csv": 'g{"format":"csv","delimiter":";","fields":["id","number","emails","phones","custom_fields"]}',
        "export-select": 'g{"select":{"customers":["ANA-01"],"created_since":"2020-01-01T00:00:00Z"},'
                         '"fields":["number","tags","addresses","ban","status"]}',
        "numbered": "aid,number,first_name,emails.1.address,emails.2.address,emails.2.primary,phones.1.number,"
                    "phones.1.label,addresses.1.line1,addresses.1.country,addresses.2.line1,addresses.2.is_default,"
                    "tags.1,tags.2,custom_fields.tier,status,ban.reason,created_at,updated_at\n"
                    "0190f1a2b3c47d8e9f00112233445566,K-20001,Eve,e@example.com,e2@example.com,true,07400 222333,"
                    "home,1 High St,GB,2 Low Rd,true,\"a, b\",c,gold,banned,rude,2019-01-02T03:04:05Z,"
                    "2019-01-03T00:00:00Z\n",
        "records-credentials": "hd\ncustomer,kind,value,status,valid_until\nANA-01,barcode,B-1,,\n"
                               "ANA-01,barcode,B-1,lost,2030-01-01\nNOBODY-1,barcode,B-2,,\nANA-01,pass,B-3,,\n",
        "records-purses": "he\ncustomer.email,currency,balance\nana@example.com,EUR,12.50\nana@example.com,JPY,1.5\n"
                          "ana@example.com,EUR,13\n",
        "records-points": "hf\ncustomer,program,points,qualifying\nANA-01,stars,100,yes\nANA-01,moons,1,\n"
                          "ANA-01,stars,-1,\n",
        "records-memberships": "hg\ncustomer,plan,starts_at,ends_at,status\nANA-01,Gold,2024-01-01,,paused\n"
                               "ANA-01,Gold,01/02/2020,01/03/2020,expired\nANA-01,Silver,2024-01-01,,\n",
        "records-orders": "hc\norder,customer,date,currency,total,paid,items.1.name,items.1.quantity,items.2.unit_price\n"
                          "R-1,ANA-01,2025-01-01T10:00:00Z,EUR,12.5,,Tea,2,\nR-1,ANA-01,2025-01-01,EUR,12.5,,,,\n"
                          "R-2,ANA-01,2025-01-01,EUR,12.5,3,,,4\n",
    },
    "fuzz_time": {
        "dob": "a1990-04-01\n",
        "dob-leap": "a2000-02-29\n",
        "dob-bad": "a1999-02-29\n",
        "update-dob": "b0001-01-01\n",
        "order": "c2026-11-22T05:54:45.123456Z\n2026-11-22 06:00:00+01:00",
        "order-offset": "c2026-11-22T05:54:45-05:30\n2026-11-23T00:00:00",
        "booking": "d2026-12-01T10:00:00Z\n2026-12-01T11:00:00Z",
        "event": "e2026-11-22T05:54:45Z\n",
        "event-far": "e9999-12-31T23:59:59.999999Z\n",
        "timeline": "f2026-01-01T00:00:00Z\n2027-01-01T00:00:00Z",
        "validity": "g2026-01-01T00:00:00Z\n2026-12-31T00:00:00Z",
        "door": "h2026-11-22T05:54:45Z\n",
        "visit": "i2026-11-22T05:54:45Z\n2026-11-23T05:54:45Z",
        "loyalty": "j2027-11-22T05:54:45Z\n",
        "analytics": "k2026-11-22T05:54:45Z\n",
        "membership": "l2026-01-01T00:00:00Z\n2026-02-01T00:00:00Z",
        "pending": "m2026-12-24T00:00:00Z\n2027-01-01T00:00:00Z",
        "permission": "n2026-01-01T00:00:00Z\n2026-01-01T00:00:00.000001Z",
    },
    "fuzz_org": {
        "company": 'a{"name":"Beta plc","sector":"law","contact_person":"Rui","notes":"",'
                   '"domains":["beta.com","ana@eu.beta.co.uk"]}',
        "company-freemail": 'a{"name":"Mail","domains":["gmail.com"]}',
        "company-update": 'b{"name":"Acme plc","sector":"","contact_person":null,"notes":"n"}',
        "domain": "cEU.Acme.com",
        "domain-suffix": "cco.uk",
        "link": "dbilling contact",
        "plan": 'e{"name":"Club","kind":"subscription","benefits":"","billing_period":"yearly"}',
        "membership": 'f{"plan":1,"customer":"BO-01","starts_at":"2026-01-01T00:00:00Z","ends_at":"2027-01-01T00:00:00Z"}',
        "membership-company": 'f{"plan":1,"company":1}',
        "status": "gpaused",
        "door": 'h{"id":"spa/2","name":"Spa door","notes":""}',
        "door-update": "ifront-gate\nMain gate\nnotes",
        "permission": 'j{"customer":"BO-01","door":"front-gate","starts_at":"2026-01-01T00:00:00Z",'
                      '"ends_at":"2027-01-01T00:00:00Z","notes":"","required_plan":1}',
        "connection": 'k{"from":"ANA-01","to":"BO-01","type":"Colleague","note":"met at work"}',
        "referral": "lANA-01\nBO-01\nbrought a friend",
        "infer": 'm{"max_company_size":2}',
        "note": "nAsk @front-desk about the **table** for @jane\njane",
        "search": "otable jane",
        "document": b'p{"customer":"ANA-01","name":"id.png","media_type":"Image/PNG; q=1","kind":"identification"}\n'
                    b'\x89PNG\r\n\x1a\n\x00\x00',
        "connections-type": "qfriend",
    },
    "fuzz_text": {
        "utf8": "a  Zoë Ünal  ",
        "utf8-bad": b"a\xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80",
        "email": "bAna@Bücher.DE ",
        # fixed: a local part that lower-casing lengthens past 64 bytes
        "email-lowered-too-long": b"bana.siEEEEEEEEEEEEEEEEcEU.AcchhhhhhEEEEEEEEEEEEhEEEEEEEaA+new\xc4\xb0s@eho.ukm",
        "email-plus": "bana.silva+news@example.co.uk",
        "email-bad": "b.ana@example.com",
        "domain": "cEU.Acme.co.uk",
        "domain-email": "cana@xn--bcher-kva.de",
        "phone": "d07911 123456\nGB",
        "phone-us": "d(650) 253-0000\nUS",
        "phone-intl": "d+351 912 345 678\n",
        "names": "eJosé Müller Σωκράτης",
        "country": "fgb",
        "currency": "fchf",
        "timestamp": "g2026-11-22T05:54:45.123456Z",
        "timestamp-offset": "g2026-11-22 05:54:45+01:00",
        "timestamp-local": "g2026-11-22T05:54:45",
        "date": "h1990-04-01",
        "date-bad": "h1990-02-30",
        # fixed in issue 11: kept so every sanitized run replays it
        "date-year-minus-1": 'h-001-01-01',
        "timestamp-year-minus-1": 'g-001-01-01T00:00:00Z',
        "timestamp-dangling-offset-sign": 'g2026-05-22T05:54:40-',
        "timestamp-bad-month": 'g2026-13-01T00:00:00Z',
    },
}


# Inputs that show bugs not fixed yet (fuzz/known/README.md says which):
# written to fuzz/known/<target>/<name>, not replayed by ctest. Once a bug is
# fixed, move its inputs into SEEDS so that every sanitized run replays them.
KNOWN: dict = {}

# Tokens every target's dictionary holds.
COMMON = ['{', '}', '[', ']', ':', ',', '"', 'null', 'true', 'false', '\\u0000', '\\ud800', '\\"', '\\n',
          '-0', '0.5', '1e400', '-1e400', '1e-400', '9223372036854775807', '9223372036854775808',
          '-9223372036854775808', '18446744073709551616', '1000000000000000', '1000000000001',
          'T00:00:00Z', '+01:00', '-00:00', '.999999Z', '0000-01-01', '9999-12-31', '10000-01-01', '-0001-01-01',
          '2026-11-22T05:54:45Z', 'ANA-01', 'BO-01', 'stars', 'GBP', '@', '.', '\\u00e9']
# The values of patron's enumerations (capi/include/patron.h).
ENUMS = ['created', 'confirmed', 'completed', 'cancelled', 'scheduled', 'rescheduled', 'checked_in', 'no_show',
         'open', 'in_progress', 'resolved', 'closed', 'orders', 'customers', 'bookings', 'payments', 'system',
         'auth', 'access', 'order', 'payment', 'cart', 'booking', 'enquiry', 'visit', 'scan', 'communication',
         'settings', 'configuration', 'data', 'security', 'compliance', 'notification', 'integration', 'report',
         'export', 'staff', 'customer', 'api', 'webhook', 'physical', 'automated', 'magnetic_card', 'smart_card',
         'key_fob', 'barcode', 'qr_code', 'wallet_pass', 'phone', 'active', 'blocked', 'lost', 'replaced',
         'apple', 'google', 'membership', 'loyalty', 'text', 'number', 'date', 'select', 'multi_select',
         'checkbox', 'url', 'file', 'down', 'nearest', 'up', 'soonest_expiring', 'oldest_earned', 'personal',
         'subscription', 'company', 'none', 'weekly', 'monthly', 'quarterly', 'yearly', 'paused', 'billing',
         'shipping', 'contact', 'mobile', 'work', 'home', 'other', 'weeks', 'days', 'friend', 'colleague',
         'relative', 'acquaintance', 'referral', 'agreement', 'contract', 'identification', 'waiver',
         'consent_form', 'image', 'champions', 'hibernating']


# Tokens of the text target (emails, domains, phones, names, times).
TEXT = ['@', '.', '..', '-', '+', 'xn--', 'xn--bcher-kva', '.co.uk', '.com', 'gmail.com', 'localhost', '\u3002',
        '\uff0e', '\u00df', '\u0130', '\u03a3', '\u200d', '\ufeff', '+44', '+1', '00', '(0)', 'ext. 12', '#',
        '*', 'GB', 'US', 'ZZ', '001', 'T', 'Z', ' ', '\t', '+01:00', '-23:59', '+24:00', ':60', '.0000001',
        '0000-01-01', '9999-12-31', '10000-01-01', '-0001-01-01', '1970-01-01T00:00:00Z', '2024-02-29',
        '1900-02-29', 'gbp', 'XXX', 'XTS']


def dictionary(seeds: dict) -> list:
    words = set(TEXT if seeds is SEEDS["fuzz_text"] else COMMON)
    for text in seeds.values():
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        words.update(re.findall(r'"([^"\\]{1,40})"', text))
    if seeds is not SEEDS["fuzz_text"]:
        words.update(ENUMS)
    out = []
    for w in sorted(words):
        escaped = "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
                          "".join(f"\\x{b:02x}" for b in c.encode()) for c in w)
        out.append(f'"{escaped}"')
    return out


def main() -> int:
    corpus = os.path.join(HERE, "corpus")
    for target, seeds in SEEDS.items():
        d = os.path.join(corpus, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, text in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        with open(os.path.join(corpus, target + ".dict"), "w") as f:
            f.write("# Written by fuzz/seeds.py.\n" + "\n".join(dictionary(seeds)) + "\n")
    known = os.path.join(HERE, "known")
    for entry in os.scandir(known):  # a fixed bug's inputs leave with it
        if entry.is_dir():
            shutil.rmtree(entry.path)
    for target, inputs in KNOWN.items():
        d = os.path.join(known, target)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name, text in inputs.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    print(f"wrote {sum(len(s) for s in SEEDS.values())} seeds for {len(SEEDS)} targets and "
          f"{sum(len(k) for k in KNOWN.values())} known inputs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
