/*
 * settings.c — the variables of brop's settings (GUCs), which _PG_init
 * (module.c) defines; here, at the bottom of src/pg, so that every module
 * may read them.
 */
#include "postgres.h"

#include "common/brop_pg.h"

char	   *brop_root_key_file = NULL;
char	   *brop_salt_key_file = NULL;
char	   *brop_database = NULL;
int			brop_block_interval = 3000;
int			brop_progress_interval = 100000;
