/*
 * operations.h — what an operator watches and guards: the node's identity
 * (node_identity.c: a restored copy does not seal until adopted) and the
 * sealing worker's state in shared memory (sealer_state.c), read by
 * brop.sealer() and the brop.status view.
 */
#ifndef BROP_OPERATIONS_H
#define BROP_OPERATIONS_H

#include "postgres.h"
#include "utils/elog.h"

/*
 * Inside SPI_connect(): ERROR unless this database is the one the ledger was
 * configured in (or adopted as), by the cluster's system identifier and the
 * database's OID recorded in brop.node_identity. A schema without that table
 * (1.0, before ALTER EXTENSION UPDATE) passes.
 */
extern void brop_node_identity_check(void);

/* With shared_preload_libraries: ask for the sealer's shared state (module.c). */
extern void brop_sealer_state_request(void);

/* The sealing worker publishes: started, then after every attempt (ed NULL: it succeeded). */
extern void brop_sealer_state_started(const char *database);
extern void brop_sealer_state_attempt(const ErrorData *ed, int failures, TimestampTz next);

#endif
