#include "encoder/settings.h"

#include <array>
#include <utility>

#include "common/errors.h"

namespace enc {

namespace {

template <class E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<Activation, 2> kActivations{{{Activation::kGelu, "gelu"}, {Activation::kRelu, "relu"}}};
constexpr Names<Positional, 2> kPositionals{{{Positional::kSinusoidal, "sinusoidal"}, {Positional::kLearned, "learned"}}};
constexpr Names<ObjectiveKind, 2> kObjectives{{{ObjectiveKind::kMlm, "mlm"}, {ObjectiveKind::kSimcse, "simcse"}}};
constexpr Names<Schedule, 3> kSchedules{
    {{Schedule::kLinear, "linear"}, {Schedule::kCosine, "cosine"}, {Schedule::kConstant, "constant"}}};

template <class E, std::size_t N>
std::string_view name_of(const Names<E, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "?";
}

template <class E, std::size_t N>
std::string list_of(const Names<E, N>& names) {
  std::string out;
  for (const auto& [v, name] : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

template <class E, std::size_t N>
E parse_from(const Names<E, N>& names, std::string_view text, std::string_view what) {
  for (const auto& [v, name] : names)
    if (name == text) return v;
  throw common::OptionError(std::string(what) + ": '" + std::string(text) + "' is not one of " + list_of(names));
}

}  // namespace

std::string_view to_string(Activation a) { return name_of(kActivations, a); }
std::string_view to_string(Positional p) { return name_of(kPositionals, p); }
std::string_view to_string(ObjectiveKind o) { return name_of(kObjectives, o); }
std::string_view to_string(Schedule s) { return name_of(kSchedules, s); }

Activation parse_activation(std::string_view text, std::string_view what) { return parse_from(kActivations, text, what); }
Positional parse_positional(std::string_view text, std::string_view what) { return parse_from(kPositionals, text, what); }
ObjectiveKind parse_objective(std::string_view text, std::string_view what) { return parse_from(kObjectives, text, what); }
Schedule parse_schedule(std::string_view text, std::string_view what) { return parse_from(kSchedules, text, what); }

std::string valid_activations() { return list_of(kActivations); }
std::string valid_positionals() { return list_of(kPositionals); }
std::string valid_objectives() { return list_of(kObjectives); }
std::string valid_schedules() { return list_of(kSchedules); }

}  // namespace enc
