// Structural analysis of arrangements, computed from their declarations (not simulated): per
// request type and TLD class, the single points of control (who can alone get the request
// through against everyone else: for revoke and transfer, who can alone remove or transfer a
// TLD), the veto points (whose refusal alone blocks it), whether a foreign government can
// affect a ccTLD (Tunis Agenda para 63), the stakeholder groups and regions that take part, and
// the expected lead time from the delay distributions. Thread-safety: pure functions.
// Ownership: results are values.
#pragma once

#include "rootsim/policy/arrangement.hpp"

#include <string>
#include <vector>

namespace rootsim::policy {

struct PathAnalysis {
  bool applicable = false;  ///< the arrangement has a process for this kind and class
  /// Actor ids or roles ("@tld-manager"); every government is written "gov:*".
  std::vector<std::string> single_points_of_control;
  std::vector<std::string> veto_points;
  bool foreign_influence_on_cctld = false;
  double expected_lead_time_days = 0;  ///< if approved at every stage; appeals by probability
  std::vector<std::string> stakeholder_groups;  ///< Tunis Agenda groups taking part
  std::vector<std::string> regions;             ///< M49 regions of governments taking part
};

struct KindAnalysis {
  RequestKind kind = RequestKind::kNsUpdate;
  PathAnalysis combined;  ///< lists: union over classes; lead time: the slower class
  PathAnalysis cctld;     ///< zone requests only
  PathAnalysis gtld;      ///< zone requests only
};

struct ArrangementAnalysis {
  std::string name;
  std::vector<KindAnalysis> kinds;  ///< every kind the arrangement has a process for
};

[[nodiscard]] ArrangementAnalysis analyze(const Arrangement& arrangement,
                                          const ActorDirectory& actors);
/// {"arrangements": [{"name", "request_types": {"<type>": {"single_points_of_control",
/// "veto_points", "foreign_influence_on_cctld", "expected_lead_time_days",
/// "stakeholder_groups", "regions", "by_tld_class": {"cctld": {...}, "gtld": {...}}}}}],
/// "legend": {...}}, sorted keys.
[[nodiscard]] std::string analysis_to_json(const std::vector<ArrangementAnalysis>& analyses);
/// A fixed-width table (one row per arrangement and request type) followed by a legend.
[[nodiscard]] std::string analysis_to_text(const std::vector<ArrangementAnalysis>& analyses);

}  // namespace rootsim::policy
