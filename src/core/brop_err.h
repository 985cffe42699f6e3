/*
 * brop_err.h — error codes of the core.
 */
#ifndef BROP_ERR_H
#define BROP_ERR_H

#if defined(__GNUC__) || defined(__clang__)
#define BROP_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#define BROP_WARN_UNUSED_RESULT
#endif

typedef enum brop_err
{
	BROP_OK = 0,
	BROP_EINVAL = -1,		/* an argument is invalid (NULL, out of range) */
	BROP_ELENGTH = -2,		/* an input has the wrong length */
	BROP_EBUFFER = -3,		/* the output buffer is too small */
	BROP_EENCODING = -4,	/* a character or padding is not valid for the encoding */
	BROP_ENONCANONICAL = -5,	/* valid but not the one canonical encoding */
	BROP_EALG = -6,			/* unknown or unsupported algorithm or codec */
	BROP_EKEY = -7,			/* a key is invalid (not on the curve, out of range) */
	BROP_ESIG = -8,			/* a signature is malformed */
	BROP_EHIGHS = -9,		/* an ECDSA signature is not in low-S form */
	BROP_EVERIFY = -10,		/* well-formed, but the signature does not verify */
	BROP_EJSON = -11,		/* the text is not valid JSON */
	BROP_ENUMBER = -12,		/* a JSON number is not finite as an IEEE 754 double */
	BROP_EDUPKEY = -13,		/* a JSON object has the same key twice */
	BROP_EDID = -14,		/* not a did:key identifier */
	BROP_EDECRYPT = -15,	/* a sealed box cannot be opened with this key */
	BROP_ERECIPIENT = -16,	/* the envelope names another recipient */
	BROP_EVERSION = -17,	/* unknown format version */
	BROP_ENOMEM = -18,		/* out of memory */
	BROP_EOVERFLOW = -19,	/* a number does not fit */
	BROP_EINTERNAL = -20,	/* a library the core uses failed */
	BROP_ECREDENTIAL = -21,	/* a credential or presentation breaks its format's rules */
	BROP_ECANCELED = -22,	/* a cancel callback asked to stop */
	BROP_EURI = -23,		/* a PKCS#11 URI is malformed, or cannot name a signing key */
	BROP_EMODULE = -24,		/* a PKCS#11 module cannot be loaded */
	BROP_ETOKEN = -25,		/* a PKCS#11 module or token failed */
	BROP_EPIN = -26,		/* the token refused the PIN, or the PIN is locked */
	BROP_EPINFILE = -27,	/* the PIN file cannot be read or is not private */
	BROP_ENOTFOUND = -28,	/* no token or key matches */
	BROP_EAMBIGUOUS = -29,	/* more than one token or key matches */
	BROP_EQUORUM = -30		/* signed, but by too few of the witnesses a policy names */
} brop_err;

#define BROP_ERR_COUNT 31

/*
 * A cancel callback for loops over caller input that can run long:
 * requested(arg) returns non-zero to stop. It is asked every few thousand
 * steps or every few kilobytes; the function then unwinds, frees its memory
 * and returns BROP_ECANCELED (or its own way of saying so, documented with
 * it). It must not jump out. The extension's callback reports a pending
 * query cancel or termination, and the glue then processes the interrupt
 * (57014). A NULL brop_cancel is never asked.
 */
typedef struct brop_cancel
{
	int			(*requested) (void *arg);
	void	   *arg;
} brop_cancel;

/*
 * Returns: a short lower-case description of err, never NULL.
 */
const char *brop_strerror(int err);

#endif /* BROP_ERR_H */
