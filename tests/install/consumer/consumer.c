#include <patron.h>
#include <stdio.h>

int main(int argc, char **argv) {
  patron_db *db = NULL;
  char *json = NULL;
  char id[33];
  if (patron_open(&db, argc > 1 ? argv[1] : "consumer.db", NULL) != PATRON_OK) return 1;
  if (patron_customer_create(db, "{\"email\": \"ana@example.com\"}", &json) != PATRON_OK) return 2;
  patron_free(json);
  if (patron_identify_id(db, "ANA@example.com", id) != 1) return 3;
  printf("c ok %s (patron %s)\n", id, patron_version());
  patron_close(db);
  return PATRON_VERSION_NUMBER == patron_version_number() ? 0 : 4;
}
