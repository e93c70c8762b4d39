// RFC 7940 §8: processing a label against an LGR. The label is split into repertoire elements
// (longest element first, with a feasibility pass so a sequence never strands the rest), each
// element's when/not-when context is checked, and the actions decide the disposition from the
// variant types used (for the original label: its reflexive variants). Variant labels are the
// cross product of each element's variant mappings whose context holds in the original label.
#include "lgr_model.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace rootsim::registry::idn {
namespace detail {
namespace {

struct Piece {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::int32_t element = kNone;  ///< index into elements, or kNone for a range
  std::int32_t range = kNone;
};

struct Partition {
  std::array<Piece, kMaxLabelCodePoints> pieces{};
  std::size_t count = 0;
  bool ok = false;
  std::size_t bad_position = 0;
};

const Range* find_range(const LgrModel& model, char32_t cp) {
  const auto it = std::upper_bound(model.ranges.begin(), model.ranges.end(), cp,
                                   [](char32_t c, const Range& r) { return c < r.first; });
  if (it == model.ranges.begin()) {
    return nullptr;
  }
  const Range& r = *(it - 1);
  return cp <= r.last ? &r : nullptr;
}

// Calls f(piece) for each repertoire element that can start at `pos`, longest first; stops when
// f returns true.
template <class F>
bool for_each_candidate(const LgrModel& model, std::u32string_view label, std::size_t pos, F&& f) {
  if (const auto it = model.by_first.find(label[pos]); it != model.by_first.end()) {
    for (const std::uint32_t index : it->second) {
      const CodePoints& cp = model.elements[index].cp;
      if (pos + cp.size() <= label.size() && label.substr(pos, cp.size()) == cp) {
        const Piece piece{static_cast<std::uint32_t>(pos),
                          static_cast<std::uint32_t>(pos + cp.size()),
                          static_cast<std::int32_t>(index), kNone};
        if (f(piece)) {
          return true;
        }
      }
    }
  }
  if (const Range* range = find_range(model, label[pos])) {
    const Piece piece{static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(pos + 1), kNone,
                      static_cast<std::int32_t>(range - model.ranges.data())};
    return f(piece);
  }
  return false;
}

Partition partition(const LgrModel& model, std::u32string_view label) {
  Partition out;
  const std::size_t n = label.size();
  std::array<bool, kMaxLabelCodePoints + 1> can{};
  can[n] = true;
  for (std::size_t i = n; i-- > 0;) {
    can[i] = for_each_candidate(model, label, i, [&](const Piece& p) { return can[p.end]; });
  }
  if (!can[0]) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!for_each_candidate(model, label, i, [](const Piece&) { return true; })) {
        out.bad_position = i;
        break;
      }
    }
    return out;
  }
  std::size_t pos = 0;
  while (pos < n) {
    for_each_candidate(model, label, pos, [&](const Piece& p) {
      if (!can[p.end]) {
        return false;
      }
      out.pieces[out.count++] = p;
      pos = p.end;
      return true;
    });
  }
  out.ok = true;
  return out;
}

bool context_holds(const LgrModel& model, std::int32_t when, std::int32_t not_when,
                   std::u32string_view label, std::size_t begin, std::size_t end) {
  if (when != kNone && !context_matches(model, when, label, begin, end)) {
    return false;
  }
  return not_when == kNone || !context_matches(model, not_when, label, begin, end);
}

// The first element whose context fails, described; empty when all hold.
std::string context_failure(const LgrModel& model, std::u32string_view label, const Partition& p,
                            std::size_t& position) {
  for (std::size_t k = 0; k < p.count; ++k) {
    const Piece& piece = p.pieces[k];
    std::int32_t when = kNone;
    std::int32_t not_when = kNone;
    if (piece.element != kNone) {
      const Element& e = model.elements[static_cast<std::size_t>(piece.element)];
      when = e.when;
      not_when = e.not_when;
    } else {
      const Range& r = model.ranges[static_cast<std::size_t>(piece.range)];
      when = r.when;
      not_when = r.not_when;
    }
    if (!context_holds(model, when, not_when, label, piece.begin, piece.end)) {
      position = piece.begin;
      const std::int32_t rule =
          when != kNone && !context_matches(model, when, label, piece.begin, piece.end) ? when
                                                                                        : not_when;
      return std::string(rule == when ? "context rule '" : "not-when rule '") +
             model.rules[static_cast<std::size_t>(rule)].name + "' " +
             (rule == when ? "fails" : "matches") + " for " +
             format_code_points(label.substr(piece.begin, piece.end - piece.begin));
    }
  }
  return {};
}

struct Decision {
  const std::string* name = nullptr;  ///< the disposition as the LGR spells it
  Disposition kind = Disposition::kValid;
  std::string reason;
};

// RFC 7940 §7.6 default actions, evaluated after the LGR's own.
const std::array<std::string, 5>& default_names() {
  static const std::array<std::string, 5> kNames{"invalid", "blocked", "allocatable", "activated",
                                                 "valid"};
  return kNames;
}

// RFC 7940 §7.2-7.6: the first action that triggers decides.
Decision decide(const LgrModel& model, std::u32string_view label, TypeMask types, bool only) {
  for (const Action& action : model.actions) {
    if (action.match != kNone && !rule_matches(model, action.match, label)) {
      continue;
    }
    if (action.not_match != kNone && rule_matches(model, action.not_match, label)) {
      continue;
    }
    const bool subset = types != 0 && (types & ~action.types) == 0;
    bool triggered = true;
    switch (action.trigger) {
      case Trigger::kAlways:
        break;
      case Trigger::kAnyVariant:
        triggered = (types & action.types) != 0;
        break;
      case Trigger::kAllVariants:
        triggered = subset;
        break;
      case Trigger::kOnlyVariants:
        triggered = only && subset;
        break;
    }
    if (triggered) {
      return {&action.disposition, action.kind, action.description};
    }
  }
  const auto& names = default_names();
  if ((types & model.invalid) != 0) {
    return {&names[0], Disposition::kInvalid, "default action: a variant of type invalid"};
  }
  if ((types & model.blocked) != 0) {
    return {&names[1], Disposition::kBlocked, "default action: a variant of type blocked"};
  }
  if ((types & model.allocatable) != 0) {
    return {&names[2], Disposition::kAllocatable, "default action: a variant of type allocatable"};
  }
  if (model.activated != 0 && types != 0 && (types & ~model.activated) == 0) {
    return {&names[3], Disposition::kOther, "default action: all variants activated"};
  }
  return {&names[4], Disposition::kValid, "default action: catch-all"};
}

struct Option {
  const CodePoints* cps = nullptr;
  TypeMask types = 0;
  bool mapped = false;  ///< reached through a variant mapping (reflexive included)
};

// The ways each element of the original label can be replaced: itself first (typed when it has
// a reflexive variant), then its other variants whose context holds in the original label.
std::vector<std::vector<Option>> options_of(const LgrModel& model, std::u32string_view label,
                                            const Partition& p) {
  std::vector<std::vector<Option>> out(p.count);
  for (std::size_t k = 0; k < p.count; ++k) {
    const Piece& piece = p.pieces[k];
    if (piece.element == kNone) {
      out[k].push_back(Option{nullptr, 0, false});  // a range element maps only to itself
      continue;
    }
    const Element& e = model.elements[static_cast<std::size_t>(piece.element)];
    Option self{&e.cp, 0, false};
    std::vector<Option> others;
    for (const Variant& v : e.variants) {
      if (!context_holds(model, v.when, v.not_when, label, piece.begin, piece.end)) {
        continue;
      }
      if (v.cp == e.cp) {
        self.types |= v.types;
        self.mapped = true;
      } else {
        others.push_back(Option{&v.cp, v.types, true});
      }
    }
    out[k].push_back(self);
    out[k].insert(out[k].end(), others.begin(), others.end());
  }
  return out;
}

// The disposition of a generated variant label (RFC 7940 §8.3).
VariantLabel judge_variant(const LgrModel& model, CodePoints label, TypeMask types, bool only) {
  const Partition p = partition(model, label);
  std::size_t position = 0;
  if (!p.ok || !context_failure(model, label, p, position).empty()) {
    return VariantLabel{std::move(label), Disposition::kInvalid, "invalid"};
  }
  const Decision d = decide(model, label, types, only);
  return VariantLabel{std::move(label), d.kind, *d.name};
}

}  // namespace
}  // namespace detail

namespace {

Result<detail::Partition> checked_partition(const detail::LgrModel& model,
                                            std::u32string_view label) {
  if (label.empty() || label.size() > kMaxLabelCodePoints) {
    return fail(Errc::kLimit,
                "a label has 1 to 63 code points, not " + std::to_string(label.size()));
  }
  return detail::partition(model, label);
}

}  // namespace

bool Lgr::covers(std::u32string_view label) const {
  return !label.empty() && label.size() <= kMaxLabelCodePoints &&
         detail::partition(*model_, label).ok;
}

Result<LabelVerdict> Lgr::evaluate(std::u32string_view label) const {
  auto p = checked_partition(*model_, label);
  if (!p) {
    return fail(std::move(p).error());
  }
  if (!p->ok) {
    const std::size_t pos = p->bad_position;
    return LabelVerdict{Disposition::kInvalid, "invalid",
                        format_code_points(label.substr(pos, 1)) + " is not in the repertoire",
                        pos};
  }
  std::size_t position = 0;
  if (std::string why = detail::context_failure(*model_, label, *p, position); !why.empty()) {
    return LabelVerdict{Disposition::kInvalid, "invalid", std::move(why), position};
  }
  detail::TypeMask types = 0;
  bool only = true;
  for (std::size_t k = 0; k < p->count; ++k) {
    const detail::Piece& piece = p->pieces[k];
    bool reflexive = false;
    if (piece.element != detail::kNone) {
      const detail::Element& e = model_->elements[static_cast<std::size_t>(piece.element)];
      for (const detail::Variant& v : e.variants) {
        if (v.cp == e.cp &&
            detail::context_holds(*model_, v.when, v.not_when, label, piece.begin, piece.end)) {
          types |= v.types;
          reflexive = true;
        }
      }
    }
    only = only && reflexive;
  }
  const detail::Decision d = detail::decide(*model_, label, types, only);
  return LabelVerdict{d.kind, *d.name, d.reason, std::nullopt};
}

Result<VariantList> Lgr::variants(std::u32string_view label, std::size_t limit,
                                  bool include_invalid) const {
  auto verdict = evaluate(label);
  if (!verdict) {
    return fail(std::move(verdict).error());
  }
  if (verdict->disposition == Disposition::kInvalid) {
    return fail(Errc::kSemantic, "the label is invalid under this LGR: " + verdict->reason);
  }
  const detail::Partition p = detail::partition(*model_, label);
  const auto options = detail::options_of(*model_, label, p);
  VariantList out;
  std::set<CodePoints> seen{CodePoints(label)};
  CodePoints current;
  // Depth-first over the cross product; `all_self` marks the original label itself.
  auto walk = [&](auto&& self, std::size_t k, detail::TypeMask types, bool only,
                  bool all_self) -> void {
    if (out.truncated) {
      return;
    }
    if (k == p.count) {
      if (all_self || !seen.insert(current).second) {
        return;
      }
      if (out.variants.size() >= limit) {
        out.truncated = true;
        return;
      }
      VariantLabel v = detail::judge_variant(*model_, current, types, only);
      if (include_invalid || v.disposition != Disposition::kInvalid) {
        out.variants.push_back(std::move(v));
      }
      return;
    }
    const detail::Piece& piece = p.pieces[k];
    for (std::size_t i = 0; i < options[k].size(); ++i) {
      const detail::Option& o = options[k][i];
      const std::size_t mark = current.size();
      if (o.cps != nullptr) {
        current += *o.cps;
      } else {
        current += label.substr(piece.begin, piece.end - piece.begin);
      }
      if (current.size() <= kMaxLabelCodePoints) {
        self(self, k + 1, types | o.types, only && o.mapped, all_self && i == 0);
      }
      current.resize(mark);
    }
  };
  walk(walk, 0, 0, true, true);
  return out;
}

std::optional<VariantLabel> Lgr::variant_of(std::u32string_view original,
                                            std::u32string_view candidate) const {
  auto verdict = evaluate(original);
  if (!verdict || verdict->disposition == Disposition::kInvalid) {
    return std::nullopt;
  }
  if (candidate == original) {
    return VariantLabel{CodePoints(original), verdict->disposition, verdict->disposition_name};
  }
  const detail::Partition p = detail::partition(*model_, original);
  const auto options = detail::options_of(*model_, original, p);
  std::optional<VariantLabel> found;
  // Only the options that spell the candidate's next code points are followed.
  auto walk = [&](auto&& self, std::size_t k, std::size_t offset, detail::TypeMask types,
                  bool only) -> void {
    if (found) {
      return;
    }
    if (k == p.count) {
      if (offset == candidate.size()) {
        found = detail::judge_variant(*model_, CodePoints(candidate), types, only);
      }
      return;
    }
    const detail::Piece& piece = p.pieces[k];
    for (const detail::Option& o : options[k]) {
      const std::u32string_view text = o.cps != nullptr
                                           ? std::u32string_view(*o.cps)
                                           : original.substr(piece.begin, piece.end - piece.begin);
      if (candidate.substr(offset, text.size()) == text) {
        self(self, k + 1, offset + text.size(), types | o.types, only && o.mapped);
      }
    }
  };
  walk(walk, 0, 0, 0, true);
  return found;
}

}  // namespace rootsim::registry::idn
