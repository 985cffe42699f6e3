-- bench_present(credential, holder_key, claim, nonce, audience): a holder's
-- SD-JWT presentation of one claim with its key binding JWT, made in SQL
-- with the holder's key in the bench's keyring (as brop wallet present
-- makes it offline); for the credential benchmark's 10k presentations.
CREATE OR REPLACE FUNCTION bench_present(cred text, holder_key text, claim text, nonce text, aud text)
  RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  parts text[] := string_to_array(cred, '~');
  kept text := parts[1] || '~';
  d text;
  si text;
BEGIN
  FOREACH d IN ARRAY parts[2:cardinality(parts) - 1] LOOP
    IF convert_from(brop.decode(d, 'base64url'), 'UTF8')::jsonb->>1 = claim THEN
      kept := kept || d || '~';
    END IF;
  END LOOP;
  si := brop.encode(convert_to('{"alg":"EdDSA","typ":"kb+jwt"}', 'UTF8'), 'base64url') || '.' ||
        brop.encode(convert_to(jsonb_build_object('nonce', nonce, 'aud', aud,
                                                  'iat', floor(extract(epoch FROM clock_timestamp()))::bigint,
                                                  'sd_hash', brop.encode(brop.sha256(convert_to(kept, 'UTF8'))::bytea, 'base64url'))::text,
                               'UTF8'), 'base64url');
  RETURN kept || si || '.' || brop.encode(brop.sign(holder_key, convert_to(si, 'UTF8')), 'base64url');
END $$;
