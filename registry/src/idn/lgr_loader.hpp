// The RFC 7940 loader's state, split over lgr_xml.cpp (document, metadata, repertoire,
// actions) and lgr_classes.cpp (classes and rules, resolved by name on demand with cycle
// detection). Private to registry/src.
#pragma once

#include "lgr_model.hpp"

#include <libxml/tree.h>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::registry::idn::detail {

/// Text of an attribute, or nullopt.
[[nodiscard]] std::optional<std::string> attribute(const xmlNode* node, const char* name);
/// Local name of an element.
[[nodiscard]] std::string_view element_name(const xmlNode* node);
/// Parses "0061" or "0061 0301" (hex code points separated by spaces).
[[nodiscard]] Result<CodePoints> parse_code_points(std::string_view text);

class Loader {
 public:
  Loader(std::string source, LgrModel& model) : source_(std::move(source)), model_(model) {}

  /// "file.xml:123: " for a node.
  [[nodiscard]] std::string where(const xmlNode* node) const;
  [[nodiscard]] Unexpected<Error> error(const xmlNode* node, const std::string& what) const;

  /// Records a <char>/<range> tag for from-tag classes.
  void add_tag(const std::string& tag, char32_t first, char32_t last);
  /// Interns a variant type name into its bit. kLimit past 64 types.
  [[nodiscard]] Result<TypeMask> type_bit(const xmlNode* node, const std::string& name);

  /// Indexes the named classes and rules of <rules> so that references resolve in any order.
  [[nodiscard]] Status index_rules(const xmlNode* rules);
  /// The rule index of a name (compiling it on first use). kParse when undefined or cyclic.
  [[nodiscard]] Result<std::int32_t> rule_by_name(const xmlNode* user, const std::string& name);
  /// Compiles every named class and rule (so that errors in unused ones are reported too).
  [[nodiscard]] Status compile_all();

 private:
  Result<std::int32_t> set_by_name(const xmlNode* user, const std::string& name);
  Result<icu::UnicodeSet> compile_set(const xmlNode* node);
  Result<icu::UnicodeSet> compile_class(const xmlNode* node);
  Result<std::int32_t> compile_node(const xmlNode* node);
  Result<std::int32_t> compile_children(const xmlNode* node, NodeKind kind);
  Status apply_count(const xmlNode* node, Node& out);
  std::int32_t add_node(Node node);
  std::int32_t add_set(icu::UnicodeSet set);
  bool has_anchor(std::int32_t node, int depth) const;

  std::string source_;
  LgrModel& model_;
  std::map<std::string, icu::UnicodeSet> tags_;
  std::map<std::string, TypeMask> types_;
  std::map<std::string, const xmlNode*> named_sets_;
  std::map<std::string, const xmlNode*> named_rules_;
  std::map<std::string, std::int32_t> compiled_sets_;
  std::map<std::string, std::int32_t> compiled_rules_;
  std::set<std::string> in_progress_;
};

}  // namespace rootsim::registry::idn::detail
