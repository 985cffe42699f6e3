/*
 * decoding.h — the decoding module (src/pg/decoding): the brop output
 * plugin's state (plugin.c: callbacks and output; plugin_registrations.c:
 * options and registrations).
 */
#ifndef BROP_PG_DECODING_H
#define BROP_PG_DECODING_H

#include "replication/logical.h"
#include "utils/hsearch.h"

#include "registration/registration.h"

/* A registration given in the options. */
typedef struct option_reg
{
	char	   *name;
	char	   *table;			/* "schema.table" */
	Datum	   *keys;
	int			nkeys;
	Datum	   *cols;
	int			ncols;
	char	   *subject;
	int			profile;
} option_reg;

/* What the plugin knows of a relation, by OID. */
typedef struct plugin_rel
{
	Oid			relid;			/* hash key */
	bool		valid;
	bool		registered;
	registration reg;			/* when registered; reg.cxt holds its parts */
} plugin_rel;

typedef struct plugin_state
{
	MemoryContext change_cxt;	/* reset after every change */
	MemoryContext cache_cxt;
	HTAB	   *rels;
	char	   *org;			/* option org, or NULL */
	List	   *option_regs;	/* NIL: registrations from brop.registration */
	bool		from_options;
	bool		checked_options;
	bool		in_txn;			/* begin line written */
	int			guc_nest;		/* fixed output settings applied at this GUC level, or -1 */
	uint64		skipped;
	TimestampTz last_position;
	Oid			registration_rel;	/* brop.registration, when from the catalog */
	List	   *registered_now;	/* tables this transaction registered (capture 'plugin'), in ctx->context */
} plugin_state;

brop_noreturn extern void plugin_option_error(const char *name, const char *detail);
extern List *plugin_parse_registrations(const char *json);
extern void plugin_invalidate_all(plugin_state *st);
extern void plugin_check_option_tables(plugin_state *st);
extern plugin_rel *plugin_lookup_rel(plugin_state *st, Relation rel);
extern bool plugin_is_registration_table(plugin_state *st, Relation rel);
extern void plugin_require_full_identity(Relation rel, const char *regname);

#endif							/* BROP_PG_DECODING_H */
