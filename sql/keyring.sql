-- The keyring: keys encrypted under the root key, used only by their owner
-- and the roles granted them, never returned to SQL.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
DROP ROLE IF EXISTS regress_brop_alice;
DROP ROLE IF EXISTS regress_brop_bob;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';

CREATE ROLE regress_brop_alice;
CREATE ROLE regress_brop_bob;
GRANT USAGE ON SCHEMA brop TO regress_brop_alice, regress_brop_bob;
GRANT EXECUTE ON FUNCTION brop.create_key(text, text) TO regress_brop_alice;

SELECT brop.did_alg(brop.create_key('ed25519', 'kr-admin'));
SELECT brop.key_did('kr-admin') = (SELECT did FROM brop.keys WHERE label = 'kr-admin') AS same_did;
SELECT brop.verify(brop.key_did('kr-admin'), 'hello', brop.sign('kr-admin', 'hello')) AS verifies;
SELECT length(brop.sign('kr-admin', 'hello')) AS sig_bytes;
-- Ed25519 signatures are deterministic
SELECT brop.sign('kr-admin', 'x') = brop.sign('kr-admin', 'x') AS deterministic;
-- a batch signature covers at most 100,000 messages, counted before any is read
SELECT cardinality(brop.sign_batch('kr-admin', array_fill('m'::bytea, ARRAY[3]))) AS forms;
SELECT brop.sign_batch('kr-admin', array_fill('m'::bytea, ARRAY[100001]));
-- the stored secret is a 72-byte box, and no view shows it
SELECT length(secret_box), length(root_key_id) FROM brop.key WHERE label = 'kr-admin';
SELECT attname FROM pg_attribute WHERE attrelid = 'brop.keys'::regclass AND attnum > 0 ORDER BY attnum;

-- a role with EXECUTE on create_key makes and owns its keys
SET ROLE regress_brop_alice;
SELECT brop.did_alg(brop.create_key('p256', 'kr-alice'));
SELECT brop.verify(brop.key_did('kr-alice'), 'm', brop.sign('kr-alice', 'm')) AS alice_signs;
SELECT label, alg, owner, grantees FROM brop.keys WHERE label LIKE 'kr-%' ORDER BY label;
SELECT * FROM brop.key;
SELECT brop.sign('kr-admin', 'm');
SELECT brop.grant_key('kr-admin', 'regress_brop_alice');
-- the message differs from PostgreSQL 16 on: expected/keyring_1.out
SHOW brop.root_key_file;
SET brop.root_key_file = '/tmp/x';
SELECT brop.grant_key('kr-alice', 'regress_brop_bob');
RESET ROLE;

-- bob uses alice's key while granted
SET ROLE regress_brop_bob;
SELECT brop.verify(brop.key_did('kr-alice'), 'm', brop.sign('kr-alice', 'm')) AS bob_signs;
SELECT brop.grant_key('kr-alice', 'regress_brop_bob');
SELECT brop.create_key('ed25519', 'kr-bob');
RESET ROLE;
SELECT label, grantees FROM brop.keys WHERE label = 'kr-alice';
SET ROLE regress_brop_alice;
SELECT brop.revoke_key('kr-alice', 'regress_brop_bob');
RESET ROLE;
SET ROLE regress_brop_bob;
SELECT brop.sign('kr-alice', 'm');
RESET ROLE;

-- a member of a granted role may use the key
GRANT regress_brop_bob TO regress_brop_alice;
SELECT brop.grant_key('kr-admin', 'regress_brop_bob');
SET ROLE regress_brop_alice;
SELECT length(brop.sign('kr-admin', 'm')) AS via_membership;
RESET ROLE;
REVOKE regress_brop_bob FROM regress_brop_alice;

-- bad requests
SELECT brop.create_key('ed25519', 'kr-admin');
SELECT brop.create_key('rsa', 'kr-rsa');
SELECT brop.create_key('x25519', 'kr-x');
SELECT brop.create_key('ed25519', '');
SELECT brop.create_key('ed25519', 'has space');
SELECT brop.create_key('ed25519', repeat('k', 129));
-- a label is quoted to 64 characters
SELECT brop.create_key('ed25519', repeat('k', 99) || ' ');
SELECT brop.key_did(repeat('k', 100));
SELECT brop.sign('kr-missing', 'm');
SELECT brop.key_did('kr-missing');
SELECT brop.sign_schnorr('kr-admin', 'm');
SELECT brop.grant_key('kr-admin', 'regress_brop_nobody');

-- the root key file: unset, missing, readable by others, malformed, another key
SET brop.root_key_file = '';
SELECT brop.sign('kr-admin', 'm');
SET brop.root_key_file = '../../keys/missing.key';
SELECT brop.sign('kr-admin', 'm');
SET brop.root_key_file = '../../keys/world-readable.key';
SELECT brop.sign('kr-admin', 'm');
SET brop.root_key_file = '../../keys/group-readable.key';
SELECT brop.create_key('ed25519', 'kr-never');
SET brop.root_key_file = '../../keys/malformed.key';
SELECT brop.sign('kr-admin', 'm');
SET brop.root_key_file = '../../keys';
SELECT brop.sign('kr-admin', 'm');
SET brop.root_key_file = '../../keys/other-root.key';
SELECT brop.sign('kr-admin', 'm');
-- nor does a new key join the keyring under another root key
SELECT brop.create_key('ed25519', 'kr-other-root');
-- roles that may not read the setting do not see the path either
SET brop.root_key_file = '../../keys/missing.key';
SET ROLE regress_brop_alice;
SELECT brop.sign('kr-alice', 'm');
RESET ROLE;
SET brop.root_key_file = '../../keys/world-readable.key';
SET ROLE regress_brop_alice;
SELECT brop.sign('kr-alice', 'm');
RESET ROLE;
SET brop.root_key_file = '../../keys/root.key';
SELECT count(*) FROM brop.keys WHERE label IN ('kr-never', 'kr-other-root');
SELECT (SELECT count(*) FROM brop.key_root) AS recorded_roots,
       (SELECT bool_and(k.root_key_id = r.root_key_id) FROM brop.key k, brop.key_root r) AS every_key_under_it;

-- tampering with stored secrets is detected: a box moved to another row
CREATE TEMP TABLE saved AS SELECT secret_box FROM brop.key WHERE label = 'kr-admin';
SELECT brop.create_key('ed25519', 'kr-victim') IS NOT NULL AS made;
UPDATE brop.key SET secret_box = (SELECT secret_box FROM saved) WHERE label = 'kr-victim';
SELECT brop.sign('kr-victim', 'm');
UPDATE brop.key SET secret_box = set_byte(secret_box, 40, get_byte(secret_box, 40) # 1) WHERE label = 'kr-admin';
SELECT brop.sign('kr-admin', 'm');

SELECT brop.revoke_key('kr-admin', 'regress_brop_bob');
DROP OWNED BY regress_brop_alice, regress_brop_bob;
DELETE FROM brop.key WHERE owner IN ('regress_brop_alice'::regrole, 'regress_brop_bob'::regrole);
DROP ROLE regress_brop_alice;
DROP ROLE regress_brop_bob;
