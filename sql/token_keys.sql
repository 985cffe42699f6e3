-- Keys in a PKCS#11 token (docs/security.md, "Keys in a PKCS#11 token"):
-- what brop.import_token_key refuses before a token is opened, and what a
-- key in a token cannot do, shown with a row recorded by hand whose module
-- is missing. TAP test/t/017_token_keys.pl signs with a SoftHSM2 token.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
DROP ROLE IF EXISTS regress_brop_tk;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
CREATE ROLE regress_brop_tk;
GRANT USAGE ON SCHEMA brop TO regress_brop_tk;
\set uri 'pkcs11:token=brop;object=k;type=private?module-path=/nonexistent/module.so&pin-source=file:/nonexistent/pin'

-- superuser only: not executable by PUBLIC, and checked again inside
SET ROLE regress_brop_tk;
SELECT brop.import_token_key('tk', :'uri');
RESET ROLE;
GRANT EXECUTE ON FUNCTION brop.import_token_key(text, text) TO regress_brop_tk;
SET ROLE regress_brop_tk;
SELECT brop.import_token_key('tk', :'uri');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION brop.import_token_key(text, text) FROM regress_brop_tk;

-- refused before a token is opened: a PIN in the URI, malformed URIs, a bad label
SELECT brop.import_token_key('tk', 'pkcs11:token=brop;object=k?module-path=/nonexistent/module.so&pin-value=1234');
SELECT brop.import_token_key('tk', 'not a uri');
SELECT brop.import_token_key('tk', 'pkcs11:token=brop;object=k%zz');
SELECT brop.import_token_key('tk', 'pkcs11:token=brop;object=k?pin-source=file:/p&pin-value=1');
SELECT brop.import_token_key('has space', :'uri');
SELECT brop.did_alg(brop.create_key('ed25519', 'tk-box'));
SELECT brop.import_token_key('tk-box', :'uri');
-- refused by the core when it opens the key: no module named, no pin-source, a module that is not there
SELECT brop.import_token_key('tk', 'pkcs11:token=brop;object=k?pin-source=file:/p');
SELECT brop.import_token_key('tk', 'pkcs11:token=brop;object=k?module-name=softhsm2');
SELECT brop.import_token_key('tk', :'uri');
SELECT count(*) FROM brop.key WHERE label = 'tk';

-- a key in a token recorded by hand: its did is a box key's, its module is missing
INSERT INTO brop.key (label, alg, did, owner, token_uri)
  VALUES ('tk-hand', 'ed25519', brop.key_did('tk-box'), current_user::regrole, :'uri');
SELECT label, alg, in_token FROM brop.keys WHERE label LIKE 'tk-%' ORDER BY label;
SELECT brop.key_did('tk-hand') = brop.key_did('tk-box') AS same_did;
-- what needs the key's secret is refused before its token is opened
SELECT brop.seal_envelope('tk-hand', brop.key_did('tk-box'), 'payload');
SELECT brop.sign_schnorr('tk-hand', 'm');
SELECT brop.sign_credential('tk-hand', brop.key_did('tk-hand'), 'vc', '{}', '{}');
-- what it can do goes to its token: here, to a module that is not there
SELECT brop.sign('tk-hand', 'm');
SELECT brop.sign_batch('tk-hand', ARRAY['m'::bytea]);
SELECT brop.checkpoint_note('tk-hand', 'example.org/tk', 1, brop.sha256(''::bytea));
-- its owner and grants are those of every key
SET ROLE regress_brop_tk;
SELECT brop.sign('tk-hand', 'm');
RESET ROLE;
SELECT brop.grant_key('tk-hand', 'regress_brop_tk');
SELECT grantees FROM brop.keys WHERE label = 'tk-hand';
SET ROLE regress_brop_tk;
SELECT brop.sign('tk-hand', 'm');
SELECT brop.seal_envelope('tk-hand', brop.key_did('tk-box'), 'payload');
RESET ROLE;
SELECT brop.revoke_key('tk-hand', 'regress_brop_tk');

-- a row holds a box or a token's URI, never both nor neither; a token key is Ed25519 or P-256
\set VERBOSITY terse
UPDATE brop.key SET token_uri = :'uri' WHERE label = 'tk-box';
UPDATE brop.key SET secret_box = NULL, root_key_id = NULL WHERE label = 'tk-box';
UPDATE brop.key SET alg = 'secp256k1' WHERE label = 'tk-hand';
UPDATE brop.key SET secret_box = '\x00' WHERE label = 'tk-hand';
\set VERBOSITY default
-- a box key still signs
SELECT brop.verify(brop.key_did('tk-box'), 'm', brop.sign('tk-box', 'm')) AS box_signs;

DELETE FROM brop.key WHERE label LIKE 'tk-%';
DROP OWNED BY regress_brop_tk;
DROP ROLE regress_brop_tk;
