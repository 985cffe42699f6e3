/*
 * point.c — uncompressed forms of secp256k1 and P-256 public keys.
 */
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <secp256k1.h>

#include "internal.h"
#include "brop_point.h"

static int
secp256k1_uncompressed(unsigned char out[65], const unsigned char *pk, size_t pklen)
{
	const secp256k1_context *ctx = (const secp256k1_context *) brop__secp256k1();
	secp256k1_pubkey key;
	size_t		n = 65;

	if (ctx == NULL)
		return BROP_EINTERNAL;
	if (!secp256k1_ec_pubkey_parse(ctx, &key, pk, pklen))
		return BROP_EKEY;
	if (!secp256k1_ec_pubkey_serialize(ctx, out, &n, &key, SECP256K1_EC_UNCOMPRESSED) || n != 65)
		return BROP_EINTERNAL;
	return BROP_OK;
}

static int
p256_uncompressed(unsigned char out[65], const unsigned char *pk, size_t pklen)
{
	EC_GROUP   *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT   *point = NULL;
	int			rc = BROP_EINTERNAL;

	if (group == NULL)
		return BROP_EINTERNAL;
	point = EC_POINT_new(group);
	if (point == NULL)
		goto done;
	if (!EC_POINT_oct2point(group, point, pk, pklen, NULL) ||
		EC_POINT_is_at_infinity(group, point))
	{
		rc = BROP_EKEY;
		goto done;
	}
	if (EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, out, 65, NULL) != 65)
		goto done;
	rc = BROP_OK;
done:
	EC_POINT_free(point);
	EC_GROUP_free(group);
	return rc;
}

int
brop_key_public_uncompressed(unsigned char out[BROP_UNCOMPRESSED_PUBLICKEYBYTES], brop_alg alg,
							 const unsigned char *pk, size_t pklen)
{
	if (alg != BROP_ALG_SECP256K1 && alg != BROP_ALG_P256)
		return BROP_EALG;
	if (pklen != 33 && pklen != 65)
		return BROP_ELENGTH;
	return alg == BROP_ALG_SECP256K1 ? secp256k1_uncompressed(out, pk, pklen)
		: p256_uncompressed(out, pk, pklen);
}
