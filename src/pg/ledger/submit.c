/*
 * submit.c — brop.submit(): a checked, signed entry written to the ledger
 * (append.c), with its pending row and its chain's new head.
 *
 * Everything is written as brop's owner: submit switches to that user for
 * its writes only (brop_become_owner), instead of being SECURITY DEFINER
 * with a SET search_path, whose per-call GUC save and restore cost a few
 * per cent of a submission.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"

#include "ledger/ledger.h"

/* ERROR unless the organisation's signature over msg, the entry's signing input, verifies. */
void
brop_entry_verify_signature(const entry_fields *f, const bytea *msg)
{
	int			rc = brop_entry_signature_check(f, msg);

	if (rc == BROP_EVERIFY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("entry signature does not verify"),
				 errdetail("The signature must be made by the key of org over brop.entry_signing_input() of the entry.")));
	if (rc != 0)
		brop_pg_error(rc, "entry signature", false);
}

/*
 * Checks the fields (refusing the reserved kinds unless owned) and the
 * organisation's signature, then writes the entry and its pending row in one
 * statement; chained entries move their chain's head. A nonce the
 * organisation already used returns the entry it made when the signed fields
 * are the same (a safe retry), and is refused otherwise.
 */
static HeapTupleHeader
submit_entry(FunctionCallInfo fcinfo, bool owned)
{
	entry_fields f;
	unsigned char digest[BROP_DIGEST_BYTES];
	brop_owner_state owner;
	HeapTupleHeader row;

	brop_entry_from_args(fcinfo, &f, 4);
	brop_entry_check_fields(&f);
	if (!owned)
		brop_entry_refuse_reserved(&f);
	f.submitted_at = GetCurrentTimestamp();
	brop_entry_verify_signature(&f, brop_entry_forms(&f, digest));
	brop_become_owner(&owner);
	row = brop_ledger_append(&f, digest, NULL);
	/* NULL: the nonce is taken, by this entry (a retry) or by another one */
	if (row == NULL)
		row = brop_entry_existing(&f);
	brop_restore_user(&owner);
	return row;
}

/*
 * brop.submit(kind, org, payload_digest, nonce, signature, header, subject,
 * body_digest, chain_key, prev_digest, expires_block) RETURNS brop.entry.
 */
PG_FUNCTION_INFO_V1(brop_submit);
Datum
brop_submit(PG_FUNCTION_ARGS)
{
	PG_RETURN_HEAPTUPLEHEADER(submit_entry(fcinfo, false));
}

/*
 * brop.submit_owned(): brop.submit without the refusal of reserved kinds
 * (submit_owned.c), for the SECURITY DEFINER functions that write the entry's
 * row in the same transaction. EXECUTE is revoked from PUBLIC and granted to
 * no role.
 */
PG_FUNCTION_INFO_V1(brop_submit_owned);
Datum
brop_submit_owned(PG_FUNCTION_ARGS)
{
	PG_RETURN_HEAPTUPLEHEADER(submit_entry(fcinfo, true));
}
