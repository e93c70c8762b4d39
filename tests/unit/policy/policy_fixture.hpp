// Shared set-up for the policy tests: the actor directory (loaded once: it reads CLDR and
// iso-codes), the primitive catalog and the built-in arrangements, and facts made by hand.
#pragma once

#include "rootsim/policy/arrangement.hpp"
#include "rootsim/policy/engine.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rootsim::policy::testing {

inline const ActorDirectory& directory() {
  static const ActorDirectory kDirectory = [] {
    ActorSources sources;
    sources.actors_data = rootsim::testing::project_data() / "governance_actors.json";
    auto loaded = ActorDirectory::load(sources);
    if (!loaded) {
      ADD_FAILURE() << loaded.error().message;
      std::abort();
    }
    return std::move(*loaded);
  }();
  return kDirectory;
}

inline const PrimitiveCatalog& catalog() {
  static const PrimitiveCatalog kCatalog = builtin_primitives();
  return kCatalog;
}

inline const Arrangement& builtin(const std::string& name) {
  static std::map<std::string, Arrangement> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto a = load_arrangement(name, catalog(), directory());
    if (!a) {
      ADD_FAILURE() << a.error().message;
      std::abort();
    }
    it = cache.emplace(name, std::move(*a)).first;
  }
  return it->second;
}

inline ActorIndex actor(const std::string& id) {
  auto index = directory().find(id);
  if (!index) {
    ADD_FAILURE() << "no actor " << id;
    std::abort();
  }
  return *index;
}

/// Facts of a request about `tld` of `country` (empty: a gTLD) by `requester`.
inline RequestFacts facts(RequestKind kind, const std::string& tld, const std::string& country,
                          const std::string& requester) {
  RequestFacts f;
  f.kind = kind;
  f.tld = tld;
  f.idn = tld.rfind("xn--", 0) == 0;
  if (!country.empty()) {
    f.tld_class = TldClass::kCountryCode;
    f.country = country;
    f.tld_government = directory().government(country);
  } else {
    f.tld_class = TldClass::kGeneric;
  }
  f.requester = requester;
  auto ref = resolve_actor(requester, directory(), tld);
  EXPECT_TRUE(ref) << requester;
  f.requester_ref = *ref;
  if (ref->kind == ActorRef::Kind::kDirectory) {
    f.requester_country = directory().actor(ref->index).country;
  } else if (ref->kind == ActorRef::Kind::kTldManager) {
    f.requester_country = f.country;
  }
  return f;
}

}  // namespace rootsim::policy::testing
