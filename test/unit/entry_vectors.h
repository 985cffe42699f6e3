/*
 * entry_vectors.h — the ledger entry's forms as the 1.0 extension makes them
 * (brop.entry_signing_input, brop.entry_leaf, brop.entry_digest), captured
 * from a running server by test/unit/entry_vectors.sql.
 */
static const char entry_b_signing_input[] =
	"brop-entry-v1\000{\"body_digest\":\"2222222222222222222222222222222222222222222222222222222222222222"
	"\",\"chain_key\":\"ch\303\251\\\"\\\\\\u0001\\t/\342\202\254\360\235\204\236\177\",\"expires_block\""
	":9007199254740991,\"header\":{\"B\":0,\"a\":{\"\":[],\"b\":2,\"z\":1},\"arr\":[null,true,false,1e+30"
	",\"\342\200\250\"],\"big\":12345678901234567000,\"n\":1.5,\"neg\":-1e-7,\"\303\251\":\"a\\\"b\\\\c\\"
	"u0001\\u001f\177\",\"\342\202\254\":\"\360\235\204\236\"},\"kind\":\"x.y_z-9\",\"nonce\":\"!~\\\"\\\\"
	"n\",\"org\":\"did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"ababab"
	"ababababababababababababababababababababababababababababab\",\"prev_digest\":\"111111111111111111111"
	"1111111111111111111111111111111111111111111\",\"subject\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWk"
	"et5BbiN1rjdUsQ9b\",\"v\":1}";
static const char entry_b1_leaf[] =
	"{\"body_digest\":\"2222222222222222222222222222222222222222222222222222222222222222\",\"chain_key\":"
	"\"ch\303\251\\\"\\\\\\u0001\\t/\342\202\254\360\235\204\236\177\",\"expires_block\":9007199254740991"
	",\"header\":{\"B\":0,\"a\":{\"\":[],\"b\":2,\"z\":1},\"arr\":[null,true,false,1e+30,\"\342\200\250\""
	"],\"big\":12345678901234567000,\"n\":1.5,\"neg\":-1e-7,\"\303\251\":\"a\\\"b\\\\c\\u0001\\u001f\177\""
	",\"\342\202\254\":\"\360\235\204\236\"},\"kind\":\"x.y_z-9\",\"nonce\":\"!~\\\"\\\\n\",\"org\":\"did"
	":key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"abababababababababababa"
	"babababababababababababababababababababab\",\"prev_digest\":\"11111111111111111111111111111111111111"
	"11111111111111111111111111\",\"signature\":\"AQ\",\"subject\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYK"
	"ARWket5BbiN1rjdUsQ9b\",\"submitted_at\":\"0001-01-01T00:00:00.000001Z\",\"v\":1}";
static const char entry_b1_digest[] = "0d1bd8dbd71f127854afe25465ee1fb13ad0337d8d0b492f4fb056fc8acf11cf";
static const char entry_b2_leaf[] =
	"{\"body_digest\":\"2222222222222222222222222222222222222222222222222222222222222222\",\"chain_key\":"
	"\"ch\303\251\\\"\\\\\\u0001\\t/\342\202\254\360\235\204\236\177\",\"expires_block\":9007199254740991"
	",\"header\":{\"B\":0,\"a\":{\"\":[],\"b\":2,\"z\":1},\"arr\":[null,true,false,1e+30,\"\342\200\250\""
	"],\"big\":12345678901234567000,\"n\":1.5,\"neg\":-1e-7,\"\303\251\":\"a\\\"b\\\\c\\u0001\\u001f\177\""
	",\"\342\202\254\":\"\360\235\204\236\"},\"kind\":\"x.y_z-9\",\"nonce\":\"!~\\\"\\\\n\",\"org\":\"did"
	":key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"abababababababababababa"
	"babababababababababababababababababababab\",\"prev_digest\":\"11111111111111111111111111111111111111"
	"11111111111111111111111111\",\"signature\":\"MEUCIQD_\",\"subject\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1"
	"eWqyYKARWket5BbiN1rjdUsQ9b\",\"submitted_at\":\"9999-12-31T23:59:59.999999Z\",\"v\":1}";
static const char entry_b2_digest[] = "428b644b45b0089b20a8642148139df068b34ff36409d4856ac9787ae5083afa";
static const char entry_b3_leaf[] =
	"{\"body_digest\":\"2222222222222222222222222222222222222222222222222222222222222222\",\"chain_key\":"
	"\"ch\303\251\\\"\\\\\\u0001\\t/\342\202\254\360\235\204\236\177\",\"expires_block\":9007199254740991"
	",\"header\":{\"B\":0,\"a\":{\"\":[],\"b\":2,\"z\":1},\"arr\":[null,true,false,1e+30,\"\342\200\250\""
	"],\"big\":12345678901234567000,\"n\":1.5,\"neg\":-1e-7,\"\303\251\":\"a\\\"b\\\\c\\u0001\\u001f\177\""
	",\"\342\202\254\":\"\360\235\204\236\"},\"kind\":\"x.y_z-9\",\"nonce\":\"!~\\\"\\\\n\",\"org\":\"did"
	":key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"abababababababababababa"
	"babababababababababababababababababababab\",\"prev_digest\":\"11111111111111111111111111111111111111"
	"11111111111111111111111111\",\"signature\":\"_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7"
	"-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_v7-_g\",\"subject\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyYKARWket5B"
	"biN1rjdUsQ9b\",\"submitted_at\":\"1969-12-31T23:59:59.500000Z\",\"v\":1}";
static const char entry_b3_digest[] = "c2064baa378692bed410fc8614c6d120bb276a1c14089b684afebff28f6f9d39";
static const char entry_b4_leaf[] =
	"{\"body_digest\":\"2222222222222222222222222222222222222222222222222222222222222222\",\"chain_key\":"
	"\"ch\303\251\\\"\\\\\\u0001\\t/\342\202\254\360\235\204\236\177\",\"expires_block\":9007199254740991"
	",\"header\":{\"B\":0,\"a\":{\"\":[],\"b\":2,\"z\":1},\"arr\":[null,true,false,1e+30,\"\342\200\250\""
	"],\"big\":12345678901234567000,\"n\":1.5,\"neg\":-1e-7,\"\303\251\":\"a\\\"b\\\\c\\u0001\\u001f\177\""
	",\"\342\202\254\":\"\360\235\204\236\"},\"kind\":\"x.y_z-9\",\"nonce\":\"!~\\\"\\\\n\",\"org\":\"did"
	":key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"abababababababababababa"
	"babababababababababababababababababababab\",\"prev_digest\":\"11111111111111111111111111111111111111"
	"11111111111111111111111111\",\"signature\":\"-_8\",\"subject\":\"did:key:z6LSrEnPXPcLyNLKJPhdJ1eWqyY"
	"KARWket5BbiN1rjdUsQ9b\",\"submitted_at\":\"2000-02-29T07:04:56.000000Z\",\"v\":1}";
static const char entry_b4_digest[] = "715ae8a6f45d8b46a69ea236f67a886953e5affdb3a2ade3c13823417b9af019";
