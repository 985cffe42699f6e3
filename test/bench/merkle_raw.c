/*
 * merkle_raw.c — baseline for the merkle_root benchmark: the RFC 9162 root of
 * N leaf hashes built with a plain OpenSSL SHA-256 loop (level by level, the
 * odd node carried up, which gives the RFC's tree). The leaves are those of
 * the SQL side: SHA-256(0x00 || "leaf-" || i) for i = 1..N, computed before
 * timing. Prints "root_hex best_ms" for the best of RUNS passes.
 *   merkle_raw N [RUNS]
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static EVP_MD_CTX *ctx;
static const EVP_MD *md;

static void
sha256_2(unsigned char out[32], const void *a, size_t alen, const void *b, size_t blen)
{
	EVP_DigestInit_ex(ctx, md, NULL);
	EVP_DigestUpdate(ctx, a, alen);
	if (blen)
		EVP_DigestUpdate(ctx, b, blen);
	EVP_DigestFinal_ex(ctx, out, NULL);
}

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
	size_t		n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	int			runs = argc > 2 ? atoi(argv[2]) : 3;
	unsigned char (*leaves)[32] = malloc(n * 32);
	unsigned char (*work)[32] = malloc(n * 32);
	unsigned char root[32];
	double		best = 1e300;

	ctx = EVP_MD_CTX_new();
	md = EVP_sha256();
	if (leaves == NULL || work == NULL || ctx == NULL || n == 0)
		return 2;
	for (size_t i = 0; i < n; i++)
	{
		char		buf[32];
		int			len = snprintf(buf, sizeof buf, "leaf-%zu", i + 1);

		sha256_2(leaves[i], "\0", 1, buf, (size_t) len);
	}
	for (int r = 0; r < runs; r++)
	{
		double		t0 = now_ms();
		size_t		m = n;

		memcpy(work, leaves, n * 32);
		while (m > 1)
		{
			size_t		k = 0;

			for (size_t i = 0; i + 1 < m; i += 2)
			{
				unsigned char buf[65];

				buf[0] = 1;
				memcpy(buf + 1, work[i], 32);
				memcpy(buf + 33, work[i + 1], 32);
				sha256_2(work[k++], buf, 65, NULL, 0);
			}
			if (m % 2)
				memmove(work[k++], work[m - 1], 32);
			m = k;
		}
		memcpy(root, work[0], 32);
		t0 = now_ms() - t0;
		if (t0 < best)
			best = t0;
	}
	for (int i = 0; i < 32; i++)
		printf("%02x", root[i]);
	printf(" %.3f\n", best);
	return 0;
}
