/*
 * brop_pg.h — shared declarations of the PostgreSQL glue.
 */
#ifndef BROP_PG_H
#define BROP_PG_H

#include "postgres.h"
#include "fmgr.h"

#include "brop.h"

/* GUCs (module.c) */
extern char *brop_root_key_file;

/*
 * Turn a core error code into ereport(ERROR) — the only place that does.
 * what names the object, e.g. "signature", "base64 input"; as_input says
 * the value came from a type's text input (SQLSTATE 22P02 for syntax).
 */
extern void brop_pg_error(int rc, const char *what, bool as_input) pg_attribute_noreturn();

/* Raise unless rc is 0. */
static inline void
brop_pg_check(int rc, const char *what)
{
	if (unlikely(rc != 0))
		brop_pg_error(rc, what, false);
}

/*
 * The comparison functions of a type with a total order given by
 * cmp_internal(fcinfo) (<0, 0, >0): prefix_eq, _ne, _lt, _le, _gt, _ge, _cmp.
 */
#define BROP_COMPARISON_FUNCTIONS(prefix, cmp_internal) \
	BROP_COMPARISON_FN(prefix##_eq, cmp_internal, c == 0) \
	BROP_COMPARISON_FN(prefix##_ne, cmp_internal, c != 0) \
	BROP_COMPARISON_FN(prefix##_lt, cmp_internal, c < 0) \
	BROP_COMPARISON_FN(prefix##_le, cmp_internal, c <= 0) \
	BROP_COMPARISON_FN(prefix##_gt, cmp_internal, c > 0) \
	BROP_COMPARISON_FN(prefix##_ge, cmp_internal, c >= 0) \
	PG_FUNCTION_INFO_V1(prefix##_cmp); \
	Datum prefix##_cmp(PG_FUNCTION_ARGS) \
	{ \
		int			c = cmp_internal(fcinfo); \
		PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0)); \
	}

#define BROP_COMPARISON_FN(name, cmp_internal, expr) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) \
	{ \
		int			c = cmp_internal(fcinfo); \
		PG_RETURN_BOOL(expr); \
	}

/* brop.did values (did.c) */
typedef struct brop_did_value
{
	brop_alg	alg;
	size_t		len;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
} brop_did_value;

extern void brop_did_unpack(Datum d, brop_did_value *out);
extern Datum brop_did_pack(brop_alg alg, const unsigned char *pk, size_t len);
extern brop_alg brop_alg_from_text(text *t);

/* The keyring (keyring.c): one operation with a key's secret. */
typedef enum brop_key_use
{
	USE_SIGN,
	USE_SIGN_SCHNORR,
	USE_SIGN_NOTE,
	USE_SEAL
} brop_key_use;

extern bytea *brop_keyring_use(const char *label, brop_key_use use, bytea *message,
							   const brop_did_value *recipient, const char *note_name);

#endif /* BROP_PG_H */
