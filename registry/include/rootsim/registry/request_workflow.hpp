// The life of a change request in the registry: submit (parse, plan against the current state,
// run the IANA technical checks on the result, record it pending or rejected) and apply (plan
// again, write the change as a new zone version). A governance arrangement decides between the
// two; this module only enforces that what is applied passed the checks and still fits the registry.
// Thread-safety: functions over a RegistryStore the caller owns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/registry/change_request.hpp"
#include "rootsim/registry/registry_store.hpp"
#include "rootsim/registry/technical_checks.hpp"

namespace rootsim::registry {

struct SubmitOutcome {
  std::int64_t id = 0;
  RequestStatus status = RequestStatus::kPending;  ///< kRejected when a check found an error
  std::vector<CheckFinding> findings;               ///< of every TLD the change touches
};

/// Parses `json_text` (errors are kParse prefixed with `source`, e.g. "req.json: /ns/2: ..."),
/// plans it against the registry (kNotFound, kConflict, kSemantic as plan_change), runs the
/// technical checks on each TLD the change writes, and records the request with its findings
/// and an audit entry. A malformed or impossible request is not recorded. A `review` (e.g. the
/// IDN rules) is passed to plan_change.
[[nodiscard]] Result<SubmitOutcome> submit_request(RegistryStore& store, std::string_view json_text,
                                                   const std::string& source, std::int64_t now,
                                                   const CheckInput& checks = {},
                                                   const LabelReview* review = nullptr);

struct ApplyOutcome {
  std::uint32_t serial = 0;  ///< the zone version that publishes the change
  std::string digest;        ///< of the new unsigned zone
  Mutation mutation;
};

/// Applies a pending request: plans it again against the current state (it may no longer
/// fit), applies it, bumps the serial (YYYYMMDDNN for the day of `now`) and records the version
/// and an audit entry in one transaction. kConflict when the request is not pending.
[[nodiscard]] Result<ApplyOutcome> apply_request(RegistryStore& store, std::int64_t id,
                                                 std::int64_t now,
                                                 const LabelReview* review = nullptr);

/// Findings as a JSON array text: [{"code","severity","subject","message"}...].
[[nodiscard]] std::string findings_to_json(const std::vector<CheckFinding>& findings);

}  // namespace rootsim::registry
