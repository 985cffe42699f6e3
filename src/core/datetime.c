/*
 * datetime.c — RFC 3339 date-times as VC 2.0 writes them (an XML Schema
 * dateTime with a time zone): YYYY-MM-DDThh:mm:ss[.s+](Z|(+|-)hh:mm), read
 * into seconds since 1970-01-01T00:00:00Z. One grammar for the proof's
 * "created" (di.c) and the validity periods the CLI checks.
 */
#include <string.h>

#include "internal.h"
#include "brop_credential.h"

static int
number(const char *s, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
brop_datetime_seconds(int64_t *out, const char *s, size_t len)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y,
				mo,
				d,
				h,
				mi,
				sec,
				oh = 0,
				om = 0;
	size_t		i = 19;
	int64_t		offset = 0;

	if (out == NULL || s == NULL)
		return BROP_EINVAL;
	if (len < 20 || !number(s, 4, &y) || s[4] != '-' || !number(s + 5, 2, &mo) || s[7] != '-'
		|| !number(s + 8, 2, &d) || s[10] != 'T' || !number(s + 11, 2, &h) || s[13] != ':'
		|| !number(s + 14, 2, &mi) || s[16] != ':' || !number(s + 17, 2, &sec))
		return BROP_EENCODING;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 59
		|| (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return BROP_EENCODING;
	if (s[i] == '.')
	{
		int			digit;

		if (++i >= len || !number(s + i, 1, &digit))
			return BROP_EENCODING;
		while (i < len && number(s + i, 1, &digit))
			i++;
	}
	if (i < len && s[i] == 'Z')
		i++;
	else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && number(s + i + 1, 2, &oh) && s[i + 3] == ':'
			 && number(s + i + 4, 2, &om) && oh <= 23 && om <= 59)
	{
		offset = (int64_t) (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
		i += 6;
	}
	else
		return BROP_EENCODING;
	if (i != len)
		return BROP_EENCODING;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	return BROP_OK;
}
