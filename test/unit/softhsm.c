/*
 * softhsm.c — the PKCS#11 tests' throw-away SoftHSM2 token (softhsm.h).
 */
#define _XOPEN_SOURCE 700
#include <dlfcn.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

#include "softhsm.h"

static const unsigned char oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const unsigned char oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char oid_p384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

typedef struct
{
	void	   *dl;
	CK_FUNCTION_LIST_PTR f;
} p11;

/*
 * LeakSanitizer's suppressions (build/asan/test_unit): SoftHSM 2.6.1 leaks
 * an ASN1_STRING of OpenSSL's in each CKM_EDDSA signature (its
 * OSSLEDPrivateKey decoding), inside the module. Only allocations with a
 * frame in the module itself are suppressed; it stays mapped (RTLD_NODELETE)
 * so the frames keep its name.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libsofthsm2.so\n";
}

static int
fail(const char *what, CK_RV rv)
{
	fprintf(stderr, "softhsm: %s failed (CKR 0x%lx)\n", what, (unsigned long) rv);
	return -1;
}

static int
p11_load(p11 *p, const char *module_path)
{
	CK_C_GetFunctionList get;
	CK_RV		rv;

	p->dl = dlopen(module_path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (p->dl == NULL)
	{
		fprintf(stderr, "softhsm: cannot load %s: %s\n", module_path, dlerror());
		return -1;
	}
	*(void **) (&get) = dlsym(p->dl, "C_GetFunctionList");
	if (get == NULL || get(&p->f) != CKR_OK)
		return fail("C_GetFunctionList", 0);
	if ((rv = p->f->C_Initialize(NULL)) != CKR_OK)
		return fail("C_Initialize", rv);
	return 0;
}

static void
p11_unload(p11 *p)
{
	if (p->f != NULL)
		(void) p->f->C_Finalize(NULL);
	if (p->dl != NULL)
		dlclose(p->dl);
	p->dl = NULL;
	p->f = NULL;
}

/* The slot of the token labelled label (padded), or of the first uninitialised token (label NULL). */
static int
find_slot(p11 *p, const char *label, CK_SLOT_ID *out)
{
	CK_SLOT_ID	slots[64];
	CK_ULONG	n = 64;
	CK_RV		rv;

	if ((rv = p->f->C_GetSlotList(CK_TRUE, slots, &n)) != CKR_OK)
		return fail("C_GetSlotList", rv);
	for (CK_ULONG i = 0; i < n; i++)
	{
		CK_TOKEN_INFO ti;
		char		padded[32];

		if (p->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		if (label == NULL)
		{
			if (!(ti.flags & CKF_TOKEN_INITIALIZED))
			{
				*out = slots[i];
				return 0;
			}
			continue;
		}
		memset(padded, ' ', sizeof padded);
		memcpy(padded, label, strlen(label));
		if ((ti.flags & CKF_TOKEN_INITIALIZED) && memcmp(ti.label, padded, sizeof padded) == 0)
		{
			*out = slots[i];
			return 0;
		}
	}
	fprintf(stderr, "softhsm: no %s token\n", label ? label : "free");
	return -1;
}

static int
keypair(p11 *p, CK_SESSION_HANDLE s, unit_key_kind kind, const char *label,
		const unsigned char *id, size_t idlen)
{
	CK_BBOOL	yes = CK_TRUE,
				no = CK_FALSE;
	CK_MECHANISM mech = {kind == UNIT_KEY_ED25519 ? CKM_EC_EDWARDS_KEY_PAIR_GEN : CKM_EC_KEY_PAIR_GEN, NULL, 0};
	const unsigned char *params = kind == UNIT_KEY_ED25519 ? oid_ed25519 : kind == UNIT_KEY_P256 ? oid_p256 : oid_p384;
	CK_ULONG	plen = kind == UNIT_KEY_ED25519 ? sizeof oid_ed25519 : kind == UNIT_KEY_P256 ? sizeof oid_p256 : sizeof oid_p384;
	CK_ATTRIBUTE pub[] = {
		{CKA_EC_PARAMS, (void *) params, plen},
		{CKA_TOKEN, &yes, sizeof yes},
		{CKA_VERIFY, &yes, sizeof yes},
		{CKA_LABEL, (void *) label, strlen(label)},
		{CKA_ID, (void *) id, idlen},
	};
	CK_ATTRIBUTE priv[] = {
		{CKA_TOKEN, &yes, sizeof yes},
		{CKA_PRIVATE, &yes, sizeof yes},
		{CKA_SENSITIVE, &yes, sizeof yes},
		{CKA_EXTRACTABLE, &no, sizeof no},
		{CKA_SIGN, &yes, sizeof yes},
		{CKA_LABEL, (void *) label, strlen(label)},
		{CKA_ID, (void *) id, idlen},
	};
	CK_OBJECT_HANDLE hpub,
				hpriv;
	CK_RV		rv;

	rv = p->f->C_GenerateKeyPair(s, &mech, pub, sizeof pub / sizeof pub[0],
								 priv, sizeof priv / sizeof priv[0], &hpub, &hpriv);
	if (rv != CKR_OK)
		return fail("C_GenerateKeyPair", rv);
	return 0;
}

int
unit_softhsm_keypair(const char *module_path, const char *token_label, const char *pin,
					 unit_key_kind kind, const char *label, const unsigned char *id, size_t idlen)
{
	p11			p = {0};
	CK_SLOT_ID	slot;
	CK_SESSION_HANDLE s;
	CK_RV		rv;
	int			rc = -1;

	if (p11_load(&p, module_path) != 0)
		goto done;
	if (find_slot(&p, token_label, &slot) != 0)
		goto done;
	if ((rv = p.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) != CKR_OK)
	{
		fail("C_OpenSession", rv);
		goto done;
	}
	rv = p.f->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR) pin, strlen(pin));
	if (rv != CKR_OK)
		fail("C_Login", rv);
	else
		rc = keypair(&p, s, kind, label, id, idlen);
	(void) p.f->C_CloseSession(s);
done:
	p11_unload(&p);
	return rc;
}

/* A new token in the module's first free slot, its user PIN set. */
static int
init_token(const char *module_path)
{
	p11			p = {0};
	CK_SLOT_ID	slot;
	CK_SESSION_HANDLE s;
	CK_UTF8CHAR label[32];
	CK_RV		rv;
	int			rc = -1;

	if (p11_load(&p, module_path) != 0 || find_slot(&p, NULL, &slot) != 0)
		goto done;
	memset(label, ' ', sizeof label);
	memcpy(label, UNIT_SOFTHSM_LABEL, strlen(UNIT_SOFTHSM_LABEL));
	if ((rv = p.f->C_InitToken(slot, (CK_UTF8CHAR_PTR) UNIT_SOFTHSM_SO_PIN, strlen(UNIT_SOFTHSM_SO_PIN), label)) != CKR_OK)
	{
		fail("C_InitToken", rv);
		goto done;
	}
	/* SoftHSM gives the initialised token a new slot */
	if (find_slot(&p, UNIT_SOFTHSM_LABEL, &slot) != 0)
		goto done;
	if ((rv = p.f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s)) != CKR_OK)
	{
		fail("C_OpenSession", rv);
		goto done;
	}
	if ((rv = p.f->C_Login(s, CKU_SO, (CK_UTF8CHAR_PTR) UNIT_SOFTHSM_SO_PIN, strlen(UNIT_SOFTHSM_SO_PIN))) != CKR_OK)
		fail("C_Login(SO)", rv);
	else if ((rv = p.f->C_InitPIN(s, (CK_UTF8CHAR_PTR) UNIT_SOFTHSM_PIN, strlen(UNIT_SOFTHSM_PIN))) != CKR_OK)
		fail("C_InitPIN", rv);
	else
		rc = 0;
	(void) p.f->C_CloseSession(s);
done:
	p11_unload(&p);
	return rc;
}

static char token_dir[256];

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	(void) flag;
	(void) ftw;
	return remove(path);
}

static void
remove_token_dir(void)
{
	if (token_dir[0] != '\0')
		(void) nftw(token_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int
write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	char		path[512];
	FILE	   *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0 || chmod(path, mode) != 0)
	{
		fprintf(stderr, "softhsm: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

const char *
unit_softhsm_dir(void)
{
	static int	state;			/* 0 not tried, 1 made, -1 failed */
	const char *tmp = getenv("TMPDIR");
	char		conf[512],
				text[512];
	static const unsigned char id_ed[] = {0x01},
				id_p256[] = {0x02},
				id_twin[] = {0x03},
				id_p384[] = {0x04};

	if (state != 0)
		return state > 0 ? token_dir : NULL;
	state = -1;
	snprintf(token_dir, sizeof token_dir, "%s/brop-softhsm-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(token_dir) == NULL)
	{
		fprintf(stderr, "softhsm: cannot make %s\n", token_dir);
		token_dir[0] = '\0';
		return NULL;
	}
	atexit(remove_token_dir);
	snprintf(text, sizeof text, "%s/tokens", token_dir);
	if (mkdir(text, 0700) != 0)
		return NULL;
	snprintf(text, sizeof text,
			 "directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n"
			 "slots.removable = false\n", token_dir);
	snprintf(conf, sizeof conf, "%s/softhsm2.conf", token_dir);
	if (write_file(token_dir, "softhsm2.conf", text, 0600) != 0 ||
		setenv("SOFTHSM2_CONF", conf, 1) != 0 ||
		write_file(token_dir, "pin", UNIT_SOFTHSM_PIN "\n", 0600) != 0 ||
		write_file(token_dir, "wrong-pin", "0000", 0600) != 0 ||
		write_file(token_dir, "open-pin", UNIT_SOFTHSM_PIN, 0644) != 0)
		return NULL;
	if (init_token(UNIT_SOFTHSM_MODULE) != 0 ||
		unit_softhsm_keypair(UNIT_SOFTHSM_MODULE, UNIT_SOFTHSM_LABEL, UNIT_SOFTHSM_PIN,
							 UNIT_KEY_ED25519, "ed-key", id_ed, sizeof id_ed) != 0 ||
		unit_softhsm_keypair(UNIT_SOFTHSM_MODULE, UNIT_SOFTHSM_LABEL, UNIT_SOFTHSM_PIN,
							 UNIT_KEY_P256, "p256-key", id_p256, sizeof id_p256) != 0 ||
		unit_softhsm_keypair(UNIT_SOFTHSM_MODULE, UNIT_SOFTHSM_LABEL, UNIT_SOFTHSM_PIN,
							 UNIT_KEY_P384, "p384-key", id_p384, sizeof id_p384) != 0 ||
		unit_softhsm_keypair(UNIT_SOFTHSM_MODULE, UNIT_SOFTHSM_LABEL, UNIT_SOFTHSM_PIN,
							 UNIT_KEY_ED25519, "twin", id_twin, sizeof id_twin) != 0 ||
		unit_softhsm_keypair(UNIT_SOFTHSM_MODULE, UNIT_SOFTHSM_LABEL, UNIT_SOFTHSM_PIN,
							 UNIT_KEY_ED25519, "twin", id_twin, sizeof id_twin) != 0)
		return NULL;
	state = 1;
	return token_dir;
}
