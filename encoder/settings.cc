#include "encoder/settings.h"

#include "common/enum_names.h"

namespace enc {

namespace {

constexpr common::EnumNames<Activation, 2> kActivations{{{Activation::kGelu, "gelu"}, {Activation::kRelu, "relu"}}};
constexpr common::EnumNames<Positional, 2> kPositionals{{{Positional::kSinusoidal, "sinusoidal"}, {Positional::kLearned, "learned"}}};
constexpr common::EnumNames<ObjectiveKind, 2> kObjectives{{{ObjectiveKind::kMlm, "mlm"}, {ObjectiveKind::kSimcse, "simcse"}}};
constexpr common::EnumNames<Schedule, 3> kSchedules{
    {{Schedule::kLinear, "linear"}, {Schedule::kCosine, "cosine"}, {Schedule::kConstant, "constant"}}};

}  // namespace

std::string_view to_string(Activation a) { return common::enum_name(kActivations, a); }
std::string_view to_string(Positional p) { return common::enum_name(kPositionals, p); }
std::string_view to_string(ObjectiveKind o) { return common::enum_name(kObjectives, o); }
std::string_view to_string(Schedule s) { return common::enum_name(kSchedules, s); }

Activation parse_activation(std::string_view text, std::string_view what) { return common::parse_enum(kActivations, text, what); }
Positional parse_positional(std::string_view text, std::string_view what) { return common::parse_enum(kPositionals, text, what); }
ObjectiveKind parse_objective(std::string_view text, std::string_view what) { return common::parse_enum(kObjectives, text, what); }
Schedule parse_schedule(std::string_view text, std::string_view what) { return common::parse_enum(kSchedules, text, what); }

std::string valid_activations() { return common::enum_list(kActivations); }
std::string valid_positionals() { return common::enum_list(kPositionals); }
std::string valid_objectives() { return common::enum_list(kObjectives); }
std::string valid_schedules() { return common::enum_list(kSchedules); }

}  // namespace enc
