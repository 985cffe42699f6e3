/*
 * pkcs11_uri.c — RFC 7512 PKCS#11 URIs, read strictly (brop_pkcs11.h).
 *
 * The grammar (RFC 7512 sec. 2.3):
 *   pk11-URI   = "pkcs11:" pk11-path [ "?" pk11-query ]
 *   pk11-path  = [ pk11-pattr *( ";" pk11-pattr ) ]
 *   pk11-query = [ pk11-qattr *( "&" pk11-qattr ) ]
 *   pk11-pchar = unreserved / pk11-res-avail / "&" / pct-encoded
 *   pk11-qchar = unreserved / pk11-res-avail / "/" / "?" / "|" / pct-encoded
 *   pk11-res-avail = ":" / "[" / "]" / "@" / "!" / "$" / "'" / "(" / ")"
 *                    / "*" / "+" / "," / "="
 *   vendor attribute names: 1*( ALPHA / DIGIT / "-" / "_" )
 * Attribute names and the type's values are ABNF literals, so any case
 * (RFC 5234 sec. 2.3). type, slot-id and library-version are literals and
 * digits in the grammar: a percent-escape there is refused.
 */
#include <sodium.h>
#include <string.h>

#include "internal.h"

typedef enum
{
	K_TEXT,						/* percent-decoded text, no NUL */
	K_BYTES,					/* percent-decoded bytes (id) */
	K_TYPE,
	K_SLOT_ID,
	K_VERSION,
	K_PATH						/* text that must be an absolute path (module-path) */
} attr_kind;

typedef struct
{
	const char *name;
	unsigned int bit;
	attr_kind	kind;
	size_t		offset;			/* of the field in brop_pkcs11_uri */
	size_t		max;			/* longest decoded value */
} attr_spec;

#define TEXT(nm, bit, field, max) {nm, bit, K_TEXT, offsetof(brop_pkcs11_uri, field), max}

static const attr_spec path_attrs[] = {
	TEXT("token", BROP_PKCS11_HAS_TOKEN, token, BROP_PKCS11_LABEL_MAX),
	TEXT("manufacturer", BROP_PKCS11_HAS_MANUFACTURER, manufacturer, BROP_PKCS11_LABEL_MAX),
	TEXT("serial", BROP_PKCS11_HAS_SERIAL, serial, BROP_PKCS11_LABEL_MAX),
	TEXT("model", BROP_PKCS11_HAS_MODEL, model, BROP_PKCS11_LABEL_MAX),
	TEXT("library-manufacturer", BROP_PKCS11_HAS_LIBRARY_MANUFACTURER, library_manufacturer, BROP_PKCS11_LABEL_MAX),
	TEXT("library-description", BROP_PKCS11_HAS_LIBRARY_DESCRIPTION, library_description, BROP_PKCS11_LABEL_MAX),
	{"library-version", BROP_PKCS11_HAS_LIBRARY_VERSION, K_VERSION, 0, 0},
	TEXT("object", BROP_PKCS11_HAS_OBJECT, object, BROP_PKCS11_OBJECT_MAX),
	{"type", BROP_PKCS11_HAS_TYPE, K_TYPE, 0, 0},
	{"id", BROP_PKCS11_HAS_ID, K_BYTES, offsetof(brop_pkcs11_uri, id), BROP_PKCS11_ID_MAX},
	TEXT("slot-description", BROP_PKCS11_HAS_SLOT_DESCRIPTION, slot_description, BROP_PKCS11_LABEL_MAX),
	TEXT("slot-manufacturer", BROP_PKCS11_HAS_SLOT_MANUFACTURER, slot_manufacturer, BROP_PKCS11_LABEL_MAX),
	{"slot-id", BROP_PKCS11_HAS_SLOT_ID, K_SLOT_ID, 0, 0},
};

static const attr_spec query_attrs[] = {
	TEXT("pin-source", BROP_PKCS11_HAS_PIN_SOURCE, pin_source, BROP_PKCS11_PATH_MAX),
	TEXT("pin-value", BROP_PKCS11_HAS_PIN_VALUE, pin_value, BROP_PKCS11_PIN_MAX),
	TEXT("module-name", BROP_PKCS11_HAS_MODULE_NAME, module_name, BROP_PKCS11_PATH_MAX),
	{"module-path", BROP_PKCS11_HAS_MODULE_PATH, K_PATH, offsetof(brop_pkcs11_uri, module_path), BROP_PKCS11_PATH_MAX},
};

static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == '~';
}

static int
is_res_avail(unsigned char c)
{
	return c != '\0' && strchr(":[]@!$'()*+,=", c) != NULL;
}

/* A character a value may hold unencoded in the path (in_query 0) or the query. */
static int
is_value_char(unsigned char c, int in_query)
{
	if (is_unreserved(c) || is_res_avail(c))
		return 1;
	return in_query ? (c == '/' || c == '?' || c == '|') : c == '&';
}

static int
is_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '_';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode v[0..n) into out (cap bytes; NULL: check only).
 * Returns: 0; BROP_EENCODING (a bad escape); BROP_EURI (a character the
 * component does not allow unencoded); BROP_ELENGTH (more than cap bytes).
 */
static int
decode_value(unsigned char *out, size_t cap, size_t *outlen, const char *v, size_t n, int in_query)
{
	size_t		len = 0;

	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) v[i];

		if (c == '%')
		{
			int			hi,
						lo;

			if (n - i < 3 || (hi = hexval((unsigned char) v[i + 1])) < 0 ||
				(lo = hexval((unsigned char) v[i + 2])) < 0)
				return BROP_EENCODING;
			c = (unsigned char) (hi << 4 | lo);
			i += 2;
		}
		else if (!is_value_char(c, in_query))
			return BROP_EURI;
		if (out != NULL)
		{
			if (len == cap)
				return BROP_ELENGTH;
			out[len] = c;
		}
		len++;
	}
	if (outlen != NULL)
		*outlen = len;
	return BROP_OK;
}

/* Digits only, no escapes; *v fits max. */
static int
parse_number(unsigned long *v, const char *s, size_t n, unsigned long max)
{
	unsigned long x = 0;

	if (n == 0)
		return BROP_EURI;
	for (size_t i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return BROP_EURI;
		if (x > (max - (unsigned long) (s[i] - '0')) / 10)
			return BROP_EURI;
		x = x * 10 + (unsigned long) (s[i] - '0');
	}
	*v = x;
	return BROP_OK;
}

static int
name_is(const char *name, size_t n, const char *lit)
{
	if (strlen(lit) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
	{
		char		c = name[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

static int
set_value(brop_pkcs11_uri *uri, const attr_spec *a, const char *v, size_t n, int in_query)
{
	unsigned long num;
	size_t		len;
	int			rc;

	switch (a->kind)
	{
		case K_TYPE:
			{
				static const char *const names[] = {"private", "public", "cert", "secret-key", "data"};

				for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
					if (name_is(v, n, names[i]))
					{
						uri->type = (brop_pkcs11_type) (BROP_PKCS11_TYPE_PRIVATE + i);
						return BROP_OK;
					}
				return BROP_EURI;
			}
		case K_SLOT_ID:
			return parse_number(&uri->slot_id, v, n, (unsigned long) -1);
		case K_VERSION:
			{
				const char *dot = memchr(v, '.', n);
				size_t		major_len = dot ? (size_t) (dot - v) : n;

				if ((rc = parse_number(&num, v, major_len, 255)) != 0)
					return rc;
				uri->library_version_major = (unsigned char) num;
				num = 0;
				if (dot != NULL &&
					(rc = parse_number(&num, dot + 1, n - major_len - 1, 255)) != 0)
					return rc;
				uri->library_version_minor = (unsigned char) num;
				return BROP_OK;
			}
		case K_BYTES:
			rc = decode_value(uri->id, a->max, &uri->id_len, v, n, in_query);
			return rc;
		case K_TEXT:
		case K_PATH:
			{
				unsigned char *field = (unsigned char *) uri + a->offset;

				if ((rc = decode_value(field, a->max, &len, v, n, in_query)) != 0)
					return rc;
				field[len] = '\0';
				if (memchr(field, '\0', len) != NULL)
					return BROP_EURI;
				/* RFC 7512 sec. 2.3: module-path is an absolute path */
				if (a->kind == K_PATH && field[0] != '/')
					return BROP_EURI;
				return BROP_OK;
			}
	}
	return BROP_EURI;
}

/* One "name=value" of a component (in_query: of the query). */
static int
parse_attr(brop_pkcs11_uri *uri, const char *s, size_t n, int in_query)
{
	const attr_spec *table = in_query ? query_attrs : path_attrs;
	size_t		count = in_query ? sizeof query_attrs / sizeof query_attrs[0]
		: sizeof path_attrs / sizeof path_attrs[0];
	const char *eq = memchr(s, '=', n);
	size_t		name_len;
	int			rc;

	if (eq == NULL || eq == s)
		return BROP_EURI;
	name_len = (size_t) (eq - s);
	for (size_t i = 0; i < count; i++)
	{
		if (!name_is(s, name_len, table[i].name))
			continue;
		if (uri->present & table[i].bit)
			return BROP_EURI;	/* each standard attribute at most once */
		if ((rc = set_value(uri, &table[i], eq + 1, n - name_len - 1, in_query)) != 0)
			return rc;
		uri->present |= table[i].bit;
		return BROP_OK;
	}
	/* a vendor-specific attribute: its name and value checked, then counted or ignored */
	for (size_t i = 0; i < name_len; i++)
		if (!is_name_char((unsigned char) s[i]))
			return BROP_EURI;
	if ((rc = decode_value(NULL, 0, NULL, eq + 1, n - name_len - 1, in_query)) != 0)
		return rc;
	if (!in_query)
		uri->vendor_path_attributes++;
	return BROP_OK;
}

/* The attributes of s[0..n), separated by sep; empty component: none. */
static int
parse_component(brop_pkcs11_uri *uri, const char *s, size_t n, char sep, int in_query)
{
	size_t		start = 0;

	if (n == 0)
		return BROP_OK;
	for (size_t i = 0; i <= n; i++)
	{
		if (i < n && s[i] != sep)
			continue;
		if (i == start)
			return BROP_EURI;	/* an empty attribute */
		int			rc = parse_attr(uri, s + start, i - start, in_query);

		if (rc != 0)
			return rc;
		start = i + 1;
	}
	return BROP_OK;
}

int
brop_pkcs11_uri_parse(brop_pkcs11_uri *uri, const char *text, size_t len)
{
	static const char scheme[] = "pkcs11:";
	const char *q;
	size_t		path_len;
	int			rc;

	if (uri == NULL || text == NULL)
		return BROP_EINVAL;
	sodium_memzero(uri, sizeof *uri);
	if (len > BROP_PKCS11_URI_MAX)
		return BROP_ELENGTH;
	if (len < sizeof scheme - 1 || !name_is(text, sizeof scheme - 1, scheme))
		return BROP_EURI;
	text += sizeof scheme - 1;
	len -= sizeof scheme - 1;
	q = memchr(text, '?', len);
	path_len = q ? (size_t) (q - text) : len;
	rc = parse_component(uri, text, path_len, ';', 0);
	if (rc == 0 && q != NULL)
		rc = parse_component(uri, q + 1, len - path_len - 1, '&', 1);
	if (rc == 0 && (uri->present & BROP_PKCS11_HAS_PIN_SOURCE) &&
		(uri->present & BROP_PKCS11_HAS_PIN_VALUE))
		rc = BROP_EURI;			/* RFC 7512 sec. 2.4: not both */
	if (rc != 0)
		sodium_memzero(uri, sizeof *uri);
	return rc;
}

void
brop_pkcs11_uri_wipe(brop_pkcs11_uri *uri)
{
	if (uri != NULL)
		sodium_memzero(uri, sizeof *uri);
}
