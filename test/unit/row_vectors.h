/*
 * row_vectors.h — registered rows' texts as the 1.0 extension makes them
 * (capture trigger, profile 3), captured from a running server by
 * test/unit/row_vectors.sql with the worked example's salt key (bytes 0..31).
 */
static const char row_reg_header[] =
	"{\"capture\":\"trigger\",\"columns\":[\"\360\237\230\200\",\"\357\275\241\",\"a\",\"Z\",\"\303\251\""
	",\" \",\"q\\\"\\\\\",\"n\",\"k \303\251\"],\"key_columns\":[\"k \303\251\",\"Z\"],\"op\":\"register\""
	",\"profile\":3,\"registration\":\"fmt \\\"rows\\\" \303\251\",\"subject_column\":null}";
static const char row_reg_digest[] = "c5db4a8d3cf539f427cc49b9e8616261609daa77d37ea6fabec9a157f2441773";
static const struct
{
	const char *header;
	const char *digest;
	const char *chain_hex;
}			row_versions[] = {
	{"{\"op\":\"insert\",\"registration\":\"fmt \\\"rows\\\" \303\251\",\"row\":{\" \":\" \",\"Z\":\"-7\","
	"\"a\":null,\"k \303\251\":\"key\\t\\\"1\\\"\",\"n\":\"1.50\",\"q\\\"\\\\\":\"\\u0001\\u001f\177\",\""
	"\303\251\":\"\303\251\",\"\360\237\230\200\":\"\342\200\250\\\\\",\"\357\275\241\":\"\360\235\204\236"
	"\"},\"salt\":\"QxjzEL58hlicjtFBOOlTDlTsWGZCWnQdlpSiAWcXDsM\",\"version\":1}",
		"b1836abd2b542190213f51b8b443e2e2208f8a35a228f45b3fb2516ff93ec9f4", "729e68d3a5e092997ac1414c1a805309"},
	{"{\"op\":\"insert\",\"registration\":\"fmt \\\"rows\\\" \303\251\",\"row\":{\" \":null,\"Z\":\"0\",\""
	"a\":\"plain\",\"k \303\251\":\"\",\"n\":null,\"q\\\"\\\\\":null,\"\303\251\":null,\"\360\237\230\200"
	"\":null,\"\357\275\241\":null},\"salt\":\"27xSS3KRVf-dUMc5Va2tmS4tOMWp79F9iOaY-u8NgQg\",\"version\":"
	"1}",
		"3b4485efb0f1ca52ebae8881655c2b37cdc7b4b05cd09517e2d2d51bc2621364", "081b2ac54223f155c882be0447d06ddb"},
	{"{\"op\":\"update\",\"registration\":\"fmt \\\"rows\\\" \303\251\",\"row\":{\" \":null,\"Z\":\"0\",\""
	"a\":\"changed\",\"k \303\251\":\"\",\"n\":null,\"q\\\"\\\\\":null,\"\303\251\":null,\"\360\237\230\200"
	"\":null,\"\357\275\241\":null},\"salt\":\"R6kUoVesZMiDqn_Bg-L_uRVI9W2iMIjqn4LIa63RAiM\",\"version\":"
	"2}",
		"136750aeccfc1fc270ee6b3f665f13cbb76d174449e7fd3b25d2a9633c28a670", "081b2ac54223f155c882be0447d06ddb"},
	{"{\"op\":\"delete\",\"registration\":\"fmt \\\"rows\\\" \303\251\",\"row\":{\" \":null,\"Z\":\"0\",\""
	"a\":\"changed\",\"k \303\251\":\"\",\"n\":null,\"q\\\"\\\\\":null,\"\303\251\":null,\"\360\237\230\200"
	"\":null,\"\357\275\241\":null},\"salt\":\"7W5i9ihNrdTX3hfQWaKOgraqa-kPY59IR8g8VKiVWb4\",\"version\":"
	"3}",
		"77a73a37a35c27f17fe1cc6a0d06b4bc9f24fee33b6ecd2a2a95fb980ff8befd", "081b2ac54223f155c882be0447d06ddb"},
};
