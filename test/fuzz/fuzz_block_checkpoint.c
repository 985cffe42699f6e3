/*
 * fuzz_block_checkpoint.c — libFuzzer harness for brop_checkpoint_format_block.
 *
 * The input gives the size, number, time, root, previous hash (or none) and
 * the origin. Properties: a body is made exactly when the origin is a valid
 * note name-like line and the time is in the years 1 to 9999 (else
 * BROP_EINVAL or BROP_EOVERFLOW); brop_checkpoint_parse reads it back as
 * its origin, size and root, and its extension lines are exactly
 * "block N", "time T" and, when given, "previous H" (parse(serialize(x))
 * == x).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t	tsize,
				number;
	int64_t		at;
	unsigned char root[32],
				prev[32];
	int			has_prev;
	char		out[BROP_NOTE_MAX_BYTES + 1],
				want[256],
				t[BROP_TIME_TEXT_BYTES],
				hex[65];
	size_t		n,
				w,
				hexlen;
	brop_checkpoint cp;
	int			rc;

	if (size < 8 + 8 + 8 + 32 + 32 + 1)
		return 0;
	memcpy(&tsize, data, 8);
	memcpy(&number, data + 8, 8);
	memcpy(&at, data + 16, 8);
	memcpy(root, data + 24, 32);
	memcpy(prev, data + 56, 32);
	has_prev = data[88] & 1;
	data += 89;
	size -= 89;

	rc = brop_checkpoint_format_block(out, sizeof out, &n, (const char *) data, size, tsize, root, number, at,
									has_prev ? prev : NULL);
	if (rc != 0)
	{
		if (!(rc == BROP_EINVAL && (number == 0 || size == 0 ||
									brop_checkpoint_format(out, sizeof out, &n, (const char *) data, size, 1, root,
														   NULL, 0) != 0)) &&
			!(rc == BROP_EOVERFLOW && brop_time_text(t, NULL, at, 1) == BROP_EOVERFLOW) &&
			!(rc == BROP_ELENGTH))
			abort();
		return 0;
	}
	if (out[n] != '\0' || brop_checkpoint_parse(&cp, out, n) != 0 || cp.originlen != size ||
		memcmp(cp.origin, data, size) != 0 || cp.size != tsize || memcmp(cp.root, root, 32) != 0)
		abort();
	if (brop_time_text(t, NULL, at, 1) != 0)
		abort();
	w = (size_t) snprintf(want, sizeof want, "block %" PRIu64 "\ntime %s\n", number, t);
	if (has_prev)
	{
		if (brop_hex_encode(hex, sizeof hex, &hexlen, prev, 32) != 0)
			abort();
		w += (size_t) snprintf(want + w, sizeof want - w, "previous %.*s\n", (int) hexlen, hex);
	}
	if (cp.extensionslen != w || memcmp(cp.extensions, want, w) != 0)
		abort();
	return 0;
}
