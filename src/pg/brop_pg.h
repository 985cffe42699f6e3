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

#endif /* BROP_PG_H */
