/*
 * test_secp256k1.c — BIP-340 Schnorr against every row of the BIP's
 * test-vectors.csv; ECDSA (RFC 6979, low-S) against published deterministic
 * vectors; the high-S and range rules; strict DER.
 */
#include <sodium.h>

#include "brop.h"
#include "unit.h"

/* The order n of secp256k1's base point (SEC 2, 2.4.1). */
static const char secp_n[] =
"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/* out = n - v, 32-byte big-endian (v <= n). */
static void
sub_from(unsigned char out[32], const char *nhex, const unsigned char v[32])
{
	unsigned char n[32];
	int			borrow = 0;

	unit_unhex(n, sizeof n, nhex);
	for (int i = 31; i >= 0; i--)
	{
		int			d = n[i] - v[i] - borrow;

		borrow = d < 0;
		out[i] = (unsigned char) (d + (borrow ? 256 : 0));
	}
}

/* ---- BIP-340 --------------------------------------------------------------- */

typedef struct
{
	int			index;
	const char *sk;				/* "" on verification-only rows */
	const char *pk;
	const char *aux;
	const char *msg;
	const char *sig;
	int			expect;			/* brop code of brop_schnorr_verify */
} bip340_vector;

#define SIG_PK_B "DFF1D77F2A671C5F36183726DB2341BE58FEAE1DA2DECED843240F7B502BA659"
#define MSG_B "243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89"
#define SK_15 "0340034003400340034003400340034003400340034003400340034003400340"
#define PK_15 "778CAA53B4393AC467774D09497A87224BF9FAB6F6E68B23086497324D6FD117"
#define ZERO32 "0000000000000000000000000000000000000000000000000000000000000000"

/*
 * bitcoin/bips, bip-0340/test-vectors.csv, rows 0-18 (rows 15-18, messages
 * of 0, 1, 17 and 100 bytes, were added in 2022). A FALSE row maps to:
 *   BROP_EKEY    rows 5 and 14: the public key is no x coordinate of a point
 *                (not on the curve; not below the field size), refused by
 *                secp256k1_xonly_pubkey_parse before any verification;
 *   BROP_EVERIFY every other FALSE row, including 12 and 13 whose r = p or
 *                s = n: BIP-340 defines those as failed verifications.
 */
static const bip340_vector bip340[] = {
	{0, "0000000000000000000000000000000000000000000000000000000000000003",
		"F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9",
		ZERO32, ZERO32,
		"E907831F80848D1069A5371B402410364BDF1C5F8307B0084C55F1CE2DCA8215"
	"25F66A4A85EA8B71E482A74F382D2CE5EBEEE8FDB2172F477DF4900D310536C0", 0},
	{1, "B7E151628AED2A6ABF7158809CF4F3C762E7160F38B4DA56A784D9045190CFEF",
		SIG_PK_B,
		"0000000000000000000000000000000000000000000000000000000000000001", MSG_B,
		"6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE3341"
	"8906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A", 0},
	{2, "C90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B14E5C9",
		"DD308AFEC5777E13121FA72B9CC1B7CC0139715309B086C960E18FD969774EB8",
		"C87AA53824B4D7AE2EB035A2B5BBBCCC080E76CDC6D1692C4B0B62D798E6D906",
		"7E2D58D8B3BCDF1ABADEC7829054F90DDA9805AAB56C77333024B9D0A508B75C",
		"5831AAEED7B44BB74E5EAB94BA9D4294C49BCF2A60728D8B4C200F50DD313C1B"
	"AB745879A5AD954A72C45A91C3A51D3C7ADEA98D82F8481E0E1E03674A6F3FB7", 0},
	/* test fails if msg is reduced modulo p or n */
	{3, "0B432B2677937381AEF05BB02A66ECD012773062CF3FA2549E44F58ED2401710",
		"25D1DFF95105F5253C4022F628A996AD3A0D95FBF21D468A1B33F8C160D8F517",
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
		"7EB0509757E246F19449885651611CB965ECC1A187DD51B64FDA1EDC9637D5EC"
	"97582B9CB13DB3933705B32BA982AF5AF25FD78881EBB32771FC5922EFC66EA3", 0},
	{4, "", "D69C3509BB99E412E68B0FE8544E72837DFA30746D8BE2AA65975F29D22DC7B9", "",
		"4DF3C3F68FCC83B27E9D42C90431A72499F17875C81A599B566C9889B9696703",
		"00000000000000000000003B78CE563F89A0ED9414F5AA28AD0D96D6795F9C63"
	"76AFB1548AF603B3EB45C9F8207DEE1060CB71C04E80F593060B07D28308D7F4", 0},
	/* public key not on the curve */
	{5, "", "EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34", "", MSG_B,
		"6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769"
	"69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B", BROP_EKEY},
	/* has_even_y(R) is false */
	{6, "", SIG_PK_B, "", MSG_B,
		"FFF97BD5755EEEA420453A14355235D382F6472F8568A18B2F057A1460297556"
	"3CC27944640AC607CD107AE10923D9EF7A73C643E166BE5EBEAFA34B1AC553E2", BROP_EVERIFY},
	/* negated message */
	{7, "", SIG_PK_B, "", MSG_B,
		"1FA62E331EDBC21C394792D2AB1100A7B432B013DF3F6FF4F99FCB33E0E1515F"
	"28890B3EDB6E7189B630448B515CE4F8622A954CFE545735AAEA5134FCCDB2BD", BROP_EVERIFY},
	/* negated s value */
	{8, "", SIG_PK_B, "", MSG_B,
		"6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769"
	"961764B3AA9B2FFCB6EF947B6887A226E8D7C93E00C5ED0C1834FF0D0C2E6DA6", BROP_EVERIFY},
	/* sG - eP is infinite (x(inf) as 0) */
	{9, "", SIG_PK_B, "", MSG_B,
		"0000000000000000000000000000000000000000000000000000000000000000"
	"123DDA8328AF9C23A94C1FEECFD123BA4FB73476F0D594DCB65C6425BD186051", BROP_EVERIFY},
	/* sG - eP is infinite (x(inf) as 1) */
	{10, "", SIG_PK_B, "", MSG_B,
		"0000000000000000000000000000000000000000000000000000000000000001"
	"7615FBAF5AE28864013C099742DEADB4DBA87F11AC6754F93780D5A1837CF197", BROP_EVERIFY},
	/* sig[0:32] is not an X coordinate on the curve */
	{11, "", SIG_PK_B, "", MSG_B,
		"4A298DACAE57395A15D0795DDBFD1DCB564DA82B0F269BC70A74F8220429BA1D"
	"69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B", BROP_EVERIFY},
	/* sig[0:32] is equal to field size */
	{12, "", SIG_PK_B, "", MSG_B,
		"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F"
	"69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B", BROP_EVERIFY},
	/* sig[32:64] is equal to curve order */
	{13, "", SIG_PK_B, "", MSG_B,
		"6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769"
	"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", BROP_EVERIFY},
	/* public key is not a valid X coordinate because it exceeds the field size */
	{14, "", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30", "", MSG_B,
		"6CFF5C3BA86C69EA4B7376F31A9BCB4F74C1976089B2D9963DA2E5543E177769"
	"69E89B4C5564D00349106B8497785DD7D1D713A8AE82B32FA79D5F7FC407D39B", BROP_EKEY},
	/* message of size 0 */
	{15, SK_15, PK_15, ZERO32, "",
		"71535DB165ECD9FBBC046E5FFAEA61186BB6AD436732FCCC25291A55895464CF"
	"6069CE26BF03466228F19A3A62DB8A649F2D560FAC652827D1AF0574E427AB63", 0},
	/* message of size 1 */
	{16, SK_15, PK_15, ZERO32, "11",
		"08A20A0AFEF64124649232E0693C583AB1B9934AE63B4C3511F3AE1134C6A303"
	"EA3173BFEA6683BD101FA5AA5DBC1996FE7CACFC5A577D33EC14564CEC2BACBF", 0},
	/* message of size 17 */
	{17, SK_15, PK_15, ZERO32, "0102030405060708090A0B0C0D0E0F1011",
		"5130F39A4059B43BC7CAC09A19ECE52B5D8699D1A71E3C52DA9AFDB6B50AC370"
	"C4A482B77BF960F8681540E25B6771ECE1E5A37FD80E5A51897C5566A97EA5A5", 0},
	/* message of size 100 */
	{18, SK_15, PK_15, ZERO32,
		"9999999999999999999999999999999999999999999999999999999999999999"
		"9999999999999999999999999999999999999999999999999999999999999999"
		"9999999999999999999999999999999999999999999999999999999999999999"
		"99999999",
		"403B12B0D8555A344175EA7EC746566303321E5DBFA8BE6F091635163ECA79A8"
	"585ED3E3170807E7C03B720FC54C7B23897FCBA0E9D0B4A06894CFD249F22367", 0},
};

TEST(bip340_vectors)
{
	int			rows = 0;

	for (size_t i = 0; i < sizeof bip340 / sizeof bip340[0]; i++)
	{
		const bip340_vector *v = &bip340[i];
		unsigned char pk[32];
		unsigned char msg[100];
		unsigned char sig[64];
		size_t		mlen;
		int			rc;

		CHECK(v->index == (int) i);
		unit_unhex(pk, sizeof pk, v->pk);
		mlen = unit_unhex(msg, sizeof msg, v->msg);
		unit_unhex(sig, sizeof sig, v->sig);

		if (v->sk[0] != '\0')
		{
			unsigned char sk[32];
			unsigned char aux[32];
			unsigned char got[64];
			unsigned char xonly[32];

			unit_unhex(sk, sizeof sk, v->sk);
			unit_unhex(aux, sizeof aux, v->aux);
			CHECK_OK(brop_schnorr_pubkey(xonly, sk));
			CHECK_MEM(xonly, pk, 32);
			CHECK_OK(brop_schnorr_sign(got, msg, mlen, sk, aux));
			if (memcmp(got, sig, 64) != 0)
				unit_fail(__FILE__, __LINE__, "BIP-340 row %d: signature differs", v->index);
		}
		rc = brop_schnorr_verify(sig, msg, mlen, pk);
		if (rc != v->expect)
			unit_fail(__FILE__, __LINE__, "BIP-340 row %d: verify returned %d, expected %d",
					  v->index, rc, v->expect);
		rows++;
	}
	CHECK(rows == 19);
}

TEST(bip340_null_aux_is_zero_aux)
{
	unsigned char sk[32];
	unsigned char got[64];
	unsigned char want[64];

	/* row 0 signs with aux_rand = 0: NULL means the same */
	unit_unhex(sk, sizeof sk, bip340[0].sk);
	unit_unhex(want, sizeof want, bip340[0].sig);
	{
		unsigned char msg[32] = {0};

		CHECK_OK(brop_schnorr_sign(got, msg, sizeof msg, sk, NULL));
	}
	CHECK_MEM(got, want, 64);
	/* secret keys 0 and n are refused */
	memset(sk, 0, sizeof sk);
	CHECK_ERR(brop_schnorr_sign(got, NULL, 0, sk, NULL), BROP_EKEY);
	CHECK_ERR(brop_schnorr_pubkey(got, sk), BROP_EKEY);
	unit_unhex(sk, sizeof sk, secp_n);
	CHECK_ERR(brop_schnorr_pubkey(got, sk), BROP_EKEY);
}

/* ---- ECDSA ----------------------------------------------------------------- */

typedef struct
{
	const char *sk;
	const char *msg;
	const char *der;
} ecdsa_vector;

/*
 * Deterministic ECDSA (RFC 6979, HMAC-SHA256 nonces) over secp256k1 with
 * SHA-256 of the message, low-S: the vector set published by fpgaminer
 * (bitcointalk.org topic 285142) and carried by python-ecdsa, bitcoinjs,
 * trezor-crypto and btcd's test suites.
 */
static const ecdsa_vector rfc6979_secp256k1[] = {
	{"0000000000000000000000000000000000000000000000000000000000000001",
		"Satoshi Nakamoto",
		"3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
	"02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"},
	{"0000000000000000000000000000000000000000000000000000000000000001",
		"All those moments will be lost in time, like tears in rain. Time to die...",
		"30450221008600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b"
	"0220547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"},
	{"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
		"Satoshi Nakamoto",
		"3045022100fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0"
	"02206b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"},
	{"f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181",
		"Alan Turing",
		"304402207063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c"
	"022058dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"},
	{"cca9fbcc1b41e5a95d369eaa6ddcff73b61a4efaa279cfc6567e8daa39cbaf50",
		"sample",
		"3045022100af340daf02cc15c8d5d08d7735dfe6b98a474ed373bdb5fbecf7571be52b3842"
	"02205009fb27f37034a9b24b707b7c6b79ca23ddef9e25f7282e8a797efe53a8f124"},
};

TEST(ecdsa_rfc6979_vectors)
{
	for (size_t i = 0; i < sizeof rfc6979_secp256k1 / sizeof rfc6979_secp256k1[0]; i++)
	{
		const ecdsa_vector *v = &rfc6979_secp256k1[i];
		unsigned char sk[32];
		unsigned char pk[33];
		unsigned char h[32];
		unsigned char sig[64];
		unsigned char sig2[64];
		unsigned char want_der[72];
		unsigned char der[72];
		unsigned char back[64];
		size_t		want_derlen;
		size_t		derlen = 0;
		const unsigned char *m = (const unsigned char *) v->msg;
		size_t		mlen = strlen(v->msg);

		unit_unhex(sk, sizeof sk, v->sk);
		want_derlen = unit_unhex(want_der, sizeof want_der, v->der);
		CHECK_OK(brop_secp256k1_pubkey(pk, sk));
		CHECK_OK(brop_sha256(h, m, mlen));
		CHECK_OK(brop_secp256k1_ecdsa_sign_hash(sig, h, sk));
		CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig));
		CHECK(derlen == want_derlen);
		CHECK_MEM(der, want_der, want_derlen);
		CHECK_OK(brop_ecdsa_sig_from_der(back, want_der, want_derlen));
		CHECK_MEM(back, sig, 64);
		CHECK_OK(brop_secp256k1_ecdsa_verify_hash(sig, h, pk, 33));

		/* determinism, and the generic layer agrees (it hashes with SHA-256) */
		CHECK_OK(brop_sign(sig2, BROP_ALG_SECP256K1, sk, m, mlen));
		CHECK_MEM(sig2, sig, 64);
		CHECK_OK(brop_verify(BROP_ALG_SECP256K1, pk, 33, m, mlen, sig, 64));
		CHECK_OK(brop_verify(BROP_ALG_SECP256K1, pk, 33, m, mlen, want_der, want_derlen));
		CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, m, mlen - 1, sig, 64), BROP_EVERIFY);
	}
}

TEST(ecdsa_pubkey_of_one_is_g)
{
	unsigned char sk[32] = {0};
	unsigned char pk[33];
	unsigned char u[65];
	unsigned char c[33];

	sk[31] = 1;
	CHECK_OK(brop_secp256k1_pubkey(pk, sk));
	CHECK_HEX(pk, 33, "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
	/* G uncompressed (SEC 2, 2.4.1) compresses to the same */
	unit_unhex(u, sizeof u,
			   "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
			   "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
	CHECK_OK(brop_secp256k1_pubkey_compress(c, u, 65));
	CHECK_MEM(c, pk, 33);
	CHECK_OK(brop_secp256k1_pubkey_compress(c, pk, 33));
	CHECK_MEM(c, pk, 33);
	/* hybrid form 06/07 is refused, so are other prefixes and lengths */
	u[0] = 0x06;
	CHECK_ERR(brop_secp256k1_pubkey_compress(c, u, 65), BROP_EKEY);
	u[0] = 0x04;
	u[64] ^= 1;					/* y no longer matches x */
	CHECK_ERR(brop_secp256k1_pubkey_compress(c, u, 65), BROP_EKEY);
	CHECK_ERR(brop_secp256k1_pubkey_compress(c, u, 64), BROP_ELENGTH);
	pk[0] = 0x04;
	CHECK_ERR(brop_secp256k1_pubkey_compress(c, pk, 33), BROP_EKEY);
	CHECK_ERR(brop_key_validate(BROP_ALG_SECP256K1, pk, 33), BROP_EKEY);
	/* the did:key form is compressed only */
	u[64] ^= 1;
	CHECK_ERR(brop_key_validate(BROP_ALG_SECP256K1, u, 65), BROP_ELENGTH);
	/* x of BIP-340 row 5 is on no point */
	unit_unhex(c, sizeof c, "02EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34");
	CHECK_ERR(brop_key_validate(BROP_ALG_SECP256K1, c, 33), BROP_EKEY);
	/* secret keys 0 and n */
	sk[31] = 0;
	CHECK_ERR(brop_secp256k1_pubkey(pk, sk), BROP_EKEY);
	unit_unhex(sk, sizeof sk, secp_n);
	CHECK_ERR(brop_secp256k1_pubkey(pk, sk), BROP_EKEY);
	{
		unsigned char s64[64];

		CHECK_ERR(brop_secp256k1_ecdsa_sign_hash(s64, u, sk), BROP_EKEY);
	}
}

TEST(ecdsa_high_s)
{
	unsigned char sk[32];
	unsigned char pk[33];
	unsigned char h[32];
	unsigned char sig[64];
	unsigned char high[64];

	unit_unhex(sk, sizeof sk, rfc6979_secp256k1[0].sk);
	CHECK_OK(brop_secp256k1_pubkey(pk, sk));
	CHECK_OK(brop_sha256(h, (const unsigned char *) "Satoshi Nakamoto", 16));
	CHECK_OK(brop_secp256k1_ecdsa_sign_hash(sig, h, sk));

	/* (r, n - s) is the other valid signature: refused as high-S */
	memcpy(high, sig, 32);
	sub_from(high + 32, secp_n, sig + 32);
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(high, h, pk, 33), BROP_EHIGHS);
	CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, (const unsigned char *) "Satoshi Nakamoto", 16,
						  high, 64), BROP_EHIGHS);
	CHECK_OK(brop_secp256k1_ecdsa_normalize(high));
	CHECK_MEM(high, sig, 64);
	CHECK_OK(brop_secp256k1_ecdsa_verify_hash(high, h, pk, 33));
	/* normalizing a low-S signature changes nothing */
	CHECK_OK(brop_secp256k1_ecdsa_normalize(high));
	CHECK_MEM(high, sig, 64);
	/* high-S of a signature over another hash: still reported as high-S */
	h[0] ^= 1;
	sub_from(high + 32, secp_n, sig + 32);
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(high, h, pk, 33), BROP_EHIGHS);
}

TEST(ecdsa_out_of_range)
{
	unsigned char sk[32];
	unsigned char pk[33];
	unsigned char h[32];
	unsigned char sig[64];
	unsigned char bad[64];

	unit_unhex(sk, sizeof sk, rfc6979_secp256k1[0].sk);
	CHECK_OK(brop_secp256k1_pubkey(pk, sk));
	CHECK_OK(brop_sha256(h, (const unsigned char *) "Satoshi Nakamoto", 16));
	CHECK_OK(brop_secp256k1_ecdsa_sign_hash(sig, h, sk));

	memcpy(bad, sig, 64);
	memset(bad, 0, 32);			/* r = 0 */
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(bad, h, pk, 33), BROP_ESIG);
	CHECK_ERR(brop_secp256k1_ecdsa_normalize(bad), BROP_ESIG);
	memcpy(bad, sig, 64);
	memset(bad + 32, 0, 32);	/* s = 0 */
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(bad, h, pk, 33), BROP_ESIG);
	memcpy(bad, sig, 64);
	unit_unhex(bad + 32, 32, secp_n);	/* s = n */
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(bad, h, pk, 33), BROP_ESIG);
	CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, NULL, 0, bad, 64), BROP_ESIG);
	memset(bad + 32, 0xff, 32);	/* s = 2^256 - 1 */
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(bad, h, pk, 33), BROP_ESIG);
	memcpy(bad, sig, 64);
	unit_unhex(bad, 32, secp_n);	/* r = n */
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(bad, h, pk, 33), BROP_ESIG);
	/* r = 1, low s: well-formed, does not verify */
	memcpy(bad, sig, 64);
	memset(bad, 0, 32);
	bad[31] = 1;
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(bad, h, pk, 33), BROP_EVERIFY);
	/* a bad key or key length */
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(sig, h, pk, 32), BROP_ELENGTH);
	pk[0] = 0x05;
	CHECK_ERR(brop_secp256k1_ecdsa_verify_hash(sig, h, pk, 33), BROP_EKEY);
	CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, NULL, 0, sig, 64), BROP_EKEY);
}

TEST(ecdsa_generic_roundtrip)
{
	for (int i = 0; i < 16; i++)
	{
		unsigned char sk[32];
		unsigned char pk[33];
		unsigned char sig[64];
		unsigned char sig2[64];
		unsigned char der[72];
		unsigned char msg[64];
		size_t		pklen = 0;
		size_t		derlen = 0;
		unsigned char half[32];

		randombytes_buf(msg, sizeof msg);
		CHECK_OK(brop_key_generate(sk, BROP_ALG_SECP256K1));
		CHECK_OK(brop_key_public(pk, sizeof pk, &pklen, BROP_ALG_SECP256K1, sk));
		CHECK(pklen == 33);
		CHECK_OK(brop_key_validate(BROP_ALG_SECP256K1, pk, 33));
		CHECK_OK(brop_sign(sig, BROP_ALG_SECP256K1, sk, msg, sizeof msg));
		CHECK_OK(brop_sign(sig2, BROP_ALG_SECP256K1, sk, msg, sizeof msg));
		CHECK_MEM(sig, sig2, 64);	/* RFC 6979: deterministic */
		/* low-S: s <= (n - 1) / 2, i.e. s < n - s */
		sub_from(half, secp_n, sig + 32);
		CHECK(memcmp(sig + 32, half, 32) < 0);
		CHECK_OK(brop_verify(BROP_ALG_SECP256K1, pk, 33, msg, sizeof msg, sig, 64));
		CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig));
		CHECK(derlen >= 8 && derlen <= 72);
		CHECK_OK(brop_verify(BROP_ALG_SECP256K1, pk, 33, msg, sizeof msg, der, derlen));
		msg[i] ^= 0x40;
		CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, msg, sizeof msg, sig, 64), BROP_EVERIFY);
	}
}

/* ---- DER ------------------------------------------------------------------- */

TEST(der_roundtrip_edges)
{
	unsigned char sig[64];
	unsigned char back[64];
	unsigned char der[72];
	size_t		derlen = 0;

	/* r = 1, s = 0x80: the shortest and a padded one-byte value */
	memset(sig, 0, sizeof sig);
	sig[31] = 1;
	sig[63] = 0x80;
	CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig));
	CHECK_HEX(der, derlen, "300702010102020080");
	CHECK_OK(brop_ecdsa_sig_from_der(back, der, derlen));
	CHECK_MEM(back, sig, 64);
	/* zero is representable (range is the verifier's business) */
	memset(sig, 0, sizeof sig);
	CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig));
	CHECK_HEX(der, derlen, "3006020100020100");
	CHECK_OK(brop_ecdsa_sig_from_der(back, der, derlen));
	CHECK_MEM(back, sig, 64);
	/* both high: the 72-byte maximum */
	memset(sig, 0xff, sizeof sig);
	CHECK_OK(brop_ecdsa_sig_to_der(der, sizeof der, &derlen, sig));
	CHECK(derlen == 72);
	CHECK(der[1] == 70 && der[3] == 33 && der[4] == 0);
	CHECK_OK(brop_ecdsa_sig_from_der(back, der, derlen));
	CHECK_MEM(back, sig, 64);
	CHECK_ERR(brop_ecdsa_sig_to_der(der, 71, &derlen, sig), BROP_EBUFFER);
	CHECK_ERR(brop_ecdsa_sig_to_der(der, 0, &derlen, sig), BROP_EBUFFER);
}

static int
from_hex_der(const char *hex)
{
	unsigned char der[100];
	unsigned char sig[64];
	size_t		len = unit_unhex(der, sizeof der, hex);

	return brop_ecdsa_sig_from_der(sig, der, len);
}

#define R_HI "00934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
#define S_LO "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"

TEST(der_strict_rejections)
{
	/* the valid form, for reference */
	CHECK_OK(from_hex_der("3045" "0221" R_HI "0220" S_LO));
	/* long-form sequence length (0x81 0x45): not minimal */
	CHECK_ERR(from_hex_der("308145" "0221" R_HI "0220" S_LO), BROP_ESIG);
	/* long-form integer length */
	CHECK_ERR(from_hex_der("3046" "0221" R_HI "028120" S_LO), BROP_ESIG);
	/* negative r: the sign byte dropped */
	CHECK_ERR(from_hex_der("3044" "0220" "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
						   "0220" S_LO), BROP_ESIG);
	/* leading zero padding on s */
	CHECK_ERR(from_hex_der("3046" "0221" R_HI "0221" "00" S_LO), BROP_ESIG);
	/* two zero bytes in front of a high r */
	CHECK_ERR(from_hex_der("3046" "0222" "00" R_HI "0220" S_LO), BROP_ESIG);
	/* trailing byte after the sequence */
	CHECK_ERR(from_hex_der("3045" "0221" R_HI "0220" S_LO "00"), BROP_ESIG);
	/* trailing byte inside the sequence */
	CHECK_ERR(from_hex_der("3046" "0221" R_HI "0220" S_LO "00"), BROP_ESIG);
	/* sequence length says more than there is / less */
	CHECK_ERR(from_hex_der("3046" "0221" R_HI "0220" S_LO), BROP_ESIG);
	CHECK_ERR(from_hex_der("3044" "0221" R_HI "0220" S_LO), BROP_ESIG);
	/* wrong tags */
	CHECK_ERR(from_hex_der("3145" "0221" R_HI "0220" S_LO), BROP_ESIG);
	CHECK_ERR(from_hex_der("3045" "0321" R_HI "0220" S_LO), BROP_ESIG);
	CHECK_ERR(from_hex_der("3045" "0221" R_HI "0420" S_LO), BROP_ESIG);
	/* an integer longer than 32 bytes of value */
	CHECK_ERR(from_hex_der("3046" "0221" "01" "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
						   "0221" "00" "ff" "42ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
			  BROP_ESIG);
	/* an empty integer */
	CHECK_ERR(from_hex_der("3007" "0200" "020101" "0000"), BROP_ESIG);
	CHECK_ERR(from_hex_der("3005" "0200" "020101"), BROP_ESIG);
	/* one integer only; truncations; nothing */
	CHECK_ERR(from_hex_der("3023" "0221" R_HI), BROP_ESIG);
	CHECK_ERR(from_hex_der("3045" "0221" R_HI "0220"), BROP_ESIG);
	CHECK_ERR(from_hex_der("3006020101020101"), 0);
	CHECK_ERR(from_hex_der("30060201010201"), BROP_ESIG);
	CHECK_ERR(from_hex_der(""), BROP_ESIG);
	CHECK_ERR(from_hex_der("30"), BROP_ESIG);
	/* a negative zero-padded zero: 02 02 00 00 */
	CHECK_ERR(from_hex_der("3007" "02020000" "020101"), BROP_ESIG);
	/* 0x80 alone is negative */
	CHECK_ERR(from_hex_der("3006" "020180" "020101"), BROP_ESIG);
	/* over 72 bytes */
	CHECK_ERR(from_hex_der("3047" "0221" R_HI "0222" "0000" S_LO), BROP_ESIG);
	/* the generic layer reads a non-64-byte sig as DER and says ESIG */
	{
		unsigned char pk[33];
		unsigned char sk[32] = {0};
		unsigned char junk[10] = {0x30, 0x08};

		sk[31] = 1;
		CHECK_OK(brop_secp256k1_pubkey(pk, sk));
		CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, NULL, 0, junk, sizeof junk), BROP_ESIG);
		CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, NULL, 0, junk, 0), BROP_ESIG);
		CHECK_ERR(brop_verify(BROP_ALG_SECP256K1, pk, 33, NULL, 0, junk, 63), BROP_ESIG);
	}
}
