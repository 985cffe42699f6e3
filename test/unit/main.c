/*
 * main.c — runs the registered unit tests.
 * Usage: test_unit [substring | -substring]   (exit 0 only if every test passed)
 * A substring runs the tests whose names contain it; -substring the others.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "brop.h"
#include "unit.h"

#define MAX_TESTS 1024

/* the word before the closing "N passed, N failed" line */
#ifndef UNIT_LABEL
#define UNIT_LABEL "unit"
#endif

typedef struct
{
	const char *name;
	const char *file;
	unit_fn		fn;
} unit_test;

static unit_test tests[MAX_TESTS];
static int	ntests;
static int	current_failed;

void
unit_register(const char *name, const char *file, unit_fn fn)
{
	if (ntests == MAX_TESTS)
	{
		fprintf(stderr, "unit: too many tests\n");
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].file = file;
	tests[ntests].fn = fn;
	ntests++;
}

void
unit_fail(const char *file, int line, const char *fmt,...)
{
	va_list		ap;

	current_failed++;
	if (current_failed > 20)
		return;
	fprintf(stdout, "    %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t
unit_unhex(unsigned char *out, size_t cap, const char *hex)
{
	size_t		n = strlen(hex) / 2;

	if (n > cap || strlen(hex) % 2)
	{
		fprintf(stderr, "unit: bad hex constant in a test\n");
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
	{
		int			hi = hexval(hex[2 * i]),
					lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
		{
			fprintf(stderr, "unit: bad hex constant in a test\n");
			exit(2);
		}
		out[i] = (unsigned char) (hi << 4 | lo);
	}
	return n;
}

void
unit_tohex(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++)
	{
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

int
unit_hexeq(const unsigned char *got, size_t len, const char *hex)
{
	char	   *buf;
	int			eq;

	if (strlen(hex) != 2 * len)
		return 0;
	buf = malloc(2 * len + 1);
	if (buf == NULL)
		return 0;
	unit_tohex(buf, got, len);
	eq = 1;
	for (size_t i = 0; i < 2 * len; i++)
		if (buf[i] != (hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] + 32 : hex[i]))
			eq = 0;
	if (!eq)
		fprintf(stdout, "    got  %s\n", buf);
	free(buf);
	return eq;
}

int
main(int argc, char **argv)
{
	int			passed = 0,
				failed = 0;

	if (brop_init() != 0)
	{
		fprintf(stderr, "unit: brop_init failed\n");
		return 2;
	}
	for (int i = 0; i < ntests; i++)
	{
		if (argc > 1 && argv[1][0] == '-' ? strstr(tests[i].name, argv[1] + 1) != NULL
			: argc > 1 && strstr(tests[i].name, argv[1]) == NULL)
			continue;
		current_failed = 0;
		tests[i].fn();
		if (current_failed)
		{
			failed++;
			fprintf(stdout, "not ok %s (%s)\n", tests[i].name, tests[i].file);
		}
		else
		{
			passed++;
			fprintf(stdout, "ok %s\n", tests[i].name);
		}
	}
	fprintf(stdout, "%s: %d passed, %d failed\n", UNIT_LABEL, passed, failed);
	return failed ? 1 : 0;
}
