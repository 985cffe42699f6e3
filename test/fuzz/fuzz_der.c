/*
 * fuzz_der.c — libFuzzer harness for the strict DER reader of ECDSA
 * signatures: whatever brop_ecdsa_sig_from_der accepts, brop_ecdsa_sig_to_der
 * must write back byte for byte; and any 64 bytes must survive the other
 * round trip (compact -> DER -> compact).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char sig[BROP_SIGNATURE_BYTES];
	unsigned char back[BROP_SIGNATURE_BYTES];
	unsigned char der[BROP_ECDSA_DER_MAX_BYTES];
	size_t		derlen = 0;

	if (brop_ecdsa_sig_from_der(sig, data, size) == 0)
	{
		if (brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig) != 0)
			abort();
		if (derlen != size || memcmp(der, data, size) != 0)
			abort();
	}

	if (size >= BROP_SIGNATURE_BYTES)
	{
		if (brop_ecdsa_sig_to_der(der, sizeof der, &derlen, data) != 0)
			abort();
		if (brop_ecdsa_sig_from_der(back, der, derlen) != 0)
			abort();
		if (memcmp(back, data, BROP_SIGNATURE_BYTES) != 0)
			abort();
	}
	return 0;
}
