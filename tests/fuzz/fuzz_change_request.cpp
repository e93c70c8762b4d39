// Fuzz target: change request JSON must parse or fail cleanly, and whatever parses must
// serialise to canonical JSON that parses back equal and serialises to the same bytes.
#include "rootsim/registry/change_request.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::registry;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = parse_change_request(text);
  if (!request) {
    if (request.error().message.empty() || request.error().message.front() != '/') {
      std::abort();  // every error names a JSON pointer
    }
    return 0;
  }
  const std::string canonical = to_json(*request);
  auto again = parse_change_request(canonical);
  if (!again || !(*again == *request) || to_json(*again) != canonical) {
    std::abort();
  }
  return 0;
}
