-- present_with_keyring(credential, holder_key, reveal, nonce, audience, iat):
-- a holder's SD-JWT presentation of the claims named in reveal, with its
-- key binding JWT signed by the holder's key, made in SQL with that key in
-- the keyring, as brop wallet present makes it offline. For tests and
-- benchmarks only (a holder's key belongs in the holder's wallet): the
-- regress test verifiable_credential and bench section 12 load it.
CREATE OR REPLACE FUNCTION present_with_keyring(cred text, holder_key text, reveal text[], nonce text, aud text,
                                                iat bigint DEFAULT NULL)
  RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  parts text[] := string_to_array(cred, '~');
  kept text := parts[1] || '~';
  d text;
  si text;
BEGIN
  FOREACH d IN ARRAY parts[2:cardinality(parts) - 1] LOOP
    IF convert_from(brop.decode(d, 'base64url'), 'UTF8')::jsonb->>1 = ANY (reveal) THEN
      kept := kept || d || '~';
    END IF;
  END LOOP;
  si := brop.encode(convert_to('{"alg":"EdDSA","typ":"kb+jwt"}', 'UTF8'), 'base64url') || '.' ||
        brop.encode(convert_to(jsonb_build_object('nonce', nonce, 'aud', aud,
                                                  'iat', coalesce(iat, floor(extract(epoch FROM clock_timestamp()))::bigint),
                                                  'sd_hash', brop.encode(brop.sha256(convert_to(kept, 'UTF8'))::bytea, 'base64url'))::text,
                               'UTF8'), 'base64url');
  RETURN kept || si || '.' || brop.encode(brop.sign(holder_key, convert_to(si, 'UTF8')), 'base64url');
END $$;
