/*
 * wallet.h — brop wallet (src/cli/wallet): a holder's credentials.
 */
#ifndef BROP_CLI_WALLET_H
#define BROP_CLI_WALLET_H

#include "verify/verify.h"

int			cmd_wallet(int argc, char **argv);

#endif /* BROP_CLI_WALLET_H */
