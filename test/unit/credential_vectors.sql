\pset tuples_only on
\set d1 '''did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw'''
\set x1 '''did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5BbiN1rjdUsQ9b'''
SELECT 'CRED', n, encode(convert_to(brop.jcs(brop.credential_header(ROW(serial, serial, version, supersedes, :d1::brop.did, :x1::brop.did, category, form, profile::smallint,
   repeat('00',32)::brop.digest, issued_at::timestamptz, valid_until::timestamptz, NULL, 'active', false, false, NULL, NULL)::brop.credential)), 'UTF8'), 'hex')
FROM (VALUES
 (1, 'urn:uuid:6f1c2a9e-0b7d-4c1e-9a51-0d3c5e7f8a90', 1, NULL, 'higher_education', 'sd-jwt', 2, '2026-11-21 10:00:03.123456+00', NULL),
 (2, 'urn:uuid:00000000-0000-4000-8000-000000000002', 2, 'urn:uuid:6f1c2a9e-0b7d-4c1e-9a51-0d3c5e7f8a90', 'cat "é" \ 😀', 'vc', 3, '1969-12-31 23:59:59.000001+00', '2027-11-21 00:00:00.999999+00'),
 (3, 's', 2147483647, 's0', 'c', 'vc', 1, '0001-01-01 00:00:00+00', '9999-12-31 23:59:59.5+00')
) v(n, serial, version, supersedes, category, form, profile, issued_at, valid_until);
SELECT 'DIVERGE', x, brop.credential_header(ROW('s', 's', 1, NULL, :d1::brop.did, :x1::brop.did, 'c', 'vc', 1::smallint,
   repeat('00',32)::brop.digest, '2026-01-01 00:00:00+00', x::timestamptz, NULL, 'active', false, false, NULL, NULL)::brop.credential)->>'valid_until'
FROM (VALUES ('infinity'), ('12345-06-07 08:09:10+00'), ('0044-03-15 12:00:00+00 BC')) v(x);
