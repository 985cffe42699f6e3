/*
 * errors.c — core error codes to PostgreSQL errors, in one table.
 */
#include "postgres.h"

#include "common/brop_pg.h"

typedef struct
{
	int			sqlstate;
	const char *detail;			/* full sentence, or NULL */
	const char *hint;			/* full sentence, or NULL */
} brop_error_map;

static brop_error_map
map_error(int rc)
{
	brop_error_map m = {ERRCODE_INVALID_PARAMETER_VALUE, NULL, NULL};

	switch (rc)
	{
		case BROP_EINVAL:
		case BROP_ELENGTH:
		case BROP_EENCODING:
		case BROP_ESIG:
		case BROP_EKEY:
			/* the primary message says it all */
			break;
		case BROP_ENONCANONICAL:
			m.detail = "Unused bits are set, or a number is not minimally encoded.";
			break;
		case BROP_EALG:
			m.detail = "The algorithm or multicodec is not supported.";
			m.hint = "Supported algorithms are ed25519, secp256k1, p256 and x25519.";
			break;
		case BROP_EHIGHS:
			m.detail = "The ECDSA signature's S value is in the upper half of the group order.";
			m.hint = "Normalize the signature to low-S form before verifying it.";
			break;
		case BROP_EVERIFY:
			m.sqlstate = ERRCODE_DATA_CORRUPTED;
			m.detail = "The signature does not verify.";
			break;
		case BROP_EURI:
			m.detail = "A key in a token is named by an RFC 7512 URI with a token, an object or id, a module-path and a pin-source.";
			break;
		case BROP_EMODULE:
			m.sqlstate = ERRCODE_UNDEFINED_FILE;
			m.detail = "The PKCS#11 module cannot be loaded or initialised.";
			break;
		case BROP_ETOKEN:
			m.sqlstate = ERRCODE_SYSTEM_ERROR;
			m.detail = "The PKCS#11 module or token failed.";
			m.hint = "For SoftHSM2, the server's environment must name its configuration (SOFTHSM2_CONF), readable by the server's user.";
			break;
		case BROP_EPIN:
			m.sqlstate = ERRCODE_INVALID_PASSWORD;
			m.detail = "The token refused the PIN, or the PIN is locked.";
			break;
		case BROP_EPINFILE:
			m.sqlstate = ERRCODE_CONFIG_FILE_ERROR;
			m.detail = "The PIN file must be a regular file with permissions u=rw (0600) or less.";
			break;
		case BROP_ENOTFOUND:
			m.sqlstate = ERRCODE_UNDEFINED_OBJECT;
			m.detail = "No token or key matches the URI.";
			break;
		case BROP_EAMBIGUOUS:
			m.sqlstate = ERRCODE_CARDINALITY_VIOLATION;
			m.detail = "More than one token or key matches the URI.";
			break;
		case BROP_EQUORUM:
			m.sqlstate = ERRCODE_DATA_CORRUPTED;
			m.detail = "Fewer witnesses than the policy requires cosigned the checkpoint.";
			break;
		case BROP_EJSON:
			m.sqlstate = ERRCODE_INVALID_JSON_TEXT;
			break;
		case BROP_ENUMBER:
			m.sqlstate = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			m.detail = "A number is not finite as an IEEE 754 double.";
			break;
		case BROP_EDUPKEY:
			m.sqlstate = ERRCODE_DUPLICATE_JSON_OBJECT_KEY_VALUE;
			break;
		case BROP_EDID:
			m.detail = "A did:key is \"did:key:z\" followed by base58btc text.";
			break;
		case BROP_EDECRYPT:
			m.sqlstate = ERRCODE_DATA_CORRUPTED;
			m.detail = "Decryption failed: the data was altered or belongs to another key.";
			break;
		case BROP_ERECIPIENT:
			m.detail = "The envelope names another recipient.";
			break;
		case BROP_EVERSION:
			m.detail = "The format version is not supported.";
			break;
		case BROP_EOVERFLOW:
			m.sqlstate = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		case BROP_ENOMEM:
			m.sqlstate = ERRCODE_OUT_OF_MEMORY;
			break;
		default:
			m.sqlstate = ERRCODE_INTERNAL_ERROR;
			break;
	}
	return m;
}

void
brop_pg_error(int rc, const char *what, bool as_input)
{
	brop_error_map m = map_error(rc);

	if (as_input && m.sqlstate == ERRCODE_INVALID_PARAMETER_VALUE)
		m.sqlstate = ERRCODE_INVALID_TEXT_REPRESENTATION;

	if (m.sqlstate == ERRCODE_INTERNAL_ERROR || m.sqlstate == ERRCODE_OUT_OF_MEMORY)
		ereport(ERROR,
				(errcode(m.sqlstate),
				 errmsg("brop core failure on %s: %s", what, brop_strerror(rc))));

	ereport(ERROR,
			(errcode(m.sqlstate),
			 errmsg("invalid %s: %s", what, brop_strerror(rc)),
			 m.detail ? errdetail("%s", m.detail) : 0,
			 m.hint ? errhint("%s", m.hint) : 0));
	pg_unreachable();
}
