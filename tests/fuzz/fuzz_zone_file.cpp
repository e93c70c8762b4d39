// Fuzz target: master-file text -> records -> presentation -> records again must agree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rootsim/dns/zone_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::dns;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto zone = parse_zone_text(text, Name(), "<fuzz>");
  if (!zone) {
    return 0;
  }
  const std::string printed = write_zone_text(zone->records);
  auto again = parse_zone_text(printed, Name(), "<fuzz-reprint>");
  if (!again || again->records.size() != zone->records.size()) {
    std::abort();  // what we print must read back
  }
  for (std::size_t i = 0; i < zone->records.size(); ++i) {
    if (!(again->records[i] == zone->records[i])) {
      std::abort();
    }
  }
  return 0;
}
