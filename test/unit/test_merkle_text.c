/*
 * test_merkle_text.c — proofs in text (brop_merkle_proof_parse / _format).
 */
#include <string.h>

#include "brop.h"
#include "unit.h"

#define H1 "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
#define H2 "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"

static int
parse(brop_merkle_proof *p, const char *s)
{
	return brop_merkle_proof_parse(p, s, strlen(s));
}

TEST(merkle_text_round_trip)
{
	brop_merkle_proof p;
	char		out[BROP_MERKLE_PROOF_TEXT_MAX + 1];
	size_t		n;

	CHECK_OK(parse(&p, "inclusion(5, 8) [" H1 ", " H2 "]"));
	CHECK(p.kind == BROP_PROOF_INCLUSION && p.a == 5 && p.b == 8 && p.n == 2);
	CHECK_HEX(p.hashes[1], 32, H2);
	CHECK_OK(brop_merkle_proof_format(out, sizeof out, &n, &p));
	CHECK_STR(out, n, "inclusion(5, 8) [" H1 ", " H2 "]");
	/* white space, upper-case hex */
	CHECK_OK(parse(&p, " consistency ( 8 ,8 )[ ] \n"));
	CHECK(p.kind == BROP_PROOF_CONSISTENCY && p.a == 8 && p.b == 8 && p.n == 0);
	CHECK_OK(brop_merkle_proof_format(out, sizeof out, &n, &p));
	CHECK_STR(out, n, "consistency(8, 8) []");
	CHECK_OK(parse(&p, "inclusion(0,9223372036854775807)[BC1A0643B12E4D2D7C77918F44E0F4F79A838B6CF9EC5B5C283E1F4D88599E6B]"));
	CHECK_HEX(p.hashes[0], 32, H1);
	/* the longest proof fits the documented bound */
	p.kind = BROP_PROOF_CONSISTENCY;
	p.a = 9223372036854775807ULL;
	p.b = 9223372036854775807ULL;
	p.n = BROP_MERKLE_MAX_PROOF;
	CHECK_OK(brop_merkle_proof_format(out, sizeof out, &n, &p));
	CHECK(n <= BROP_MERKLE_PROOF_TEXT_MAX);
	CHECK_ERR(brop_merkle_proof_format(out, n, &n, &p), BROP_EBUFFER);
}

TEST(merkle_text_errors)
{
	brop_merkle_proof p;
	char		many[70 * 66 + 40];

	CHECK_ERR(parse(&p, ""), BROP_EENCODING);
	CHECK_ERR(parse(&p, "exclusion(0, 1) []"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(0, 1)"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(0, 1) [] x"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(01, 2) []"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(-1, 2) []"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(0, 9223372036854775808) []"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(0, 8) [" H1 " " H2 "]"), BROP_EENCODING);
	CHECK_ERR(parse(&p, "inclusion(0, 8) [" H1 ",]"), BROP_ELENGTH);
	CHECK_ERR(parse(&p, "inclusion(0, 8) [abc]"), BROP_ELENGTH);
	CHECK_ERR(parse(&p, "inclusion(0, 8) [" H1 "00]"), BROP_ELENGTH);
	CHECK_ERR(parse(&p, "inclusion(8, 8) []"), BROP_EINVAL);
	CHECK_ERR(parse(&p, "consistency(9, 8) []"), BROP_EINVAL);
	/* 65 hashes */
	strcpy(many, "inclusion(0, 8) [");
	for (int i = 0; i < 65; i++)
	{
		strcat(many, i ? ", " : "");
		strcat(many, H1);
	}
	strcat(many, "]");
	CHECK_ERR(parse(&p, many), BROP_ELENGTH);
	/* no NUL needed: a prefix of a valid proof is not one */
	CHECK_ERR(brop_merkle_proof_parse(&p, "inclusion(5, 8) []", 10), BROP_EENCODING);
}
