/*
 * chain_rule.c — who starts and extends a credential's chain,
 * credential:<serial>: the rule the ledger's append asks through
 * brop_chain_rule_hook, since only this module names brop.credential.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "credential/credential.h"

/* May org extend the credential chain of lineage: the node, the credential's issuer or its holder? */
#define CHAIN_EXTENDER_SQL \
	"SELECT EXISTS (SELECT FROM brop.credential c WHERE c.lineage OPERATOR(pg_catalog.=) $1" \
	"                AND (c.issuer OPERATOR(pg_catalog.=) $2 OR c.holder OPERATOR(pg_catalog.=) $2))" \
	" OR EXISTS (SELECT FROM brop.ledger_config g WHERE g.node_did OPERATOR(pg_catalog.=) $2)"

static SPIPlanPtr chain_extender_plan;

#define CREDENTIAL_CHAIN_PREFIX "credential:"

/*
 * A credential's chain, credential:<serial of its version 1>, is the
 * credential's: its first entry is that version's (kind credential, nonce the
 * serial), and only the node, the credential's issuer and its holder extend
 * it (docs/ledger.md, "Who extends which chain"). The ledger's append calls
 * it through brop_chain_rule_hook for every chained entry. Inside SPI.
 */
void
brop_credential_chain_rule(const entry_fields *f)
{
	const char *key = VARDATA_ANY(f->chain_key);
	size_t		keylen = VARSIZE_ANY_EXHDR(f->chain_key);
	size_t		plen = strlen(CREDENTIAL_CHAIN_PREFIX);
	text	   *lineage;
	Datum		args[2];
	bool		isnull;

	if (keylen < plen || memcmp(key, CREDENTIAL_CHAIN_PREFIX, plen) != 0)
		return;
	lineage = cstring_to_text_with_len(key + plen, keylen - plen);
	if (f->prev_digest == NULL)
	{
		if (VARSIZE_ANY_EXHDR(f->kind) != strlen("credential") ||
			memcmp(VARDATA_ANY(f->kind), "credential", strlen("credential")) != 0 ||
			VARSIZE_ANY_EXHDR(f->nonce) != keylen - plen ||
			memcmp(VARDATA_ANY(f->nonce), key + plen, keylen - plen) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("chain \"%s\" can only be started by the credential's first version",
							text_to_cstring(f->chain_key)),
					 errdetail("A chain credential:<serial> starts with the entry of kind credential whose nonce is the serial.")));
		return;
	}
	args[0] = PointerGetDatum(lineage);
	args[1] = f->org;
	if (SPI_execute_plan(brop_kept_plan(&chain_extender_plan, CHAIN_EXTENDER_SQL, 2,
										(Oid[]) {TEXTOID, BROP_DID_TYPE}, CURSOR_OPT_GENERIC_PLAN),
						 args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read who may extend chain \"%s\"", text_to_cstring(f->chain_key));
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("organisation %s may not extend chain \"%s\"", f->org_text, text_to_cstring(f->chain_key)),
				 errdetail("Only the node, the credential's issuer and its holder extend a credential's chain.")));
}
