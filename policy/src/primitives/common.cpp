#include "common.hpp"

namespace rootsim::policy::primitives {

ActorRef Party::resolve(const RequestFacts& facts) const {
  if (actor) {
    return ActorRef{ActorRef::Kind::kDirectory, *actor};
  }
  switch (role) {
    case Role::kTldGovernment:
      return facts.tld_government ? ActorRef{ActorRef::Kind::kDirectory, *facts.tld_government}
                                  : ActorRef{};
    case Role::kTldManager:
      return facts.tld.empty() ? ActorRef{} : ActorRef{ActorRef::Kind::kTldManager, 0};
    case Role::kRequester:
      return facts.requester_ref;
  }
  return {};
}

std::string Party::id(const ActorDirectory& actors) const {
  if (actor) {
    return actors.actor(*actor).id;
  }
  switch (role) {
    case Role::kTldGovernment:
      return "@tld-government";
    case Role::kTldManager:
      return "@tld-manager";
    case Role::kRequester:
      return "@requester";
  }
  return "?";
}

Result<Party> parse_party(const std::string& text, const std::string& pointer,
                          const ActorDirectory& actors, bool allow_roles) {
  if (!text.empty() && text[0] == '@') {
    if (!allow_roles) {
      return fail(Errc::kParse, pointer + ": a role ('" + text + "') is not allowed here");
    }
    if (text == "@tld-government") {
      return Party{std::nullopt, Role::kTldGovernment};
    }
    if (text == "@tld-manager") {
      return Party{std::nullopt, Role::kTldManager};
    }
    if (text == "@requester") {
      return Party{std::nullopt, Role::kRequester};
    }
    return fail(Errc::kParse, pointer + ": unknown role '" + text +
                                  "' (@tld-government, @tld-manager, @requester)");
  }
  if (auto index = actors.find(text)) {
    return Party{*index, Role::kRequester};
  }
  return fail(Errc::kParse, pointer + ": unknown actor '" + text + "'");
}

Result<std::vector<ActorIndex>> parse_actor_set(const nlohmann::json& value,
                                                const std::string& pointer,
                                                const ActorDirectory& actors) {
  std::vector<ActorIndex> out;
  auto add = [&](const nlohmann::json& item, const std::string& at) -> Status {
    if (!item.is_string()) {
      return fail(Errc::kParse, at + ": expected an actor id");
    }
    const auto text = item.get<std::string>();
    if (text == "gov:*") {
      out.insert(out.end(), actors.governments().begin(), actors.governments().end());
      return {};
    }
    if (text == "rso:*") {
      out.insert(out.end(), actors.root_server_operators().begin(),
                 actors.root_server_operators().end());
      return {};
    }
    auto index = actors.find(text);
    if (!index) {
      return fail(Errc::kParse, at + ": unknown actor '" + text + "'");
    }
    out.push_back(*index);
    return {};
  };
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto s = add(value[i], pointer + "/" + std::to_string(i)); !s) {
        return fail(std::move(s).error());
      }
    }
  } else if (auto s = add(value, pointer); !s) {
    return fail(std::move(s).error());
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
    return fail(Errc::kParse, pointer + ": an actor is named twice");
  }
  if (out.empty()) {
    return fail(Errc::kParse, pointer + ": names nobody");
  }
  if (out.size() > 4096) {
    return fail(Errc::kParse, pointer + ": more than 4096 actors");
  }
  return out;
}

double probability(json_fields::Object& object, std::string_view key, double fallback) {
  const auto value = object.optional_number(key);
  if (!value) {
    return fallback;
  }
  if (!(*value >= 0.0 && *value <= 1.0)) {
    object.error(object.pointer_of(key) + ": a probability must be in [0, 1]");
    return fallback;
  }
  return *value;
}

std::vector<std::string> ids_of(const std::vector<ActorIndex>& set, const ActorDirectory& actors) {
  std::vector<std::string> out;
  out.reserve(set.size());
  for (const ActorIndex i : set) {
    out.push_back(actors.actor(i).id);
  }
  return out;
}

bool is_government_like(const Actor& a) noexcept {
  return a.kind == ActorKind::kGovernment || a.kind == ActorKind::kOversightAuthority;
}

}  // namespace rootsim::policy::primitives
