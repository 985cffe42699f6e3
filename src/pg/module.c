/*
 * module.c — library load: initialise the core, define the GUCs.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "brop_pg.h"

PG_MODULE_MAGIC;

char	   *brop_root_key_file = NULL;

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

	MarkGUCPrefixReserved("brop");
}
