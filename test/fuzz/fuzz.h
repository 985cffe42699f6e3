/*
 * fuzz.h — what every libFuzzer harness of brop shares: the entry points'
 * prototypes and, unless FUZZ_OWN_INIT is defined, an initializer that
 * starts the core once.
 */
#ifndef BROP_FUZZ_H
#define BROP_FUZZ_H

#include <stdint.h>
#include <stdlib.h>

#include "brop.h"

int			LLVMFuzzerInitialize(int *argc, char ***argv);
int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
