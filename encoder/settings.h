// The encoder's named settings as types: each enum has one spelling per
// value (the text of the command line and of the safetensors metadata),
// parsed once where text comes in and turned back into text only where it
// goes out.
#pragma once

#include <string>
#include <string_view>

namespace enc {

enum class Activation { kGelu, kRelu };             // feed-forward activation (GELU: exact erf form)
enum class Positional { kSinusoidal, kLearned };    // position encoding added to the embeddings
enum class ObjectiveKind { kMlm, kSimcse };         // training objective
enum class Schedule { kLinear, kCosine, kConstant };  // learning rate after the warm-up

// "gelu", "relu", "sinusoidal", ... (the metadata and command-line spelling).
std::string_view to_string(Activation a);
std::string_view to_string(Positional p);
std::string_view to_string(ObjectiveKind o);
std::string_view to_string(Schedule s);

// Parse the spelling above; anything else throws common::OptionError
// "WHAT: 'TEXT' is not one of gelu, relu" (what: e.g. "--activation").
Activation parse_activation(std::string_view text, std::string_view what);
Positional parse_positional(std::string_view text, std::string_view what);
ObjectiveKind parse_objective(std::string_view text, std::string_view what);
Schedule parse_schedule(std::string_view text, std::string_view what);

// "gelu, relu" and so on, for help texts.
std::string valid_activations();
std::string valid_positionals();
std::string valid_objectives();
std::string valid_schedules();

}  // namespace enc
