/*
 * jcs_number.c — ECMAScript Number::toString for RFC 8785 (section 3.2.2.3).
 *
 * Two steps, as in ECMA-262 section 6.1.6.1.20 (7.1.12.1 in ES6):
 *
 * 1. The digits: the shortest decimal s * 10^(n - k) (k digits) whose
 *    nearest double is v, and of those the one nearest to v. Integral values
 *    below 2^53 are their own shortest digits (the fast path). Otherwise
 *    snprintf("%.*e") gives the correctly rounded candidate with p
 *    significant digits and strtod() tells whether it reads back as v.
 *    For normal doubles DBL_DIG settles lengths up to 15 with one candidate
 *    (see shortest_digits); then 16 and 17 are tried. Powers of two have a
 *    neighbour below that is twice as close as the one above; there the
 *    nearest 16-digit candidate can miss while the next one up hits, so
 *    that one is tried too (46 powers of two need it, e.g. 2^-695 is
 *    6.083493012144512e-210, not 6.0834930121445114e-210). Subnormals, with fewer
 *    significant bits, try every length.
 *    Before any of that, a fast path for the decimals people write
 *    (123.45): if m / 10^j == v for an integer m < 10^15, m's digits are
 *    the answer (IEEE division rounds m / 10^j exactly as strtod rounds
 *    "m e-j", and DBL_DIG makes a decimal of up to 15 digits unique).
 *
 * 2. The layout: plain digits for 1e-7 < |v| < 1e21, exponent form
 *    ("1e+21", "1.5e-7") otherwise; -0 prints "0".
 *
 * snprintf and strtod follow LC_NUMERIC; the code never assumes the radix
 * character is '.': it reads digits around it, and the candidates it builds
 * itself are written as integers with an exponent ("12345e-3"), which every
 * locale reads alike.
 */
#include <float.h>
#include <math.h>			/* isfinite, a macro: no libm */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"

#define MAX_DIGITS 17			/* enough for every double */

typedef struct jcs_digits
{
	char		d[MAX_DIGITS + 1];	/* significant digits, first one non-zero */
	int			k;				/* how many */
	int			e;				/* decimal exponent of the first digit */
} jcs_digits;

/*
 * The correctly rounded p-digit candidate for av > 0, read into *dg.
 * Returns: 1 if it reads back as av, 0 if not.
 */
static int
candidate(jcs_digits *dg, double av, int p)
{
	char		buf[64];
	const char *s;
	int			k = 0;

	snprintf(buf, sizeof buf, "%.*e", p - 1, av);
	for (s = buf; *s != '\0' && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9' && k < MAX_DIGITS)
			dg->d[k++] = *s;
	dg->k = k;
	dg->e = (*s == 'e') ? atoi(s + 1) : 0;
	return strtod(buf, NULL) == av;
}

/*
 * The candidate one unit higher in its last digit than *dg.
 * Returns: 1 if it reads back as av (and *dg holds it), 0 if not.
 */
static int
candidate_up(jcs_digits *dg, double av)
{
	jcs_digits	up = *dg;
	char		buf[64];
	int			i = up.k - 1;

	while (i >= 0 && up.d[i] == '9')
		up.d[i--] = '0';
	if (i >= 0)
		up.d[i]++;
	else
	{
		/* 99..9 + 1 = 100..0: one digit "1", one decade up */
		up.d[0] = '1';
		up.k = 1;
		up.e++;
	}
	snprintf(buf, sizeof buf, "%.*se%d", up.k, up.d, up.e - (up.k - 1));
	if (strtod(buf, NULL) != av)
		return 0;
	*dg = up;
	return 1;
}

/* Digits of an integer 1 <= u < 10^17, most significant first. */
static void
integer_digits(jcs_digits *dg, uint64_t u)
{
	char		rev[MAX_DIGITS];
	int			n = 0;

	while (u > 0 && n < MAX_DIGITS)
	{
		rev[n++] = (char) ('0' + u % 10);
		u /= 10;
	}
	for (int i = 0; i < n; i++)
		dg->d[i] = rev[n - 1 - i];
	dg->k = n;
	dg->e = n - 1;
}

#if FLT_EVAL_METHOD == 0
/* 10^0 .. 10^22, the powers of ten a double holds exactly. */
static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * av = m / 10^j for an integer m < 10^15 (see the file comment).
 * Returns: 1 and the digits in *dg, or 0.
 */
static int
short_decimal(jcs_digits *dg, double av)
{
	for (int j = 1; j <= 22; j++)
	{
		double		t = av * pow10_exact[j];
		double		m;

		if (t >= 1e15)
			return 0;
		m = (double) (uint64_t) (t + 0.5);
		if (m >= 1 && m / pow10_exact[j] == av)
		{
			integer_digits(dg, (uint64_t) m);
			dg->e -= j;
			return 1;
		}
	}
	return 0;
}
#endif

/* The shortest round-trip digits of a finite av > 0 that is not a small integer. */
static void
shortest_digits(jcs_digits *dg, double av)
{
	uint64_t	bits;
	int			pow2;

	memcpy(&bits, &av, sizeof bits);
	pow2 = (bits & ((UINT64_C(1) << 52) - 1)) == 0;

#if FLT_EVAL_METHOD == 0
	if (short_decimal(dg, av))
		return;
#endif
	if (av < DBL_MIN)
	{
		/* subnormal: fewer bits than DBL_DIG needs; search every length */
		for (int p = 1; p < MAX_DIGITS; p++)
			if (candidate(dg, av, p) || (pow2 && candidate_up(dg, av)))
				return;
		(void) candidate(dg, av, MAX_DIGITS);
		return;
	}

	/*
	 * A decimal of at most DBL_DIG (15) digits survives the trip to a normal
	 * double and back to DBL_DIG digits. So if any such decimal reads as av,
	 * the 15-digit candidate is that decimal (it is then unique, trailing
	 * zeros aside); and if the 15-digit candidate does not read back, none
	 * of 15 or fewer digits does.
	 */
	if (candidate(dg, av, DBL_DIG))
		return;
	if (candidate(dg, av, DBL_DIG + 1) || (pow2 && candidate_up(dg, av)))
		return;
	(void) candidate(dg, av, MAX_DIGITS);
}

int
brop_jcs_format_number(char out[BROP_JCS_NUMBER_MAX], size_t *outlen, double v)
{
	jcs_digits	dg;
	double		av;
	char	   *o = out;
	int			k,
				n;

	if (!isfinite(v))
		return BROP_ENUMBER;
	if (v == 0)
	{
		/* +0 and -0 alike */
		out[0] = '0';
		out[1] = '\0';
		*outlen = 1;
		return BROP_OK;
	}
	av = v < 0 ? -v : v;
	if (av < 9007199254740992.0 && (double) (uint64_t) av == av)
		integer_digits(&dg, (uint64_t) av);
	else
		shortest_digits(&dg, av);

	/* no trailing zeros: s is not divisible by 10 */
	while (dg.k > 1 && dg.d[dg.k - 1] == '0')
		dg.k--;
	k = dg.k;
	n = dg.e + 1;				/* v = 0.d1d2...dk * 10^n */

	if (v < 0)
		*o++ = '-';
	if (k <= n && n <= 21)
	{
		memcpy(o, dg.d, (size_t) k);
		o += k;
		memset(o, '0', (size_t) (n - k));
		o += n - k;
	}
	else if (0 < n && n <= 21)
	{
		memcpy(o, dg.d, (size_t) n);
		o += n;
		*o++ = '.';
		memcpy(o, dg.d + n, (size_t) (k - n));
		o += k - n;
	}
	else if (-6 < n && n <= 0)
	{
		*o++ = '0';
		*o++ = '.';
		memset(o, '0', (size_t) -n);
		o += -n;
		memcpy(o, dg.d, (size_t) k);
		o += k;
	}
	else
	{
		int			e = n - 1;

		*o++ = dg.d[0];
		if (k > 1)
		{
			*o++ = '.';
			memcpy(o, dg.d + 1, (size_t) (k - 1));
			o += k - 1;
		}
		*o++ = 'e';
		*o++ = e < 0 ? '-' : '+';
		o += snprintf(o, 8, "%d", e < 0 ? -e : e);
	}
	*o = '\0';
	*outlen = (size_t) (o - out);
	return BROP_OK;
}
