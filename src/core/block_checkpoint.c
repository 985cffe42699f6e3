/*
 * block_checkpoint.c — the checkpoint body of a ledger block (brop_note.h,
 * brop_checkpoint_format_block): the one place its extension lines are made.
 */
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"
#include "brop_encoding.h"
#include "brop_entry.h"
#include "brop_note.h"

int
brop_checkpoint_format_block(char *out, size_t cap, size_t *outlen, const char *origin, size_t originlen,
						   uint64_t size, const unsigned char root[32], uint64_t number, int64_t sealed_at,
						   const unsigned char *prev)
{
	char		ext[32 + 20 + 6 + BROP_TIME_TEXT_BYTES + 10 + 64 + 1];
	char		t[BROP_TIME_TEXT_BYTES];
	char		hex[65];
	size_t		n,
				hexlen;
	int			rc;

	if (root == NULL || number == 0)
		return BROP_EINVAL;
	if ((rc = brop_time_text(t, NULL, sealed_at, 1)) != 0)
		return rc;
	n = (size_t) snprintf(ext, sizeof ext, "block %" PRIu64 "\ntime %s\n", number, t);
	if (prev != NULL)
	{
		if (brop_hex_encode(hex, sizeof hex, &hexlen, prev, 32) != 0)
			return BROP_EINVAL;
		n += (size_t) snprintf(ext + n, sizeof ext - n, "previous %.*s\n", (int) hexlen, hex);
	}
	return brop_checkpoint_format(out, cap, outlen, origin, originlen, size, root, ext, n);
}
