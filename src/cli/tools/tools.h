/*
 * tools.h — brop keygen, did, open and jcs (src/cli/tools).
 */
#ifndef BROP_CLI_TOOLS_H
#define BROP_CLI_TOOLS_H

#include "common/cli.h"

int			cmd_keygen(int argc, char **argv);
int			cmd_did(int argc, char **argv);
int			cmd_open(int argc, char **argv);
int			cmd_jcs(int argc, char **argv);

#endif /* BROP_CLI_TOOLS_H */
