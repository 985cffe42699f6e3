/*
 * test_didkey.c — did:key against the W3C CCG did-method-key test vectors
 * (test-vectors/ed25519-x25519.json, x25519.json, secp256k1.json,
 * nist-curves.json), and bad identifiers with their exact error codes.
 */
#include "brop.h"
#include "unit.h"

/* ---- helpers --------------------------------------------------------------- */

static size_t
b58(unsigned char *out, size_t cap, const char *text)
{
	size_t		n = 0;

	if (brop_base58_decode(out, cap, &n, text, strlen(text)) != 0)
		unit_fail(__FILE__, __LINE__, "bad base58 constant %s", text);
	return n;
}

static size_t
b64url(unsigned char *out, size_t cap, const char *text)
{
	size_t		n = 0;

	if (brop_base64_decode(out, cap, &n, text, strlen(text), BROP_BASE64_URLSAFE) != 0)
		unit_fail(__FILE__, __LINE__, "bad base64url constant %s", text);
	return n;
}

static int
decode_str(const char *did)
{
	brop_alg	alg;
	unsigned char pk[64];
	size_t		pklen;

	return brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(did));
}

/* "did:key:z" + base58btc(raw) */
static int
decode_raw(const unsigned char *raw, size_t rawlen)
{
	char		did[2048] = "did:key:z";
	size_t		n = 0;
	brop_alg	alg;
	unsigned char pk[64];
	size_t		pklen;

	if (brop_base58_encode(did + 9, sizeof did - 9, &n, raw, rawlen) != 0)
	{
		unit_fail(__FILE__, __LINE__, "base58 encode failed");
		return -999;
	}
	return brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, 9 + n);
}

/* decode did, check alg and key, encode back and compare the text */
static void
check_roundtrip(const char *did, brop_alg want_alg, const unsigned char *want_pk, size_t want_len)
{
	brop_alg	alg = 0;
	unsigned char pk[64];
	size_t		pklen = 0;
	char		text[BROP_DIDKEY_MAX_LEN];
	size_t		textlen = 0;

	CHECK_OK(brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(did)));
	CHECK(alg == want_alg);
	CHECK(pklen == want_len);
	CHECK_MEM(pk, want_pk, want_len);
	CHECK_OK(brop_didkey_encode(text, sizeof text, &textlen, want_alg, want_pk, want_len));
	CHECK_STR(text, textlen, did);
}

/* ---- ed25519-x25519.json --------------------------------------------------- */

typedef struct
{
	const char *seed;
	const char *did;
	const char *pk58;
	const char *xdid;
	const char *xpk58;
	const char *xsk58;
} ed_vector;

static const ed_vector ed_vectors[] = {
	{"0000000000000000000000000000000000000000000000000000000000000000",
		"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
		"4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
		"did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW",
		"7By6kV2t2d188odEM4ExAve1UithKT6dLva4dwsDT3ak",
	"6QN8DfuN9hjgHgPvLXqgzqYE3jRRGRrmJQZkd5tL8paR"},
	{"0000000000000000000000000000000000000000000000000000000000000001",
		"did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
		"6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt",
		"did:key:z6LSrHyXiPBhUbvPUtyUCdf32sniiMGPTAesgHrtEa4FePtr",
		"FcoNC5NqP9CePWbhfz95iHaEsCjGkZUioK9Ck7Qiw286",
	"HBTcN2MrXNRj9xF9oi8QqYyuEPv3JLLjQKuEgW9oxVKP"},
	{"0000000000000000000000000000000000000000000000000000000000000002",
		"did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
		"8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH",
		"did:key:z6LSkkqoZRC34AEpbkhZCqLDcHQVAxuLpQ7kC8XCXMVUfvjE",
		"A5fe37PAxhX5WNKngBpGHhC1KpNE7nwbK9oX2tqwxYxU",
	"ACa4PPJ1LnPNq1iwS33V3Akh7WtnC71WkKFZ9ccM6sX2"},
	{"0000000000000000000000000000000000000000000000000000000000000003",
		"did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
		"HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2",
		"did:key:z6LSiUo6AEDat8Ze4nQzDo67SGuHLLwsUGkxndHGUjsywHow",
		"7ocvdvQinfqtyQ3Dh9aA7ggoVCQkmfaoueZazHETDv3B",
	"FZrzd1osCnbK6y6MJzMBW1RcVfL524sNKhSbqRwMuwHT"},
	{"0000000000000000000000000000000000000000000000000000000000000004",
		"did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL",
		"J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x",
		"did:key:z6LSrGb3qm4xMCEBjvwkLb2WEcXfTM94Tu1RyGCbT5wbg8i9",
		"FbQtKTG6FjWSeYZyowWYv2KBcCbwmHqH6HUuxdJ4xkwP",
	"8Zybi2bqQ8YB4uPm3iy2rkDCmbB4wkG2Y2ig5YAkgNdg"},
};

TEST(didkey_ed25519_x25519_vectors)
{
	for (size_t i = 0; i < sizeof ed_vectors / sizeof ed_vectors[0]; i++)
	{
		const ed_vector *v = &ed_vectors[i];
		unsigned char seed[32];
		unsigned char pk[33];
		unsigned char want[40];
		unsigned char xpk[32];
		unsigned char xsk[32];
		size_t		pklen = 0;
		char		text[BROP_DIDKEY_MAX_LEN];
		size_t		textlen = 0;

		unit_unhex(seed, sizeof seed, v->seed);
		CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_ED25519, seed));
		CHECK(b58(want, sizeof want, v->pk58) == 32);
		CHECK_MEM(pk, want, 32);
		CHECK_OK(brop_didkey_encode(text, sizeof text, &textlen, BROP_ALG_ED25519, pk, 32));
		CHECK_STR(text, textlen, v->did);
		check_roundtrip(v->did, BROP_ALG_ED25519, pk, 32);

		/* the key agreement key derived from the Ed25519 key */
		CHECK_OK(brop_ed25519_pk_to_x25519(xpk, pk));
		CHECK(b58(want, sizeof want, v->xpk58) == 32);
		CHECK_MEM(xpk, want, 32);
		check_roundtrip(v->xdid, BROP_ALG_X25519, xpk, 32);
		CHECK_OK(brop_ed25519_seed_to_x25519(xsk, seed));
		CHECK(b58(want, sizeof want, v->xsk58) == 32);
		CHECK_MEM(xsk, want, 32);
	}
}

/* ---- x25519.json ----------------------------------------------------------- */

TEST(didkey_x25519_vectors)
{
	static const char *const v[][2] = {
		{"did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F",
		"4Dy8E9UaZscuPUf2GLxV44RCNL7oxmEXXkgWXaug1WKV"},
		{"did:key:z6LStiZsmxiK4odS4Sb6JmdRFuJ6e1SYP157gtiCyJKfrYha",
		"J3PiFeuSyLugy4DKn87TwK5cnruRgPtxouzXUqg99Avp"},
		{"did:key:z6LSoMdmJz2Djah2P4L9taDmtqeJ6wwd2HhKZvNToBmvaczQ",
		"CgTbngDMe7yHHfxPMvhpaFRpFoQWKgXAgwenJj8PsFDe"},
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
	{
		unsigned char pk[40];

		CHECK(b58(pk, sizeof pk, v[i][1]) == 32);
		check_roundtrip(v[i][0], BROP_ALG_X25519, pk, 32);
	}
}

/* ---- secp256k1.json -------------------------------------------------------- */

TEST(didkey_secp256k1_vectors)
{
	static const char *const v[][4] = {
		{"did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
			"9085d2bef69286a6cbb51623c8fa258629945cd55ca705cc4e66700396894e0c",
			"23o6Sau8NxxzXcgSc3PLcNxrzrZpbLeBn1izfv3jbKhuv",
		"AjA4cyPUbbfW5wr6iZeRbJLhgH3qDt6q6LMkRw36KpxT"},
		{"did:key:zQ3shtxV1FrJfhqE1dvxYRcCknWNjHc3c5X1y3ZSoPDi2aur2",
			"f0f4df55a2b3ff13051ea814a8f24ad00f2e469af73c363ac7e9fb999a9072ed",
			"291KzQhqCPC18PqH83XKhxv1HdqrdnxyS7dh15t2uNRzJ",
		"HDbR1D5W3CoNbUKYzUbHH2PRF1atshtVupXgXTQhNB9E"},
		{"did:key:zQ3shZc2QzApp2oymGvQbzP8eKheVshBHbU4ZYjeXqwSKEn6N",
			"6b0b91287ae3348f8c2f2552d766f30e3604867e34adc37ccbb74a8e6b893e02",
			"oesQ92MLiAkt2pjBcJFbW7H4DvzKJv22cotjYbmC2JEe",
		"8CrrWVdzDnvaS7vS5dd2HetFSebwEN46XEFrNDdtWZSZ"},
		{"did:key:zQ3shadCps5JLAHcZiuX5YUtWHHL8ysBJqFLWvjZDKAWUBGzy",
			"c0a6a7c560d37d7ba81ecee9543721ff48fea3e0fb827d42c1868226540fac15",
			"pg3p1vprqePgUoqfAQ1TTgxhL6zLYhHyzooR1pqLxo9F",
		"Dy2fnt8ba4NmbRBXas9bo1BtYgpYFr6ThpFhJbuA3PRn"},
		{"did:key:zQ3shptjE6JwdkeKN4fcpnYQY3m9Cet3NiHdAfpvSUZBFoKBj",
			"175a232d440be1e0788f25488a73d9416c04b6f924bea6354bf05dd2f1a75133",
			"24waDFAUAS16UpZwQQTXVEAmm17rQRjadjuAeBDW8aqL1",
		"2aA6WgZnPiVMBX3LvKSTg3KaFKyzfKpvEacixB3yyTgv"},
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
	{
		unsigned char sk[32];
		unsigned char sk58[40];
		unsigned char pk[33];
		unsigned char want[40];
		size_t		pklen = 0;

		unit_unhex(sk, sizeof sk, v[i][1]);
		CHECK(b58(sk58, sizeof sk58, v[i][3]) == 32);
		CHECK_MEM(sk58, sk, 32);
		CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_SECP256K1, sk));
		CHECK(pklen == 33);
		CHECK(b58(want, sizeof want, v[i][2]) == 33);
		CHECK_MEM(pk, want, 33);
		check_roundtrip(v[i][0], BROP_ALG_SECP256K1, pk, 33);
	}
}

/* ---- nist-curves.json (the P-256 entries) ---------------------------------- */

TEST(didkey_p256_vectors)
{
	static const char *const v[][4] = {
		{"did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
			"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
			"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM",
		"gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc"},
		{"did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",
			"fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI",
			"hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU",
		"YjRs6vNvw4sYrzVVY8ipkEpDAD9PFqw1sUnvPRMA-WI"},
	};

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
	{
		unsigned char u[65];
		unsigned char sk[40];
		unsigned char c[33];
		unsigned char pk[33];
		size_t		pklen = 0;

		u[0] = 0x04;
		CHECK(b64url(u + 1, 40, v[i][1]) == 32);
		CHECK(b64url(u + 33, 40, v[i][2]) == 32);
		CHECK(b64url(sk, sizeof sk, v[i][3]) == 32);
		CHECK_OK(brop_p256_pubkey_compress(c, u, 65));
		CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_P256, sk));
		CHECK(pklen == 33);
		CHECK_MEM(pk, c, 33);
		check_roundtrip(v[i][0], BROP_ALG_P256, c, 33);
		CHECK(strlen(v[i][0]) == 57);
	}
}

/* ---- multicodecs ----------------------------------------------------------- */

TEST(didkey_multicodecs)
{
	brop_alg	alg = 0;

	CHECK(brop_alg_multicodec(BROP_ALG_ED25519) == 0xed);
	CHECK(brop_alg_multicodec(BROP_ALG_SECP256K1) == 0xe7);
	CHECK(brop_alg_multicodec(BROP_ALG_P256) == 0x1200);
	CHECK(brop_alg_multicodec(BROP_ALG_X25519) == 0xec);
	CHECK(brop_alg_multicodec((brop_alg) 0) == 0);
	CHECK_OK(brop_alg_from_multicodec(&alg, 0x1200));
	CHECK(alg == BROP_ALG_P256);
	CHECK_OK(brop_alg_from_multicodec(&alg, 0xec));
	CHECK(alg == BROP_ALG_X25519);
	CHECK_ERR(brop_alg_from_multicodec(&alg, 0xea), BROP_EALG);	/* bls12_381-g1-pub */
	CHECK_ERR(brop_alg_from_multicodec(&alg, 0x1205), BROP_EALG);	/* rsa-pub */
	CHECK_ERR(brop_alg_from_multicodec(&alg, 0), BROP_EALG);
}

/* ---- bad identifiers ------------------------------------------------------- */

#define ED_DID "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"

TEST(didkey_bad_text)
{
	char		did[128];

	CHECK_ERR(decode_str("did:web:x"), BROP_EDID);
	CHECK_ERR(decode_str("did:key:"), BROP_EDID);
	CHECK_ERR(decode_str("did:key:z"), BROP_EDID);
	CHECK_ERR(decode_str(""), BROP_EDID);
	CHECK_ERR(decode_str("did:key"), BROP_EDID);
	CHECK_ERR(decode_str("did:key:y6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"), BROP_EDID);
	CHECK_ERR(decode_str("did:key:f" "ed013b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"),
			  BROP_EDID);	/* another multibase: not the did:key form */
	CHECK_ERR(decode_str("DID:KEY:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"), BROP_EDID);
	CHECK_ERR(decode_str(" did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"), BROP_EDID);
	/* fragment, path, query, trailing white space */
	CHECK_ERR(decode_str(ED_DID "#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"), BROP_EDID);
	CHECK_ERR(decode_str(ED_DID "#"), BROP_EDID);
	CHECK_ERR(decode_str(ED_DID "/path"), BROP_EDID);
	CHECK_ERR(decode_str(ED_DID "?service=x"), BROP_EDID);
	CHECK_ERR(decode_str(ED_DID " "), BROP_EDID);
	CHECK_ERR(decode_str(ED_DID "\n"), BROP_EDID);
	/* characters outside the base58 alphabet: 0 O I l, and a NUL inside */
	{
		static const char bad[] = {'0', 'O', 'I', 'l', '+', '_', '\0', (char) 0xc3};

		for (size_t i = 0; i < sizeof bad; i++)
		{
			brop_alg	alg;
			unsigned char pk[64];
			size_t		pklen;

			strcpy(did, ED_DID);
			did[20] = bad[i];
			CHECK_ERR(brop_didkey_decode(&alg, pk, sizeof pk, &pklen, did, strlen(ED_DID)),
					  BROP_EDID);
		}
	}
	/* the valid one, for reference */
	CHECK_OK(decode_str(ED_DID));
	/* the length is the caller's: a did:key cut short is another key */
	{
		brop_alg	alg;
		unsigned char pk[64];
		size_t		pklen;

		CHECK(brop_didkey_decode(&alg, pk, sizeof pk, &pklen, ED_DID, strlen(ED_DID) - 1) != 0);
		CHECK_ERR(brop_didkey_decode(&alg, pk, 31, &pklen, ED_DID, strlen(ED_DID)), BROP_EBUFFER);
	}
	/* longer than any did:key we could know */
	{
		char		longdid[9 + 1025];
		brop_alg	alg;
		unsigned char pk[64];
		size_t		pklen;

		memset(longdid, 'z', sizeof longdid);
		memcpy(longdid, "did:key:z", 9);
		CHECK_ERR(brop_didkey_decode(&alg, pk, sizeof pk, &pklen, longdid, sizeof longdid),
				  BROP_ELENGTH);
		/* 1024 characters are still read (and are no key we know) */
		CHECK_ERR(brop_didkey_decode(&alg, pk, sizeof pk, &pklen, longdid, sizeof longdid - 1),
				  BROP_EALG);
	}
}

TEST(didkey_bad_payload)
{
	unsigned char raw[80];
	unsigned char pk[33];

	/* unknown codecs: bls12_381-g1-pub (0xea) with 48 bytes; rsa-pub (0x1205); 0 */
	memset(raw, 0x5a, sizeof raw);
	raw[0] = 0xea;
	raw[1] = 0x01;
	CHECK_ERR(decode_raw(raw, 50), BROP_EALG);
	raw[0] = 0x85;
	raw[1] = 0x24;
	CHECK_ERR(decode_raw(raw, 70), BROP_EALG);
	raw[0] = 0x00;
	CHECK_ERR(decode_raw(raw, 33), BROP_EALG);	/* a leading '1' */
	/* a varint past 63 bits */
	memset(raw, 0xff, 12);
	CHECK_ERR(decode_raw(raw, 44), BROP_EALG);
	/* the payload ends inside the varint */
	raw[0] = 0xed;
	CHECK_ERR(decode_raw(raw, 1), BROP_ELENGTH);
	/* non-minimal varint for 0xed: ed 81 00 */
	unit_unhex(raw, sizeof raw, "ed8100" "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
	CHECK_ERR(decode_raw(raw, 35), BROP_ENONCANONICAL);
	/* the minimal form of the same is the first ed25519 vector */
	unit_unhex(raw, sizeof raw, "ed01" "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
	CHECK_OK(decode_raw(raw, 34));
	/* truncated and overlong keys */
	CHECK_ERR(decode_raw(raw, 33), BROP_ELENGTH);
	CHECK_ERR(decode_raw(raw, 2), BROP_ELENGTH);
	raw[34] = 0;
	CHECK_ERR(decode_raw(raw, 35), BROP_ELENGTH);
	/* secp256k1: 32 bytes, and a point not on the curve (x of BIP-340 row 5) */
	unit_unhex(raw, sizeof raw, "e701" "02EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34");
	CHECK_ERR(decode_raw(raw, 35), BROP_EKEY);
	CHECK_ERR(decode_raw(raw, 34), BROP_ELENGTH);
	raw[2] = 0x04;				/* an uncompressed prefix on 33 bytes */
	CHECK_ERR(decode_raw(raw, 35), BROP_EKEY);
	/* P-256: x = 1 is on no point */
	memset(raw, 0, sizeof raw);
	raw[0] = 0x80;
	raw[1] = 0x24;
	raw[2] = 0x02;
	raw[34] = 0x01;
	CHECK_ERR(decode_raw(raw, 35), BROP_EKEY);
	/* Ed25519 and X25519: small-order keys */
	memset(raw, 0, sizeof raw);
	raw[0] = 0xed;
	raw[1] = 0x01;
	CHECK_ERR(decode_raw(raw, 34), BROP_EKEY);
	raw[0] = 0xec;
	CHECK_ERR(decode_raw(raw, 34), BROP_EKEY);

	/* encode refuses what decode refuses */
	memset(pk, 0, sizeof pk);
	{
		char		text[BROP_DIDKEY_MAX_LEN];
		size_t		textlen;

		CHECK_ERR(brop_didkey_encode(text, sizeof text, &textlen, BROP_ALG_ED25519, pk, 32), BROP_EKEY);
		CHECK_ERR(brop_didkey_encode(text, sizeof text, &textlen, BROP_ALG_X25519, pk, 32), BROP_EKEY);
		CHECK_ERR(brop_didkey_encode(text, sizeof text, &textlen, (brop_alg) 9, pk, 32), BROP_EALG);
		unit_unhex(pk, sizeof pk, "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
		CHECK_ERR(brop_didkey_encode(text, sizeof text, &textlen, BROP_ALG_ED25519, pk, 31), BROP_ELENGTH);
		CHECK_ERR(brop_didkey_encode(text, sizeof text, &textlen, BROP_ALG_SECP256K1, pk, 32), BROP_ELENGTH);
		CHECK_ERR(brop_didkey_encode(text, strlen(ED_DID) - 1, &textlen, BROP_ALG_ED25519, pk, 32),
				  BROP_EBUFFER);
		CHECK_OK(brop_didkey_encode(text, strlen(ED_DID), &textlen, BROP_ALG_ED25519, pk, 32));
		CHECK_STR(text, textlen, ED_DID);
	}
}
