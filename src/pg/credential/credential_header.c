/*
 * credential_header.c — the header of a credential version's ledger entry
 * (docs/formats.md, "Credentials"), made by the core's one producer
 * (brop_credential_header): for brop.issue_credential, and as
 * brop.credential_header(brop.credential), which brop.record_credential and
 * brop.verify_ledger() compare with an entry's header.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "credential/credential.h"

Jsonb *
brop_credential_header_jsonb(const char *serial, int32 version, const char *supersedes,
							 const char *issuer, const char *holder, const char *category,
							 const char *form, int profile, TimestampTz issued_at,
							 const TimestampTz *valid_until)
{
	brop_credential_header_fields h;
	char	   *out;
	size_t		len;
	Jsonb	   *jb;

	memset(&h, 0, sizeof h);
	h.serial = serial;
	h.version = version;
	h.supersedes = supersedes;
	h.issuer = issuer;
	h.holder = holder;
	h.category = category;
	h.form = form;
	h.profile = profile;
	/* the ledger's times: 22008 outside the years 1 to 9999, as every entry's */
	h.issued_at = brop_pg_unix_us(issued_at);
	h.has_valid_until = valid_until != NULL;
	if (valid_until != NULL)
		h.valid_until = brop_pg_unix_us(*valid_until);
	brop_pg_check(brop_credential_header(&out, &len, &h, &brop_pg_allocator), "credential header");
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(out)));
	pfree(out);
	return jb;
}

static Datum
attr(HeapTupleHeader row, const char *name, bool *isnull)
{
	Datum		d = GetAttributeByName(row, name, isnull);

	if (*isnull && strcmp(name, "supersedes") != 0 && strcmp(name, "valid_until") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("credential field \"%s\" is null", name)));
	return d;
}

/* brop.credential_header(c brop.credential) RETURNS jsonb */
PG_FUNCTION_INFO_V1(brop_pg_credential_header);
Datum
brop_pg_credential_header(PG_FUNCTION_ARGS)
{
	HeapTupleHeader c = PG_GETARG_HEAPTUPLEHEADER(0);
	bool		isnull;
	Datum		d;
	const char *supersedes;
	TimestampTz valid_until;
	bool		has_valid_until;
	Datum		issuer,
				holder,
				serial,
				category,
				form;
	int32		version;
	int			profile;
	TimestampTz issued_at;

	serial = attr(c, "serial", &isnull);
	version = DatumGetInt32(attr(c, "version", &isnull));
	d = attr(c, "supersedes", &isnull);
	supersedes = isnull ? NULL : TextDatumGetCString(d);
	issuer = attr(c, "issuer", &isnull);
	holder = attr(c, "holder", &isnull);
	category = attr(c, "category", &isnull);
	form = attr(c, "form", &isnull);
	profile = DatumGetInt16(attr(c, "profile", &isnull));
	issued_at = DatumGetTimestampTz(attr(c, "issued_at", &isnull));
	d = attr(c, "valid_until", &isnull);
	has_valid_until = !isnull;
	valid_until = isnull ? 0 : DatumGetTimestampTz(d);
	PG_RETURN_JSONB_P(brop_credential_header_jsonb(TextDatumGetCString(serial), version, supersedes,
												   brop_did_cstring(issuer), brop_did_cstring(holder),
												   TextDatumGetCString(category), TextDatumGetCString(form),
												   profile, issued_at,
												   has_valid_until ? &valid_until : NULL));
}
