-- Registered rows: the digest of a disclosed row (docs/formats.md, "Row
-- digests"), with the worked example computed independently
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

-- version 1 and version 2 of the example row, each under its salt
SELECT brop.row_digest('{"student":"2026-0042","name":"Ada Lovelace","grade":"A","year":null}',
  '\xc252cb8224b05212c063ae25e913d898ff74292a1a872d7b66a1e481bdb5b95b')
  = 'a9b8e31339ca24c788ebdd63a8463840a70c8212d67d2bdde47476ad1c611fc6' AS version_1;
SELECT brop.row_digest('{"year":"2026","grade":"A+","student":"2026-0042","name":"Ada Lovelace"}',
  '\x4eee4e31517d32b845e439b461da741bd8cf6a12dd0594fe9d3df1c19b01bc74')
  = '9b7a126830bac2f62d92312c5da1e66d04eb2b93466eb724874ed0730fd68c94' AS version_2;
-- the digest depends on every value, on null against "", and on the salt
SELECT count(DISTINCT d) AS distinct_digests FROM (VALUES
  (brop.row_digest('{"a":"1"}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":"2"}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":""}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":null}', decode(repeat('00', 32), 'hex'))),
  (brop.row_digest('{"a":"1"}', decode(repeat('01', 32), 'hex')))) v(d);

-- bad documents and salts
SELECT brop.row_digest('["2026-0042"]', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('"a"', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"year":2026}', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"a":{"b":"c"}}', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"a":true}', decode(repeat('00', 32), 'hex'));
SELECT brop.row_digest('{"a":"1"}', '\x00');
