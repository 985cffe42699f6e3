/*
 * ed25519_cores.c — the machine's Ed25519 verification rate, the baseline of
 * verify_ledger on every core (scripts/bench.sh, section 7): N distinct
 * signatures of messages the size of an entry's signing input, made here,
 * verified with libsodium by T threads at once, each taking the next
 * signature from a shared counter. Prints, for each thread count given, the
 * best rate of RUNS passes in verifications per second:
 *
 *   ed25519_cores N RUNS T...     ->  "T rate valid" per line
 *
 * One thread is the single-core rate; nproc threads the machine's.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MSG_BYTES 400			/* about an entry's signing input */
#define KEYS 10

static size_t n;
static unsigned char *msgs;		/* n x MSG_BYTES */
static unsigned char *sigs;		/* n x 64 */
static unsigned char pks[KEYS][crypto_sign_PUBLICKEYBYTES];
static atomic_size_t next;
static atomic_size_t valid;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
work(void *arg)
{
	size_t		ok = 0;

	(void) arg;
	for (;;)
	{
		size_t		i = atomic_fetch_add(&next, 64);

		if (i >= n)
			break;
		for (size_t j = i; j < i + 64 && j < n; j++)
			ok += crypto_sign_verify_detached(sigs + j * 64, msgs + j * MSG_BYTES, MSG_BYTES,
											  pks[j % KEYS]) == 0;
	}
	atomic_fetch_add(&valid, ok);
	return NULL;
}

int
main(int argc, char **argv)
{
	int			runs;
	unsigned char sks[KEYS][crypto_sign_SECRETKEYBYTES];

	if (argc < 4 || sodium_init() < 0)
	{
		fprintf(stderr, "usage: ed25519_cores N RUNS THREADS...\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	runs = atoi(argv[2]);
	msgs = malloc(n * MSG_BYTES);
	sigs = malloc(n * 64);
	if (msgs == NULL || sigs == NULL || n == 0 || runs < 1)
		return 2;
	for (int k = 0; k < KEYS; k++)
		crypto_sign_keypair(pks[k], sks[k]);
	randombytes_buf(msgs, n * MSG_BYTES);
	for (size_t i = 0; i < n; i++)
		crypto_sign_detached(sigs + i * 64, NULL, msgs + i * MSG_BYTES, MSG_BYTES, sks[i % KEYS]);
	for (int a = 3; a < argc; a++)
	{
		int			threads = atoi(argv[a]);
		pthread_t  *t = calloc(threads > 0 ? threads : 1, sizeof(pthread_t));
		double		best = 1e300;

		if (threads < 1 || t == NULL)
			return 2;
		for (int r = 0; r < runs; r++)
		{
			double		t0 = now_s();

			atomic_store(&next, 0);
			atomic_store(&valid, 0);
			for (int i = 0; i < threads; i++)
				if (pthread_create(&t[i], NULL, work, NULL) != 0)
					return 2;
			for (int i = 0; i < threads; i++)
				pthread_join(t[i], NULL);
			t0 = now_s() - t0;
			if (t0 < best)
				best = t0;
		}
		printf("%d %.0f %zu\n", threads, n / best, (size_t) atomic_load(&valid));
		free(t);
	}
	return 0;
}
