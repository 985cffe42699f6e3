/*
 * fuzz_pkcs11_uri.c — libFuzzer harness for brop_pkcs11_uri_parse.
 *
 * Properties: the parser returns 0 or one of its documented codes; after an
 * error the URI holds nothing; after success every text value is
 * NUL-terminated within its field, id_len is within bounds, pin-source and
 * pin-value are not both present, and module-path is absolute. Prefixing
 * "pkcs11:" to the input reaches the attribute grammar on every run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "brop.h"
#include "fuzz.h"

static void
check(const char *text, size_t len)
{
	brop_pkcs11_uri u;
	int			rc = brop_pkcs11_uri_parse(&u, text, len);

	if (rc != 0)
	{
		if (rc != BROP_EURI && rc != BROP_EENCODING && rc != BROP_ELENGTH)
			abort();
		if (u.present != 0 || u.id_len != 0 || u.vendor_path_attributes != 0)
			abort();
		return;
	}
	if (u.id_len > BROP_PKCS11_ID_MAX ||
		memchr(u.token, '\0', sizeof u.token) == NULL ||
		memchr(u.object, '\0', sizeof u.object) == NULL ||
		memchr(u.pin_source, '\0', sizeof u.pin_source) == NULL ||
		memchr(u.module_path, '\0', sizeof u.module_path) == NULL)
		abort();
	if ((u.present & BROP_PKCS11_HAS_PIN_SOURCE) && (u.present & BROP_PKCS11_HAS_PIN_VALUE))
		abort();
	if ((u.present & BROP_PKCS11_HAS_MODULE_PATH) && u.module_path[0] != '/')
		abort();
	if ((u.present & BROP_PKCS11_HAS_TYPE) &&
		(u.type < BROP_PKCS11_TYPE_PRIVATE || u.type > BROP_PKCS11_TYPE_DATA))
		abort();
	brop_pkcs11_uri_wipe(&u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *buf = malloc(size + 7);

	if (buf == NULL)
		abort();
	check((const char *) data, size);
	memcpy(buf, "pkcs11:", 7);
	if (size > 0)
		memcpy(buf + 7, data, size);
	check(buf, size + 7);
	free(buf);
	return 0;
}
