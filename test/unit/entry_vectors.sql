\set did1 '''did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw'''
\set x1 '''did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b'''
-- A: the docs' worked example
SELECT 'A_si', encode(brop.entry_signing_input('diploma', :did1::brop.did, '98cabeecf8a3fe09c7f9c2e8e9422534c68ae470b54e54631c22783521f4c086'::brop.digest, 'diploma-2026-0042', '{"serial": "2026-0042", "schema": "diploma/1"}'::jsonb), 'hex');
-- B: every member set, escapes, unicode, numbers
SELECT 'B_si', encode(brop.entry_signing_input('x.y_z-9', :did1::brop.did, repeat('ab',32)::brop.digest, E'!~"\\n', 
  '{"é":"a\"b\\c\u0001\u001f\u007f","n":1.50,"big":12345678901234567890,"neg":-0.0000001,"arr":[null,true,false,1e30,"\u2028"],"€":"𝄞","a":{"z":1,"b":2,"":[]},"B":0}'::jsonb,
  :x1::brop.did, repeat('22',32)::brop.digest, E'ch\u00e9"\\\u0001\t/€𝄞\u007f', repeat('11',32)::brop.digest, 9007199254740991), 'hex');
\set did1 '''did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw'''
\set x1 '''did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b'''
WITH e(r) AS (SELECT ROW(1, 'diploma', :did1::brop.did, NULL, NULL, NULL, '{"serial": "2026-0042", "schema": "diploma/1"}'::jsonb,
   '98cabeecf8a3fe09c7f9c2e8e9422534c68ae470b54e54631c22783521f4c086'::brop.digest, NULL, 'diploma-2026-0042', NULL,
   decode('44ea6428f27fa8cff43ffd9e8f5670f6ad51cc148f62ad89bc5b3d69f79fec9e525e59e772c7b3c9d0841f3872f77ffb7593999a2355ef85309edd3f73b85d0b','hex'),
   '2026-11-21 07:28:33.568959+00'::timestamptz, repeat('00',32)::brop.digest)::brop.entry)
SELECT 'A_leaf', brop.entry_leaf(r), brop.entry_digest(r)::text FROM e;
WITH t(name, at, sig) AS (VALUES ('B1', '0001-01-01 00:00:00.000001+00'::timestamptz, '\x01'::bytea),
   ('B2', '9999-12-31 23:59:59.999999+00', '\x3045022100ff'::bytea), ('B3', '1969-12-31 23:59:59.5+00', decode(repeat('fe', 70), 'hex')),
   ('B4', '2000-02-29 12:34:56+05:30', '\xfbff'::bytea)),
 e(name, r) AS (SELECT name, ROW(1, 'x.y_z-9', :did1::brop.did, :x1::brop.did, E'ch\u00e9"\\\u0001\t/€𝄞\u007f', repeat('11',32)::brop.digest,
  '{"é":"a\"b\\c\u0001\u001f\u007f","n":1.50,"big":12345678901234567890,"neg":-0.0000001,"arr":[null,true,false,1e30,"\u2028"],"€":"𝄞","a":{"z":1,"b":2,"":[]},"B":0}'::jsonb,
   repeat('ab',32)::brop.digest, repeat('22',32)::brop.digest, E'!~"\\n', 9007199254740991, sig, at, repeat('00',32)::brop.digest)::brop.entry FROM t)
SELECT name, encode(convert_to(brop.entry_leaf(r), 'UTF8'), 'hex'), brop.entry_digest(r)::text FROM e ORDER BY name;
