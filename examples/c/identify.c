/* identify.c -- patron from C: create a customer, recognise them by email,
 * print their profile, and see a refused duplicate.
 *
 *   identify [database-file]      (default: patron-demo-c.db)
 *
 * Build: cc -std=c99 identify.c $(pkg-config --cflags --libs patron)
 */
#include <stdio.h>
#include <stdlib.h>

#include <patron.h>

/* Prints the failure of the last call and returns 1. */
static int report(const char *what, int rc) {
  fprintf(stderr, "%s failed: %s (%d): %s\n", what, patron_errname(rc), rc, patron_errmsg());
  return 1;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "patron-demo-c.db";
  patron_options opts;
  patron_db *db = NULL;
  char *json = NULL;
  char id[PATRON_ID_BUFSIZE];
  int rc;

  printf("patron %s (header %s)\n", patron_version(), PATRON_VERSION);

  patron_options_init(&opts);
  opts.default_region = "GB"; /* how to read "07911 123456" */
  rc = patron_open(&db, path, &opts);
  if (rc != PATRON_OK) return report("patron_open", rc);

  /* Create a customer unless this file already has her (the demo can rerun). */
  rc = patron_identify_id(db, "ana.c@example.com", id);
  if (rc == 0) {
    rc = patron_customer_create(db,
                                "{\"first_name\": \"Ana\", \"last_name\": \"Silva\","
                                " \"email\": \"Ana.C@Example.com\", \"phone\": \"07911 123456\","
                                " \"tags\": [\"vip\"]}",
                                &json);
    if (rc != PATRON_OK) {
      report("patron_customer_create", rc);
      patron_close(db);
      return 1;
    }
    printf("created: %s\n", json);
    patron_free(json);
    json = NULL;
    rc = patron_identify_id(db, "ana.c@example.com", id);
  }
  if (rc < 0) {
    report("patron_identify_id", rc);
    patron_close(db);
    return 1;
  }

  /* The till scans an email, in any case: one customer, and her id. */
  rc = patron_identify_id(db, "ANA.C@EXAMPLE.COM", id);
  printf("identified %d customer(s) by email; first id: %s\n", rc, id);

  rc = patron_customer_get(db, id, &json);
  if (rc != PATRON_OK) {
    report("patron_customer_get", rc);
    patron_close(db);
    return 1;
  }
  printf("profile: %s\n", json);
  patron_free(json);
  json = NULL;

  /* An email belongs to one customer: a second one is refused. */
  rc = patron_customer_create(db, "{\"first_name\": \"Bo\", \"email\": \"ana.c@example.com\"}", &json);
  if (rc == PATRON_EEXIST) {
    printf("duplicate refused as expected: %s (field \"%s\"): %s\n", patron_errname(rc),
           patron_errfield(), patron_errmsg());
  } else {
    fprintf(stderr, "expected PATRON_EEXIST, got %d\n", rc);
    patron_free(json);
    patron_close(db);
    return 1;
  }

  patron_close(db);
  return EXIT_SUCCESS;
}
