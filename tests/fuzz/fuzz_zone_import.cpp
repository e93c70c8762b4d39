// Fuzz target: master-file text -> import as a root zone -> export -> import again must agree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rootsim/dns/zone_file.hpp"
#include "rootsim/registry/tld_classifier.hpp"
#include "rootsim/registry/zone_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim;
  static const auto classifier = registry::TldClassifier::load();
  if (!classifier) {
    std::abort();  // the Debian data files must be installed
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto zone = dns::parse_zone_text(text, dns::Name(), "<fuzz>");
  if (!zone) {
    return 0;
  }
  auto state = registry::import_zone(*zone, *classifier, 0);
  if (!state) {
    return 0;
  }
  const auto exported = registry::build_unsigned_zone(*state);
  auto again = dns::parse_zone_text(dns::write_zone_text(exported), dns::Name(), "<export>");
  if (!again) {
    std::abort();  // what we export must read back
  }
  auto reimported = registry::import_zone(*again, *classifier, 0);
  if (!reimported || registry::build_unsigned_zone(*reimported) != exported) {
    std::abort();  // export is a fixed point of import
  }
  return 0;
}
