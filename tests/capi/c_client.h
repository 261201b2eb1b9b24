/* The C client of the C ABI tests (c_client.c). */
#ifndef PATRON_TEST_C_CLIENT_H
#define PATRON_TEST_C_CLIENT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int patron_test_c_client(const char *path, char *message, size_t size);

#ifdef __cplusplus
}
#endif

#endif
