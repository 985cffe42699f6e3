/*
 * relay.h — brop relay (src/cli/relay): its state and the parts its files
 * share. From the bottom: relay_util.c (leaf helpers, a batch emptied, a
 * status update sent), relay_ledger.c (the ledger: position, chain heads,
 * signed batches), relay_progress.c (the catch-up progress lines),
 * cmd_relay.c (the source, the stream, the command).
 */
#ifndef BROP_RELAY_H
#define BROP_RELAY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "common/cli.h"

#define EXIT_REFUSED 5

/* the command (cmd_relay.c) */
int			cmd_relay(int argc, char **argv);

/* shown in pg_stat_activity and pg_stat_replication */
#define RELAY_APPLICATION_NAME "brop relay"

typedef uint64_t lsn_t;

/* ---- state ---------------------------------------------------------------------- */

typedef struct pending_entry
{
	json_t	   *entry;			/* the plugin's line, completed before signing */
	const char *chain_key;		/* in entry, or NULL */
} pending_entry;

typedef struct relay
{
	/* configuration */
	const char *source_conninfo;
	const char *slot;
	const char *ledger_conninfo;
	const char *name;
	char	   *registrations;	/* the option's JSON text, or NULL */
	int			batch_max;
	int			wait_ms;
	int			status_interval;
	int			progress_interval;	/* --progress: seconds between catch-up lines, 0: none */
	bool		once;
	cli_key		key;

	/* connections */
	PGconn	   *source;
	PGconn	   *ledger;

	/* the ledger's position of the source: changes < 0 when the transaction is whole */
	lsn_t		held_lsn;
	int64_t		held_changes;

	/* the transaction being received */
	bool		in_txn;
	lsn_t		txn_end;
	int64_t		txn_changes;	/* changes of it seen so far */

	/* the batch being made: its entries follow (after_*) and reach (through_*) */
	pending_entry *batch;
	int			nbatch;
	const char **batch_chains;	/* the batch's chain keys, an open hash of batch_chains_cap slots */
	size_t		batch_chains_cap;
	lsn_t		through_lsn;
	int64_t		through_changes;
	double		batch_started;

	/* chain heads known to be on the ledger (hex), a small open hash */
	char	  **head_keys;
	char	  **head_values;
	size_t		head_cap;
	size_t		head_count;

	/* for status lines and confirmations */
	lsn_t		received;		/* the source's WAL end as last reported */
	lsn_t		confirmed;		/* flushed as far as we told the source */
	lsn_t		slot_confirmed; /* the slot's confirmed_flush_lsn when the relay connected */
	lsn_t		idle_position;	/* a position line seen with nothing pending */
	uint64_t	appended;
	uint64_t	batches;
	uint64_t	appended_at_status;
	double		last_status;
	double		last_feedback;
	double		last_data;		/* when the source last sent a change or marker */
	lsn_t		once_target;	/* --once: the source's WAL end when the relay connected */

	/* catch-up progress (relay_progress.c) */
	PGconn	   *progress_conn;	/* a plain connection to the source, for its WAL position */
	bool		progress_warned;
	bool		catching_up;
	lsn_t		source_end;		/* the source's flushed WAL, as last read */
	lsn_t		progress_prev_end;	/* the same, read at the tick before */
	lsn_t		progress_reached;	/* how far the relay had got at the last tick */
	double		progress_at;	/* the last tick */
	uint64_t	progress_appended;
	double		catchup_started;
	uint64_t	catchup_appended;
} relay;

double		now_seconds(void);
void		say(const char *fmt,...) __attribute__((format(printf, 1, 2)));
bool		parse_lsn(const char *s, lsn_t *out);
char	   *lsn_text(char buf[32], lsn_t lsn);
void		put_u64(char *p, uint64_t v);
uint64_t	get_u64(const char *p);
int64_t		pg_now(void);	/* microseconds since 2000-01-01, PostgreSQL's epoch */
void		report_error(const char *what, PGconn *conn, const PGresult *res);
/* Empties the batch being made. */
void		batch_reset(relay *r);
/* A standby status update: everything up to r->confirmed is safe on the ledger. */
bool		send_feedback(relay *r, bool reply);

/* catch-up progress (relay_progress.c): connected at source_end; at every turn of the stream; stopped */
void		relay_progress_start(relay *r, lsn_t source_end);
void		relay_progress(relay *r);
void		relay_progress_stop(relay *r, bool done);

/* the ledger (relay_ledger.c) */
uint64_t	relay_str_hash(const char *s);
void		heads_clear(relay *r);
bool		read_position(relay *r);
bool		announce_registrations(relay *r);
int			flush_batch(relay *r);

#endif							/* BROP_RELAY_H */
