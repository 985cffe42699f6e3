/*
 * plugin_vectors.h — the brop output plugin's lines as the 1.0 extension
 * writes them, captured from a running server by test/unit/plugin_vectors.sql
 * (salt key: the bytes 0 to 31).
 */
static const char *const plugin_lines[] = {
	"{\"type\":\"position\",\"end_lsn\":\"0/17724B0\"}",
	"{\"type\":\"begin\",\"commit_lsn\":\"0/1772B50\",\"end_lsn\":\"0/1772B80\",\"commit_time\":\"2026-12"
	"-07T15:07:38.426298Z\",\"xid\":763}",
	"{\"header\":{\"capture\":\"plugin\",\"columns\":[\"k\\\"\",\"v\",\"s\"],\"key_columns\":[\"k\\\"\"],"
	"\"op\":\"register\",\"profile\":3,\"registration\":\"plug \\\"\303\251\\\" \360\237\230\200\",\"subj"
	"ect_column\":\"s\"},\"kind\":\"registration\",\"nonce\":\"registration-24586720\",\"org\":\"did:key:"
	"z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"0b849ae475d1a7442766f3077b95"
	"d1ab4186f0c3633df08ada1052566a50f450\"}",
	"{\"type\":\"commit\",\"commit_lsn\":\"0/1772B50\",\"end_lsn\":\"0/1772B80\"}",
	"{\"type\":\"begin\",\"commit_lsn\":\"0/1772D08\",\"end_lsn\":\"0/1772D38\",\"commit_time\":\"2026-12"
	"-07T15:07:38.460895Z\",\"xid\":764}",
	"{\"chain_key\":\"row:plug \\\"\303\251\\\" \360\237\230\200:1eb5a6be158a5a41098eb2e1408cca14\",\"hea"
	"der\":{\"op\":\"insert\",\"registration\":\"plug \\\"\303\251\\\" \360\237\230\200\",\"row\":{\"k\\\""
	"\":\"a\\\\b\",\"s\":\"did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"v\":\"\342\200\250"
	"x\"},\"salt\":\"m31Yr02KQz89kPx_55GbZ_LvEA2bv1hPEFGX66ogE_4\",\"version\":24587136},\"kind\":\"row\""
	",\"nonce\":\"row-1eb5a6be158a5a41098eb2e1408cca14-24587136\",\"org\":\"did:key:z6MktwupdmLXVVqTzCw4i"
	"46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"300583d2993a532e3dd810a8cfcc257a9c36159dd9a6b00e3"
	"af559658760735c\",\"subject\":\"did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\"}",
	"{\"chain_key\":\"row:plug \\\"\303\251\\\" \360\237\230\200:7d3b9eaca8fd8ddb50de2227a4550a84\",\"hea"
	"der\":{\"op\":\"insert\",\"registration\":\"plug \\\"\303\251\\\" \360\237\230\200\",\"row\":{\"k\\\""
	"\":\"n\",\"s\":null,\"v\":null},\"salt\":\"SlxoVy1JcZV5k4DoLAZfbncC8sDtNNsdbBBlZYzUchk\",\"version\""
	":24587400},\"kind\":\"row\",\"nonce\":\"row-7d3b9eaca8fd8ddb50de2227a4550a84-24587400\",\"org\":\"di"
	"d:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"ce17a4f69d59777da57bed"
	"6089f18167bda9836308498bfe38fce2edf7b63e09\"}",
	"{\"type\":\"commit\",\"commit_lsn\":\"0/1772D08\",\"end_lsn\":\"0/1772D38\"}",
	"{\"type\":\"begin\",\"commit_lsn\":\"0/1772D88\",\"end_lsn\":\"0/1772DB8\",\"commit_time\":\"2026-12"
	"-07T15:07:38.470607Z\",\"xid\":765}",
	"{\"chain_key\":\"row:plug \\\"\303\251\\\" \360\237\230\200:7d3b9eaca8fd8ddb50de2227a4550a84\",\"hea"
	"der\":{\"op\":\"update\",\"registration\":\"plug \\\"\303\251\\\" \360\237\230\200\",\"row\":{\"k\\\""
	"\":\"n\",\"s\":null,\"v\":\"w\"},\"salt\":\"AoBhiCqJxhQXhysK_MZQhGftQPqvGOLxOOaopFev7JU\",\"version\""
	":24587576},\"kind\":\"row\",\"nonce\":\"row-7d3b9eaca8fd8ddb50de2227a4550a84-24587576\",\"org\":\"di"
	"d:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"521e49419ff00f998ba570"
	"48de95b8545d11728ba162ce7b7da91cad6bca5a10\"}",
	"{\"type\":\"commit\",\"commit_lsn\":\"0/1772D88\",\"end_lsn\":\"0/1772DB8\"}",
	"{\"type\":\"begin\",\"commit_lsn\":\"0/1772DF8\",\"end_lsn\":\"0/1772E28\",\"commit_time\":\"2026-12"
	"-07T15:07:38.480154Z\",\"xid\":766}",
	"{\"chain_key\":\"row:plug \\\"\303\251\\\" \360\237\230\200:7d3b9eaca8fd8ddb50de2227a4550a84\",\"hea"
	"der\":{\"op\":\"delete\",\"registration\":\"plug \\\"\303\251\\\" \360\237\230\200\",\"row\":{\"k\\\""
	"\":\"n\",\"s\":null,\"v\":\"w\"},\"salt\":\"r6s9ndQ7tMnJtWLXdRj121QupVOPtdy1diHJG-MwWJU\",\"version\""
	":24587704},\"kind\":\"row\",\"nonce\":\"row-7d3b9eaca8fd8ddb50de2227a4550a84-24587704\",\"org\":\"di"
	"d:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw\",\"payload_digest\":\"24b59f145b60aa73514bcb"
	"2d5b6cc76cedc170a9d5b64a78c26f6cfc65630f78\"}",
	"{\"type\":\"commit\",\"commit_lsn\":\"0/1772DF8\",\"end_lsn\":\"0/1772E28\"}",
	"{\"type\":\"begin\",\"commit_lsn\":\"0/17739B8\",\"end_lsn\":\"0/1773B28\",\"commit_time\":\"2026-12"
	"-07T15:07:38.490217Z\",\"xid\":767}",
	"{\"type\":\"truncate\",\"lsn\":\"0/1773988\",\"registration\":\"plug \\\"\303\251\\\" \360\237\230\200"
	"\"}",
	"{\"type\":\"commit\",\"commit_lsn\":\"0/17739B8\",\"end_lsn\":\"0/1773B28\"}",
};
