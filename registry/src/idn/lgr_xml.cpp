// Loading an RFC 7940 document with libxml2: no DTD (so no entities to expand), no network,
// errors collected instead of printed; size, depth and element count bounded before anything
// is interpreted. Then metadata (§4), repertoire and variants (§5), and actions (§7).
#include "lgr_loader.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <libxml/parser.h>
#include <sstream>

namespace rootsim::registry::idn::detail {

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
  for (const xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
    if (std::string_view(reinterpret_cast<const char*>(attr->name)) == name) {
      std::string out;
      for (const xmlNode* text = attr->children; text != nullptr; text = text->next) {
        if (text->content != nullptr) {
          out += reinterpret_cast<const char*>(text->content);
        }
      }
      return out;
    }
  }
  return std::nullopt;
}

std::string_view element_name(const xmlNode* node) {
  return reinterpret_cast<const char*>(node->name);
}

Result<CodePoints> parse_code_points(std::string_view text) {
  CodePoints out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    std::uint32_t value = 0;
    const auto [stop, ec] = std::from_chars(text.data() + pos, text.data() + end, value, 16);
    if (ec != std::errc() || stop != text.data() + end || end - pos > 6 || value > 0x10FFFF ||
        (value >= 0xD800 && value <= 0xDFFF)) {
      return fail(Errc::kParse,
                  "bad code point '" + std::string(text.substr(pos, end - pos)) + "'");
    }
    out.push_back(static_cast<char32_t>(value));
    pos = end;
  }
  return out;
}

std::string Loader::where(const xmlNode* node) const {
  return source_ + ":" + std::to_string(xmlGetLineNo(node)) + ": ";
}

Unexpected<Error> Loader::error(const xmlNode* node, const std::string& what) const {
  return fail(Errc::kParse, where(node) + what);
}

void Loader::add_tag(const std::string& tag, char32_t first, char32_t last) {
  tags_[tag].add(static_cast<UChar32>(first), static_cast<UChar32>(last));
}

Result<TypeMask> Loader::type_bit(const xmlNode* node, const std::string& name) {
  if (const auto it = types_.find(name); it != types_.end()) {
    return it->second;
  }
  if (types_.size() >= kMaxTypes) {
    return fail(Errc::kLimit, where(node) + "more than 64 variant types");
  }
  const TypeMask bit = TypeMask{1} << types_.size();
  types_.emplace(name, bit);
  model_.type_names.push_back(name);
  if (name == "invalid") {
    model_.invalid = bit;
  } else if (name == "blocked") {
    model_.blocked = bit;
  } else if (name == "allocatable") {
    model_.allocatable = bit;
  } else if (name == "activated") {
    model_.activated = bit;
  }
  return bit;
}

namespace {

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

constexpr std::string_view kNamespace = "urn:ietf:params:xml:ns:lgr-1.0";

std::vector<const xmlNode*> children_of(const xmlNode* node) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      out.push_back(child);
    }
  }
  return out;
}

std::string text_content(const xmlNode* node) {
  std::string out;
  for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
    if (child->content != nullptr &&
        (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)) {
      out += reinterpret_cast<const char*>(child->content);
    }
  }
  const auto first = out.find_first_not_of(" \t\r\n");
  const auto last = out.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : out.substr(first, last - first + 1);
}

// Depth and element count, iteratively (a deep hostile file must not exhaust the stack).
Status check_shape(const xmlNode* root, const LgrLimits& limits, const std::string& source) {
  std::size_t elements = 0;
  std::vector<std::pair<const xmlNode*, std::size_t>> stack{{root, 1}};
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (++elements > limits.max_elements) {
      return fail(Errc::kLimit,
                  source + ": more than " + std::to_string(limits.max_elements) + " XML elements");
    }
    if (depth > limits.max_depth) {
      return fail(Errc::kLimit, source + ":" + std::to_string(xmlGetLineNo(node)) +
                                    ": XML nested deeper than " + std::to_string(limits.max_depth) +
                                    " elements");
    }
    for (const xmlNode* child = node->children; child != nullptr; child = child->next) {
      if (child->type == XML_ELEMENT_NODE) {
        stack.emplace_back(child, depth + 1);
      }
    }
  }
  return {};
}

Status parse_meta(const xmlNode* meta, LgrMetadata& out) {
  for (const xmlNode* child : children_of(meta)) {
    const std::string_view name = element_name(child);
    if (name == "version") {
      out.version = text_content(child);
    } else if (name == "date") {
      out.date = text_content(child);
    } else if (name == "language") {
      out.languages.push_back(text_content(child));
    } else if (name == "scope") {
      out.scope = text_content(child);
    } else if (name == "unicode-version") {
      out.unicode_version = text_content(child);
    }
    // description, validity-start/-end and references are informative.
  }
  return {};
}

class DocumentLoader {
 public:
  DocumentLoader(std::string source, LgrModel& model)
      : loader_(source, model), model_(model), source_(std::move(source)) {}

  Status load(const xmlNode* root) {
    const xmlNode* data = nullptr;
    const xmlNode* rules = nullptr;
    for (const xmlNode* child : children_of(root)) {
      const std::string_view name = element_name(child);
      if (name == "meta") {
        if (auto ok = parse_meta(child, model_.metadata); !ok) {
          return ok;
        }
      } else if (name == "data") {
        data = child;
      } else if (name == "rules") {
        rules = child;
      } else {
        return loader_.error(child, "unknown element <" + std::string(name) + "> in <lgr>");
      }
    }
    if (data == nullptr) {
      return fail(Errc::kParse, source_ + ": no <data> element");
    }
    // Tags come from <data>, names from <rules>: index both before compiling anything.
    if (auto ok = collect_tags(data); !ok) {
      return ok;
    }
    if (rules != nullptr) {
      if (auto ok = loader_.index_rules(rules); !ok) {
        return ok;
      }
    }
    if (auto ok = parse_data(data); !ok) {
      return ok;
    }
    if (rules != nullptr) {
      if (auto ok = loader_.compile_all(); !ok) {
        return ok;
      }
      if (auto ok = parse_actions(rules); !ok) {
        return ok;
      }
    }
    finish();
    return {};
  }

 private:
  Status collect_tags(const xmlNode* data) {
    for (const xmlNode* child : children_of(data)) {
      const auto tag = attribute(child, "tag");
      if (!tag) {
        continue;
      }
      char32_t first = 0;
      char32_t last = 0;
      if (element_name(child) == "char") {
        auto cps = parse_code_points(attribute(child, "cp").value_or(""));
        if (!cps || cps->size() != 1) {
          continue;  // sequences carry no tags; parse_data reports a bad cp
        }
        first = last = (*cps)[0];
      } else {
        auto a = parse_code_points(attribute(child, "first-cp").value_or(""));
        auto b = parse_code_points(attribute(child, "last-cp").value_or(""));
        if (!a || !b || a->size() != 1 || b->size() != 1) {
          continue;
        }
        first = (*a)[0];
        last = (*b)[0];
      }
      std::istringstream words(*tag);
      std::string word;
      while (words >> word) {
        loader_.add_tag(word, first, std::max(first, last));
      }
    }
    return {};
  }

  Status context(const xmlNode* node, std::int32_t& when, std::int32_t& not_when) {
    const auto w = attribute(node, "when");
    const auto nw = attribute(node, "not-when");
    if (w && nw) {
      return loader_.error(node, "both when and not-when");
    }
    if (w) {
      auto rule = loader_.rule_by_name(node, *w);
      if (!rule) {
        return fail(std::move(rule).error());
      }
      when = *rule;
    }
    if (nw) {
      auto rule = loader_.rule_by_name(node, *nw);
      if (!rule) {
        return fail(std::move(rule).error());
      }
      not_when = *rule;
    }
    return {};
  }

  Status parse_char(const xmlNode* node) {
    auto cps = parse_code_points(attribute(node, "cp").value_or(""));
    if (!cps || cps->empty()) {
      return loader_.error(node, "<char> needs a cp of hex code points");
    }
    Element element;
    element.cp = std::move(cps).value();
    if (auto ok = context(node, element.when, element.not_when); !ok) {
      return ok;
    }
    for (const xmlNode* var : children_of(node)) {
      if (element_name(var) != "var") {
        return loader_.error(var,
                             "unknown element <" + std::string(element_name(var)) + "> in <char>");
      }
      auto vcp = parse_code_points(attribute(var, "cp").value_or(""));
      if (!vcp || vcp->empty()) {
        return loader_.error(var, "<var> needs a cp of hex code points");
      }
      Variant variant;
      variant.cp = std::move(vcp).value();
      if (const auto type = attribute(var, "type")) {
        auto bit = loader_.type_bit(var, *type);
        if (!bit) {
          return fail(std::move(bit).error());
        }
        variant.types = *bit;
      }
      if (auto ok = context(var, variant.when, variant.not_when); !ok) {
        return ok;
      }
      element.variants.push_back(std::move(variant));
    }
    if (!seen_.insert(element.cp).second) {
      return loader_.error(node, format_code_points(element.cp) + " is listed twice");
    }
    const auto index = static_cast<std::uint32_t>(model_.elements.size());
    model_.by_first[element.cp[0]].push_back(index);
    model_.elements.push_back(std::move(element));
    ++model_.repertoire_size;
    return {};
  }

  Status parse_range(const xmlNode* node) {
    auto first = parse_code_points(attribute(node, "first-cp").value_or(""));
    auto last = parse_code_points(attribute(node, "last-cp").value_or(""));
    if (!first || !last || first->size() != 1 || last->size() != 1 || (*last)[0] < (*first)[0]) {
      return loader_.error(node, "<range> needs first-cp <= last-cp");
    }
    if (!children_of(node).empty()) {
      return loader_.error(node, "a <range> has no variants");
    }
    Range range{(*first)[0], (*last)[0]};
    if (auto ok = context(node, range.when, range.not_when); !ok) {
      return ok;
    }
    model_.ranges.push_back(range);
    model_.repertoire_size += (*last)[0] - (*first)[0] + 1;
    return {};
  }

  Status parse_data(const xmlNode* data) {
    for (const xmlNode* child : children_of(data)) {
      const std::string_view name = element_name(child);
      Status ok;
      if (name == "char") {
        ok = parse_char(child);
      } else if (name == "range") {
        ok = parse_range(child);
      } else {
        ok = loader_.error(child, "unknown element <" + std::string(name) + "> in <data>");
      }
      if (!ok) {
        return ok;
      }
    }
    return {};
  }

  Status parse_actions(const xmlNode* rules) {
    for (const xmlNode* node : children_of(rules)) {
      if (element_name(node) != "action") {
        continue;
      }
      Action action;
      const auto disp = attribute(node, "disp");
      if (!disp || disp->empty()) {
        return loader_.error(node, "<action> needs a disp");
      }
      action.disposition = *disp;
      action.kind = disposition_kind(*disp);
      const auto match = attribute(node, "match");
      const auto not_match = attribute(node, "not-match");
      if (match && not_match) {
        return loader_.error(node, "<action> with both match and not-match (RFC 7940 7.1)");
      }
      for (const auto& [name, target] :
           {std::pair{match, &action.match}, std::pair{not_match, &action.not_match}}) {
        if (name) {
          auto rule = loader_.rule_by_name(node, *name);
          if (!rule) {
            return fail(std::move(rule).error());
          }
          *target = *rule;
        }
      }
      int triggers = 0;
      for (const auto& [attr, trigger] : {std::pair{"any-variant", Trigger::kAnyVariant},
                                          std::pair{"all-variants", Trigger::kAllVariants},
                                          std::pair{"only-variants", Trigger::kOnlyVariants}}) {
        const auto list = attribute(node, attr);
        if (!list) {
          continue;
        }
        ++triggers;
        action.trigger = trigger;
        std::istringstream words(*list);
        std::string word;
        while (words >> word) {
          auto bit = loader_.type_bit(node, word);
          if (!bit) {
            return fail(std::move(bit).error());
          }
          action.types |= *bit;
        }
      }
      if (triggers > 1) {
        return loader_.error(node, "<action> with more than one variant trigger");
      }
      action.description = attribute(node, "comment").value_or("action " + *disp);
      model_.actions.push_back(std::move(action));
    }
    return {};
  }

  void finish() {
    for (auto& [first, list] : model_.by_first) {
      std::stable_sort(list.begin(), list.end(), [this](std::uint32_t a, std::uint32_t b) {
        return model_.elements[a].cp.size() > model_.elements[b].cp.size();
      });
    }
    std::sort(model_.ranges.begin(), model_.ranges.end(),
              [](const Range& a, const Range& b) { return a.first < b.first; });
    for (icu::UnicodeSet& set : model_.sets) {
      set.freeze();
    }
  }

  Loader loader_;
  LgrModel& model_;
  std::string source_;
  std::set<CodePoints> seen_;
};

Result<std::string> read_limited(const std::filesystem::path& file, const LgrLimits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) {
    return fail(Errc::kIo, file.string() + ": " + ec.message());
  }
  if (size > limits.max_file_bytes) {
    return fail(Errc::kLimit, file.string() + ": " + std::to_string(size) +
                                  " bytes, more than the limit of " +
                                  std::to_string(limits.max_file_bytes));
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read");
  }
  return text.str();
}

}  // namespace

Disposition disposition_kind(std::string_view name) noexcept {
  if (name == "valid") {
    return Disposition::kValid;
  }
  if (name == "allocatable") {
    return Disposition::kAllocatable;
  }
  if (name == "blocked") {
    return Disposition::kBlocked;
  }
  if (name == "invalid") {
    return Disposition::kInvalid;
  }
  return Disposition::kOther;
}

}  // namespace rootsim::registry::idn::detail

namespace rootsim::registry::idn {

std::string_view to_string(Disposition disposition) noexcept {
  switch (disposition) {
    case Disposition::kValid:
      return "valid";
    case Disposition::kAllocatable:
      return "allocatable";
    case Disposition::kBlocked:
      return "blocked";
    case Disposition::kInvalid:
      return "invalid";
    case Disposition::kOther:
      return "other";
  }
  return "other";
}

Lgr::Lgr(std::unique_ptr<const detail::LgrModel> model) : model_(std::move(model)) {}
Lgr::Lgr(Lgr&&) noexcept = default;
Lgr& Lgr::operator=(Lgr&&) noexcept = default;
Lgr::~Lgr() = default;

const LgrMetadata& Lgr::metadata() const noexcept { return model_->metadata; }
std::size_t Lgr::repertoire_size() const noexcept { return model_->repertoire_size; }

Result<Lgr> Lgr::load_file(const std::filesystem::path& file, const LgrLimits& limits) {
  auto text = detail::read_limited(file, limits);
  if (!text) {
    return fail(std::move(text).error());
  }
  return load_text(*text, file.filename().string(), limits);
}

Result<Lgr> Lgr::load_text(std::string_view xml, const std::string& source,
                           const LgrLimits& limits) {
  if (xml.size() > limits.max_file_bytes) {
    return fail(Errc::kLimit, source + ": " + std::to_string(xml.size()) +
                                  " bytes, more than the limit of " +
                                  std::to_string(limits.max_file_bytes));
  }
  xmlInitParser();
  const std::unique_ptr<xmlParserCtxt, detail::CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) {
    return fail(Errc::kIo, source + ": libxml2 cannot allocate a parser");
  }
  // No XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no network; errors are
  // collected in the context instead of printed.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  const std::unique_ptr<xmlDoc, detail::DocFree> doc(xmlCtxtReadMemory(
      ctxt.get(), xml.data(), static_cast<int>(xml.size()), source.c_str(), nullptr, options));
  if (!doc) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string message = (e != nullptr && e->message != nullptr) ? e->message : "not XML";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return fail(Errc::kParse, source + ":" + std::to_string(e != nullptr ? e->line : 0) +
                                  ": malformed XML: " + message);
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return fail(Errc::kParse, source + ": a DTD is not allowed in an LGR file");
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || detail::element_name(root) != "lgr") {
    return fail(Errc::kParse, source + ": the root element is not <lgr>");
  }
  if (root->ns != nullptr && root->ns->href != nullptr &&
      std::string_view(reinterpret_cast<const char*>(root->ns->href)) != detail::kNamespace) {
    return fail(Errc::kParse,
                source + ": <lgr> is not in the namespace " + std::string(detail::kNamespace));
  }
  if (auto ok = detail::check_shape(root, limits, source); !ok) {
    return fail(std::move(ok).error());
  }
  auto model = std::make_unique<detail::LgrModel>();
  detail::DocumentLoader loader(source, *model);
  if (auto ok = loader.load(root); !ok) {
    return fail(std::move(ok).error());
  }
  return Lgr(std::move(model));
}

}  // namespace rootsim::registry::idn
