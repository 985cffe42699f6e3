/*
 * fuzz.h — what every libFuzzer harness of brop shares: the entry points'
 * prototypes and, unless FUZZ_OWN_INIT is defined, an initializer that
 * starts the core once.
 */
#ifndef BROP_FUZZ_H
#define BROP_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless p[0..len) is RFC 8785 text: it canonicalizes to itself. */
static inline void
fuzz_is_canonical(const char *p, size_t len)
{
	char	   *again = NULL;
	size_t		againlen = 0;

	if (brop_jcs_canonicalize(&again, &againlen, p, len, NULL, NULL) != 0 ||
		againlen != len || memcmp(again, p, len) != 0)
		abort();
	free(again);
}

#ifndef FUZZ_OWN_INIT
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	if (brop_init() != 0)
		abort();
	return 0;
}
#endif

#endif /* BROP_FUZZ_H */
