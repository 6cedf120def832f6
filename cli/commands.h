// The subcommands of the wordlens binary. Each parses its own argv (argv[0]
// is the subcommand name) and returns the process exit code.
#pragma once

namespace cli {

int cmd_normalize(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_similar(int argc, char** argv);
int cmd_analogy(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_export(int argc, char** argv);
int cmd_bpe(int argc, char** argv);
int cmd_encoder(int argc, char** argv);
int cmd_embed(int argc, char** argv);
int cmd_index(int argc, char** argv);
int cmd_search(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_attention(int argc, char** argv);
int cmd_context(int argc, char** argv);
int cmd_ffn(int argc, char** argv);
int cmd_tokenize(int argc, char** argv);

}  // namespace cli
