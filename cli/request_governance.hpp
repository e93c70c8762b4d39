// `request submit --arrangement`: runs a submitted request through a governance arrangement,
// records the decision trace with the request (and in the audit log), and applies the request
// when the trace says it is published. Only cli/ uses this.
#pragma once

#include "rootsim/registry/request_workflow.hpp"

#include "cli_support.hpp"

#include <cstdint>
#include <string>

namespace rootsim::cli {

struct GovernanceOptions {
  std::string arrangement;  ///< built-in name or file
  std::uint64_t seed = 1;
  std::string circumstances;  ///< optional JSON file: interests, failures, ...
  bool json = false;
};

/// Decides the request `outcome` names (pending after submit) and prints the result. Returns
/// the exit code: 0 published or pending, 1 rejected, 2 bad input.
int decide_submitted(const GlobalOptions& global, registry::RegistryStore& store,
                     const registry::SubmitOutcome& outcome, const std::string& request_text,
                     const GovernanceOptions& options);

}  // namespace rootsim::cli
