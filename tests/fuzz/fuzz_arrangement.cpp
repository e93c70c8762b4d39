// Fuzz target: arrangement documents must parse or fail with an error naming a JSON pointer,
// never crash or hang; whatever parses is analysed and decides a few requests of every kind.
#include "rootsim/dns/random.hpp"
#include "rootsim/policy/analysis.hpp"
#include "rootsim/policy/engine.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

const rootsim::policy::ActorDirectory& directory() {
  static const rootsim::policy::ActorDirectory kDirectory = [] {
    rootsim::policy::ActorSources sources;
    sources.actors_data = ROOTSIM_ACTORS_DATA;
    auto d = rootsim::policy::ActorDirectory::load(sources);
    if (!d) {
      std::abort();  // the fuzzer needs the Debian data and data/governance_actors.json
    }
    return std::move(*d);
  }();
  return kDirectory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::policy;
  static const PrimitiveCatalog catalog = builtin_primitives();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto arrangement = parse_arrangement(text, "", catalog, directory());
  if (!arrangement) {
    if (arrangement.error().message.empty() || arrangement.error().message.front() != '/') {
      std::abort();  // every error names a JSON pointer
    }
    return 0;
  }
  (void)analysis_to_json({analyze(*arrangement, directory())});
  const Circumstances none;
  Evaluator engine(*arrangement, directory(), none);
  auto rng = rootsim::make_stream(1, "fuzz");
  for (std::size_t k = 0; k < kRequestKindCount; ++k) {
    RequestFacts f;
    f.kind = static_cast<RequestKind>(k);
    f.tld_class = changes_zone(f.kind) ? TldClass::kCountryCode : TldClass::kNone;
    f.tld = "fr";
    f.country = "FR";
    f.tld_government = directory().government("FR");
    f.requester = "gov:FR";
    f.requester_ref = {ActorRef::Kind::kDirectory, *f.tld_government};
    f.checks_passed = k % 2 == 0;
    const Trace& t = engine.decide(f, rootsim::dns::SimTime{0}, rng);
    if (t.outcome == FinalOutcome::kPublished && !f.checks_passed && !t.checks_overridden) {
      std::abort();
    }
  }
  return 0;
}
