/*
 * brop_jcs.h — RFC 8785 JSON Canonicalization Scheme.
 */
#ifndef BROP_JCS_H
#define BROP_JCS_H

#include <stddef.h>
#include "brop_err.h"

/*
 * Allocator for outputs of unbounded size. realloc(ctx, NULL, n) allocates;
 * free(ctx, p) releases. A NULL brop_allocator means malloc/realloc/free.
 */
typedef struct brop_allocator
{
	void	   *(*realloc) (void *ctx, void *ptr, size_t size);
	void		(*free) (void *ctx, void *ptr);
	void	   *ctx;
} brop_allocator;

typedef struct brop_json_error
{
	char		message[160];	/* lower case, no period */
	size_t		line;			/* 1-based; 0 if unknown */
	size_t		column;			/* 1-based; 0 if unknown */
	size_t		position;		/* byte offset in the input */
} brop_json_error;

/* Longest text of one number: "-1.2345678901234567e-308" is 24. */
#define BROP_JCS_NUMBER_MAX 32

/*
 * Canonicalize the JSON text json[0..len) (UTF-8, any top-level value).
 * Rejects invalid JSON and UTF-8, duplicate object keys, lone surrogates,
 * and numbers that are not finite as IEEE 754 doubles. "\u0000" is accepted
 * in string values but not in member names (a jansson limit: BROP_EJSON).
 * Returns: 0; BROP_EJSON, BROP_EDUPKEY, BROP_ENUMBER (err filled if not NULL);
 * BROP_ENOMEM; BROP_EINVAL if out or outlen is NULL, or json is NULL with
 * len > 0.
 * In: a may be NULL (malloc); its realloc must return NULL on failure, not
 * jump out.
 * Out: *out, NUL-terminated, allocated with a (caller frees); *outlen
 * without the NUL.
 */
BROP_WARN_UNUSED_RESULT int brop_jcs_canonicalize(char **out, size_t *outlen,
												  const char *json, size_t len,
												  const brop_allocator *a,
												  brop_json_error *err);

/*
 * brop_jcs_canonicalize with a cancel callback (NULL: never cancelled),
 * asked before every 64 kB of text parsed and every 4096 values or 4 kB
 * string chunks written. Returns also BROP_ECANCELED (err says "cancelled"),
 * with nothing allocated.
 */
BROP_WARN_UNUSED_RESULT int brop_jcs_canonicalize_cancellable(char **out, size_t *outlen,
															  const char *json, size_t len,
															  const brop_allocator *a,
															  const brop_cancel *cancel,
															  brop_json_error *err);

/*
 * ECMAScript Number::toString of v (RFC 8785 section 3.2.2.3).
 * Returns: 0, or BROP_ENUMBER for NaN and infinities.
 * Out: out (NUL-terminated), *outlen.
 */
BROP_WARN_UNUSED_RESULT int brop_jcs_format_number(char out[BROP_JCS_NUMBER_MAX], size_t *outlen,
												   double v);

/*
 * Compare two UTF-8 strings by their UTF-16 code units (RFC 8785 3.2.3).
 * Returns: <0, 0, >0.
 */
int brop_jcs_key_compare(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Write s[0..len), valid UTF-8, as an RFC 8785 string literal with its
 * quotes, for callers that walk their own JSON trees (brop.jcs(jsonb)).
 * Returns: 0; BROP_EBUFFER if cap < 6 * len + 2; BROP_EINVAL.
 */
#define BROP_JCS_QUOTED_MAX(len) (6 * (len) + 2)
BROP_WARN_UNUSED_RESULT int brop_jcs_quote_string(char *out, size_t cap, size_t *outlen,
												  const char *s, size_t len);

#endif /* BROP_JCS_H */
