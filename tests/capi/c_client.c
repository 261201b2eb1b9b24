/* A C99 client of patron.h, compiled as C with strict warnings: proves the
 * header is plain C and that a C program can drive the library end to end.
 * Returns 0 on success, else the number of the failed step; `message`
 * receives a description. */
#include <stdio.h>
#include <string.h>

#include "patron.h"

#include "c_client.h"

static int64_t fixed_clock(void *ctx) { return *(const int64_t *)ctx; }

int patron_test_c_client(const char *path, char *message, size_t size) {
  static int64_t now = 1795326885123456; /* 2026-11-22T05:54:45.123456Z */
  patron_options opts;
  patron_db *db = NULL;
  char *json = NULL;
  char id[PATRON_ID_BUFSIZE];
  int rc;
  int step = 0;

  message[0] = '\0';
  patron_options_init(&opts);
  opts.default_region = "GB";
  opts.clock = fixed_clock;
  opts.clock_ctx = &now;

  ++step; /* 1 */
  rc = patron_open(&db, path, &opts);
  if (rc != PATRON_OK) goto fail;

  ++step; /* 2 */
  rc = patron_customer_create(db, "{\"first_name\":\"Ana\",\"last_name\":\"Silva\",\"email\":\"ana@example.com\"}",
                              &json);
  if (rc != PATRON_OK || json == NULL || strstr(json, "\"created_at\":\"2026-11-22T05:54:45.123456Z\"") == NULL) {
    goto fail;
  }
  patron_free(json);
  json = NULL;

  ++step; /* 3 */
  rc = patron_identify_id(db, "ANA@example.com", id);
  if (rc != 1 || strlen(id) != 32) goto fail;

  ++step; /* 4 */
  rc = patron_customer_get(db, id, &json);
  if (rc != PATRON_OK || strstr(json, "\"number\":\"00001\"") == NULL) goto fail;
  patron_free(json);
  json = NULL;

  ++step; /* 5: a duplicate email is refused and names the holder */
  rc = patron_customer_create(db, "{\"email\":\"Ana@Example.com\"}", &json);
  if (rc != PATRON_EEXIST || json != NULL || strcmp(patron_errfield(), "email") != 0 ||
      strstr(patron_errmsg(), id) == NULL) {
    goto fail;
  }

  ++step; /* 6: absence is not an error */
  rc = patron_customer_find_by_email(db, "nobody@example.com", &json);
  if (rc != PATRON_OK || json == NULL || strcmp(json, "null") != 0) goto fail;
  patron_free(json);
  json = NULL;

  ++step; /* 7: an order pushed with customer details finds Ana by email */
  rc = patron_order_record(db,
                           "{\"customer\":{\"email\":\"ANA@example.com\"},\"source\":\"pos\","
                           "\"external_ref\":\"R-1\",\"currency\":\"gbp\",\"total\":4200}",
                           &json);
  if (rc != PATRON_OK || strstr(json, "\"customer_match\":\"email\"") == NULL || strstr(json, id) == NULL ||
      strstr(json, "\"currency\":\"GBP\"") == NULL) {
    goto fail;
  }
  patron_free(json);
  json = NULL;

  ++step; /* 8: an illegal status move is refused */
  rc = patron_order_set_status(db, 1, "completed", &json);
  if (rc != PATRON_OK) goto fail;
  patron_free(json);
  json = NULL;
  rc = patron_order_set_status(db, 1, "created", &json);
  if (rc != PATRON_EPRECONDITION || json != NULL || strcmp(patron_errfield(), "status") != 0) goto fail;

  ++step; /* 9: the customer's orders, filtered */
  rc = patron_order_list(db, id, "{\"statuses\":[\"completed\"]}", 10, 0, &json);
  if (rc != PATRON_OK || strstr(json, "\"external_ref\":\"R-1\"") == NULL) goto fail;
  patron_free(json);
  json = NULL;

  patron_close(db);
  return 0;

fail:
  snprintf(message, size, "step %d: rc %d (%s): %s [%s]", step, rc, patron_errname(rc), patron_errmsg(),
           patron_errfield());
  patron_free(json);
  patron_close(db);
  return step;
}
