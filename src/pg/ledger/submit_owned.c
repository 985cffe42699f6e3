/*
 * submit_owned.c — the reserved kinds (docs/ledger.md, "Who writes which
 * kind"): an entry of kind organization, membership, credential,
 * credential_status or node_adopted states a row of brop's tables, and
 * brop.verify_ledger() checks the first four rows are there and are what the
 * entry says (registration
 * entries are not reserved: the relay appends a source database's, whose
 * rows are at the source). Such an entry is written only by the function that writes its row,
 * in the same transaction: brop.submit, brop.submit_as and brop.submit_batch
 * refuse it, and the owning functions reach brop.submit_owned (submit.c), whose EXECUTE
 * no role has (only the extension's owner, running a SECURITY DEFINER
 * function, calls it). issue_credential (C) appends directly.
 *
 * A database still at 1.0 runs against this library until ALTER EXTENSION
 * brop UPDATE; its SQL functions (set_membership, record_credential, ...)
 * call brop.submit for these kinds. So the refusal applies only once the
 * 1.1 schema is there, which is known by brop.submit_owned existing.
 */
#include "postgres.h"

#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"

#include "ledger/ledger.h"

typedef struct reserved_kind
{
	const char *kind;
	const char *table;
	const char *writers;
} reserved_kind;

static const reserved_kind reserved_kinds[] = {
	{"organization", "brop.organization_history or brop.credential_category",
	"brop.add_organization(), brop.set_organization_status(), brop.set_organization_categories() or brop.add_category()"},
	{"membership", "brop.membership_history", "brop.set_membership()"},
	{"credential", "brop.credential", "brop.issue_credential() or brop.record_credential()"},
	{"credential_status", "brop.credential", "brop.credential_request() or brop.revoke_credential()"},
	{"node_adopted", "brop.node_identity", "brop.adopt_copy()"},
};

/* Is the 1.1 schema installed (brop.submit_owned exists)? */
static bool
reserved_kinds_enforced(void)
{
	List	   *name = list_make2(makeString("brop"), makeString("submit_owned"));

	return OidIsValid(LookupFuncName(name, -1, NULL, true));
}

/*
 * ERROR (42501) if f's kind is reserved to the function that writes its row,
 * once the 1.1 schema is installed. Costs a comparison of the kind for any
 * other entry.
 */
void
brop_entry_refuse_reserved(const entry_fields *f)
{
	const char *kind = VARDATA_ANY(f->kind);
	size_t		len = VARSIZE_ANY_EXHDR(f->kind);

	for (int i = 0; i < lengthof(reserved_kinds); i++)
	{
		const reserved_kind *r = &reserved_kinds[i];

		if (len != strlen(r->kind) || memcmp(kind, r->kind, len) != 0)
			continue;
		if (!reserved_kinds_enforced())
			return;
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("entries of kind \"%s\" are reserved", r->kind),
				 errdetail("An entry of kind \"%s\" states a row of %s, and is written only together with that row.",
						   r->kind, r->table),
				 errhint("Use %s.", r->writers)));
	}
}
