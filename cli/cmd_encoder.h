// The `wordlens encoder` subcommands (dispatched by cmd_encoder). Each
// parses its own argv (argv[0] is the subcommand name) and returns the
// process exit code.
#pragma once

namespace cli {

int encoder_init(int argc, char** argv);
int encoder_forward(int argc, char** argv);
int encoder_info(int argc, char** argv);
int encoder_bench(int argc, char** argv);
int encoder_train(int argc, char** argv);
int encoder_finetune(int argc, char** argv);

}  // namespace cli
