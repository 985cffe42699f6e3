-- Run last: the shared ledger, after every other test has submitted,
-- sealed, registered, issued and verified in it (each tampering rolled
-- back), is sound, tables beside the log included.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS brop;
RESET client_min_messages;
SET brop.root_key_file = '../../keys/root.key';
SELECT ok, problem FROM brop.verify_ledger();
