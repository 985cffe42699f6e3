/*
 * brop.h — the brop core: one header for all of it.
 *
 * Pure C11, no PostgreSQL headers. Every function that can fail returns 0 or
 * a negative brop_err code and is warn_unused_result. Outputs go to caller
 * buffers with explicit capacities; where the size is unbounded a
 * brop_allocator is passed.
 *
 * Threads: call brop_init() once before anything else. Functions keep small
 * per-thread caches (digest contexts); they are safe to call from several
 * threads once brop_init() has returned.
 */
#ifndef BROP_H
#define BROP_H

#include <stddef.h>
#include <stdint.h>

#include "brop_err.h"
#include "brop_hash.h"
#include "brop_encoding.h"
#include "brop_sign.h"
#include "brop_didkey.h"
#include "brop_jcs.h"
#include "brop_envelope.h"
#include "brop_keybox.h"
#include "brop_point.h"
#include "brop_merkle.h"
#include "brop_merkle_tile.h"
#include "brop_note.h"
#include "brop_witness.h"
#include "brop_row.h"
#include "brop_entry.h"
#include "brop_plugin_line.h"
#include "brop_batch.h"
#include "brop_credential.h"
#include "brop_credential_header.h"
#include "brop_capture_record.h"
#include "brop_pkcs11.h"

/*
 * Initialise the libraries the core stands on (libsodium, libsecp256k1,
 * OpenSSL digests). Idempotent.
 * Returns: 0, or BROP_EINTERNAL if a library failed to initialise.
 */
BROP_WARN_UNUSED_RESULT int brop_init(void);

#endif /* BROP_H */
