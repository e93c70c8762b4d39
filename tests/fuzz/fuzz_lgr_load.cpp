// Fuzz target: any bytes given as an RFC 7940 file must load or fail with a message, never
// crash or hang; whatever loads must evaluate labels and generate variants within its limits.
#include "rootsim/registry/idn/lgr.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::registry::idn;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  LgrLimits limits;
  limits.max_file_bytes = 1U << 20U;
  limits.max_elements = 20000;
  auto lgr = Lgr::load_text(text, "fuzz.xml", limits);
  if (!lgr) {
    if (lgr.error().message.empty()) {
      std::abort();
    }
    return 0;
  }
  for (const CodePoints& label : {CodePoints{U'a'}, CodePoints{U'a', U'b', U'c'},
                                  CodePoints{0x0915, 0x094D, 0x200D}, CodePoints(63, U'a')}) {
    auto verdict = lgr->evaluate(label);
    if (!verdict) {
      std::abort();  // labels of 1..63 code points are always evaluated
    }
    if (verdict->disposition != Disposition::kInvalid) {
      auto variants = lgr->variants(label, 200);
      if (!variants || variants->variants.size() > 200) {
        std::abort();
      }
    }
  }
  return 0;
}
