/*
 * credential_admit.c — the one set of admission rules for a credential
 * version (docs/credentials.md, "Admission"), for brop.issue_credential
 * (credential_issue.c) and brop.record_credential (through
 * brop.admit_credential): issued within 5 minutes of now; a known
 * category; no identity claim in profile 2; the version superseded exists,
 * is active, of the same issuer, holder and category, and the one before;
 * the issuer authorised for the category, and a direct issuer's holder a
 * member, both as their histories' latest versions say (this transaction's
 * changes included): the state the entry is appended into.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "credential/credential.h"

/* how far issued_at may be from now */
#define ADMIT_WINDOW_USECS (5 * 60 * USECS_PER_SEC)

static SPIPlanPtr checks_plan = NULL;
static SPIPlanPtr prev_plan = NULL;

void
brop_credential_admit(brop_admission *a)
{
	Oid			types[4] = {BROP_DID_TYPE, BROP_DID_TYPE, TEXTOID, JSONBOID};
	Datum		args[4] = {a->issuer, a->holder, CStringGetTextDatum(a->category), PointerGetDatum(a->subject)};
	char		nulls[4] = {' ', ' ', ' ', a->subject ? ' ' : 'n'};
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	bool		isnull,
				known,
				authorised,
				direct,
				direct_null,
				member_;
	char	   *identity;
	bool		prev_ok = true;
	int32		prev_version = 0;

	if (a->issued_at < now - ADMIT_WINDOW_USECS || a->issued_at > now + ADMIT_WINDOW_USECS)
	{
		char		at[BROP_TIME_TEXT_MAX];

		brop_pg_time_text(at, a->issued_at);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a credential is recorded within 5 minutes of its issued_at"),
				 errdetail("Its header says it was issued at %s.", at),
				 errhint("Record a credential when it is signed, from a clock in step with the node's: verification asks the oracle at issued_at.")));
	}
	if (SPI_execute_plan(brop_kept_plan(&checks_plan,
									   "SELECT EXISTS (SELECT 1 FROM brop.credential_category k"
									   "                WHERE k.name OPERATOR(pg_catalog.=) $3),"
									   " (SELECT k FROM pg_catalog.jsonb_object_keys($4) k"
									   "   WHERE EXISTS (SELECT 1 FROM brop.identity_claim i"
									   "                  WHERE i.name OPERATOR(pg_catalog.=) pg_catalog.lower(k)) LIMIT 1),"
									   " coalesce((SELECT h.status OPERATOR(pg_catalog.=) 'active'"
									   "                  AND h.role OPERATOR(pg_catalog.=) ANY ('{direct_issuer,cross_issuer}')"
									   "                  AND $3 OPERATOR(pg_catalog.=) ANY (h.categories)"
									   "             FROM brop.organization_history h WHERE h.did OPERATOR(pg_catalog.=) $1"
									   "            ORDER BY h.version DESC LIMIT 1), false),"
									   " (SELECT o.role OPERATOR(pg_catalog.=) 'direct_issuer' FROM brop.organization o"
									   "   WHERE o.did OPERATOR(pg_catalog.=) $1),"
									   " coalesce((SELECT m.member FROM brop.membership_history m"
									   "            WHERE m.org OPERATOR(pg_catalog.=) $1 AND m.holder OPERATOR(pg_catalog.=) $2"
									   "            ORDER BY m.version DESC LIMIT 1), false)", 4, types, 0),
						 args, nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not check the credential's issuer");
	{
		HeapTuple	t = SPI_tuptable->vals[0];
		TupleDesc	d = SPI_tuptable->tupdesc;

		known = DatumGetBool(SPI_getbinval(t, d, 1, &isnull));
		identity = SPI_getvalue(t, d, 2);
		authorised = DatumGetBool(SPI_getbinval(t, d, 3, &isnull));
		direct = DatumGetBool(SPI_getbinval(t, d, 4, &direct_null));
		member_ = DatumGetBool(SPI_getbinval(t, d, 5, &isnull));
	}
	if (!known)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown credential category \"%s\"", brop_pg_quote_cstring(a->category))));
	if (identity != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a profile 2 credential carries no identity data, and claim \"%s\" identifies a person",
						identity),
				 errhint("Use profile 3, or leave the claim out (brop.identity_claim lists the names).")));

	a->lineage = NULL;
	a->prev_deactivated = false;
	if (a->supersedes != NULL || a->version > 1)
	{
		Datum		parg = a->supersedes ? CStringGetTextDatum(a->supersedes) : (Datum) 0;

		if (SPI_execute_plan(brop_kept_plan(&prev_plan,
										   "SELECT x.version, x.lineage, x.status OPERATOR(pg_catalog.=) 'active'"
										   "       AND x.issuer OPERATOR(pg_catalog.=) $2 AND x.holder OPERATOR(pg_catalog.=) $3"
										   "       AND x.category OPERATOR(pg_catalog.=) $4, x.deactivated"
										   "  FROM brop.credential x WHERE x.serial OPERATOR(pg_catalog.=) $1 FOR UPDATE",
										   4, (Oid[]) {TEXTOID, BROP_DID_TYPE, BROP_DID_TYPE, TEXTOID}, 0),
							 (Datum[]) {parg, a->issuer, a->holder, args[2]}, a->supersedes ? NULL : "n   ",
							 false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read brop.credential");
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("credential %s does not exist",
							a->supersedes ? brop_pg_quote_cstring(a->supersedes) : "(none)"),
					 a->supersedes ? 0 : errdetail("Version %d supersedes a version.", a->version)));
		prev_version = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		a->lineage = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
		prev_ok = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		a->prev_deactivated = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 4, &isnull));
		if (a->version == 0)
			a->version = prev_version + 1;
		else if (a->version != prev_version + 1)
			prev_ok = false;
	}
	else if (a->version == 0)
		a->version = 1;
	if (!authorised)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s is not authorised to issue %s credentials", a->issuer_text, a->category),
				 errhint("brop.is_authorized_issuer() answers; governance grants categories with brop.set_organization_categories().")));
	if (!direct_null && direct && !member_)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s issues only to its members, and %s is not one", a->issuer_text, a->holder_text),
				 errhint("A direct issuer adds members with brop.set_membership().")));
	if (!prev_ok)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("credential %s is not the active version %d of this issuer's credential to this holder",
						brop_pg_quote_cstring(a->supersedes), a->version - 1)));
}

/* the attribute number of a column of brop.credential, by name */
static int
column(TupleDesc desc, const char *name)
{
	for (int i = 0; i < desc->natts; i++)
		if (strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) == 0)
			return i;
	elog(ERROR, "brop.credential has no column \"%s\"", name);
}

/*
 * brop.admit_credential(c brop.credential) RETURNS brop.credential:
 * brop_credential_admit for brop.record_credential, c with its lineage
 * (the superseded version's, else its serial) and deactivated (the
 * superseded version's) set. ERROR if refused.
 */
PG_FUNCTION_INFO_V1(brop_admit_credential);
Datum
brop_admit_credential(PG_FUNCTION_ARGS)
{
	HeapTupleHeader c = PG_GETARG_HEAPTUPLEHEADER(0);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(c), HeapTupleHeaderGetTypMod(c));
	HeapTupleData tuple;
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	brop_admission a;
	int			i;
	HeapTuple	out;
	MemoryContext caller = CurrentMemoryContext;
	char	   *lineage;

	tuple.t_len = HeapTupleHeaderGetDatumLength(c);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = c;
	heap_deform_tuple(&tuple, desc, values, nulls);
	memset(&a, 0, sizeof a);
	if (nulls[column(desc, "serial")] || nulls[column(desc, "version")] || nulls[column(desc, "issuer")] ||
		nulls[column(desc, "holder")] || nulls[column(desc, "category")] || nulls[column(desc, "issued_at")])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a credential's serial, version, issuer, holder, category and issued_at must not be null")));
	a.issuer = values[column(desc, "issuer")];
	a.holder = values[column(desc, "holder")];
	a.issuer_text = brop_did_cstring(a.issuer);
	a.holder_text = brop_did_cstring(a.holder);
	a.category = TextDatumGetCString(values[column(desc, "category")]);
	i = column(desc, "supersedes");
	a.supersedes = nulls[i] ? NULL : TextDatumGetCString(values[i]);
	a.version = DatumGetInt32(values[column(desc, "version")]);
	if (a.version < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a credential's versions start at 1")));
	a.issued_at = DatumGetTimestampTz(values[column(desc, "issued_at")]);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	brop_credential_admit(&a);
	lineage = a.lineage ? MemoryContextStrdup(caller, a.lineage) : NULL;
	SPI_finish();
	i = column(desc, "lineage");
	values[i] = lineage ? CStringGetTextDatum(lineage) : values[column(desc, "serial")];
	nulls[i] = false;
	i = column(desc, "deactivated");
	values[i] = BoolGetDatum(a.prev_deactivated);
	nulls[i] = false;
	out = heap_form_tuple(desc, values, nulls);
	ReleaseTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(out));
}
