-- brop.jcs: RFC 8785 canonical JSON from jsonb and from text.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;

-- RFC 8785 section 3.2.2 (the input of its example, canonicalized as in 3.2.4)
SELECT brop.jcs($${
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}$$);
-- the same document as jsonb
SELECT brop.jcs($${
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}$$::jsonb);

-- RFC 8785 section 3.2.3: sorting by UTF-16 code units
SELECT brop.jcs($${
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}$$);

-- numbers (RFC 8785 Appendix B rows, written as JSON text)
SELECT v, brop.jcs(v) FROM unnest(ARRAY[
  '0', '-0', '5e-324', '-5e-324', '1.7976931348623157e308', '-1.7976931348623157e308',
  '9007199254740992', '-9007199254740992', '295147905179352830000', '9.999999999999997e22',
  '1e23', '1.0000000000000001e23', '999999999999999700000', '999999999999999900000',
  '1e21', '9.999999999999997e-7', '0.000001', '333333333.3333332', '333333333.33333325',
  '333333333.3333333', '333333333.3333334', '333333333.33333343', '-0.0000033333333333333333',
  '1424953923781206.2', '1.5', '100']) v;

-- nested structures, white space, escapes
SELECT brop.jcs('  [ {"b": [ ], "a": { } }, "\u00e9\u2028\u007f", -1.0e-7, 1E+2 ]  ');
SELECT brop.jcs('{"a":{"z":1,"y":{"c":[true,null],"b":"x"}},"A":0}'::jsonb);
SELECT brop.jcs('"just a string"'), brop.jcs('null'), brop.jcs('12.50'::jsonb);
-- canonical output is a fixed point
SELECT brop.jcs(brop.jcs(v)) = brop.jcs(v) AS fixed_point
FROM unnest(ARRAY['{"b":[1,2.5e30],"a":"\u00e9"}', '[[],{},""]']) v;

-- the jsonb walker and the text parser agree on many generated documents
SELECT count(*) AS docs, count(*) FILTER (WHERE brop.jcs(d) <> brop.jcs(d::text)) AS disagreements
FROM (SELECT jsonb_build_object(
         'n' || i, i / 7.0, 'e', (2::numeric ^ (i % 80)) * 1e-9, 'neg', -i * 1e17,
         chr(8364) || i, jsonb_build_array(i % 3 = 0, NULL, 'tab' || chr(9) || 'quote"' || chr(1)),
         chr(128512), jsonb_build_object('z', i, chr(1488), 'x', 'a' || chr(233), 1e-7 * i),
         'big', 123456789012345678901234567890 * i) AS d
      FROM generate_series(1, 2000) i) s;
SELECT brop.jcs('{"\u00e9":1, "e\u0301":2, "z":[{"b":1,"a":2}]}'::jsonb);

-- bad input
SELECT brop.jcs('{"a":1,}');
SELECT brop.jcs('{"a":1} x');
SELECT brop.jcs('{"a":1,"a":2}');
SELECT brop.jcs('"\ud800"');
SELECT brop.jcs('"\udc00x"');
SELECT brop.jcs('[1e400]');
SELECT brop.jcs('[-1e400]');
SELECT brop.jcs('NaN');
SELECT brop.jcs('{"a": Infinity}');
SELECT brop.jcs('');
SELECT brop.jcs('{"n": 1e400}'::jsonb);

-- strings of several megabytes (the jsonb walker escapes them a megabyte at
-- a time): escapes and multibyte characters across the chunk boundaries
SELECT length(j) AS chars, j = brop.jcs(s) AS same_as_text, md5(j) = md5(brop.jcs(j)) AS fixed_point,
       left(j, 12) AS head, right(j, 12) AS tail
FROM (SELECT s, brop.jcs(s::jsonb) AS j
      FROM (SELECT to_jsonb(repeat('ab"' || chr(233) || chr(1) || chr(128512) || 'x\', 300000))::text AS s) q) r;

-- huge texts are cancellable: the parse and the writing ask for interrupts
-- (200 MB of JSON takes about 15 s to canonicalize; before, no timeout cut it)
SET statement_timeout = '200ms';
SELECT brop.jcs('[' || repeat('1,', 100000000) || '1]');
SELECT brop.jcs(to_jsonb(repeat('x', 200000000)));
RESET statement_timeout;
