/*
 * test_jcs.c — RFC 8785 canonical JSON: the RFC's own examples and number
 * table, the test data of the reference implementation
 * (github.com/cyberphone/json-canonicalization, testdata/), bad inputs with
 * their exact codes, and key order by UTF-16 code units.
 */
#include <stdint.h>
#include <stdlib.h>

#include "brop.h"
#include "unit.h"

/*
 * Canonicalize in[0..inlen) and compare with want; then canonicalize the
 * output again and require the same bytes (idempotence).
 */
static void
check_jcs(int line, const char *in, size_t inlen, const char *want)
{
	char	   *out = NULL,
			   *again = NULL;
	size_t		outlen = 0,
				againlen = 0;
	brop_json_error err;
	int			rc;

	rc = brop_jcs_canonicalize(&out, &outlen, in, inlen, NULL, &err);
	if (rc != 0)
	{
		unit_fail(__FILE__, line, "canonicalize returned %d (%s at %zu:%zu)",
				  rc, err.message, err.line, err.column);
		return;
	}
	if (outlen != strlen(want) || memcmp(out, want, outlen) != 0 || out[outlen] != '\0')
		unit_fail(__FILE__, line, "canonical form \"%.*s\", expected \"%s\"",
				  (int) outlen, out, want);
	rc = brop_jcs_canonicalize(&again, &againlen, out, outlen, NULL, &err);
	if (rc != 0 || againlen != outlen || memcmp(again, out, outlen) != 0)
		unit_fail(__FILE__, line, "not idempotent: %d \"%.*s\"", rc,
				  (int) againlen, again ? again : "");
	free(out);
	free(again);
}

/* in[0..inlen) must fail with exactly code; err must say something. */
static void
check_jcs_err(int line, const char *in, size_t inlen, int code, const char *codename)
{
	char	   *out = (char *) 1;
	size_t		outlen = 1;
	brop_json_error err;
	int			rc;

	rc = brop_jcs_canonicalize(&out, &outlen, in, inlen, NULL, &err);
	if (rc != code)
		unit_fail(__FILE__, line, "canonicalize(\"%.*s\") returned %d, expected %s (%d)",
				  (int) inlen, in, rc, codename, code);
	if (rc != 0 && (out != NULL || outlen != 0))
		unit_fail(__FILE__, line, "output not cleared on error");
	if (rc == 0)
		free(out);
	if (rc != 0 && err.message[0] == '\0')
		unit_fail(__FILE__, line, "no error message");
}

#define CHECK_JCS(in, want) check_jcs(__LINE__, (in), sizeof(in) - 1, (want))
#define CHECK_JCS_ERR(in, code) check_jcs_err(__LINE__, (in), sizeof(in) - 1, (code), #code)

static double
double_from_bits(const char *hex)
{
	uint64_t	bits = strtoull(hex, NULL, 16);
	double		d;

	memcpy(&d, &bits, sizeof d);
	return d;
}

/* RFC 8785 Appendix B: IEEE 754 bit pattern -> JSON text ("" = error). */
static const struct
{
	const char *bits;
	const char *json;
}			appendix_b[] = {
	{"0000000000000000", "0"},	/* Zero */
	{"8000000000000000", "0"},	/* Minus zero */
	{"0000000000000001", "5e-324"}, /* Min pos number */
	{"8000000000000001", "-5e-324"},	/* Min neg number */
	{"7fefffffffffffff", "1.7976931348623157e+308"},	/* Max pos number */
	{"ffefffffffffffff", "-1.7976931348623157e+308"},	/* Max neg number */
	{"4340000000000000", "9007199254740992"},	/* Max pos int */
	{"c340000000000000", "-9007199254740992"},	/* Max neg int */
	{"4430000000000000", "295147905179352830000"},	/* ~2**68 */
	{"7fffffffffffffff", ""},	/* NaN */
	{"7ff0000000000000", ""},	/* Infinity */
	{"44b52d02c7e14af5", "9.999999999999997e+22"},
	{"44b52d02c7e14af6", "1e+23"},
	{"44b52d02c7e14af7", "1.0000000000000001e+23"},
	{"444b1ae4d6e2ef4e", "999999999999999700000"},
	{"444b1ae4d6e2ef4f", "999999999999999900000"},
	{"444b1ae4d6e2ef50", "1e+21"},
	{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
	{"3eb0c6f7a0b5ed8d", "0.000001"},
	{"41b3de4355555553", "333333333.3333332"},
	{"41b3de4355555554", "333333333.33333325"},
	{"41b3de4355555555", "333333333.3333333"},
	{"41b3de4355555556", "333333333.3333334"},
	{"41b3de4355555557", "333333333.33333343"},
	{"becbf647612f3696", "-0.0000033333333333333333"},
	{"43143ff3c1cb0959", "1424953923781206.2"},
};

TEST(jcs_rfc8785_appendix_b_numbers)
{
	CHECK(sizeof appendix_b / sizeof appendix_b[0] == 26);
	for (size_t i = 0; i < sizeof appendix_b / sizeof appendix_b[0]; i++)
	{
		char		out[BROP_JCS_NUMBER_MAX];
		size_t		outlen = 0;
		double		d = double_from_bits(appendix_b[i].bits);

		if (appendix_b[i].json[0] == '\0')
		{
			CHECK_ERR(brop_jcs_format_number(out, &outlen, d), BROP_ENUMBER);
			continue;
		}
		CHECK_OK(brop_jcs_format_number(out, &outlen, d));
		CHECK_STR(out, outlen, appendix_b[i].json);
		CHECK(out[outlen] == '\0');
	}
	{
		char		out[BROP_JCS_NUMBER_MAX];
		size_t		outlen;

		CHECK_ERR(brop_jcs_format_number(out, &outlen, double_from_bits("fff0000000000000")),
				  BROP_ENUMBER);
		CHECK_ERR(brop_jcs_format_number(out, &outlen, double_from_bits("fff8000000000000")),
				  BROP_ENUMBER);
	}
}

/* More bit patterns; expected texts from ECMAScript (Node.js String(x)). */
TEST(jcs_number_more)
{
	static const struct
	{
		const char *bits;
		const char *json;
	}			v[] = {
		/* the reference implementation's sample lines (testdata/README.md) */
		{"4340000000000001", "9007199254740994"},
		{"4340000000000002", "9007199254740996"},
		{"444b1ae4d6e2ef50", "1e+21"},
		{"3eb0c6f7a0b5ed8d", "0.000001"},
		{"3eb0c6f7a0b5ed8c", "9.999999999999997e-7"},
		/* powers of two whose nearest 16-digit decimal does not read back */
		{"1480000000000000", "6.083493012144512e-210"},
		{"0060000000000000", "7.120236347223045e-307"},
		/* smallest normal, largest subnormal */
		{"0010000000000000", "2.2250738585072014e-308"},
		{"000fffffffffffff", "2.225073858507201e-308"},
		{"bec0000000000001", "-0.0000019073486328125004"},
	};
	char		out[BROP_JCS_NUMBER_MAX];
	size_t		outlen;

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
	{
		CHECK_OK(brop_jcs_format_number(out, &outlen, double_from_bits(v[i].bits)));
		CHECK_STR(out, outlen, v[i].json);
	}
	/* the layout boundaries of Number::toString */
	CHECK_OK(brop_jcs_format_number(out, &outlen, 1e21));
	CHECK_STR(out, outlen, "1e+21");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 1e20));
	CHECK_STR(out, outlen, "100000000000000000000");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 1e-7));
	CHECK_STR(out, outlen, "1e-7");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 1.5e-7));
	CHECK_STR(out, outlen, "1.5e-7");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 0.000001234));
	CHECK_STR(out, outlen, "0.000001234");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 123456789012345678901.0));
	CHECK_STR(out, outlen, "123456789012345680000");
	CHECK_OK(brop_jcs_format_number(out, &outlen, -123.45));
	CHECK_STR(out, outlen, "-123.45");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 0.1));
	CHECK_STR(out, outlen, "0.1");
	CHECK_OK(brop_jcs_format_number(out, &outlen, 100));
	CHECK_STR(out, outlen, "100");
	CHECK_OK(brop_jcs_format_number(out, &outlen, -1.2345678901234567e-308));
	CHECK_STR(out, outlen, "-1.2345678901234567e-308");
}

/* The shortest digits read back as the same double, for many doubles. */
TEST(jcs_number_round_trip)
{
	uint64_t	x = 0x9e3779b97f4a7c15u;

	for (int i = 0; i < 20000; i++)
	{
		char		out[BROP_JCS_NUMBER_MAX];
		size_t		outlen;
		double		d;
		uint64_t	bits;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		bits = x;
		memcpy(&d, &bits, sizeof d);
		if (brop_jcs_format_number(out, &outlen, d) != 0)
		{
			CHECK(!(d == d) || d == d + 1); /* NaN or infinite only */
			continue;
		}
		CHECK(outlen == strlen(out) && outlen < BROP_JCS_NUMBER_MAX);
		CHECK(strtod(out, NULL) == d);
	}
}

/* RFC 8785 section 3.2.2 input, its section 3.2.4 output (text and UTF-8 bytes). */
TEST(jcs_rfc8785_3_2_2_example)
{
	static const char in[] =
		"{\n"
		"  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
		"              2e-3, 0.000000000000000000000000001],\n"
		"  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
		"  \"literals\": [null, true, false]\n"
		"}";
	static const char want[] =
		"{\"literals\":[null,true,false],"
		"\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
		"\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
	char	   *out;
	size_t		outlen;

	CHECK_JCS(in, want);
	CHECK_OK(brop_jcs_canonicalize(&out, &outlen, in, sizeof in - 1, NULL, NULL));
	CHECK_HEX(out, outlen,
			  "7b226c69746572616c73223a5b6e756c6c2c74727565"
			  "2c66616c73655d2c226e756d62657273223a5b3333333333"
			  "333333332e333333333333332c31652b33302c342e352c30"
			  "2e3030322c31652d32375d2c22737472696e67223a22e282"
			  "ac245c75303030665c6e4127425c225c5c5c5c5c222f227d");
	free(out);
}

/* RFC 8785 section 3.2.3: member names sorted by UTF-16 code units. */
TEST(jcs_rfc8785_3_2_3_sorting)
{
	CHECK_JCS("{\n"
			  "  \"\\u20ac\": \"Euro Sign\",\n"
			  "  \"\\r\": \"Carriage Return\",\n"
			  "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
			  "  \"1\": \"One\",\n"
			  "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
			  "  \"\\u0080\": \"Control\",\n"
			  "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
			  "}",
			  "{\"\\r\":\"Carriage Return\","
			  "\"1\":\"One\","
			  "\"\xc2\x80\":\"Control\","
			  "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
			  "\"\xe2\x82\xac\":\"Euro Sign\","
			  "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
			  "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* cyberphone/json-canonicalization: testdata/input/NAME.json -> testdata/output/NAME.json */
TEST(jcs_cyberphone_testdata)
{
	/* arrays.json */
	CHECK_JCS("[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]",
			  "[56,{\"1\":[],\"10\":null,\"d\":true}]");
	/* french.json */
	CHECK_JCS("{\n"
			  "  \"peach\": \"This sorting order\",\n"
			  "  \"p\xc3\xa9" "ch\xc3\xa9\": \"is wrong according to French\",\n"
			  "  \"p\xc3\xaa" "che\": \"but canonicalization MUST\",\n"
			  "  \"sin\":   \"ingnore locale\"\n"
			  "}\n",
			  "{\"peach\":\"This sorting order\","
			  "\"p\xc3\xa9" "ch\xc3\xa9\":\"is wrong according to French\","
			  "\"p\xc3\xaa" "che\":\"but canonicalization MUST\","
			  "\"sin\":\"ingnore locale\"}");
	/* structures.json */
	CHECK_JCS("{\n"
			  "  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\": 56.0},\n"
			  "  \"10\": { },\n"
			  "  \"\": \"empty\",\n"
			  "  \"a\": { },\n"
			  "  \"111\": [ { } ],\n"
			  "  \"A\": { }\n"
			  "}",
			  "{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},"
			  "\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}");
	/* unicode.json: no normalization */
	CHECK_JCS("{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n",
			  "{\"Unnormalized Unicode\":\"\xe1\xb8\x8d\xcc\x87\"}");
	/* values.json */
	CHECK_JCS("{\n"
			  "  \"numbers\": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],\n"
			  "  \"escaping\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
			  "  \"literals\": [null, true, false]\n"
			  "}",
			  "{\"escaping\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\","
			  "\"literals\":[null,true,false],"
			  "\"numbers\":[1e+30,4.5,333333333.3333333,0.002,1e-27]}");
	/* weird.json */
	CHECK_JCS("{\n"
			  "  \"\\u20ac\": \"Euro Sign\",\n"
			  "  \"1\": \"One\",\n"
			  "  \"\\u0080\": \"Control\\u007f\",\n"
			  "  \"\\ud83d\\ude02\": \"Smiley\",\n"
			  "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n"
			  "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
			  "  \"</script>\": \"Browser Challenge\"\n"
			  "}\n",
			  "{\"1\":\"One\",\"</script>\":\"Browser Challenge\","
			  "\"\xc2\x80\":\"Control\x7f\","
			  "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
			  "\"\xe2\x82\xac\":\"Euro Sign\","
			  "\"\xf0\x9f\x98\x82\":\"Smiley\","
			  "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(jcs_scalars_and_whitespace)
{
	CHECK_JCS("  \"x\" ", "\"x\"");
	CHECK_JCS("true", "true");
	CHECK_JCS("false", "false");
	CHECK_JCS("null", "null");
	CHECK_JCS("-0", "0");
	CHECK_JCS("-0.0e5", "0");
	CHECK_JCS("1E2", "100");
	CHECK_JCS("1e+2", "100");
	CHECK_JCS("12345678901234567890", "12345678901234567000");
	CHECK_JCS("9007199254740993", "9007199254740992");
	CHECK_JCS("1e-400", "0");
	CHECK_JCS("[5e-324,2.2250738585072014e-308,-4.9e-324]",
			  "[5e-324,2.2250738585072014e-308,-5e-324]");
	CHECK_JCS("[ ]", "[]");
	CHECK_JCS("{ }", "{}");
	CHECK_JCS(" \t\r\n[ 1 ,\t2\r,\n3 ] \n", "[1,2,3]");
	CHECK_JCS("{\"b\":[{\"d\":1,\"c\":2}],\"a\":{}}", "{\"a\":{},\"b\":[{\"c\":2,\"d\":1}]}");
}

/* Strings come out as ECMAScript's JSON.stringify writes them. */
TEST(jcs_string_escaping)
{
	CHECK_JCS("\"\\u0000\\u0001\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u001f\"",
			  "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\"");
	CHECK_JCS("\"\\b\\f\\n\\r\\t\\\"\\\\\\/\"", "\"\\b\\f\\n\\r\\t\\\"\\\\/\"");
	/* DEL, U+2028, U+2029 and '/' are written as they are */
	CHECK_JCS("\"\\u007f\\u2028\\u2029/\"", "\"\x7f\xe2\x80\xa8\xe2\x80\xa9/\"");
	/* escaped and raw forms of the same text agree */
	CHECK_JCS("\"\\u00e9\\u00E9\xc3\xa9\\ud83d\\ude00\xf0\x9f\x98\x80\"",
			  "\"\xc3\xa9\xc3\xa9\xc3\xa9\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"");
	/* a NUL inside a string value is kept (escaped) */
	CHECK_JCS("[\"a\\u0000b\"]", "[\"a\\u0000b\"]");
	/* highest code point */
	CHECK_JCS("\"\\udbff\\udfff\"", "\"\xf4\x8f\xbf\xbf\"");
}

/* Writes {"k39":V,...,"k00":V} (descending) or ascending, with V = inner. */
static size_t
members_text(char *buf, size_t cap, int count, int descending, const char *inner)
{
	size_t		n = 0;

	n += (size_t) snprintf(buf + n, cap - n, "{");
	for (int j = 0; j < count; j++)
	{
		int			k = descending ? count - 1 - j : j;

		n += (size_t) snprintf(buf + n, cap - n, "%s\"k%02d\":%s", j ? "," : "", k,
							   inner ? inner : "0");
	}
	n += (size_t) snprintf(buf + n, cap - n, "}");
	return n;
}

TEST(jcs_many_members)
{
	/* more members than are held inline: sorted in heap scratch */
	static char in[80000];
	static char want[80000];
	char		inner_in[1024];
	char		inner_want[1024];

	members_text(in, sizeof in, 100, 1, NULL);
	members_text(want, sizeof want, 100, 0, NULL);
	check_jcs(__LINE__, in, strlen(in), want);

	/* 40 objects of 40 members inside one of 40: the scratch grows mid-object */
	members_text(inner_in, sizeof inner_in, 40, 1, NULL);
	members_text(inner_want, sizeof inner_want, 40, 0, NULL);
	members_text(in, sizeof in, 40, 1, inner_in);
	members_text(want, sizeof want, 40, 0, inner_want);
	check_jcs(__LINE__, in, strlen(in), want);
}

TEST(jcs_bad_json)
{
	CHECK_JCS_ERR("", BROP_EJSON);
	CHECK_JCS_ERR("   ", BROP_EJSON);
	CHECK_JCS_ERR("{", BROP_EJSON);
	CHECK_JCS_ERR("[1,]", BROP_EJSON);
	CHECK_JCS_ERR("{\"a\":1,}", BROP_EJSON);
	CHECK_JCS_ERR("{\"a\" 1}", BROP_EJSON);
	CHECK_JCS_ERR("{a:1}", BROP_EJSON);
	CHECK_JCS_ERR("'a'", BROP_EJSON);
	CHECK_JCS_ERR("01", BROP_EJSON);
	CHECK_JCS_ERR("1.", BROP_EJSON);
	CHECK_JCS_ERR(".5", BROP_EJSON);
	CHECK_JCS_ERR("+1", BROP_EJSON);
	CHECK_JCS_ERR("-", BROP_EJSON);
	CHECK_JCS_ERR("1e", BROP_EJSON);
	CHECK_JCS_ERR("NaN", BROP_EJSON);
	CHECK_JCS_ERR("Infinity", BROP_EJSON);
	CHECK_JCS_ERR("-Infinity", BROP_EJSON);
	CHECK_JCS_ERR("tru", BROP_EJSON);
	CHECK_JCS_ERR("\"abc", BROP_EJSON);
	CHECK_JCS_ERR("\"a\tb\"", BROP_EJSON);	/* raw control character */
	CHECK_JCS_ERR("\"\\x41\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\u12\"", BROP_EJSON);
	CHECK_JCS_ERR("[1] /* c */", BROP_EJSON);
	CHECK_JCS_ERR("\xef\xbb\xbf{}", BROP_EJSON);	/* byte order mark */
	CHECK_JCS_ERR("\f[]", BROP_EJSON);	/* not JSON white space */
	CHECK_JCS_ERR("[\xc2\xa0]", BROP_EJSON);
	/* trailing garbage */
	CHECK_JCS_ERR("[1] x", BROP_EJSON);
	CHECK_JCS_ERR("{} {}", BROP_EJSON);
	CHECK_JCS_ERR("1 2", BROP_EJSON);
	CHECK_JCS_ERR("[1]\0", BROP_EJSON);
	/* jansson 2.14 cannot hold a NUL in a member name */
	CHECK_JCS_ERR("{\"a\\u0000\":1}", BROP_EJSON);
}

TEST(jcs_bad_unicode)
{
	/* lone surrogate escapes */
	CHECK_JCS_ERR("\"\\ud800\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\udbff\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\udc00\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\udfff\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\ud800x\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\ud800\\u0041\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\\ude00\\ud83d\"", BROP_EJSON);	/* pair in the wrong order */
	CHECK_JCS_ERR("{\"\\ud800\":1}", BROP_EJSON);
	/* invalid UTF-8 */
	CHECK_JCS_ERR("\"\xff\"", BROP_EJSON);
	CHECK_JCS_ERR("\"\x80\"", BROP_EJSON);	/* stray continuation byte */
	CHECK_JCS_ERR("\"\xc0\x80\"", BROP_EJSON);	/* overlong NUL */
	CHECK_JCS_ERR("\"\xe0\x80\xaf\"", BROP_EJSON);	/* overlong '/' */
	CHECK_JCS_ERR("\"\xed\xa0\x80\"", BROP_EJSON);	/* encoded surrogate */
	CHECK_JCS_ERR("\"\xf4\x90\x80\x80\"", BROP_EJSON);	/* past U+10FFFF */
	CHECK_JCS_ERR("\"\xe2\x82\"", BROP_EJSON);	/* cut short */
	CHECK_JCS_ERR("[\xff]", BROP_EJSON);
	CHECK_JCS_ERR("{\"\xfe\":1}", BROP_EJSON);
}

TEST(jcs_duplicate_keys)
{
	CHECK_JCS_ERR("{\"a\":1,\"a\":2}", BROP_EDUPKEY);
	CHECK_JCS_ERR("{\"a\":1,\"a\":1}", BROP_EDUPKEY);
	/* the same name spelled two ways */
	CHECK_JCS_ERR("{\"a\":1,\"\\u0061\":2}", BROP_EDUPKEY);
	CHECK_JCS_ERR("{\"\xc3\xa9\":1,\"\\u00e9\":2}", BROP_EDUPKEY);
	CHECK_JCS_ERR("[{\"x\":{\"b\":1,\"c\":2,\"b\":3}}]", BROP_EDUPKEY);
	/* same name in different objects is fine */
	CHECK_JCS("[{\"a\":1},{\"a\":2}]", "[{\"a\":1},{\"a\":2}]");
	CHECK_JCS("{\"a\":{\"a\":1}}", "{\"a\":{\"a\":1}}");
}

TEST(jcs_numbers_out_of_range)
{
	char		big[420];

	CHECK_JCS_ERR("1e400", BROP_ENUMBER);
	CHECK_JCS_ERR("-1e400", BROP_ENUMBER);
	CHECK_JCS_ERR("[1.8e308]", BROP_ENUMBER);
	CHECK_JCS_ERR("{\"n\":-2e308}", BROP_ENUMBER);
	/* a 400-digit integer literal */
	memset(big, '9', 400);
	check_jcs_err(__LINE__, big, 400, BROP_ENUMBER, "BROP_ENUMBER");
	big[0] = '-';
	check_jcs_err(__LINE__, big, 400, BROP_ENUMBER, "BROP_ENUMBER");
	/* the largest double is fine */
	CHECK_JCS("1.7976931348623157e308", "1.7976931348623157e+308");
}

TEST(jcs_error_details)
{
	static const char in[] = "[1,\n  2,]";
	char	   *out;
	size_t		outlen;
	brop_json_error err;

	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, in, sizeof in - 1, NULL, &err), BROP_EJSON);
	CHECK(err.line == 2);
	CHECK(err.column == 5);
	CHECK(err.position == 9);
	CHECK(strstr(err.message, "unexpected token") != NULL);

	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, "{\"k\":1,\"k\":2}", 13, NULL, &err),
			  BROP_EDUPKEY);
	CHECK(strncmp(err.message, "duplicate object key", 20) == 0);
	CHECK(err.line == 1);

	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, "[1e400]", 7, NULL, &err), BROP_ENUMBER);
	CHECK(strstr(err.message, "overflow") != NULL);

	/* the message is printable: no control characters, no ill-formed UTF-8 */
	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, "[\"\xff\"]", 5, NULL, &err), BROP_EJSON);
	for (const unsigned char *p = (const unsigned char *) err.message; *p; p++)
		CHECK(*p >= 0x20 && *p < 0x7f);
	CHECK(err.message[0] != '\0');
	CHECK(err.message[strlen(err.message) - 1] != '.');
}

TEST(jcs_deep_nesting)
{
	size_t		n = 100000;
	char	   *in = malloc(2 * n);
	char	   *out;
	size_t		outlen;

	CHECK(in != NULL);
	if (in == NULL)
		return;
	/* far past jansson's depth limit: an error, not a crash */
	memset(in, '[', n);
	memset(in + n, ']', n);
	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, in, 2 * n, NULL, NULL), BROP_EJSON);
	for (size_t i = 0; i < n; i++)
		in[i] = (i % 2) ? '[' : '{';
	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, in, n, NULL, NULL), BROP_EJSON);
	/* 1000 levels are fine */
	memset(in, '[', 1000);
	memset(in + 1000, ']', 1000);
	CHECK_OK(brop_jcs_canonicalize(&out, &outlen, in, 2000, NULL, NULL));
	CHECK(outlen == 2000 && memcmp(out, in, 2000) == 0);
	free(out);
	free(in);
}

TEST(jcs_invalid_arguments)
{
	char	   *out;
	size_t		outlen;

	CHECK_ERR(brop_jcs_canonicalize(NULL, &outlen, "1", 1, NULL, NULL), BROP_EINVAL);
	CHECK_ERR(brop_jcs_canonicalize(&out, NULL, "1", 1, NULL, NULL), BROP_EINVAL);
	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, NULL, 1, NULL, NULL), BROP_EINVAL);
	CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, NULL, 0, NULL, NULL), BROP_EJSON);
	/* len is authoritative: the text need not be NUL-terminated */
	CHECK_OK(brop_jcs_canonicalize(&out, &outlen, "[12]xyz", 4, NULL, NULL));
	CHECK_STR(out, outlen, "[12]");
	free(out);
}

/* ---- allocator ------------------------------------------------------------ */

typedef struct counting
{
	int			live;			/* blocks not yet freed */
	int			calls;
	int			fail_at;		/* fail the n-th call (1-based); 0 = never */
} counting;

static void *
counting_realloc(void *ctx, void *ptr, size_t size)
{
	counting   *c = ctx;
	void	   *p;

	c->calls++;
	if (c->fail_at != 0 && c->calls == c->fail_at)
		return NULL;
	p = realloc(ptr, size);
	if (p != NULL && ptr == NULL)
		c->live++;
	return p;
}

static void
counting_free(void *ctx, void *ptr)
{
	counting   *c = ctx;

	if (ptr != NULL)
		c->live--;
	free(ptr);
}

TEST(jcs_allocator)
{
	counting	c = {0};
	brop_allocator a = {counting_realloc, counting_free, &c};
	char		in[4096];
	char	   *out;
	size_t		outlen;
	size_t		n = 0;
	int			calls;

	/* numbers longer than their input: the buffer must grow */
	n += (size_t) snprintf(in + n, sizeof in - n, "[");
	for (int i = 0; i < 400; i++)
		n += (size_t) snprintf(in + n, sizeof in - n, "%s1e20", i ? "," : "");
	n += (size_t) snprintf(in + n, sizeof in - n, "]");

	CHECK_OK(brop_jcs_canonicalize(&out, &outlen, in, n, &a, NULL));
	CHECK(outlen == 1 + 400 * 21 + 399 + 1);
	CHECK(out[outlen] == '\0');
	CHECK(c.live == 1);
	calls = c.calls;
	CHECK(calls >= 2 && calls <= 4);	/* grown geometrically */
	a.free(a.ctx, out);
	CHECK(c.live == 0);

	/* every failing allocation gives BROP_ENOMEM and leaks nothing */
	for (int f = 1; f <= calls; f++)
	{
		counting	cf = {0, 0, f};
		brop_allocator af = {counting_realloc, counting_free, &cf};

		CHECK_ERR(brop_jcs_canonicalize(&out, &outlen, in, n, &af, NULL), BROP_ENOMEM);
		CHECK(out == NULL && cf.live == 0);
	}
}

/* ---- cancelling ------------------------------------------------------------ */

TEST(jcs_cancel)
{
	enum
	{
		ELEMS = 100000
	};
	char	   *in = malloc(2 * ELEMS + 1);
	char	   *out;
	size_t		outlen,
				n = 0;
	unit_cancel_counter cc = {0};
	brop_cancel cancel = {unit_cancel_at, &cc};
	counting	c = {0};
	brop_allocator a = {counting_realloc, counting_free, &c};
	brop_json_error err;
	int			asked;

	CHECK(in != NULL);
	/* [1,1,...]: 200 kB, 100,000 values */
	in[n++] = '[';
	for (int i = 0; i < ELEMS; i++)
	{
		in[n++] = '1';
		in[n++] = i + 1 < ELEMS ? ',' : ']';
	}

	/* never stopped: asked per 64 kB parsed and per 4096 values written */
	CHECK_OK(brop_jcs_canonicalize_cancellable(&out, &outlen, in, n, &a, &cancel, &err));
	CHECK(outlen == n && memcmp(out, in, n) == 0);
	a.free(a.ctx, out);
	asked = cc.asked;
	CHECK(asked >= 1 + (int) (n / 65536) + ELEMS / 4096);
	CHECK(asked <= 2 + (int) (n / 65536) + ELEMS / 4096 + 1);

	/* stopped at every question, in the parse and in the writing: nothing leaks */
	for (int k = 1; k <= asked; k++)
	{
		unit_cancel_counter ck = {0, k};
		brop_cancel stop = {unit_cancel_at, &ck};

		c.live = 0;
		CHECK_ERR(brop_jcs_canonicalize_cancellable(&out, &outlen, in, n, &a, &stop, &err),
				  BROP_ECANCELED);
		CHECK(out == NULL && outlen == 0 && c.live == 0);
		CHECK(strcmp(err.message, "cancelled") == 0);
	}

	/* a cancel after a whole value but before the end of the text still stops */
	n = 0;
	in[n++] = '1';
	memset(in + n, ' ', 2 * ELEMS - 1);
	n += 2 * ELEMS - 1;
	{
		unit_cancel_counter ck = {0, 2};
		brop_cancel stop = {unit_cancel_at, &ck};

		CHECK_ERR(brop_jcs_canonicalize_cancellable(&out, &outlen, in, n, NULL, &stop, NULL),
				  BROP_ECANCELED);
		CHECK(out == NULL);
	}
	/* a NULL cancel is never asked */
	CHECK_OK(brop_jcs_canonicalize_cancellable(&out, &outlen, in, n, NULL, NULL, NULL));
	CHECK_STR(out, outlen, "1");
	free(out);
	free(in);
}

/* ---- key order ------------------------------------------------------------ */

static int
key_cmp(const char *a, const char *b)
{
	return brop_jcs_key_compare(a, strlen(a), b, strlen(b));
}

TEST(jcs_key_compare)
{
	CHECK(key_cmp("", "") == 0);
	CHECK(key_cmp("a", "a") == 0);
	CHECK(key_cmp("", "a") < 0);
	CHECK(key_cmp("a", "") > 0);
	CHECK(key_cmp("a", "ab") < 0);
	CHECK(key_cmp("ab", "a") > 0);
	CHECK(key_cmp("A", "a") < 0);
	CHECK(key_cmp("10", "1") > 0);
	CHECK(key_cmp("10", "111") < 0);
	CHECK(key_cmp("\r", "1") < 0);
	CHECK(key_cmp("\x7f", "\xc2\x80") < 0);
	/* U+FFFF sorts after U+1F600: UTF-16 D83D DE00 < FFFF */
	CHECK(key_cmp("\xef\xbf\xbf", "\xf0\x9f\x98\x80") > 0);
	CHECK(key_cmp("\xf0\x9f\x98\x80", "\xef\xbf\xbf") < 0);
	/* U+E000 (private use) also after every astral code point */
	CHECK(key_cmp("\xee\x80\x80", "\xf4\x8f\xbf\xbf") > 0);
	/* U+D7FF before U+10000 */
	CHECK(key_cmp("\xed\x9f\xbf", "\xf0\x90\x80\x80") < 0);
	/* U+FB33 after U+1F600, U+20AC before it (RFC 8785 3.2.3) */
	CHECK(key_cmp("\xef\xac\xb3", "\xf0\x9f\x98\x80") > 0);
	CHECK(key_cmp("\xe2\x82\xac", "\xf0\x9f\x98\x80") < 0);
	/* astral against astral: code point order */
	CHECK(key_cmp("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x82") < 0);
	CHECK(key_cmp("\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf") < 0);
	/* a shared prefix ending inside a character */
	CHECK(key_cmp("x\xc3\xa9", "x\xc3\xaa") < 0);
	CHECK(key_cmp("x\xef\xbf\xbf", "x\xf0\x9f\x98\x80") > 0);
	/* embedded NUL counts, lengths are explicit */
	CHECK(brop_jcs_key_compare("a\0b", 3, "a\0c", 3) < 0);
	CHECK(brop_jcs_key_compare("a\0", 2, "a", 1) > 0);
	/* antisymmetric on ill-formed input too */
	CHECK(key_cmp("\xff", "\xfe") > 0 && key_cmp("\xfe", "\xff") < 0);
}

TEST(jcs_utf16_order_in_objects)
{
	CHECK_JCS("{\"\\uffff\":1,\"\\ud83d\\ude00\":2,\"\\ue000\":3,\"\\ud7ff\":4,\"\\u00ff\":5}",
			  "{\"\xc3\xbf\":5,\"\xed\x9f\xbf\":4,\"\xf0\x9f\x98\x80\":2,"
			  "\"\xee\x80\x80\":3,\"\xef\xbf\xbf\":1}");
}
