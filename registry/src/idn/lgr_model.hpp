// The compiled form of an RFC 7940 LGR, shared by the loader (lgr_xml.cpp, lgr_classes.cpp),
// the rule matcher (lgr_rules.cpp) and the evaluator (lgr_eval.cpp). Private to registry/src.
#pragma once

#include "rootsim/registry/idn/lgr.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unicode/uniset.h>
#include <unordered_map>
#include <vector>

namespace rootsim::registry::idn::detail {

/// One bit per variant type the LGR names (at most 64).
using TypeMask = std::uint64_t;
inline constexpr std::size_t kMaxTypes = 64;
inline constexpr std::int32_t kNone = -1;
inline constexpr std::uint16_t kUnbounded = 0xFFFF;

struct Variant {
  CodePoints cp;
  TypeMask types = 0;
  std::int32_t when = kNone;  ///< rule index
  std::int32_t not_when = kNone;
};

/// A repertoire element: one code point or a sequence, with its context and variants.
struct Element {
  CodePoints cp;
  std::int32_t when = kNone;
  std::int32_t not_when = kNone;
  std::vector<Variant> variants;
};

/// A <range>: code points first..last, no variants (RFC 7940 §5.2).
struct Range {
  char32_t first = 0;
  char32_t last = 0;
  std::int32_t when = kNone;
  std::int32_t not_when = kNone;
};

enum class NodeKind : std::uint8_t {
  kChar,        ///< a code point or sequence (cps)
  kSet,         ///< one code point of sets[ref]
  kAny,         ///< any one code point
  kStart,       ///< zero-width, position 0
  kEnd,         ///< zero-width, position n
  kAnchor,      ///< the element whose context is being checked
  kSeq,         ///< children in order (a <rule>)
  kChoice,      ///< one of the children
  kLookBehind,  ///< zero-width: children (as a sequence) end here
  kLookAhead,   ///< zero-width: children (as a sequence) start here
  kRuleRef,     ///< rules[ref]
};

struct Node {
  NodeKind kind = NodeKind::kSeq;
  std::uint16_t min = 1;
  std::uint16_t max = 1;  ///< kUnbounded for "n+"
  std::int32_t ref = kNone;
  CodePoints cps;
  std::vector<std::int32_t> children;
};

struct Rule {
  std::string name;
  std::int32_t root = kNone;  ///< a kSeq node
  bool has_anchor = false;
};

enum class Trigger : std::uint8_t { kAlways, kAnyVariant, kAllVariants, kOnlyVariants };

struct Action {
  std::string disposition;
  Disposition kind = Disposition::kOther;
  std::int32_t match = kNone;      ///< rule that must match
  std::int32_t not_match = kNone;  ///< rule that must not match
  Trigger trigger = Trigger::kAlways;
  TypeMask types = 0;
  std::string description;  ///< comment, else a rendering of the action
};

struct LgrModel {
  LgrMetadata metadata;
  std::vector<Element> elements;
  std::vector<Range> ranges;  ///< sorted by first
  /// First code point -> elements starting with it, longest first.
  std::unordered_map<char32_t, std::vector<std::uint32_t>> by_first;
  std::vector<icu::UnicodeSet> sets;  ///< frozen
  std::vector<Node> nodes;
  std::vector<Rule> rules;
  std::vector<Action> actions;  ///< explicit actions, in document order
  std::vector<std::string> type_names;
  std::size_t repertoire_size = 0;
  // The bits of the types RFC 7940 §7.6's default actions name (0 when no variant has it).
  TypeMask invalid = 0;
  TypeMask blocked = 0;
  TypeMask allocatable = 0;
  TypeMask activated = 0;
};

/// Disposition kind of a name ("valid" -> kValid, others kOther).
[[nodiscard]] Disposition disposition_kind(std::string_view name) noexcept;

/// Whether rules[rule] matches somewhere in `label` (whole-label evaluation). Rules with an
/// anchor never match here. Labels are at most 63 code points.
[[nodiscard]] bool rule_matches(const LgrModel& model, std::int32_t rule,
                                std::u32string_view label);
/// Whether rules[rule] holds for the element at [begin, end) of `label` (a when/not-when
/// context). A rule without an anchor is evaluated on the whole label.
[[nodiscard]] bool context_matches(const LgrModel& model, std::int32_t rule,
                                   std::u32string_view label, std::size_t begin, std::size_t end);

}  // namespace rootsim::registry::idn::detail
