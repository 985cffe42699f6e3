/*
 * util.c — errors, whole-file I/O, binary-as-text decoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"

#define READ_LIMIT ((size_t) 1 << 30)

void
cli_die(int code, const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "brop %s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

const char *progname = "brop";
FILE	   *cli_report_stream;

void
report(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vfprintf(cli_report_stream ? cli_report_stream : stdout, fmt, ap);
	va_end(ap);
}

bool
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

unsigned char *
cli_read_all(const char *path, size_t *len)
{
	bool		use_stdin = path == NULL || strcmp(path, "-") == 0;
	FILE	   *f = use_stdin ? stdin : fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t		cap = 0,
				n = 0;

	if (f == NULL)
		cli_die(EXIT_IO, "could not open \"%s\": %s", path, strerror(errno));
	for (;;)
	{
		size_t		got;

		if (n == cap)
		{
			unsigned char *nb;

			cap = cap ? cap * 2 : 4096;
			if (cap > READ_LIMIT + 1)
				cli_die(EXIT_INPUT, "input is larger than 1 GiB");
			nb = realloc(buf, cap);
			if (nb == NULL)
				cli_die(EXIT_IO, "out of memory");
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		cli_die(EXIT_IO, "could not read \"%s\": %s", use_stdin ? "stdin" : path, strerror(errno));
	if (!use_stdin)
		fclose(f);
	*len = n;
	return buf;
}

void
cli_write_all(const char *path, const unsigned char *data, size_t len)
{
	bool		use_stdout = path == NULL || strcmp(path, "-") == 0;
	FILE	   *f = stdout;

	if (!use_stdout)
	{
		/* what we write may be an opened credential: owner-only from the start */
		int			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		f = fd < 0 ? NULL : fdopen(fd, "wb");
	}

	if (f == NULL)
		cli_die(EXIT_IO, "could not create \"%s\": %s", path, strerror(errno));
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0)
		cli_die(EXIT_IO, "could not write \"%s\": %s", use_stdout ? "stdout" : path, strerror(errno));
	if (!use_stdout && fclose(f) != 0)
		cli_die(EXIT_IO, "could not write \"%s\": %s", path, strerror(errno));
}

static bool
all_hex(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

unsigned char *
cli_decode_binary(const unsigned char *in, size_t inlen, size_t *outlen,
				  const char *what, int raw_marker)
{
	unsigned char *out;
	int			rc;

	if (raw_marker >= 0 && inlen > 0 && in[0] == raw_marker)
	{
		out = malloc(inlen ? inlen : 1);
		if (out == NULL)
			cli_die(EXIT_IO, "out of memory");
		memcpy(out, in, inlen);
		*outlen = inlen;
		return out;
	}
	/* trim white space around text */
	while (inlen > 0 && (in[inlen - 1] == '\n' || in[inlen - 1] == '\r' ||
						 in[inlen - 1] == ' ' || in[inlen - 1] == '\t'))
		inlen--;
	while (inlen > 0 && (in[0] == ' ' || in[0] == '\t' || in[0] == '\n'))
	{
		in++;
		inlen--;
	}
	out = malloc(inlen ? inlen : 1);
	if (out == NULL)
		cli_die(EXIT_IO, "out of memory");
	if (inlen >= 2 && in[0] == '\\' && in[1] == 'x')
		rc = brop_hex_decode(out, inlen, outlen, (const char *) in + 2, inlen - 2);
	else if (inlen % 2 == 0 && all_hex(in, inlen))
		rc = brop_hex_decode(out, inlen, outlen, (const char *) in, inlen);
	else
		rc = brop_base64_decode(out, inlen, outlen, (const char *) in, inlen, BROP_BASE64_URLSAFE);
	if (rc != 0)
		cli_die(EXIT_INPUT, "%s is neither hex nor base64url: %s", what, brop_strerror(rc));
	return out;
}
