/*
 * brop_capture_record.h — the records of the capture queue (path 1;
 * docs/registration.md, "The capture queue"). A chunk of the queue is a
 * sequence of records, sealed with brop_row_queue_seal under the chunk's
 * associated data (brop_capture_chunk_ad). A record is
 *
 *   op (1: 'i', 'u', 'd', or 'e' for a row the table held when registered)
 *   || flags (1)
 *   || [varint registration entry id]     flags & BROP_CAPTURE_NEW_REGISTRATION
 *   || [time, 8 bytes big-endian]          flags & BROP_CAPTURE_NEW_TIME
 *   || values                              as many as the registration has
 *   || [varint length || subject did]      flags & BROP_CAPTURE_SUBJECT
 *
 * and a value a varint h: 0 null; odd, a text of h >> 1 bytes that follow;
 * even, the binary of format h >> 1 (brop_capture_binary_size) that
 * follows. Varints are unsigned LEB128, minimal (brop_varint_encode).
 */
#ifndef BROP_CAPTURE_RECORD_H
#define BROP_CAPTURE_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include "brop_err.h"

#define BROP_CAPTURE_INSERT 'i'
#define BROP_CAPTURE_UPDATE 'u'
#define BROP_CAPTURE_DELETE 'd'
/* a row the table held when it was registered: op "existing" (docs/registration.md) */
#define BROP_CAPTURE_EXISTING 'e'

#define BROP_CAPTURE_NEW_REGISTRATION 0x01
#define BROP_CAPTURE_NEW_TIME 0x02
#define BROP_CAPTURE_SUBJECT 0x04

/* the binary formats (the extension's row_text_format) */
#define BROP_CAPTURE_TEXT 0
#define BROP_CAPTURE_TIMESTAMPTZ 1
#define BROP_CAPTURE_TIMESTAMP 2
#define BROP_CAPTURE_DATE 3
#define BROP_CAPTURE_INTERVAL 4
#define BROP_CAPTURE_FLOAT4 5
#define BROP_CAPTURE_FLOAT8 6
#define BROP_CAPTURE_BYTEA 7
#define BROP_CAPTURE_UUID 8
#define BROP_CAPTURE_NULL (-1)

/* A record head's most bytes; a value's, besides its bytes. */
#define BROP_CAPTURE_HEAD_MAX (2 + 9 + 8)
#define BROP_CAPTURE_VALUE_HEAD_MAX (2 * 9)

#define BROP_CAPTURE_AD_BYTES 12

/* The associated data of a chunk: its transaction id and number, big-endian. */
void		brop_capture_chunk_ad(unsigned char ad[BROP_CAPTURE_AD_BYTES], uint64_t xid, int32_t chunk);

/* The bytes of a value in binary format f: 0 if a varint length comes first, -1 if f has no binary. */
int			brop_capture_binary_size(int f);

typedef struct brop_capture_head
{
	char		op;				/* 'i', 'u', 'd' or 'e' */
	unsigned char flags;
	uint64_t	registration;	/* when flags & BROP_CAPTURE_NEW_REGISTRATION */
	int64_t		time;			/* when flags & BROP_CAPTURE_NEW_TIME (a timestamptz) */
} brop_capture_head;

typedef struct brop_capture_value
{
	int			format;			/* BROP_CAPTURE_NULL, BROP_CAPTURE_TEXT or a binary format */
	const unsigned char *p;
	size_t		len;
} brop_capture_value;

/*
 * Write a record's head (cap >= BROP_CAPTURE_HEAD_MAX), a value (cap >=
 * BROP_CAPTURE_VALUE_HEAD_MAX + v->len) or the subject (cap >= 9 + len).
 * Returns: 0; BROP_EINVAL (an unknown op, flag or format, a binary of the
 * wrong size, a NULL pointer); BROP_EOVERFLOW (a number >= 2^63);
 * BROP_EBUFFER. Out: *outlen bytes at out.
 */
BROP_WARN_UNUSED_RESULT int brop_capture_head_write(unsigned char *out, size_t cap, size_t *outlen,
													const brop_capture_head *h);
BROP_WARN_UNUSED_RESULT int brop_capture_value_write(unsigned char *out, size_t cap, size_t *outlen,
													 const brop_capture_value *v);
BROP_WARN_UNUSED_RESULT int brop_capture_subject_write(unsigned char *out, size_t cap, size_t *outlen,
													   const char *subject, size_t len);

/*
 * Read a head, a value or the subject at *at of p[0..len), advancing *at;
 * values and the subject point into p.
 * Returns: 0; BROP_EENCODING for a malformed record (cut short, an unknown
 * op, flag or format, a non-minimal varint); BROP_EINVAL.
 */
BROP_WARN_UNUSED_RESULT int brop_capture_head_read(brop_capture_head *h, const unsigned char *p, size_t len,
												   size_t *at);
BROP_WARN_UNUSED_RESULT int brop_capture_value_read(brop_capture_value *v, const unsigned char *p, size_t len,
													size_t *at);
BROP_WARN_UNUSED_RESULT int brop_capture_subject_read(const char **subject, size_t *subject_len,
													  const unsigned char *p, size_t len, size_t *at);

#endif /* BROP_CAPTURE_RECORD_H */
