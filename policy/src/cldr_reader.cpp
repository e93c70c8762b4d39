#include "cldr_reader.hpp"

#include <cctype>
#include <fstream>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>

namespace rootsim::policy {
namespace {

using XmlDoc = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

Result<XmlDoc> read_xml(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read");
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();
  if (bytes.size() > 64U * 1024U * 1024U) {
    return fail(Errc::kLimit, file.string() + ": larger than 64 MiB");
  }
  // No XML_PARSE_NOENT (entities stay unexpanded), no XML_PARSE_DTDLOAD (the external DTD the
  // file names is not fetched), XML_PARSE_NONET (nothing from the network, ever).
  XmlDoc doc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), file.string().c_str(),
                           nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
             &xmlFreeDoc);
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    return fail(Errc::kParse,
                file.string() + ": not well-formed XML" +
                    (e != nullptr && e->message != nullptr ? std::string(": ") + e->message
                                                           : std::string()));
  }
  return doc;
}

std::string_view name_of(const xmlNode* node) {
  return node->name == nullptr ? std::string_view{}
                               : std::string_view(reinterpret_cast<const char*>(node->name));
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) {
    return std::nullopt;
  }
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

const xmlNode* find_element(const xmlNode* node, std::string_view name) {
  for (const xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) {
      continue;
    }
    if (name_of(n) == name) {
      return n;
    }
    if (const xmlNode* inner = find_element(n->children, name); inner != nullptr) {
      return inner;
    }
  }
  return nullptr;
}

template <class F>
void for_each_child(const xmlNode* parent, std::string_view name, F&& f) {
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && name_of(n) == name) {
      f(n);
    }
  }
}

std::string text_of(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) {
    return {};
  }
  std::string out(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return out;
}

}  // namespace

std::string CldrTerritories::region_name(const std::string& code) const {
  if (auto it = names.find(code); it != names.end()) {
    return it->second;
  }
  return code;
}

Result<CldrTerritories> read_cldr_territories(const std::filesystem::path& supplemental,
                                              const std::filesystem::path& english) {
  auto doc = read_xml(supplemental);
  if (!doc) {
    return fail(doc.error());
  }
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  const xmlNode* containment = find_element(root, "territoryContainment");
  const xmlNode* info = find_element(root, "territoryInfo");
  if (containment == nullptr || info == nullptr) {
    return fail(Errc::kParse, supplemental.string() + ": no territoryContainment or territoryInfo");
  }
  // child -> parent over the primary tree only: groups marked deprecated or as extra groupings
  // (EU, UN, Sub-Saharan Africa, Latin America) are other views of the same territories.
  std::map<std::string, std::string> parent;
  for_each_child(containment, "group", [&](const xmlNode* g) {
    if (attribute(g, "status") || attribute(g, "grouping")) {
      return;
    }
    const auto type = attribute(g, "type");
    const auto contains = attribute(g, "contains");
    if (!type || !contains) {
      return;
    }
    std::istringstream words(*contains);
    std::string child;
    while (words >> child) {
      parent.emplace(child, *type);
    }
  });
  CldrTerritories out;
  for (const auto& [child, sub] : parent) {
    const bool is_territory =
        child.size() == 2 && std::isupper(static_cast<unsigned char>(child[0])) != 0;
    if (!is_territory) {
      continue;
    }
    auto up = parent.find(sub);
    const std::string region = (up == parent.end() || up->second == "001") ? sub : up->second;
    out.containment[child] = {sub, region};
  }
  for_each_child(info, "territory", [&](const xmlNode* t) {
    const auto type = attribute(t, "type");
    const auto population = attribute(t, "population");
    const auto gdp = attribute(t, "gdp");
    if (!type || !population || !gdp) {
      return;
    }
    try {
      out.info[*type] = {static_cast<std::uint64_t>(std::stod(*population)), std::stod(*gdp)};
    } catch (const std::exception&) {
      // A malformed figure leaves the territory without an economy group.
    }
  });
  auto names_doc = read_xml(english);
  if (!names_doc) {
    return fail(names_doc.error());
  }
  const xmlNode* territories = find_element(xmlDocGetRootElement(names_doc->get()), "territories");
  if (territories == nullptr) {
    return fail(Errc::kParse, english.string() + ": no territories element");
  }
  for_each_child(territories, "territory", [&](const xmlNode* t) {
    if (attribute(t, "alt")) {
      return;
    }
    if (const auto type = attribute(t, "type")) {
      out.names[*type] = text_of(t);
    }
  });
  return out;
}

}  // namespace rootsim::policy
