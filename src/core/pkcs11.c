/*
 * pkcs11.c — signing with a key kept in a PKCS#11 token (brop_pkcs11.h).
 *
 * The module is dlopen'ed (p11-kit's header for the types; nothing of
 * p11-kit is linked). A table of loaded modules, one per path, under a
 * mutex; each key holds a reference. Every path that fails closes what it
 * opened and wipes the PIN. Messages never carry key material: the core
 * returns codes only.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

#include "internal.h"

#define MAX_MODULES 8
#define MAX_SLOTS 64
#define P256_UNCOMPRESSED_BYTES 65

typedef struct module
{
	char		path[BROP_PKCS11_PATH_MAX + 1];
	void	   *dl;
	CK_FUNCTION_LIST_PTR f;
	int			finalize;		/* we initialised it: C_Finalize at unload */
	int			keys;			/* open keys */
} module;

struct brop_pkcs11_key
{
	module	   *mod;
	CK_SESSION_HANDLE session;
	CK_OBJECT_HANDLE priv;
	brop_alg	alg;
	unsigned char pk[BROP_PUBLICKEY_MAX_BYTES];
	size_t		pklen;
};

static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;
static module modules[MAX_MODULES];

/* DER: OID 1.3.101.112 (Ed25519), PrintableString "edwards25519", OID prime256v1 */
static const unsigned char oid_ed25519[] = {0x06, 0x03, 0x2b, 0x65, 0x70};
static const unsigned char str_ed25519[] = {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
static const unsigned char oid_p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

/* A CK_RV that is neither success nor one we map elsewhere. */
static int
token_error(CK_RV rv)
{
	switch (rv)
	{
		case CKR_HOST_MEMORY:
			return BROP_ENOMEM;
		case CKR_PIN_INCORRECT:
		case CKR_PIN_INVALID:
		case CKR_PIN_LEN_RANGE:
		case CKR_PIN_LOCKED:
		case CKR_PIN_EXPIRED:
		case CKR_USER_NOT_LOGGED_IN:
			return BROP_EPIN;
		default:
			return BROP_ETOKEN;
	}
}

/* ---- modules --------------------------------------------------------------- */

/*
 * The file's canonical path, so one module reached by two paths (a symbolic
 * link) is loaded and initialised once.
 */
static int
canonical(char *out, size_t cap, const char *path)
{
	char	   *real = realpath(path, NULL);
	int			rc = BROP_OK;

	if (real == NULL)
		return BROP_EMODULE;
	if (strlen(real) >= cap)
		rc = BROP_EMODULE;
	else
		memmove(out, real, strlen(real) + 1);
	free(real);
	return rc;
}

/* The module file for uri: its module-path, else module-name looked up. */
static int
module_file(char *out, size_t cap, const brop_pkcs11_uri *uri)
{
	static const char *const dirs[] = {BROP_PKCS11_MODULE_DIR, BROP_PKCS11_SOFTHSM_DIR};
	static const char *const forms[] = {"%s/%s.so", "%s/lib%s.so"};
	const char *name = uri->module_name;

	if (uri->present & BROP_PKCS11_HAS_MODULE_PATH)
		return canonical(out, cap, uri->module_path);
	if (!(uri->present & BROP_PKCS11_HAS_MODULE_NAME))
		return BROP_EURI;
	/* a file name, not a path */
	if (name[0] == '\0' || name[0] == '.')
		return BROP_EURI;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  *p == '.' || *p == '-' || *p == '_'))
			return BROP_EURI;
	for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++)
		for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++)
		{
			int			n = snprintf(out, cap, forms[f], dirs[d], name);

			if (n > 0 && (size_t) n < cap && access(out, F_OK) == 0)
				return canonical(out, cap, out);
		}
	return BROP_EMODULE;
}

/* The loaded module of path, loaded and initialised if need be; modules_lock held. */
static int
module_get(module **out, const char *path)
{
	CK_C_GetFunctionList get;
	CK_C_INITIALIZE_ARGS args;
	module	   *free_slot = NULL;
	module		m;
	CK_RV		rv;

	for (int i = 0; i < MAX_MODULES; i++)
	{
		if (modules[i].dl != NULL && strcmp(modules[i].path, path) == 0)
		{
			*out = &modules[i];
			return BROP_OK;
		}
		if (modules[i].dl == NULL && free_slot == NULL)
			free_slot = &modules[i];
	}
	if (free_slot == NULL)
		return BROP_EMODULE;
	memset(&m, 0, sizeof m);
	strcpy(m.path, path);
	/*
	 * RTLD_NODELETE: unloading finalises the module but leaves its code
	 * mapped. Modules register exit handlers and thread-local destructors
	 * (SoftHSM through OpenSSL), which must still find their code at exit.
	 */
	m.dl = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (m.dl == NULL)
		return BROP_EMODULE;
	*(void **) (&get) = dlsym(m.dl, "C_GetFunctionList");
	if (get == NULL || get(&m.f) != CKR_OK || m.f == NULL || m.f->C_Initialize == NULL)
	{
		dlclose(m.dl);
		return BROP_EMODULE;
	}
	memset(&args, 0, sizeof args);
	args.flags = CKF_OS_LOCKING_OK;
	rv = m.f->C_Initialize(&args);
	if (rv == CKR_OK)
		m.finalize = 1;
	else if (rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
	{
		dlclose(m.dl);
		return token_error(rv) == BROP_ENOMEM ? BROP_ENOMEM : BROP_ETOKEN;
	}
	*free_slot = m;
	*out = free_slot;
	return BROP_OK;
}

int
brop_pkcs11_unload(void)
{
	int			rc = BROP_OK;

	pthread_mutex_lock(&modules_lock);
	for (int i = 0; i < MAX_MODULES; i++)
	{
		module	   *m = &modules[i];

		if (m->dl == NULL)
			continue;
		if (m->keys > 0)
		{
			rc = BROP_EINVAL;
			continue;
		}
		if (m->finalize)
			(void) m->f->C_Finalize(NULL);
		dlclose(m->dl);
		memset(m, 0, sizeof *m);
	}
	pthread_mutex_unlock(&modules_lock);
	return rc;
}

/* ---- matching -------------------------------------------------------------- */

/* want (a URI's value) equals the blank-padded field of n bytes. */
static int
field_is(const unsigned char *field, size_t n, const char *want)
{
	size_t		len = n,
				wlen = strlen(want);

	while (len > 0 && (field[len - 1] == ' ' || field[len - 1] == '\0'))
		len--;
	return len == wlen && memcmp(field, want, len) == 0;
}

#define FIELD_IS(field, want) field_is((field), sizeof(field), (want))

static int
library_matches(const CK_INFO *info, const brop_pkcs11_uri *u)
{
	if ((u->present & BROP_PKCS11_HAS_LIBRARY_MANUFACTURER) &&
		!FIELD_IS(info->manufacturerID, u->library_manufacturer))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_LIBRARY_DESCRIPTION) &&
		!FIELD_IS(info->libraryDescription, u->library_description))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_LIBRARY_VERSION) &&
		(info->libraryVersion.major != u->library_version_major ||
		 info->libraryVersion.minor != u->library_version_minor))
		return 0;
	return 1;
}

static int
slot_matches(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, const brop_pkcs11_uri *u, int *rc)
{
	CK_SLOT_INFO si;
	CK_TOKEN_INFO ti;
	CK_RV		rv;

	*rc = BROP_OK;
	if ((u->present & BROP_PKCS11_HAS_SLOT_ID) && slot != u->slot_id)
		return 0;
	if ((rv = f->C_GetSlotInfo(slot, &si)) != CKR_OK)
	{
		*rc = token_error(rv);
		return 0;
	}
	if ((u->present & BROP_PKCS11_HAS_SLOT_DESCRIPTION) &&
		!FIELD_IS(si.slotDescription, u->slot_description))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_SLOT_MANUFACTURER) &&
		!FIELD_IS(si.manufacturerID, u->slot_manufacturer))
		return 0;
	if (!(si.flags & CKF_TOKEN_PRESENT))
		return 0;
	rv = f->C_GetTokenInfo(slot, &ti);
	if (rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_TOKEN_NOT_RECOGNIZED)
		return 0;
	if (rv != CKR_OK)
	{
		*rc = token_error(rv);
		return 0;
	}
	/* a token not initialised yet has no keys */
	if (!(ti.flags & CKF_TOKEN_INITIALIZED))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_TOKEN) && !FIELD_IS(ti.label, u->token))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_MANUFACTURER) && !FIELD_IS(ti.manufacturerID, u->manufacturer))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_MODEL) && !FIELD_IS(ti.model, u->model))
		return 0;
	if ((u->present & BROP_PKCS11_HAS_SERIAL) && !FIELD_IS(ti.serialNumber, u->serial))
		return 0;
	return 1;
}

/* The one slot whose token matches u. */
static int
find_slot(CK_FUNCTION_LIST_PTR f, const brop_pkcs11_uri *u, CK_SLOT_ID *out)
{
	CK_SLOT_ID	slots[MAX_SLOTS];
	CK_ULONG	n = MAX_SLOTS;
	CK_INFO		info;
	CK_RV		rv;
	int			found = 0,
				rc;

	if ((rv = f->C_GetInfo(&info)) != CKR_OK)
		return token_error(rv);
	if (!library_matches(&info, u) || u->vendor_path_attributes > 0)
		return BROP_ENOTFOUND;
	rv = f->C_GetSlotList(CK_TRUE, slots, &n);
	if (rv == CKR_BUFFER_TOO_SMALL)
		return BROP_ETOKEN;		/* more than MAX_SLOTS tokens */
	if (rv != CKR_OK)
		return token_error(rv);
	for (CK_ULONG i = 0; i < n; i++)
	{
		if (!slot_matches(f, slots[i], u, &rc))
		{
			if (rc != BROP_OK)
				return rc;
			continue;
		}
		if (found++)
			return BROP_EAMBIGUOUS;
		*out = slots[i];
	}
	return found ? BROP_OK : BROP_ENOTFOUND;
}

/* ---- the PIN --------------------------------------------------------------- */

/*
 * Read the PIN of pin-source into pin (BROP_PKCS11_PIN_MAX + 1 bytes, the
 * caller wipes it); one trailing newline stripped.
 */
static int
read_pin(char *pin, size_t *pinlen, const char *source)
{
	unsigned char buf[BROP_PKCS11_PIN_MAX + 2];
	const char *path = strncmp(source, "file:", 5) == 0 ? source + 5 : source;
	struct stat st;
	ssize_t		n;
	size_t		len = 0;
	int			fd,
				rc = BROP_OK;

	if (path[0] == '\0')
		return BROP_EPINFILE;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return BROP_EPINFILE;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)))
		rc = BROP_EPINFILE;
	while (rc == BROP_OK && len < sizeof buf)
	{
		n = read(fd, buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = BROP_EPINFILE;
		if (n <= 0)
			break;
		len += (size_t) n;
	}
	close(fd);
	if (rc == BROP_OK && len > 0 && buf[len - 1] == '\n')
		len--;
	if (rc == BROP_OK && (len == 0 || len > BROP_PKCS11_PIN_MAX))
		rc = BROP_EPINFILE;
	if (rc == BROP_OK)
	{
		memcpy(pin, buf, len);
		pin[len] = '\0';
		*pinlen = len;
	}
	sodium_memzero(buf, sizeof buf);
	return rc;
}

/* ---- the key --------------------------------------------------------------- */

/*
 * One attribute of obj into buf (cap bytes). Returns 0, BROP_ENOTFOUND when
 * the object has no such attribute, BROP_ETOKEN, BROP_ELENGTH when too long.
 */
static int
get_attr(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type,
		 void *buf, size_t cap, size_t *len)
{
	CK_ATTRIBUTE a = {type, NULL, 0};
	CK_RV		rv;

	rv = f->C_GetAttributeValue(s, obj, &a, 1);
	if (rv == CKR_ATTRIBUTE_TYPE_INVALID || (rv == CKR_OK && a.ulValueLen == CK_UNAVAILABLE_INFORMATION))
		return BROP_ENOTFOUND;
	if (rv != CKR_OK)
		return token_error(rv);
	if (a.ulValueLen > cap)
		return BROP_ELENGTH;
	a.pValue = buf;
	if ((rv = f->C_GetAttributeValue(s, obj, &a, 1)) != CKR_OK)
		return token_error(rv);
	*len = a.ulValueLen;
	return BROP_OK;
}

/* The one object of template t[0..n); BROP_ENOTFOUND, BROP_EAMBIGUOUS. */
static int
find_one(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *out)
{
	CK_OBJECT_HANDLE found[2];
	CK_ULONG	count = 0;
	CK_RV		rv;

	if ((rv = f->C_FindObjectsInit(s, t, n)) != CKR_OK)
		return token_error(rv);
	rv = f->C_FindObjects(s, found, 2, &count);
	(void) f->C_FindObjectsFinal(s);
	if (rv != CKR_OK)
		return token_error(rv);
	if (count == 0)
		return BROP_ENOTFOUND;
	if (count > 1)
		return BROP_EAMBIGUOUS;
	*out = found[0];
	return BROP_OK;
}

int
brop__pkcs11_key_alg(brop_alg *alg, unsigned long key_type, const unsigned char *p, size_t n)
{
	if (key_type == CKK_EC_EDWARDS &&
		((n == sizeof oid_ed25519 && memcmp(p, oid_ed25519, n) == 0) ||
		 (n == sizeof str_ed25519 && memcmp(p, str_ed25519, n) == 0)))
		*alg = BROP_ALG_ED25519;
	else if (key_type == CKK_EC && n == sizeof oid_p256 && memcmp(p, oid_p256, n) == 0)
		*alg = BROP_ALG_P256;
	else
		return BROP_EALG;
	return BROP_OK;
}

int
brop__pkcs11_public_from_point(unsigned char pk[BROP_PUBLICKEY_MAX_BYTES], size_t *pklen, brop_alg alg,
							   const unsigned char *p, size_t n)
{
	if (alg == BROP_ALG_ED25519)
	{
		if (n == 2 + BROP_ED25519_PUBLICKEYBYTES && p[0] == 0x04 && p[1] == BROP_ED25519_PUBLICKEYBYTES)
			p += 2;
		else if (n != BROP_ED25519_PUBLICKEYBYTES)
			return BROP_EKEY;
		if (brop_ed25519_pk_validate(p) != 0)
			return BROP_EKEY;
		memcpy(pk, p, BROP_ED25519_PUBLICKEYBYTES);
		*pklen = BROP_ED25519_PUBLICKEYBYTES;
		return BROP_OK;
	}
	if (alg != BROP_ALG_P256)
		return BROP_EALG;
	if (n == 2 + P256_UNCOMPRESSED_BYTES && p[0] == 0x04 && p[1] == P256_UNCOMPRESSED_BYTES)
		p += 2;
	else if (n != P256_UNCOMPRESSED_BYTES)
		return BROP_EKEY;
	if (brop_p256_pubkey_compress(pk, p, P256_UNCOMPRESSED_BYTES) != 0)
		return BROP_EKEY;
	*pklen = BROP_P256_PUBLICKEYBYTES;
	return BROP_OK;
}

static int
public_from_point(brop_pkcs11_key *k, const unsigned char *p, size_t n)
{
	return brop__pkcs11_public_from_point(k->pk, &k->pklen, k->alg, p, n);
}

/* The key's public key: from the private key object, else from its public key object. */
static int
load_public(brop_pkcs11_key *k, CK_KEY_TYPE kt)
{
	CK_FUNCTION_LIST_PTR f = k->mod->f;
	CK_OBJECT_CLASS pub_class = CKO_PUBLIC_KEY;
	unsigned char point[2 + P256_UNCOMPRESSED_BYTES + 8];
	unsigned char name[BROP_PKCS11_OBJECT_MAX > BROP_PKCS11_ID_MAX ? BROP_PKCS11_OBJECT_MAX : BROP_PKCS11_ID_MAX];
	CK_ATTRIBUTE t[3] = {{CKA_CLASS, &pub_class, sizeof pub_class}, {CKA_KEY_TYPE, &kt, sizeof kt}, {0, name, 0}};
	CK_OBJECT_HANDLE pub;
	size_t		n = 0;
	int			rc;

	rc = get_attr(f, k->session, k->priv, CKA_EC_POINT, point, sizeof point, &n);
	if (rc == BROP_OK)
		return public_from_point(k, point, n);
	if (rc != BROP_ENOTFOUND && rc != BROP_ETOKEN)
		return rc == BROP_ELENGTH ? BROP_EKEY : rc;
	/* the public key object of the same CKA_ID, or CKA_LABEL when there is no id */
	t[2].type = CKA_ID;
	rc = get_attr(f, k->session, k->priv, CKA_ID, name, sizeof name, &n);
	if (rc == BROP_ENOTFOUND || (rc == BROP_OK && n == 0))
	{
		t[2].type = CKA_LABEL;
		rc = get_attr(f, k->session, k->priv, CKA_LABEL, name, sizeof name, &n);
	}
	if (rc != BROP_OK)
		return rc == BROP_ELENGTH ? BROP_ENOTFOUND : rc;
	t[2].ulValueLen = n;
	if ((rc = find_one(f, k->session, t, 3, &pub)) != 0)
		return rc;
	rc = get_attr(f, k->session, pub, CKA_EC_POINT, point, sizeof point, &n);
	if (rc != BROP_OK)
		return rc == BROP_ELENGTH || rc == BROP_ENOTFOUND ? BROP_EKEY : rc;
	return public_from_point(k, point, n);
}

/* The private key u names, its algorithm and public key, in k's session. */
static int
find_key(brop_pkcs11_key *k, const brop_pkcs11_uri *u)
{
	CK_FUNCTION_LIST_PTR f = k->mod->f;
	CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
	CK_ATTRIBUTE t[3];
	CK_ULONG	n = 0;
	CK_KEY_TYPE kt;
	unsigned char params[32];
	size_t		len;
	int			rc;

	t[n++] = (CK_ATTRIBUTE) {CKA_CLASS, &cls, sizeof cls};
	if (u->present & BROP_PKCS11_HAS_OBJECT)
		t[n++] = (CK_ATTRIBUTE) {CKA_LABEL, (void *) u->object, strlen(u->object)};
	if (u->present & BROP_PKCS11_HAS_ID)
		t[n++] = (CK_ATTRIBUTE) {CKA_ID, (void *) u->id, u->id_len};
	if ((rc = find_one(f, k->session, t, n, &k->priv)) != 0)
		return rc;
	if ((rc = get_attr(f, k->session, k->priv, CKA_KEY_TYPE, &kt, sizeof kt, &len)) != 0 ||
		len != sizeof kt)
		return rc == BROP_OK || rc == BROP_ENOTFOUND ? BROP_ETOKEN : rc;
	rc = get_attr(f, k->session, k->priv, CKA_EC_PARAMS, params, sizeof params, &len);
	if (rc == BROP_ENOTFOUND || rc == BROP_ELENGTH)
		return BROP_EALG;
	if (rc != 0)
		return rc;
	if ((rc = brop__pkcs11_key_alg(&k->alg, kt, params, len)) != 0)
		return rc;
	return load_public(k, kt);
}

int
brop_pkcs11_open(brop_pkcs11_key **key, const brop_pkcs11_uri *uri)
{
	char		path[BROP_PKCS11_PATH_MAX + 1];
	char		pin[BROP_PKCS11_PIN_MAX + 1];
	size_t		pinlen = 0;
	brop_pkcs11_key *k;
	CK_SLOT_ID	slot = 0;
	CK_RV		rv;
	int			rc;

	if (key == NULL)
		return BROP_EINVAL;
	*key = NULL;
	if (uri == NULL)
		return BROP_EINVAL;
	if ((uri->present & BROP_PKCS11_HAS_PIN_VALUE) || !(uri->present & BROP_PKCS11_HAS_PIN_SOURCE) ||
		((uri->present & BROP_PKCS11_HAS_TYPE) && uri->type != BROP_PKCS11_TYPE_PRIVATE))
		return BROP_EURI;
	if ((rc = module_file(path, sizeof path, uri)) != 0)
		return rc;
	k = calloc(1, sizeof *k);
	if (k == NULL)
		return BROP_ENOMEM;
	k->session = CK_INVALID_HANDLE;

	pthread_mutex_lock(&modules_lock);
	rc = module_get(&k->mod, path);
	if (rc == 0)
		k->mod->keys++;
	pthread_mutex_unlock(&modules_lock);
	if (rc != 0)
	{
		free(k);
		return rc;
	}
	rc = find_slot(k->mod->f, uri, &slot);
	if (rc == 0 && (rv = k->mod->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &k->session)) != CKR_OK)
	{
		k->session = CK_INVALID_HANDLE;
		rc = token_error(rv);
	}
	if (rc == 0)
		rc = read_pin(pin, &pinlen, uri->pin_source);
	if (rc == 0)
	{
		rv = k->mod->f->C_Login(k->session, CKU_USER, (CK_UTF8CHAR_PTR) pin, pinlen);
		/* another key of this token in this process has logged in already */
		if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
			rc = token_error(rv);
	}
	sodium_memzero(pin, sizeof pin);
	if (rc == 0)
		rc = find_key(k, uri);
	if (rc != 0)
	{
		brop_pkcs11_close(k);
		return rc;
	}
	*key = k;
	return BROP_OK;
}

void
brop_pkcs11_close(brop_pkcs11_key *key)
{
	if (key == NULL)
		return;
	/* closing the token's last session of the process also logs it out */
	if (key->session != CK_INVALID_HANDLE)
		(void) key->mod->f->C_CloseSession(key->session);
	pthread_mutex_lock(&modules_lock);
	key->mod->keys--;
	pthread_mutex_unlock(&modules_lock);
	sodium_memzero(key, sizeof *key);
	free(key);
}

int
brop_pkcs11_public_key(const brop_pkcs11_key *key, brop_alg *alg,
					   unsigned char *pk, size_t pkcap, size_t *pklen)
{
	if (key == NULL || alg == NULL || pk == NULL || pklen == NULL)
		return BROP_EINVAL;
	if (pkcap < key->pklen)
		return BROP_EBUFFER;
	memcpy(pk, key->pk, key->pklen);
	*pklen = key->pklen;
	*alg = key->alg;
	return BROP_OK;
}

/* s := n - s when s > n/2 (P-256's order n), big-endian 32 bytes. */
static void
p256_low_s(unsigned char s[32])
{
	static const unsigned char n[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
	static const unsigned char half[32] = {
		0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8};
	int			borrow = 0;

	if (memcmp(s, half, 32) <= 0)
		return;
	for (int i = 31; i >= 0; i--)
	{
		int			d = n[i] - s[i] - borrow;

		borrow = d < 0;
		s[i] = (unsigned char) (d + (borrow ? 256 : 0));
	}
}

int
brop_pkcs11_sign(brop_pkcs11_key *key, unsigned char sig[BROP_SIGNATURE_BYTES],
				 const unsigned char *m, size_t mlen)
{
	CK_MECHANISM mech = {CKM_EDDSA, NULL, 0};
	unsigned char digest[BROP_SHA256_BYTES];
	const unsigned char *in = m;
	CK_ULONG	inlen = mlen,
				siglen = BROP_SIGNATURE_BYTES;
	CK_FUNCTION_LIST_PTR f;
	CK_RV		rv;
	int			rc;

	if (sig == NULL)
		return BROP_EINVAL;
	memset(sig, 0, BROP_SIGNATURE_BYTES);
	if (key == NULL || (m == NULL && mlen > 0))
		return BROP_EINVAL;
	f = key->mod->f;
	if (key->alg == BROP_ALG_P256)
	{
		mech.mechanism = CKM_ECDSA;
		if ((rc = brop_sha256(digest, m, mlen)) != 0)
			return rc;
		in = digest;
		inlen = sizeof digest;
	}
	if ((rv = f->C_SignInit(key->session, &mech, key->priv)) != CKR_OK)
		return token_error(rv);
	/* a NULL message would be read as a length query by some modules */
	rv = f->C_Sign(key->session, (CK_BYTE_PTR) (in ? in : digest), inlen, sig, &siglen);
	if (rv != CKR_OK)
		return token_error(rv);
	if (siglen != BROP_SIGNATURE_BYTES)
		rc = BROP_ETOKEN;
	else
	{
		if (key->alg == BROP_ALG_P256)
			p256_low_s(sig + 32);
		rc = brop_verify(key->alg, key->pk, key->pklen, m ? m : digest, mlen, sig, BROP_SIGNATURE_BYTES) == 0
			? BROP_OK : BROP_EVERIFY;
	}
	if (rc != 0)
		memset(sig, 0, BROP_SIGNATURE_BYTES);
	return rc;
}
