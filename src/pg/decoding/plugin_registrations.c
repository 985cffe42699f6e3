/*
 * plugin_registrations.c — the brop output plugin's options and what it
 * registers: the "registrations" option, or brop.registration read as of
 * the decoded change (a user catalog table); the per-relation cache, and the
 * REPLICA IDENTITY FULL requirement (plugin.c has the callbacks).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/rel.h"

#include "decoding/decoding.h"

void
plugin_invalidate_all(plugin_state *st)
{
	HASH_SEQ_STATUS seq;
	plugin_rel *r;

	hash_seq_init(&seq, st->rels);
	while ((r = hash_seq_search(&seq)) != NULL)
		r->valid = false;
}

/* ---- options ------------------------------------------------------------------ */

void
plugin_option_error(const char *name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for option \"%s\" of the brop output plugin", name),
			 errdetail("%s", detail)));
}

static char *
reg_string(JsonbContainer *obj, const char *key, bool required)
{
	JsonbValue *v = getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);

	if (v == NULL || v->type == jbvNull)
	{
		if (required)
			plugin_option_error("registrations", psprintf("A registration needs \"%s\".", key));
		return NULL;
	}
	if (v->type != jbvString || v->val.string.len == 0)
		plugin_option_error("registrations", psprintf("\"%s\" must be a non-empty string.", key));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static Datum *
reg_names(JsonbContainer *obj, const char *key, int *n)
{
	JsonbValue *v = getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);
	JsonbContainer *arr;
	Datum	   *out;

	if (v == NULL || v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data) ||
		JsonContainerSize(v->val.binary.data) == 0)
		plugin_option_error("registrations", psprintf("\"%s\" must be a non-empty array of column names.", key));
	arr = v->val.binary.data;
	*n = JsonContainerSize(arr);
	if (*n > MaxHeapAttributeNumber)
		plugin_option_error("registrations", psprintf("\"%s\" names at most %d columns.", key, MaxHeapAttributeNumber));
	out = palloc(sizeof(Datum) * *n);
	for (int i = 0; i < *n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(arr, i);

		if (e->type != jbvString || e->val.string.len == 0)
			plugin_option_error("registrations", psprintf("\"%s\" must be a non-empty array of column names.", key));
		out[i] = PointerGetDatum(cstring_to_text_with_len(e->val.string.val, e->val.string.len));
	}
	return out;
}

/* registrations in the option: each is compared with every one before it */
#define OPTION_REGS_MAX 1000

static const char *const reg_keys[] = {
	"name", "table", "key_columns", "columns", "subject_column", "profile"
};

List *
plugin_parse_registrations(const char *json)
{
	Jsonb	   *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
	List	   *regs = NIL;
	int			n;

	if (!JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb) || JB_ROOT_COUNT(jb) == 0)
		plugin_option_error("registrations", "It is a non-empty JSON array of registrations.");
	n = JB_ROOT_COUNT(jb);
	/* counted first: each is compared with those before it */
	if (n > OPTION_REGS_MAX)
		plugin_option_error("registrations", psprintf("It lists at most %d registrations.", OPTION_REGS_MAX));
	for (int i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(&jb->root, i);
		option_reg *r = palloc0(sizeof(option_reg));
		JsonbContainer *obj;
		JsonbValue *p;
		int			known = 0;
		ListCell   *lc;

		if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
			plugin_option_error("registrations", "Each registration is a JSON object.");
		obj = v->val.binary.data;
		for (int k = 0; k < (int) lengthof(reg_keys); k++)
			if (getKeyJsonValueFromContainer(obj, reg_keys[k], strlen(reg_keys[k]), NULL) != NULL)
				known++;
		if (known != (int) JsonContainerSize(obj))
			plugin_option_error("registrations",
						 "A registration has only \"name\", \"table\", \"key_columns\", \"columns\", "
						 "\"subject_column\" and \"profile\".");
		r->name = reg_string(obj, "name", true);
		if (strlen(r->name) > 200)
			plugin_option_error("registrations", "A registration name has at most 200 bytes.");
		r->table = reg_string(obj, "table", true);
		r->keys = reg_names(obj, "key_columns", &r->nkeys);
		r->cols = reg_names(obj, "columns", &r->ncols);
		r->subject = reg_string(obj, "subject_column", false);
		r->profile = 1;
		p = getKeyJsonValueFromContainer(obj, "profile", 7, NULL);
		if (p != NULL && p->type != jbvNull)
		{
			if (p->type != jbvNumeric)
				plugin_option_error("registrations", "\"profile\" is 1 or 3.");
			r->profile = DatumGetInt32(DirectFunctionCall1(numeric_int4, NumericGetDatum(p->val.numeric)));
			if (r->profile != 1 && r->profile != 3)
				plugin_option_error("registrations", "\"profile\" is 1 or 3 (profile 2 needs the ledger's body store).");
		}
		foreach(lc, regs)
		{
			option_reg *other = lfirst(lc);

			if (strcmp(other->name, r->name) == 0 || strcmp(other->table, r->table) == 0)
				plugin_option_error("registrations", psprintf("Registration \"%s\" or table \"%s\" is given twice.",
													   brop_pg_quote_cstring(r->name),
													   brop_pg_quote_cstring(r->table)));
		}
		regs = lappend(regs, r);
	}
	return regs;
}

/* ---- registrations ------------------------------------------------------------- */

static char *
plugin_qualified_name(Relation rel)
{
	return psprintf("%s.%s", get_namespace_name(RelationGetNamespace(rel)), RelationGetRelationName(rel));
}

void
plugin_require_full_identity(Relation rel, const char *regname)
{
	if (rel->rd_rel->relreplident != REPLICA_IDENTITY_FULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" of registration \"%s\" does not have REPLICA IDENTITY FULL",
						RelationGetRelationName(rel), brop_pg_quote_cstring(regname)),
				 errdetail("Without the whole old row, an UPDATE or DELETE cannot be registered with its digest."),
				 errhint("ALTER TABLE %s REPLICA IDENTITY FULL before registering its changes.",
						 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
													RelationGetRelationName(rel)))));
}

/* The option registrations' tables must exist (checked in the first transaction decoded). */
void
plugin_check_option_tables(plugin_state *st)
{
	ListCell   *lc;

	foreach(lc, st->option_regs)
	{
		option_reg *r = lfirst(lc);
		List	   *names = brop_qualified_name_list(r->table);
		Oid			relid = RangeVarGetRelid(makeRangeVarFromNameList(names), NoLock, true);

		if (!OidIsValid(relid) || get_rel_relkind(relid) != RELKIND_RELATION)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("table \"%s\" of registration \"%s\" does not exist", brop_pg_quote_cstring(r->table), brop_pg_quote_cstring(r->name)),
					 errhint("Give \"table\" as schema.table in the registrations option.")));
	}
	st->checked_options = true;
}

plugin_rel *
plugin_lookup_rel(plugin_state *st, Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	bool		found;
	plugin_rel *pr = hash_search(st->rels, &relid, HASH_ENTER, &found);
	registration r;
	MemoryContext old;

	if (found && pr->valid)
		return pr;
	if (found && pr->registered)
		MemoryContextDelete(pr->reg.cxt);
	pr->valid = false;
	pr->registered = false;

	memset(&r, 0, sizeof r);
	r.relid = relid;
	r.cxt = AllocSetContextCreate(st->cache_cxt, "brop decoded registration", ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(r.cxt);
	if (st->from_options)
	{
		char	   *qname = plugin_qualified_name(rel);
		ListCell   *lc;

		foreach(lc, st->option_regs)
		{
			option_reg *o = lfirst(lc);

			if (strcmp(o->table, qname) == 0)
			{
				r.name = pstrdup(o->name);
				brop_registration_columns(&r, rel, o->keys, o->nkeys, o->cols, o->ncols, o->subject);
				r.profile = o->profile;
				pr->registered = true;
				break;
			}
		}
	}
	else
		pr->registered = brop_registration_decoded(&st->registration_rel, rel, &r);
	MemoryContextSwitchTo(old);
	if (pr->registered)
	{
		plugin_require_full_identity(rel, r.name);
		r.org_text = st->org;
		pr->reg = r;
	}
	else
		MemoryContextDelete(r.cxt);
	pr->valid = true;
	return pr;
}

/* Is rel brop.registration (catalog mode)? Found by name until the extension exists. */
bool
plugin_is_registration_table(plugin_state *st, Relation rel)
{
	if (st->from_options)
		return false;
	if (!OidIsValid(st->registration_rel))
	{
		if (strcmp(RelationGetRelationName(rel), "registration") != 0 ||
			strcmp(get_namespace_name(RelationGetNamespace(rel)), "brop") != 0)
			return false;
		st->registration_rel = RelationGetRelid(rel);
	}
	return RelationGetRelid(rel) == st->registration_rel;
}

