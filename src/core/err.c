/*
 * err.c — descriptions of brop_err codes.
 */
#include "brop.h"

static const char *const messages[BROP_ERR_COUNT] = {
	[0] = "success",
	[-BROP_EINVAL] = "invalid argument",
	[-BROP_ELENGTH] = "wrong length",
	[-BROP_EBUFFER] = "output buffer too small",
	[-BROP_EENCODING] = "invalid character or padding",
	[-BROP_ENONCANONICAL] = "non-canonical encoding",
	[-BROP_EALG] = "unsupported algorithm",
	[-BROP_EKEY] = "not a valid key for its curve",
	[-BROP_ESIG] = "not a well-formed encoding",
	[-BROP_EHIGHS] = "signature is not in low-S form",
	[-BROP_EVERIFY] = "signature verification failed",
	[-BROP_EJSON] = "invalid JSON",
	[-BROP_ENUMBER] = "number is not finite",
	[-BROP_EDUPKEY] = "duplicate object key",
	[-BROP_EDID] = "malformed did:key",
	[-BROP_EDECRYPT] = "cannot open sealed box",
	[-BROP_ERECIPIENT] = "envelope names another recipient",
	[-BROP_EVERSION] = "unsupported format version",
	[-BROP_ENOMEM] = "out of memory",
	[-BROP_EOVERFLOW] = "number out of range",
	[-BROP_EINTERNAL] = "internal library failure",
	[-BROP_ECREDENTIAL] = "malformed credential",
	[-BROP_ECANCELED] = "cancelled",
	[-BROP_EQUORUM] = "too few witnesses cosigned",
	[-BROP_EURI] = "malformed or unusable PKCS#11 URI",
	[-BROP_EMODULE] = "cannot load the PKCS#11 module",
	[-BROP_ETOKEN] = "the PKCS#11 token failed",
	[-BROP_EPIN] = "the token refused the PIN",
	[-BROP_EPINFILE] = "cannot use the PIN file",
	[-BROP_ENOTFOUND] = "no token or key matches",
	[-BROP_EAMBIGUOUS] = "more than one token or key matches",
};

const char *
brop_strerror(int err)
{
	if (err > 0 || err <= -BROP_ERR_COUNT || messages[-err] == NULL)
		return "unknown error";
	return messages[-err];
}
