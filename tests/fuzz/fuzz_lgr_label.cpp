// Fuzz target: any bytes as a label: UTF-8 decoding, IDNA2008/UTS #46 checking, and evaluation
// against a small LGR with context rules, whole-label rules and variants must not crash, and
// the variant search must agree with variant generation.
#include "rootsim/registry/idn/label.hpp"
#include "rootsim/registry/idn/lgr.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

const char* kLgr = R"(<lgr xmlns="urn:ietf:params:xml:ns:lgr-1.0"><data>
  <char cp="0061"><var cp="0061" type="r"/><var cp="00E0" type="alt"/></char>
  <char cp="00E0"><var cp="0061" type="alt"/></char>
  <char cp="0062"><var cp="0063" type="blocked"/></char><char cp="0063"><var cp="0062" type="blocked"/></char>
  <char cp="0915"/><char cp="094D" when="after-ka"/><char cp="200D" when="after-virama"/>
  <char cp="0430"><var cp="0061" type="blocked"/></char>
  <range first-cp="0440" last-cp="044F"/></data><rules>
  <rule name="after-ka"><look-behind><char cp="0915"/></look-behind><anchor/></rule>
  <rule name="after-virama"><look-behind><char cp="094D"/></look-behind><anchor/></rule>
  <rule name="mixed"><choice><rule><char cp="0061"/><any count="0+"/><char cp="0430"/></rule>
    <rule><char cp="0430"/><any count="0+"/><char cp="0061"/></rule></choice></rule>
  <action disp="invalid" match="mixed"/><action disp="blocked" any-variant="blocked"/>
  <action disp="allocatable" only-variants="r alt"/><action disp="valid"/></rules></lgr>)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::registry::idn;
  static const Lgr lgr = Lgr::load_text(kLgr, "fuzz-label.xml").value();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto forms = check_label(text);
  if (forms && (forms->a_label.empty() || forms->code_points.empty())) {
    std::abort();
  }
  auto cps = decode_utf8(text);
  if (!cps) {
    return 0;
  }
  if (encode_utf8(*cps) != text) {
    std::abort();  // decoding accepts only well-formed UTF-8, which round-trips
  }
  auto verdict = lgr.evaluate(*cps);
  if (!verdict) {
    if (!cps->empty() && cps->size() <= kMaxLabelCodePoints) {
      std::abort();
    }
    return 0;
  }
  if (verdict->disposition == Disposition::kInvalid) {
    return 0;
  }
  auto variants = lgr.variants(*cps, 64, true);
  if (!variants) {
    std::abort();
  }
  for (const VariantLabel& v : variants->variants) {
    auto found = lgr.variant_of(*cps, v.label);
    if (!found || found->label != v.label) {
      std::abort();
    }
  }
  return 0;
}
