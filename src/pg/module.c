/*
 * module.c — library load, above every module of src/pg: initialise the
 * core, define the settings (their variables are common's, settings.c),
 * start the sealer, and give the ledger's seal the capture drain of the
 * registration module (which is above the ledger).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "common/brop_pg.h"
#include "ledger/ledger.h"
#include "credential/credential.h"
#include "registration/registration.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	if (brop_init() != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not initialize the brop cryptographic core")));

	DefineCustomStringVariable("brop.root_key_file",
							   "File holding the root key that encrypts brop's keyring.",
							   "64 hexadecimal digits; the file must not be readable by group or others.",
							   &brop_root_key_file,
							   "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("brop.salt_key_file",
							   "File holding the key that salts the digests of registered rows.",
							   "64 hexadecimal digits; the file must not be readable by group or others. "
							   "Rows registered under one salt key can be disclosed only with it.",
							   &brop_salt_key_file,
							   "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("brop.block_interval",
							"Time between two seals of the sealing worker.",
							"A block is made only when entries are pending.",
							&brop_block_interval,
							3000, 10, 3600 * 1000,
							PGC_SIGHUP,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	DefineCustomIntVariable("brop.progress_interval",
							"Items between two progress messages of long work (brop.verify_ledger, a seal).",
							"Work on fewer items reports no message; 0: none. pg_stat_activity.query shows "
							"the progress whatever the setting.",
							&brop_progress_interval,
							100000, 0, INT_MAX,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);

	/* a seal first turns the committed capture queue into entries */
	brop_seal_before_hook = brop_capture_drain;
	/* a credential's chain is started and extended by whom the credential module says */
	brop_chain_rule_hook = brop_credential_chain_rule;
	/* verify_ledger checks the rows beside the log through their owners' checks */
	brop_credential_ledger_checks();
	brop_registration_ledger_checks();

	/* the sealing worker exists only when the library is preloaded */
	if (process_shared_preload_libraries_in_progress)
	{
		DefineCustomStringVariable("brop.database",
								   "Database whose ledger the sealing worker seals.",
								   "Read at server start, with shared_preload_libraries = 'brop'.",
								   &brop_database,
								   "postgres",
								   PGC_POSTMASTER,
								   0,
								   NULL, NULL, NULL);
		brop_register_sealer();
		brop_sealer_state_request();
	}

	/* after every brop.* setting is defined: others are refused */
	MarkGUCPrefixReserved("brop");
}
