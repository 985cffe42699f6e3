/*
 * plugin.c — the "brop" logical decoding output plugin (inside brop.so).
 *
 * For the changes of registered tables only, it writes one JSON line per
 * change: the row entry exactly as brop.submit_batch takes it, without the
 * organisation's prev_digest and signature, which brop relay adds
 * (docs/registration.md, "Path 2"). Row digests are computed here, at the
 * source, with the salt key of brop.salt_key_file: no column value leaves
 * unless the registration's profile (3) says so. Each transaction with such
 * changes is framed by a begin and a commit line carrying its LSNs; a
 * transaction without any gives at most one "position" line a second, so
 * that a receiver can confirm progress through unregistered traffic.
 *
 * Registrations come from brop.registration (capture 'plugin', read as of
 * each decoded change: it is a user catalog table), or, where the extension
 * is not created, from the "registrations" option. Options:
 *
 *   org            did:key of the organisation, written into every entry
 *   registrations  JSON array of {"name", "table", "key_columns", "columns",
 *                  "subject_column", "profile"} (instead of brop.registration)
 *
 * An unknown option is an error. Registered tables must have REPLICA
 * IDENTITY FULL, so that the old row of an UPDATE or DELETE is complete;
 * an unchanged TOASTed value of an UPDATE's new row is taken from the old
 * row. Memory is one context reset after every change, and a registration
 * cache; the reorder buffer spills large transactions to disk.
 *
 * The startup callback runs in a walsender outside any transaction: it reads
 * no catalog (the salt key file's checks included). The other callbacks run
 * in the decoding transaction, under its historic snapshot.
 *
 * Since decoding reads brop.registration as of each change, the extension is
 * not dropped while a slot of this plugin exists in its database (the event
 * trigger brop_refuse_drop_with_slot, at the end of this file).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "replication/logical.h"
#include "replication/output_plugin.h"
#include "replication/slot.h"
#include "storage/lwlock.h"
#include "storage/spin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/regproc.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/pg_lsn.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "decoding/decoding.h"

extern PGDLLEXPORT void _PG_output_plugin_init(OutputPluginCallbacks *cb);

/* skipped changes between two progress updates (as pgoutput does) */
#define PROGRESS_EVERY 100
/* at most one position line per this many microseconds */
#define POSITION_INTERVAL_US 1000000

/* the decoding session's state, for the relcache callback (one per process) */
static plugin_state *current_state = NULL;
static bool callback_registered = false;

static void
relcache_callback(Datum arg, Oid relid)
{
	plugin_rel *r;

	if (current_state == NULL)
		return;
	if (relid == InvalidOid)
		plugin_invalidate_all(current_state);
	else if ((r = hash_search(current_state->rels, &relid, HASH_FIND, NULL)) != NULL)
		r->valid = false;
}

static void
plugin_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	plugin_state *st = MemoryContextAllocZero(ctx->context, sizeof(plugin_state));
	MemoryContext old = MemoryContextSwitchTo(ctx->context);
	HASHCTL		hctl;
	ListCell   *lc;

	st->change_cxt = AllocSetContextCreate(ctx->context, "brop change", ALLOCSET_DEFAULT_SIZES);
	st->guc_nest = -1;
	st->cache_cxt = AllocSetContextCreate(ctx->context, "brop registrations", ALLOCSET_SMALL_SIZES);
	hctl.keysize = sizeof(Oid);
	hctl.entrysize = sizeof(plugin_rel);
	hctl.hcxt = st->cache_cxt;
	st->rels = hash_create("brop decoded relations", 64, &hctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;

	foreach(lc, ctx->output_plugin_options)
	{
		DefElem    *el = lfirst_node(DefElem, lc);
		char	   *val = el->arg ? strVal(el->arg) : NULL;

		if (strcmp(el->defname, "org") == 0)
		{
			brop_did_value did;

			if (val == NULL ||
				brop_didkey_decode(&did.alg, did.pk, sizeof did.pk, &did.len, val, strlen(val)) != 0 ||
				did.alg == BROP_ALG_X25519)
				plugin_option_error("org", "It is a did:key identifier.");
			st->org = pstrdup(val);
		}
		else if (strcmp(el->defname, "registrations") == 0)
		{
			if (val == NULL)
				plugin_option_error("registrations", "It is a non-empty JSON array of registrations.");
			st->option_regs = plugin_parse_registrations(val);
			st->from_options = true;
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" is not known to the brop output plugin", brop_pg_quote_cstring(el->defname)),
					 errhint("The options are \"org\" and \"registrations\".")));
	}
	MemoryContextSwitchTo(old);
	ctx->output_plugin_private = st;
	current_state = st;
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	/* the salt key must be readable before anything is decoded */
	if (!is_init)
		(void) brop_salt_key();
}

static void
plugin_shutdown(LogicalDecodingContext *ctx)
{
	if (current_state == ctx->output_plugin_private)
		current_state = NULL;
}

/* ---- output ----------------------------------------------------------------------- */

/* A line the core made into buf (cap BROP_PLUGIN_LINE_MAX), written. */
static void
write_line(LogicalDecodingContext *ctx, const char *line, size_t len)
{
	OutputPluginPrepareWrite(ctx, true);
	appendBinaryStringInfo(ctx->out, line, len);
	OutputPluginWrite(ctx, true);
}

/* commit_time in RFC 3339 UTC with microseconds, whatever the session's TimeZone and DateStyle */
static void
write_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	char		line[BROP_PLUGIN_LINE_MAX];
	size_t		len;

	brop_pg_check(brop_plugin_begin_line(line, sizeof line, &len, txn->final_lsn, txn->end_lsn,
										 brop_pg_unix_us(txn->xact_time.commit_time), txn->xid), "begin line");
	write_line(ctx, line, len);
}

static void ensure_begin(LogicalDecodingContext *ctx, plugin_state *st, ReorderBufferTXN *txn);

/* One row entry line (the core's brop_plugin_row_line): kind, chain key, header, digest, nonce, org and subject. */
static void
write_row(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, const registration *reg, const char *op,
		  const StringInfoData *key, const StringInfoData *doc, HeapTuple tuple, TupleDesc desc, XLogRecPtr lsn)
{
	plugin_state *st = ctx->output_plugin_private;
	unsigned char chain_id[BROP_ROW_CHAIN_ID_BYTES];
	unsigned char digest[BROP_ROW_DIGEST_BYTES];
	brop_plugin_row r;
	size_t		len,
				max;

	memset(&r, 0, sizeof r);
	brop_pg_check(brop_row_chain_id_k(chain_id, brop_salt_key_prepared(), reg->name, strlen(reg->name),
									  key->data, key->len), "row key");
	r.registration = reg->name;
	r.registration_len = strlen(reg->name);
	r.chain_id = chain_id;
	r.version = (uint64) lsn;
	r.header = brop_row_version(reg, op, key, doc, r.version, &r.header_len, digest);
	r.payload_digest = digest;
	if (st->org != NULL)
	{
		r.org = st->org;
		r.org_len = strlen(st->org);
	}
	if (reg->subject != 0)
	{
		bool		isnull;
		Datum		subject = heap_getattr(tuple, reg->subject, desc, &isnull);

		if (!isnull)
		{
			Oid			outfn;
			bool		varlena;

			getTypeOutputInfo(TupleDescAttr(desc, reg->subject - 1)->atttypid, &outfn, &varlena);
			r.subject = OidOutputFunctionCall(outfn, subject);
			r.subject_len = strlen(r.subject);
		}
	}
	max = brop_plugin_row_line_max(&r);
	if (max >= (size_t) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("row entry of registration \"%s\" is too long for the output plugin",
						brop_pg_quote_cstring(reg->name))));
	ensure_begin(ctx, st, txn);
	/* written by the core where the line is sent, without a copy */
	OutputPluginPrepareWrite(ctx, true);
	enlargeStringInfo(ctx->out, (int) max);
	brop_pg_check(brop_plugin_row_line_into(ctx->out->data + ctx->out->len, ctx->out->maxlen - ctx->out->len,
											&len, &r), "row entry");
	ctx->out->len += (int) len;
	OutputPluginWrite(ctx, true);
}

/*
 * The new row of an UPDATE with its unchanged TOASTed values (not in the
 * WAL) taken from the old row, which REPLICA IDENTITY FULL logs whole.
 */
static HeapTuple
complete_new_row(HeapTuple newtup, HeapTuple oldtup, TupleDesc desc)
{
	Datum	   *values = palloc(sizeof(Datum) * desc->natts);
	bool	   *nulls = palloc(sizeof(bool) * desc->natts);
	bool		replaced = false;

	heap_deform_tuple(newtup, desc, values, nulls);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || att->attlen != -1 || nulls[i] ||
			!VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(values[i])))
			continue;
		values[i] = heap_getattr(oldtup, i + 1, desc, &nulls[i]);
		replaced = true;
	}
	return replaced ? heap_form_tuple(desc, values, nulls) : newtup;
}

static void
progress(LogicalDecodingContext *ctx, plugin_state *st)
{
	if (++st->skipped >= PROGRESS_EVERY)
	{
		st->skipped = 0;
		OutputPluginUpdateProgress(ctx, false);
	}
}

static void
plugin_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	plugin_state *st = ctx->output_plugin_private;

	st->in_txn = false;			/* the begin line waits for a registered change */
	st->guc_nest = -1;
	list_free(st->registered_now);
	st->registered_now = NIL;
	if (st->from_options && !st->checked_options)
		plugin_check_option_tables(st);
}

static bool
same_text(const StringInfoData *a, const StringInfoData *b)
{
	return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static void
ensure_begin(LogicalDecodingContext *ctx, plugin_state *st, ReorderBufferTXN *txn)
{
	if (!st->in_txn)
	{
		write_begin(ctx, txn);
		st->in_txn = true;
	}
}

/*
 * A registration with capture 'plugin' made or ended at the source (a row of
 * brop.registration inserted or deleted): its registration entry, as
 * brop.register_table announces it (docs/formats.md, "Registration entries").
 */
static void
write_registration(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, const char *op, HeapTuple tup,
				   TupleDesc desc, XLogRecPtr lsn)
{
	plugin_state *st = ctx->output_plugin_private;
	bool		isnull;
	Datum		subject;
	Datum	   *keys,
			   *cols;
	int			nkeys,
				ncols;
	char	   *name;
	char	   *subject_name;
	int			profile;
	StringInfoData h;
	char	   *line;
	size_t		len;

	if (strcmp(TextDatumGetCString(heap_getattr(tup, 8, desc, &isnull)), "plugin") != 0)
		return;
	name = TextDatumGetCString(heap_getattr(tup, 1, desc, &isnull));
	deconstruct_array(DatumGetArrayTypeP(heap_getattr(tup, 3, desc, &isnull)), TEXTOID, -1, false,
					  TYPALIGN_INT, &keys, NULL, &nkeys);
	deconstruct_array(DatumGetArrayTypeP(heap_getattr(tup, 4, desc, &isnull)), TEXTOID, -1, false,
					  TYPALIGN_INT, &cols, NULL, &ncols);
	subject = heap_getattr(tup, 5, desc, &isnull);
	subject_name = isnull ? NULL : TextDatumGetCString(subject);
	profile = DatumGetInt32(heap_getattr(tup, 6, desc, &isnull));
	initStringInfo(&h);
	brop_registration_header(&h, op, name, keys, nkeys, cols, ncols, subject_name, profile, "plugin");
	brop_pg_check(brop_plugin_registration_line(&line, &len, h.data, h.len, (uint64) lsn, st->org,
												st->org ? strlen(st->org) : 0, &brop_pg_allocator),
				  "registration line");
	ensure_begin(ctx, st, txn);
	write_line(ctx, line, len);
}

/*
 * A table registered with capture 'plugin' by this transaction: its
 * register_table's messages of the rows it held are taken (plugin_message).
 */
static void
note_registered(LogicalDecodingContext *ctx, HeapTuple tup, TupleDesc desc)
{
	plugin_state *st = ctx->output_plugin_private;
	bool		isnull;
	MemoryContext old;

	if (strcmp(TextDatumGetCString(heap_getattr(tup, 8, desc, &isnull)), "plugin") != 0)
		return;
	old = MemoryContextSwitchTo(ctx->context);
	st->registered_now = lappend_oid(st->registered_now, DatumGetObjectId(heap_getattr(tup, 2, desc, &isnull)));
	MemoryContextSwitchTo(old);
}

static void
plugin_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel, ReorderBufferChange *change)
{
	plugin_state *st = ctx->output_plugin_private;
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old;
	plugin_rel *pr;
	HeapTuple	newtup,
				oldtup;
	StringInfoData key,
				doc,
				old_key,
				old_doc;

	if (plugin_is_registration_table(st, rel))
	{
		/* registrations changed: read them again, as of the next change */
		plugin_invalidate_all(st);
		old = MemoryContextSwitchTo(st->change_cxt);
		if (change->action == REORDER_BUFFER_CHANGE_INSERT && brop_change_newtuple(change) != NULL)
		{
			write_registration(ctx, txn, "register", brop_change_newtuple(change), desc, change->lsn);
			note_registered(ctx, brop_change_newtuple(change), desc);
		}
		else if (change->action == REORDER_BUFFER_CHANGE_DELETE && brop_change_oldtuple(change) != NULL)
			write_registration(ctx, txn, "unregister", brop_change_oldtuple(change), desc, change->lsn);
		else
			progress(ctx, st);
		MemoryContextSwitchTo(old);
		MemoryContextReset(st->change_cxt);
		return;
	}
	pr = plugin_lookup_rel(st, rel);
	if (!pr->registered)
	{
		progress(ctx, st);
		return;
	}

	if (!pr->reg.fixed_output && st->guc_nest < 0)
		st->guc_nest = brop_row_settings_apply();	/* once for the transaction's rows */
	old = MemoryContextSwitchTo(st->change_cxt);
	newtup = brop_change_newtuple(change);
	oldtup = brop_change_oldtuple(change);
	initStringInfo(&key);
	initStringInfo(&doc);
	switch (change->action)
	{
		case REORDER_BUFFER_CHANGE_INSERT:
			brop_row_texts(&pr->reg, newtup, desc, &key, &doc);
			write_row(ctx, txn, &pr->reg, "insert", &key, &doc, newtup, desc, change->lsn);
			break;
		case REORDER_BUFFER_CHANGE_DELETE:
			if (oldtup == NULL)
				plugin_require_full_identity(rel, pr->reg.name);
			brop_row_texts(&pr->reg, oldtup, desc, &key, &doc);
			write_row(ctx, txn, &pr->reg, "delete", &key, &doc, oldtup, desc, change->lsn);
			break;
		case REORDER_BUFFER_CHANGE_UPDATE:
			if (oldtup == NULL)
				plugin_require_full_identity(rel, pr->reg.name);
			newtup = complete_new_row(newtup, oldtup, desc);
			initStringInfo(&old_key);
			initStringInfo(&old_doc);
			brop_row_texts(&pr->reg, oldtup, desc, &old_key, &old_doc);
			brop_row_texts(&pr->reg, newtup, desc, &key, &doc);
			if (!same_text(&key, &old_key))
			{
				/* a new key: the old row's end, then a new row (as the trigger does) */
				write_row(ctx, txn, &pr->reg, "delete", &old_key, &old_doc, oldtup, desc, change->lsn);
				write_row(ctx, txn, &pr->reg, "insert", &key, &doc, newtup, desc, change->lsn);
			}
			else if (!same_text(&doc, &old_doc))
				write_row(ctx, txn, &pr->reg, "update", &key, &doc, newtup, desc, change->lsn);
			break;
		default:
			break;
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->change_cxt);
}

/*
 * A row a table held when brop.register_table() registered it with capture
 * 'plugin' (registration/existing.c): a transactional message of prefix
 * BROP_EXISTING_MESSAGE, the table's OID then the row's heap tuple, becomes
 * a row line of op "existing", its version the message's LSN. Taken only
 * from the transaction that registered the table (anyone may write a
 * message; only brop's owner writes brop.registration); any other message
 * is skipped.
 */
static void
plugin_message(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr lsn, bool transactional,
			   const char *prefix, Size size, const char *message)
{
	plugin_state *st = ctx->output_plugin_private;
	Oid			relid = InvalidOid;
	Relation	rel;
	plugin_rel *pr;
	HeapTupleData tup;
	MemoryContext old;
	StringInfoData key,
				doc;

	if (!transactional || strcmp(prefix, BROP_EXISTING_MESSAGE) != 0 || size < 4 + SizeofHeapTupleHeader)
	{
		progress(ctx, st);
		return;
	}
	for (int i = 0; i < 4; i++)
		relid = (relid << 8) | (unsigned char) message[i];
	if (!list_member_oid(st->registered_now, relid))
	{
		ereport(LOG,
				(errmsg("brop output plugin: skipped a message of an existing row of a table this transaction did not register")));
		progress(ctx, st);
		return;
	}
	rel = RelationIdGetRelation(relid);
	if (!RelationIsValid(rel))
		elog(ERROR, "could not open relation with OID %u", relid);
	pr = plugin_lookup_rel(st, rel);
	if (pr->registered)
	{
		if (!pr->reg.fixed_output && st->guc_nest < 0)
			st->guc_nest = brop_row_settings_apply();
		old = MemoryContextSwitchTo(st->change_cxt);
		/* the tuple, aligned */
		tup.t_len = size - 4;
		tup.t_data = palloc(tup.t_len);
		memcpy(tup.t_data, message + 4, tup.t_len);
		ItemPointerSetInvalid(&tup.t_self);
		tup.t_tableOid = relid;
		if (tup.t_data->t_hoff > tup.t_len ||
			HeapTupleHeaderGetNatts(tup.t_data) > RelationGetDescr(rel)->natts)
			elog(ERROR, "malformed message of an existing row of \"%s\"", RelationGetRelationName(rel));
		initStringInfo(&key);
		initStringInfo(&doc);
		brop_row_texts(&pr->reg, &tup, RelationGetDescr(rel), &key, &doc);
		write_row(ctx, txn, &pr->reg, "existing", &key, &doc, &tup, RelationGetDescr(rel), lsn);
		MemoryContextSwitchTo(old);
		MemoryContextReset(st->change_cxt);
	}
	RelationClose(rel);
}

/*
 * TRUNCATE of a registered table: one "truncate" line per registration
 * (the trigger path refuses TRUNCATE; here it has happened already). The
 * relay records it as a registration entry ending every row at once.
 */
static void
plugin_truncate(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, int nrelations, Relation relations[],
				ReorderBufferChange *change)
{
	plugin_state *st = ctx->output_plugin_private;
	MemoryContext old = MemoryContextSwitchTo(st->change_cxt);

	for (int i = 0; i < nrelations; i++)
	{
		plugin_rel *pr = plugin_lookup_rel(st, relations[i]);
		char	   *line;
		size_t		len;

		if (!pr->registered)
			continue;
		brop_pg_check(brop_plugin_truncate_line(&line, &len, change->lsn, pr->reg.name, strlen(pr->reg.name),
												&brop_pg_allocator), "truncate line");
		ensure_begin(ctx, st, txn);
		write_line(ctx, line, len);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->change_cxt);
}

static void
plugin_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	plugin_state *st = ctx->output_plugin_private;
	TimestampTz now;
	char		line[BROP_PLUGIN_LINE_MAX];
	size_t		len;

	if (st->guc_nest >= 0)
	{
		brop_row_settings_restore(st->guc_nest);
		st->guc_nest = -1;
	}
	if (st->in_txn)
	{
		brop_pg_check(brop_plugin_commit_line(line, sizeof line, &len, commit_lsn, txn->end_lsn), "commit line");
		write_line(ctx, line, len);
		st->in_txn = false;
		return;
	}
	/* nothing registered: at most one position line a second */
	now = GetCurrentTimestamp();
	if (now - st->last_position < POSITION_INTERVAL_US)
	{
		OutputPluginUpdateProgress(ctx, true);
		return;
	}
	st->last_position = now;
	brop_pg_check(brop_plugin_position_line(line, sizeof line, &len, txn->end_lsn), "position line");
	write_line(ctx, line, len);
}

void
_PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	cb->startup_cb = plugin_startup;
	cb->begin_cb = plugin_begin;
	cb->change_cb = plugin_change;
	cb->truncate_cb = plugin_truncate;
	cb->message_cb = plugin_message;
	cb->commit_cb = plugin_commit;
	cb->shutdown_cb = plugin_shutdown;
}

/* ---- DROP EXTENSION brop while a brop slot exists ------------------------------------ */

/* The name of a logical slot of the brop plugin in this database, or NULL. */
static char *
brop_slot_of_database(void)
{
	char	   *found = NULL;

	if (max_replication_slots <= 0 || ReplicationSlotCtl == NULL)
		return NULL;
	LWLockAcquire(ReplicationSlotControlLock, LW_SHARED);
	for (int i = 0; i < max_replication_slots && found == NULL; i++)
	{
		ReplicationSlot *slot = &ReplicationSlotCtl->replication_slots[i];
		ReplicationSlotPersistentData data;
		bool		in_use;

		SpinLockAcquire(&slot->mutex);
		in_use = slot->in_use;
		data = slot->data;
		SpinLockRelease(&slot->mutex);
		if (in_use && data.database == MyDatabaseId && strcmp(NameStr(data.plugin), "brop") == 0)
			found = pstrdup(NameStr(data.name));
	}
	LWLockRelease(ReplicationSlotControlLock);
	return found;
}

/* The owner of the extension brop in this database, or InvalidOid. */
static Oid
brop_extension_owner(void)
{
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			owner = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ, CStringGetDatum("brop"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	if (HeapTupleIsValid(tup = systable_getnext(scan)))
		owner = ((Form_pg_extension) GETSTRUCT(tup))->extowner;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return owner;
}

/*
 * Event trigger on ddl_command_start for DROP EXTENSION, DROP SCHEMA and
 * DROP OWNED: refuses to drop the extension, its schema, or what its owner
 * owns, while a slot of the brop plugin exists in this database. Its
 * changes, even those made before the drop, could not be decoded any more
 * (docs/operations.md).
 */
PG_FUNCTION_INFO_V1(brop_refuse_drop_with_slot);
Datum
brop_refuse_drop_with_slot(PG_FUNCTION_ARGS)
{
	EventTriggerData *trigdata;
	DropStmt   *drop;
	ListCell   *lc;
	const char *what = NULL;
	bool		drops_brop = false;
	char	   *slot;

	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("brop.refuse_drop_with_slot() is called only as an event trigger")));
	trigdata = (EventTriggerData *) fcinfo->context;
	if (trigdata->parsetree == NULL)
		PG_RETURN_VOID();
	if (IsA(trigdata->parsetree, DropOwnedStmt))
	{
		/* DROP OWNED BY the extension's owner drops the extension */
		DropOwnedStmt *owned = (DropOwnedStmt *) trigdata->parsetree;
		Oid			owner = brop_extension_owner();

		what = "the objects of the owner of extension";
		foreach(lc, owned->roles)
			if (OidIsValid(owner) && get_rolespec_oid(lfirst(lc), true) == owner)
				drops_brop = true;
	}
	else if (IsA(trigdata->parsetree, DropStmt))
	{
		drop = (DropStmt *) trigdata->parsetree;
		if (drop->removeType != OBJECT_EXTENSION && drop->removeType != OBJECT_SCHEMA)
			PG_RETURN_VOID();
		what = drop->removeType == OBJECT_EXTENSION ? "extension" : "schema";
		/* the extension and its schema are both named brop (brop.control) */
		foreach(lc, drop->objects)
			if (IsA(lfirst(lc), String) && strcmp(strVal(lfirst(lc)), "brop") == 0)
				drops_brop = true;
	}
	if (drops_brop && (slot = brop_slot_of_database()) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
				 strcmp(what, "extension") == 0 ?
				 errmsg("cannot drop extension brop while replication slot \"%s\" of this database uses the brop output plugin", slot) :
				 strcmp(what, "schema") == 0 ?
				 errmsg("cannot drop schema brop while replication slot \"%s\" of this database uses the brop output plugin", slot) :
				 errmsg("cannot drop the objects of the owner of extension brop while replication slot \"%s\" of this database uses the brop output plugin", slot),
				 errdetail("The plugin reads brop.registration as of each change: without it, no change in the slot could be decoded."),
				 errhint("Drop the slot first, once its relay has appended every change: SELECT pg_drop_replication_slot('%s');",
						 slot)));
	PG_RETURN_VOID();
}
