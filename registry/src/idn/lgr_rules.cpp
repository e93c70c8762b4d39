// RFC 7940 §6.3 rule matching. A label has at most 63 code points, so the positions 0..63 fit
// in one 64-bit mask: each node maps a start position to the set of positions where it can
// end. Sequences, choices and counts combine those sets, which gives regular-expression
// matching without backtracking (a set-based NFA simulation), linear in the rule size for each
// start position.
#include "lgr_model.hpp"

#include <bit>
#include <cstdint>

namespace rootsim::registry::idn::detail {
namespace {

using Mask = std::uint64_t;

constexpr Mask bit(std::size_t pos) { return Mask{1} << pos; }

// Rule references are acyclic (the loader refuses cycles); this only bounds the stack.
constexpr int kMaxDepth = 256;

struct Context {
  const LgrModel& model;
  std::u32string_view label;
  bool anchored = false;  ///< evaluating a when/not-when context
  std::size_t anchor_begin = 0;
  std::size_t anchor_end = 0;
};

Mask ends(const Context& ctx, std::int32_t node_index, std::size_t pos, int depth);

// Where the children, one after the other, can end when started at `pos`.
Mask seq_ends(const Context& ctx, const std::vector<std::int32_t>& children, std::size_t pos,
              int depth) {
  Mask current = bit(pos);
  for (const std::int32_t child : children) {
    Mask next = 0;
    for (Mask rest = current; rest != 0; rest &= rest - 1) {
      next |= ends(ctx, child, static_cast<std::size_t>(std::countr_zero(rest)), depth);
    }
    current = next;
    if (current == 0) {
      break;
    }
  }
  return current;
}

// One occurrence of the node (its count applied by ends()).
Mask once(const Context& ctx, const Node& node, std::size_t pos, int depth) {
  const std::size_t n = ctx.label.size();
  switch (node.kind) {
    case NodeKind::kChar:
      return (pos + node.cps.size() <= n && ctx.label.substr(pos, node.cps.size()) == node.cps)
                 ? bit(pos + node.cps.size())
                 : 0;
    case NodeKind::kSet:
      return (pos < n && ctx.model.sets[static_cast<std::size_t>(node.ref)].contains(
                             static_cast<UChar32>(ctx.label[pos])))
                 ? bit(pos + 1)
                 : 0;
    case NodeKind::kAny:
      return pos < n ? bit(pos + 1) : 0;
    case NodeKind::kStart:
      return pos == 0 ? bit(0) : 0;
    case NodeKind::kEnd:
      return pos == n ? bit(n) : 0;
    case NodeKind::kAnchor:
      return (ctx.anchored && pos == ctx.anchor_begin) ? bit(ctx.anchor_end) : 0;
    case NodeKind::kSeq:
      return seq_ends(ctx, node.children, pos, depth);
    case NodeKind::kChoice: {
      Mask out = 0;
      for (const std::int32_t child : node.children) {
        out |= ends(ctx, child, pos, depth);
      }
      return out;
    }
    case NodeKind::kLookBehind:
      for (std::size_t start = 0; start <= pos; ++start) {
        if ((seq_ends(ctx, node.children, start, depth) & bit(pos)) != 0) {
          return bit(pos);
        }
      }
      return 0;
    case NodeKind::kLookAhead:
      return seq_ends(ctx, node.children, pos, depth) != 0 ? bit(pos) : 0;
    case NodeKind::kRuleRef:
      return ends(ctx, ctx.model.rules[static_cast<std::size_t>(node.ref)].root, pos, depth);
  }
  return 0;
}

Mask ends(const Context& ctx, std::int32_t node_index, std::size_t pos, int depth) {
  if (depth > kMaxDepth) {
    return 0;
  }
  const Node& node = ctx.model.nodes[static_cast<std::size_t>(node_index)];
  if (node.min == 1 && node.max == 1) {
    return once(ctx, node, pos, depth + 1);
  }
  // Repetition: current = positions after k occurrences; collect those with k >= min. An
  // unbounded count stops when k passes min and no new position appears.
  Mask current = bit(pos);
  Mask result = node.min == 0 ? current : 0;
  Mask seen = current;
  for (std::uint32_t k = 1; k <= node.max; ++k) {
    Mask next = 0;
    for (Mask rest = current; rest != 0; rest &= rest - 1) {
      next |= once(ctx, node, static_cast<std::size_t>(std::countr_zero(rest)), depth + 1);
    }
    if (next == 0) {
      break;
    }
    if (k >= node.min) {
      result |= next;
    }
    if (k >= node.min && (next & ~seen) == 0) {
      break;  // a fixed point: more occurrences reach nothing new
    }
    seen |= next;
    current = next;
    if (k > ctx.label.size() + node.min) {
      break;  // every occurrence after this is zero-width
    }
  }
  return result;
}

}  // namespace

bool rule_matches(const LgrModel& model, std::int32_t rule, std::u32string_view label) {
  const Rule& r = model.rules[static_cast<std::size_t>(rule)];
  const Context ctx{model, label};
  for (std::size_t start = 0; start <= label.size(); ++start) {
    if (ends(ctx, r.root, start, 0) != 0) {
      return true;
    }
  }
  return false;
}

bool context_matches(const LgrModel& model, std::int32_t rule, std::u32string_view label,
                     std::size_t begin, std::size_t end) {
  const Rule& r = model.rules[static_cast<std::size_t>(rule)];
  if (!r.has_anchor) {
    return rule_matches(model, rule, label);
  }
  const Context ctx{model, label, true, begin, end};
  for (std::size_t start = 0; start <= begin; ++start) {
    if (ends(ctx, r.root, start, 0) != 0) {
      return true;
    }
  }
  return false;
}

}  // namespace rootsim::registry::idn::detail
