// Helpers shared by the primitives: actor sets with roles, probabilities, and the factories of
// the built-in primitives. Private to rootsim::policy.
// Thread-safety: pure functions and immutable values. Ownership: values.
#pragma once

#include "rootsim/policy/primitive.hpp"

#include "rootsim/policy/json_fields.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rootsim::policy::primitives {

enum class Role : std::uint8_t { kTldGovernment, kTldManager, kRequester };

/// A party named in params: a directory actor or a role resolved per request.
struct Party {
  std::optional<ActorIndex> actor;
  Role role = Role::kRequester;
  [[nodiscard]] ActorRef resolve(const RequestFacts& facts) const;
  [[nodiscard]] std::string id(const ActorDirectory& actors) const;  ///< "iana", "@tld-manager"
};

/// Parses one party ("iana", "gov:FR", "@tld-government"); `allow_roles` false refuses roles.
[[nodiscard]] Result<Party> parse_party(const std::string& text, const std::string& pointer,
                                        const ActorDirectory& actors, bool allow_roles);
/// A list of directory actors: ids, "gov:*" (every government), "rso:*" (every operator);
/// either one string or an array. Errors name the pointer; an empty result is an error.
[[nodiscard]] Result<std::vector<ActorIndex>> parse_actor_set(const nlohmann::json& value,
                                                              const std::string& pointer,
                                                              const ActorDirectory& actors);
/// A probability member in [0, 1] (default when absent).
[[nodiscard]] double probability(json_fields::Object& object, std::string_view key,
                                 double fallback);
/// The ids of a set, "gov:*" style abbreviations not undone.
[[nodiscard]] std::vector<std::string> ids_of(const std::vector<ActorIndex>& set,
                                              const ActorDirectory& actors);
/// True when `a` is a party that could be the government of another country than the TLD's.
[[nodiscard]] bool is_government_like(const Actor& a) noexcept;

using Made = Result<std::shared_ptr<const Primitive>>;
Made make_technical_check(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_contact_confirmation(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_single_approver(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_vote(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_consensus(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_veto(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_local_authority(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_review_panel(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_appeal(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_publication(const nlohmann::json&, const std::string&, const ParseContext&);
Made make_performance_review(const nlohmann::json&, const std::string&, const ParseContext&);

}  // namespace rootsim::policy::primitives
