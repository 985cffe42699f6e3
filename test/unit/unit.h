/*
 * unit.h — a small unit-test harness for the core.
 *
 *   TEST(hex_roundtrip) { CHECK(x == 1); CHECK_OK(brop_...); CHECK_MEM(a, b, n); }
 *
 * Tests register themselves (constructor attribute); main.c runs them all,
 * or those whose names contain argv[1], and ends with "unit: N passed, N failed".
 */
#ifndef BROP_UNIT_H
#define BROP_UNIT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef void (*unit_fn) (void);

void		unit_register(const char *name, const char *file, unit_fn fn);
void		unit_fail(const char *file, int line, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
int			unit_hexeq(const unsigned char *got, size_t len, const char *hex);
size_t		unit_unhex(unsigned char *out, size_t cap, const char *hex);
void		unit_tohex(char *out, const unsigned char *in, size_t len);

#define TEST(name) \
	static void test_##name(void); \
	__attribute__((constructor)) static void register_##name(void) \
	{ unit_register(#name, __FILE__, test_##name); } \
	static void test_##name(void)

#define CHECK(cond) do { \
	if (!(cond)) unit_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
} while (0)

/* expr must return 0 (BROP_OK) */
#define CHECK_OK(expr) do { \
	int unit_rc_ = (expr); \
	if (unit_rc_ != 0) unit_fail(__FILE__, __LINE__, "%s returned %d", #expr, unit_rc_); \
} while (0)

/* expr must return exactly code */
#define CHECK_ERR(expr, code) do { \
	int unit_rc_ = (expr); \
	if (unit_rc_ != (code)) unit_fail(__FILE__, __LINE__, "%s returned %d, expected %s (%d)", \
									  #expr, unit_rc_, #code, (int) (code)); \
} while (0)

#define CHECK_MEM(got, want, len) do { \
	if (memcmp((got), (want), (len)) != 0) unit_fail(__FILE__, __LINE__, "CHECK_MEM(%s, %s)", #got, #want); \
} while (0)

/* got[0..len) must equal the bytes of the hex string want */
#define CHECK_HEX(got, len, want) do { \
	if (!unit_hexeq((const unsigned char *) (got), (len), (want))) \
		unit_fail(__FILE__, __LINE__, "CHECK_HEX(%s) != %s", #got, (want)); \
} while (0)

#define CHECK_STR(got, gotlen, want) do { \
	size_t unit_wl_ = strlen(want); \
	if ((size_t) (gotlen) != unit_wl_ || memcmp((got), (want), unit_wl_) != 0) \
		unit_fail(__FILE__, __LINE__, "CHECK_STR(%s) = \"%.*s\", expected \"%s\"", #got, \
				  (int) (gotlen), (const char *) (got), (want)); \
} while (0)

/*
 * A cancel callback that counts its questions and says stop at the n-th
 * (1-based; 0: never): brop_cancel c = {unit_cancel_at, &counter}.
 */
typedef struct
{
	int			asked;
	int			stop_at;
} unit_cancel_counter;

static inline int
unit_cancel_at(void *arg)
{
	unit_cancel_counter *c = arg;

	c->asked++;
	return c->stop_at != 0 && c->asked >= c->stop_at;
}

#endif /* BROP_UNIT_H */
