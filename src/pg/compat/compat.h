/*
 * compat.h — the compat module (src/pg/compat), below every other: what
 * differs between the PostgreSQL major versions brop builds for (15, 17
 * and 18; 16 kept clean where it costs nothing), in one place
 * (docs/operations.md, "PostgreSQL versions"). No other file tests
 * PG_VERSION_NUM. Each guard names the upstream change. Macros, so that a
 * file includes the headers of what it uses, as it would without them.
 */
#ifndef BROP_PG_COMPAT_H
#define BROP_PG_COMPAT_H

#if PG_VERSION_NUM < 150000
#error "brop needs PostgreSQL 15 or later"
#endif

/*
 * A function that does not return, said before its declaration. 18
 * replaced the postfix pg_attribute_noreturn() with the prefix pg_noreturn
 * (C11 _Noreturn; "Use C11 _Noreturn", 18); before it, the same attribute
 * stands in front as well.
 */
#if PG_VERSION_NUM >= 180000
#define brop_noreturn pg_noreturn
#else
#define brop_noreturn pg_attribute_noreturn()
#endif

/*
 * Whether this process is a background worker (miscadmin.h). 17 replaced
 * the variable IsBackgroundWorker with the backend type's
 * AmBackgroundWorkerProcess() (commit "Replace IsBackgroundWorker with
 * AmBackgroundWorkerProcess", 17).
 */
#if PG_VERSION_NUM >= 170000
#define brop_is_background_worker() AmBackgroundWorkerProcess()
#else
#define brop_is_background_worker() IsBackgroundWorker
#endif

/*
 * A decoded change's new and old tuples as HeapTuple, NULL when absent
 * (replication/reorderbuffer.h). 17 dropped ReorderBufferTupleBuf: the
 * change holds a HeapTuple itself ("Remove ReorderBufferTupleBuf
 * structure", 17).
 */
#if PG_VERSION_NUM >= 170000
#define brop_change_newtuple(change) ((change)->data.tp.newtuple)
#define brop_change_oldtuple(change) ((change)->data.tp.oldtuple)
#else
#define brop_change_newtuple(change) \
	((change)->data.tp.newtuple ? &(change)->data.tp.newtuple->tuple : NULL)
#define brop_change_oldtuple(change) \
	((change)->data.tp.oldtuple ? &(change)->data.tp.oldtuple->tuple : NULL)
#endif

/*
 * A qualified name's parts (utils/varlena.h). 16 gave
 * stringToQualifiedNameList a soft-error context ("Convert
 * stringToQualifiedNameList to soft error reporting", 16); NULL throws, as
 * before.
 */
#if PG_VERSION_NUM >= 160000
#define brop_qualified_name_list(s) stringToQualifiedNameList((s), NULL)
#else
#define brop_qualified_name_list(s) stringToQualifiedNameList(s)
#endif

/*
 * Whether role owns the relation (utils/acl.h; 16 also needs
 * catalog/pg_class.h). 16 replaced the per-catalog pg_*_ownercheck
 * functions with object_ownercheck ("Generalize ownership checks", 16).
 */
#if PG_VERSION_NUM >= 160000
#define brop_class_ownercheck(relid, role) object_ownercheck(RelationRelationId, (relid), (role))
#else
#define brop_class_ownercheck(relid, role) pg_class_ownercheck((relid), (role))
#endif

/*
 * A logical decoding message (replication/message.h). 17 added "flush", to
 * flush a non-transactional message's WAL at once; brop's are
 * transactional, flushed with their commit.
 */
#if PG_VERSION_NUM >= 170000
#define brop_log_logical_message(prefix, msg, size, transactional) \
	LogLogicalMessage((prefix), (msg), (size), (transactional), false)
#else
#define brop_log_logical_message(prefix, msg, size, transactional) \
	LogLogicalMessage((prefix), (msg), (size), (transactional))
#endif

/*
 * This backend's local transaction id (storage/proc.h). 17 moved it into
 * PGPROC's virtual transaction id ("Move lxid into PGPROC's vxid", 17).
 */
#if PG_VERSION_NUM >= 170000
#define brop_my_lxid() (MyProc->vxid.lxid)
#else
#define brop_my_lxid() (MyProc->lxid)
#endif

#endif							/* BROP_PG_COMPAT_H */
