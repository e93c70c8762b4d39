// A hook plan_change() calls before it delegates or transfers a TLD, so that label policy (the
// IDN rules: IDNA2008, the Root Zone LGR, variants; see idn/idn_review.hpp) stays out of the
// planner. Thread-safety: implementations are const and may be shared between threads.
// Ownership: plan_change borrows the review for the duration of the call.
#pragma once

#include "rootsim/dns/name.hpp"
#include "rootsim/dns/result.hpp"
#include "rootsim/registry/registry_state.hpp"

#include <string>

namespace rootsim::registry {

class LabelReview {
 public:
  virtual ~LabelReview() = default;
  /// Before `tld` is delegated to `manager`. Errors: kSemantic saying why the label may not be
  /// delegated (to this manager); kNotFound when data the review needs is missing.
  [[nodiscard]] virtual Status review_delegation(const dns::Name& tld, const std::string& manager,
                                                 const RegistryState& state) const = 0;
  /// Before `tld` is transferred to `manager`. Errors as review_delegation.
  [[nodiscard]] virtual Status review_transfer(const dns::Name& tld, const std::string& manager,
                                               const RegistryState& state) const = 0;
};

}  // namespace rootsim::registry
