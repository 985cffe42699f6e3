/*
 * ed25519_raw.c — baseline for the Ed25519 verification benchmark: a plain
 * libsodium loop over the same (public key, message, signature) rows the SQL
 * side verifies. Reads "pk_hex msg_hex sig_hex" lines from stdin; prints the
 * best time of RUNS passes in milliseconds.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct
{
	unsigned char pk[32];
	unsigned char sig[64];
	unsigned char *msg;
	size_t		msglen;
} row;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int
main(int argc, char **argv)
{
	int			runs = argc > 1 ? atoi(argv[1]) : 3;
	size_t		n = 0,
				cap = 1024;
	row		   *rows = malloc(cap * sizeof(row));
	char		pkh[65],
				sigh[129],
				msgh[4097];
	double		best = 1e300;
	size_t		valid = 0;

	if (sodium_init() < 0 || rows == NULL)
		return 2;
	while (scanf("%64s %4096s %128s", pkh, msgh, sigh) == 3)
	{
		size_t		len;

		if (n == cap)
		{
			cap *= 2;
			rows = realloc(rows, cap * sizeof(row));
			if (rows == NULL)
				return 2;
		}
		rows[n].msg = malloc(strlen(msgh) / 2 + 1);
		if (sodium_hex2bin(rows[n].pk, 32, pkh, 64, NULL, &len, NULL) != 0 ||
			sodium_hex2bin(rows[n].sig, 64, sigh, 128, NULL, &len, NULL) != 0 ||
			sodium_hex2bin(rows[n].msg, strlen(msgh) / 2 + 1, msgh, strlen(msgh), NULL,
						   &rows[n].msglen, NULL) != 0)
			return 2;
		n++;
	}
	for (int r = 0; r < runs; r++)
	{
		double		t0 = now_ms();

		valid = 0;
		for (size_t i = 0; i < n; i++)
			valid += crypto_sign_verify_detached(rows[i].sig, rows[i].msg, rows[i].msglen,
												 rows[i].pk) == 0;
		t0 = now_ms() - t0;
		if (t0 < best)
			best = t0;
	}
	printf("%zu %zu %.3f\n", n, valid, best);
	return 0;
}
