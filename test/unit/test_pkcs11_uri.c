/*
 * test_pkcs11_uri.c — RFC 7512 URIs: the RFC's own examples (section 3) as
 * known answers, and bad inputs with their exact codes.
 */
#include <string.h>

#include <p11-kit/pkcs11.h>

#include "brop.h"
#include "internal.h"
#include "unit.h"

static int
parse(brop_pkcs11_uri *u, const char *text)
{
	return brop_pkcs11_uri_parse(u, text, strlen(text));
}

TEST(pkcs11_uri_rfc7512_examples)
{
	brop_pkcs11_uri u;

	CHECK_OK(parse(&u, "pkcs11:"));
	CHECK(u.present == 0 && u.vendor_path_attributes == 0);

	CHECK_OK(parse(&u, "pkcs11:object=my-pubkey;type=public"));
	CHECK(u.present == (BROP_PKCS11_HAS_OBJECT | BROP_PKCS11_HAS_TYPE));
	CHECK(strcmp(u.object, "my-pubkey") == 0 && u.type == BROP_PKCS11_TYPE_PUBLIC);

	CHECK_OK(parse(&u, "pkcs11:object=my-key;type=private?pin-source=file:/etc/token"));
	CHECK(u.type == BROP_PKCS11_TYPE_PRIVATE && strcmp(u.pin_source, "file:/etc/token") == 0);

	CHECK_OK(parse(&u, "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;"
				   "manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;"
				   "id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin"));
	CHECK(strcmp(u.token, "The Software PKCS#11 Softtoken") == 0);
	CHECK(strcmp(u.manufacturer, "Snake Oil, Inc.") == 0);
	CHECK(strcmp(u.model, "1.0") == 0);
	CHECK(strcmp(u.object, "my-certificate") == 0 && u.type == BROP_PKCS11_TYPE_CERT);
	CHECK_HEX(u.id, u.id_len, "69953e5cf4bdec91");
	CHECK((u.present & BROP_PKCS11_HAS_SERIAL) && u.serial[0] == '\0');
	CHECK(strcmp(u.pin_source, "file:/etc/token_pin") == 0);

	CHECK_OK(parse(&u, "pkcs11:object=my-sign-key;type=private?module-name=mypkcs11"));
	CHECK(strcmp(u.module_name, "mypkcs11") == 0 && u.present & BROP_PKCS11_HAS_MODULE_NAME);

	CHECK_OK(parse(&u, "pkcs11:object=my-sign-key;type=private?module-path=/mnt/libmypkcs11.so.1"));
	CHECK(strcmp(u.module_path, "/mnt/libmypkcs11.so.1") == 0);

	CHECK_OK(parse(&u, "pkcs11:token=Software%20PKCS%2311%20softtoken;"
				   "manufacturer=Snake%20Oil,%20Inc.?pin-value=the-pin"));
	CHECK(strcmp(u.token, "Software PKCS#11 softtoken") == 0);
	CHECK(strcmp(u.pin_value, "the-pin") == 0);
	brop_pkcs11_uri_wipe(&u);
	CHECK(u.pin_value[0] == '\0' && u.present == 0);

	CHECK_OK(parse(&u, "pkcs11:slot-description=Sun%20Metaslot"));
	CHECK(strcmp(u.slot_description, "Sun Metaslot") == 0);

	CHECK_OK(parse(&u, "pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;"
				   "library-description=Soft%20Token%20Library;library-version=1.23"));
	CHECK(strcmp(u.library_manufacturer, "Snake Oil, Inc.") == 0);
	CHECK(strcmp(u.library_description, "Soft Token Library") == 0);
	CHECK(u.library_version_major == 1 && u.library_version_minor == 23);

	CHECK_OK(parse(&u, "pkcs11:token=My%20token%25%20created%20by%20Joe;"
				   "library-version=3;id=%01%02%03%Ba%dd%Ca%fe%04%05%06"));
	CHECK(strcmp(u.token, "My token% created by Joe") == 0);
	CHECK(u.library_version_major == 3 && u.library_version_minor == 0);
	CHECK_HEX(u.id, u.id_len, "010203baddcafe040506");

	CHECK_OK(parse(&u, "pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;"
				   "object=my-certificate;type=cert"));
	CHECK(strcmp(u.token, "A name with a substring %;") == 0);

	CHECK_OK(parse(&u, "pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;"
				   "object=my-certificate;type=cert"));
	CHECK(strcmp(u.token, "Name with a small A with acute: \xc3\xa1") == 0);

	/* a vendor path attribute: parses, counted (it then matches nothing); a vendor query one is ignored */
	CHECK_OK(parse(&u, "pkcs11:token=my-token;object=my-certificate;type=cert;vendor-aaa=value-a"
				   "?pin-source=file:/etc/token_pin&vendor-bbb=value-b"));
	CHECK(strcmp(u.token, "my-token") == 0 && u.vendor_path_attributes == 1);
	CHECK(strcmp(u.pin_source, "file:/etc/token_pin") == 0);
}

TEST(pkcs11_uri_forms)
{
	brop_pkcs11_uri u;
	char		longest[BROP_PKCS11_URI_MAX + 1];

	/* scheme, attribute names and type values in any case (RFC 5234 literals) */
	CHECK_OK(parse(&u, "PKCS11:Object=k;TYPE=Private;slot-id=18446744073709551615?Module-Name=m"));
	CHECK(strcmp(u.object, "k") == 0 && u.type == BROP_PKCS11_TYPE_PRIVATE);
	CHECK(u.slot_id == 18446744073709551615UL && strcmp(u.module_name, "m") == 0);
	/* the characters each component holds unencoded */
	CHECK_OK(parse(&u, "pkcs11:object=a&b:[]@!$'()*+,=~._-?pin-source=/p/q?r|s"));
	CHECK(strcmp(u.object, "a&b:[]@!$'()*+,=~._-") == 0 && strcmp(u.pin_source, "/p/q?r|s") == 0);
	/* an empty query; vendor attributes repeated in the query */
	CHECK_OK(parse(&u, "pkcs11:object=k?"));
	CHECK_OK(parse(&u, "pkcs11:?x-a=1&x-a=2"));
	CHECK(u.present == 0);
	/* bytes of the id, any value */
	CHECK_OK(parse(&u, "pkcs11:id=%00%ff"));
	CHECK_HEX(u.id, u.id_len, "00ff");
	/* the longest URI */
	memset(longest, 'a', sizeof longest);
	memcpy(longest, "pkcs11:x-v=", 11);
	CHECK_OK(brop_pkcs11_uri_parse(&u, longest, BROP_PKCS11_URI_MAX));
	CHECK_ERR(brop_pkcs11_uri_parse(&u, longest, BROP_PKCS11_URI_MAX + 1), BROP_ELENGTH);
}

TEST(pkcs11_uri_bad)
{
	static const struct
	{
		const char *uri;
		int			code;
	}			bad[] = {
		{"", BROP_EURI},
		{"pkcs11", BROP_EURI},
		{"pkcs12:object=k", BROP_EURI},
		{"pkcs11:object", BROP_EURI},				/* no "=" */
		{"pkcs11:=k", BROP_EURI},					/* no name */
		{"pkcs11:object=k;", BROP_EURI},			/* an empty attribute */
		{"pkcs11:;object=k", BROP_EURI},
		{"pkcs11:object=a;;id=%01", BROP_EURI},
		{"pkcs11:object=k?pin-source=/p&", BROP_EURI},
		{"pkcs11:object=k;object=l", BROP_EURI},	/* twice */
		{"pkcs11:Object=k;object=l", BROP_EURI},
		{"pkcs11:object=k?module-name=a&module-name=b", BROP_EURI},
		{"pkcs11:object=a b", BROP_EURI},			/* a space unencoded */
		{"pkcs11:object=a/b", BROP_EURI},			/* "/" is not a path character */
		{"pkcs11:object=a|b", BROP_EURI},
		{"pkcs11:object=k?pin-source=/a;b", BROP_EURI},	/* ";" is not a query character */
		{"pkcs11:object=k?pin-source=/a&b", BROP_EURI},	/* "b": no "=" */
		{"pkcs11:object=a%2", BROP_EENCODING},		/* a short escape */
		{"pkcs11:object=a%", BROP_EENCODING},
		{"pkcs11:object=a%g0", BROP_EENCODING},
		{"pkcs11:id=%0x", BROP_EENCODING},
		{"pkcs11:x-v=%zz", BROP_EENCODING},			/* vendor values are checked too */
		{"pkcs11:object=a%00b", BROP_EURI},			/* a NUL in text */
		{"pkcs11:type=key", BROP_EURI},
		{"pkcs11:type=", BROP_EURI},
		{"pkcs11:type=%70ublic", BROP_EURI},		/* a literal is not escaped */
		{"pkcs11:slot-id=", BROP_EURI},
		{"pkcs11:slot-id=-1", BROP_EURI},
		{"pkcs11:slot-id=%31", BROP_EURI},
		{"pkcs11:slot-id=18446744073709551616", BROP_EURI},
		{"pkcs11:library-version=", BROP_EURI},
		{"pkcs11:library-version=1.", BROP_EURI},
		{"pkcs11:library-version=.1", BROP_EURI},
		{"pkcs11:library-version=256", BROP_EURI},
		{"pkcs11:library-version=1.256", BROP_EURI},
		{"pkcs11:library-version=1.2.3", BROP_EURI},
		{"pkcs11:x.v=1", BROP_EURI},				/* a vendor name is letters, digits, - and _ */
		{"pkcs11:object=k?module-path=lib/p.so", BROP_EURI},	/* not absolute */
		{"pkcs11:object=k?pin-source=/p&pin-value=1", BROP_EURI},	/* both */
		{"pkcs11:token=12345678901234567890123456789012345678901234567890123456789012345", BROP_ELENGTH},
	};
	brop_pkcs11_uri u;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
	{
		int			rc = parse(&u, bad[i].uri);

		if (rc != bad[i].code)
			unit_fail(__FILE__, __LINE__, "\"%s\": %d, expected %d", bad[i].uri, rc, bad[i].code);
		/* nothing left behind */
		CHECK(u.present == 0 && u.object[0] == '\0');
	}
	CHECK_ERR(brop_pkcs11_uri_parse(NULL, "pkcs11:", 7), BROP_EINVAL);
	CHECK_ERR(brop_pkcs11_uri_parse(&u, NULL, 0), BROP_EINVAL);
	/* a NUL inside the text */
	CHECK_ERR(brop_pkcs11_uri_parse(&u, "pkcs11:object=a\0b", 17), BROP_EURI);
	/* the longest value of each kind, and one byte more */
	{
		char		text[600];

		memcpy(text, "pkcs11:token=", 13);
		memset(text + 13, 'x', 64);
		CHECK_OK(brop_pkcs11_uri_parse(&u, text, 13 + 64));
		memcpy(text, "pkcs11:id=", 10);
		memset(text + 10, 'A', BROP_PKCS11_ID_MAX + 1);
		CHECK_OK(brop_pkcs11_uri_parse(&u, text, 10 + BROP_PKCS11_ID_MAX));
		CHECK(u.id_len == BROP_PKCS11_ID_MAX);
		CHECK_ERR(brop_pkcs11_uri_parse(&u, text, 10 + BROP_PKCS11_ID_MAX + 1), BROP_ELENGTH);
	}
}

/* A token's key type, curve and point, in each form tokens give them (no token needed). */
TEST(pkcs11_public_key_forms)
{
	/* RFC 8032 section 7.1, test 1 */
	static const char ed_pk[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
	static const unsigned char oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
	static const unsigned char str_ed25519[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
	static const unsigned char oid_ed448[] = {0x06, 0x03, 0x2b, 0x65, 0x71};
	static const unsigned char oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
	unsigned char point[2 + 65],
				pk[BROP_PUBLICKEY_MAX_BYTES],
				sk[BROP_SECRETKEYBYTES],
				pk33[BROP_P256_PUBLICKEYBYTES];
	size_t		pklen = 0;
	brop_alg	alg = 0;

	CHECK_OK(brop__pkcs11_key_alg(&alg, CKK_EC_EDWARDS, oid_ed25519, sizeof oid_ed25519));
	CHECK(alg == BROP_ALG_ED25519);
	alg = 0;
	CHECK_OK(brop__pkcs11_key_alg(&alg, CKK_EC_EDWARDS, str_ed25519, sizeof str_ed25519));
	CHECK(alg == BROP_ALG_ED25519);
	CHECK_OK(brop__pkcs11_key_alg(&alg, CKK_EC, oid_p256, sizeof oid_p256));
	CHECK(alg == BROP_ALG_P256);
	CHECK_ERR(brop__pkcs11_key_alg(&alg, CKK_EC_EDWARDS, oid_ed448, sizeof oid_ed448), BROP_EALG);
	CHECK_ERR(brop__pkcs11_key_alg(&alg, CKK_EC, oid_ed25519, sizeof oid_ed25519), BROP_EALG);
	CHECK_ERR(brop__pkcs11_key_alg(&alg, CKK_EC_EDWARDS, oid_p256, sizeof oid_p256), BROP_EALG);
	CHECK_ERR(brop__pkcs11_key_alg(&alg, CKK_RSA, oid_p256, sizeof oid_p256), BROP_EALG);
	CHECK_ERR(brop__pkcs11_key_alg(&alg, CKK_EC_EDWARDS, oid_ed25519, sizeof oid_ed25519 - 1), BROP_EALG);

	/* Ed25519: DER OCTET STRING, or the bare 32 bytes */
	point[0] = 0x04;
	point[1] = 32;
	unit_unhex(point + 2, 32, ed_pk);
	CHECK_OK(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_ED25519, point, 34));
	CHECK(pklen == 32);
	CHECK_HEX(pk, 32, ed_pk);
	pklen = 0;
	CHECK_OK(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_ED25519, point + 2, 32));
	CHECK(pklen == 32);
	CHECK_HEX(pk, 32, ed_pk);
	CHECK_ERR(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_ED25519, point, 33), BROP_EKEY);
	point[1] = 33;
	CHECK_ERR(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_ED25519, point, 34), BROP_EKEY);
	/* a point of small order (the identity) */
	memset(point + 2, 0, 32);
	point[2] = 1;
	CHECK_ERR(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_ED25519, point + 2, 32), BROP_EKEY);

	/* P-256: DER OCTET STRING of the uncompressed point, or the bare point */
	memset(sk, 0, sizeof sk);
	sk[31] = 7;
	CHECK_OK(brop_p256_pubkey(pk33, sk));
	CHECK_OK(brop_key_public_uncompressed(point + 2, BROP_ALG_P256, pk33, sizeof pk33));
	point[0] = 0x04;
	point[1] = 65;
	CHECK_OK(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_P256, point, 67));
	CHECK(pklen == 33);
	CHECK_MEM(pk, pk33, 33);
	CHECK_OK(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_P256, point + 2, 65));
	CHECK_MEM(pk, pk33, 33);
	/* compressed, or off the curve */
	CHECK_ERR(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_P256, pk33, 33), BROP_EKEY);
	point[66] ^= 1;
	CHECK_ERR(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_P256, point, 67), BROP_EKEY);
	CHECK_ERR(brop__pkcs11_public_from_point(pk, &pklen, BROP_ALG_SECP256K1, point, 67), BROP_EALG);
}
