// RFC 7940 §6: classes (code point sets: literal, from-tag, Unicode property, by-ref, and the
// set operators) and rules (match patterns), compiled into LgrModel::sets and ::nodes. Names
// resolve on demand in any order; a reference to an undefined name or a cycle is an error.
#include "lgr_loader.hpp"

#include <charconv>
#include <unicode/unistr.h>

namespace rootsim::registry::idn::detail {
namespace {

bool is_set_element(std::string_view name) {
  return name == "class" || name == "union" || name == "intersection" || name == "difference" ||
         name == "symmetric-difference" || name == "complement";
}

std::vector<const xmlNode*> element_children(const xmlNode* node) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      out.push_back(child);
    }
  }
  return out;
}

std::string text_of(const xmlNode* node) {
  std::string out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) &&
        child->content != nullptr) {
      out += reinterpret_cast<const char*>(child->content);
    }
  }
  return out;
}

Result<std::uint32_t> parse_count_number(std::string_view text) {
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return fail(Errc::kParse, "bad count '" + std::string(text) + "'");
  }
  return value;
}

}  // namespace

std::int32_t Loader::add_node(Node node) {
  model_.nodes.push_back(std::move(node));
  return static_cast<std::int32_t>(model_.nodes.size() - 1);
}

std::int32_t Loader::add_set(icu::UnicodeSet set) {
  model_.sets.push_back(std::move(set));
  return static_cast<std::int32_t>(model_.sets.size() - 1);
}

Status Loader::index_rules(const xmlNode* rules) {
  for (const xmlNode* child : element_children(rules)) {
    const std::string_view kind = element_name(child);
    if (kind == "action") {
      continue;
    }
    if (!is_set_element(kind) && kind != "rule") {
      return error(child, "unknown element <" + std::string(kind) + "> in <rules>");
    }
    const auto name = attribute(child, "name");
    if (!name || name->empty()) {
      return error(child, "<" + std::string(kind) + "> at the top of <rules> needs a name");
    }
    auto& table = kind == "rule" ? named_rules_ : named_sets_;
    if (!table.emplace(*name, child).second) {
      return error(child, "'" + *name + "' is defined twice");
    }
  }
  return {};
}

Status Loader::compile_all() {
  for (const auto& [name, node] : named_sets_) {
    if (auto ok = set_by_name(node, name); !ok) {
      return fail(std::move(ok).error());
    }
  }
  for (const auto& [name, node] : named_rules_) {
    if (auto ok = rule_by_name(node, name); !ok) {
      return fail(std::move(ok).error());
    }
  }
  return {};
}

Result<std::int32_t> Loader::set_by_name(const xmlNode* user, const std::string& name) {
  if (const auto it = compiled_sets_.find(name); it != compiled_sets_.end()) {
    return it->second;
  }
  const auto def = named_sets_.find(name);
  if (def == named_sets_.end()) {
    return error(user, "class '" + name + "' is not defined");
  }
  const std::string key = "class:" + name;
  if (!in_progress_.insert(key).second) {
    return error(user, "class '" + name + "' refers to itself");
  }
  auto set = compile_set(def->second);
  in_progress_.erase(key);
  if (!set) {
    return fail(std::move(set).error());
  }
  const std::int32_t index = add_set(std::move(set).value());
  compiled_sets_.emplace(name, index);
  return index;
}

Result<std::int32_t> Loader::rule_by_name(const xmlNode* user, const std::string& name) {
  if (const auto it = compiled_rules_.find(name); it != compiled_rules_.end()) {
    return it->second;
  }
  const auto def = named_rules_.find(name);
  if (def == named_rules_.end()) {
    return error(user, "rule '" + name + "' is not defined");
  }
  const std::string key = "rule:" + name;
  if (!in_progress_.insert(key).second) {
    return error(user, "rule '" + name + "' refers to itself");
  }
  auto root = compile_children(def->second, NodeKind::kSeq);
  in_progress_.erase(key);
  if (!root) {
    return fail(std::move(root).error());
  }
  model_.rules.push_back(Rule{name, *root, has_anchor(*root, 0)});
  const auto index = static_cast<std::int32_t>(model_.rules.size() - 1);
  compiled_rules_.emplace(name, index);
  return index;
}

bool Loader::has_anchor(std::int32_t node_index, int depth) const {
  if (depth > 256) {
    return false;
  }
  const Node& node = model_.nodes[static_cast<std::size_t>(node_index)];
  if (node.kind == NodeKind::kAnchor) {
    return true;
  }
  if (node.kind == NodeKind::kRuleRef) {
    return model_.rules[static_cast<std::size_t>(node.ref)].has_anchor;
  }
  for (const std::int32_t child : node.children) {
    if (has_anchor(child, depth + 1)) {
      return true;
    }
  }
  return false;
}

Result<icu::UnicodeSet> Loader::compile_class(const xmlNode* node) {
  const auto by_ref = attribute(node, "by-ref");
  const auto from_tag = attribute(node, "from-tag");
  const auto property = attribute(node, "property");
  const std::string text = text_of(node);
  const bool has_text = text.find_first_not_of(" \t\r\n") != std::string::npos;
  const int sources =
      (by_ref ? 1 : 0) + (from_tag ? 1 : 0) + (property ? 1 : 0) + (has_text ? 1 : 0);
  if (sources > 1) {
    return error(node, "<class> takes one of by-ref, from-tag, property or code points");
  }
  if (by_ref) {
    auto index = set_by_name(node, *by_ref);
    if (!index) {
      return fail(std::move(index).error());
    }
    return model_.sets[static_cast<std::size_t>(*index)];
  }
  if (from_tag) {
    const auto it = tags_.find(*from_tag);
    if (it == tags_.end()) {
      return error(node, "no repertoire element has tag '" + *from_tag + "'");
    }
    return it->second;
  }
  if (property) {
    const auto colon = property->find(':');
    if (colon == std::string::npos) {
      return error(node, "property '" + *property + "' is not NAME:VALUE");
    }
    icu::UnicodeSet set;
    UErrorCode status = U_ZERO_ERROR;
    set.applyPropertyAlias(icu::UnicodeString::fromUTF8(property->substr(0, colon)),
                           icu::UnicodeString::fromUTF8(property->substr(colon + 1)), status);
    if (U_FAILURE(status)) {
      return error(node, "unknown Unicode property '" + *property + "'");
    }
    return set;
  }
  icu::UnicodeSet set;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(" \t\r\n", pos);
    if (start == std::string::npos) {
      break;
    }
    std::size_t end = text.find_first_of(" \t\r\n", start);
    end = end == std::string::npos ? text.size() : end;
    const std::string token = text.substr(start, end - start);
    const std::size_t dash = token.find('-');
    auto first = parse_code_points(token.substr(0, dash));
    auto last = dash == std::string::npos ? first : parse_code_points(token.substr(dash + 1));
    if (!first || !last || first->size() != 1 || last->size() != 1 || (*last)[0] < (*first)[0]) {
      return error(node, "bad code point or range '" + token + "' in <class>");
    }
    set.add(static_cast<UChar32>((*first)[0]), static_cast<UChar32>((*last)[0]));
    pos = end;
  }
  return set;
}

Result<icu::UnicodeSet> Loader::compile_set(const xmlNode* node) {
  const std::string_view kind = element_name(node);
  if (kind == "class") {
    return compile_class(node);
  }
  std::vector<icu::UnicodeSet> operands;
  for (const xmlNode* child : element_children(node)) {
    if (!is_set_element(element_name(child))) {
      return error(child, "<" + std::string(element_name(child)) + "> inside <" +
                              std::string(kind) + ">: only classes and set operators");
    }
    auto set = compile_set(child);
    if (!set) {
      return fail(std::move(set).error());
    }
    operands.push_back(std::move(set).value());
  }
  const std::size_t n = operands.size();
  if (kind == "complement") {
    if (n != 1) {
      return error(node, "<complement> takes one class");
    }
    operands[0].complement();
    return operands[0];
  }
  if (((kind == "difference" || kind == "symmetric-difference") && n != 2) || n == 0) {
    return error(node, "<" + std::string(kind) + "> has the wrong number of classes");
  }
  icu::UnicodeSet result = operands[0];
  for (std::size_t i = 1; i < n; ++i) {
    if (kind == "union") {
      result.addAll(operands[i]);
    } else if (kind == "intersection") {
      result.retainAll(operands[i]);
    } else if (kind == "difference") {
      result.removeAll(operands[i]);
    } else {
      icu::UnicodeSet both = result;
      both.retainAll(operands[i]);
      result.addAll(operands[i]);
      result.removeAll(both);
    }
  }
  return result;
}

Status Loader::apply_count(const xmlNode* node, Node& out) {
  const auto count = attribute(node, "count");
  if (!count) {
    return {};
  }
  const std::string& text = *count;
  std::uint32_t min = 0;
  std::uint32_t max = 0;
  if (!text.empty() && text.back() == '+') {
    auto n = parse_count_number(std::string_view(text).substr(0, text.size() - 1));
    if (!n) {
      return error(node, n.error().message);
    }
    min = *n;
    max = kUnbounded;
  } else if (const auto colon = text.find(':'); colon != std::string::npos) {
    auto a = parse_count_number(std::string_view(text).substr(0, colon));
    auto b = parse_count_number(std::string_view(text).substr(colon + 1));
    if (!a || !b || *b < *a) {
      return error(node, "bad count '" + text + "'");
    }
    min = *a;
    max = *b;
  } else {
    auto n = parse_count_number(text);
    if (!n) {
      return error(node, n.error().message);
    }
    min = max = *n;
  }
  // No label has more than 63 code points, so larger counts behave like 64.
  out.min = static_cast<std::uint16_t>(std::min<std::uint32_t>(min, 64));
  out.max =
      max == kUnbounded ? kUnbounded : static_cast<std::uint16_t>(std::min<std::uint32_t>(max, 64));
  return {};
}

Result<std::int32_t> Loader::compile_children(const xmlNode* node, NodeKind kind) {
  Node out;
  out.kind = kind;
  for (const xmlNode* child : element_children(node)) {
    auto index = compile_node(child);
    if (!index) {
      return fail(std::move(index).error());
    }
    out.children.push_back(*index);
  }
  if (kind == NodeKind::kChoice && out.children.empty()) {
    return error(node, "<choice> without alternatives");
  }
  if (auto ok = apply_count(node, out); !ok) {
    return fail(std::move(ok).error());
  }
  return add_node(std::move(out));
}

Result<std::int32_t> Loader::compile_node(const xmlNode* node) {
  const std::string_view kind = element_name(node);
  Node out;
  if (kind == "rule") {
    if (const auto ref = attribute(node, "by-ref")) {
      auto rule = rule_by_name(node, *ref);
      if (!rule) {
        return fail(std::move(rule).error());
      }
      out.kind = NodeKind::kRuleRef;
      out.ref = *rule;
    } else {
      return compile_children(node, NodeKind::kSeq);
    }
  } else if (kind == "choice") {
    return compile_children(node, NodeKind::kChoice);
  } else if (kind == "look-behind" || kind == "look-ahead") {
    auto seq = compile_children(
        node, kind == "look-behind" ? NodeKind::kLookBehind : NodeKind::kLookAhead);
    return seq;
  } else if (kind == "char") {
    const auto cp = attribute(node, "cp");
    auto cps = cp ? parse_code_points(*cp) : Result<CodePoints>(CodePoints{});
    if (!cps || cps->empty()) {
      return error(node, "<char> in a rule needs a cp");
    }
    out.kind = NodeKind::kChar;
    out.cps = std::move(cps).value();
  } else if (is_set_element(kind)) {
    auto set = compile_set(node);
    if (!set) {
      return fail(std::move(set).error());
    }
    out.kind = NodeKind::kSet;
    out.ref = add_set(std::move(set).value());
  } else if (kind == "any") {
    out.kind = NodeKind::kAny;
  } else if (kind == "start") {
    out.kind = NodeKind::kStart;
  } else if (kind == "end") {
    out.kind = NodeKind::kEnd;
  } else if (kind == "anchor") {
    out.kind = NodeKind::kAnchor;
  } else {
    return error(node, "unknown element <" + std::string(kind) + "> in a rule");
  }
  if (auto ok = apply_count(node, out); !ok) {
    return fail(std::move(ok).error());
  }
  return add_node(std::move(out));
}

}  // namespace rootsim::registry::idn::detail
