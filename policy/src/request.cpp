#include "rootsim/policy/request.hpp"

#include "rootsim/policy/json_fields.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace rootsim::policy {
namespace {

constexpr std::array<std::string_view, kRequestKindCount> kKindNames = {
    "ns-update", "ds-update", "glue-update",     "delegate",    "transfer",
    "revoke",    "retire",    "rso-designation", "rso-removal", "principle-change"};

std::string label_of(const dns::Name& name) {
  std::string text = name.to_text();
  if (!text.empty() && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::string_view to_string(RequestKind kind) noexcept {
  return kKindNames.at(static_cast<std::size_t>(kind));
}

std::optional<RequestKind> request_kind_from_string(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == text) {
      return static_cast<RequestKind>(i);
    }
  }
  return std::nullopt;
}

RequestKind request_kind(registry::RequestType type) noexcept {
  return static_cast<RequestKind>(static_cast<std::uint8_t>(type));
}

bool changes_zone(RequestKind kind) noexcept { return kind <= RequestKind::kRetire; }

std::string_view to_string(TldClass tld_class) noexcept {
  switch (tld_class) {
    case TldClass::kCountryCode:
      return "cctld";
    case TldClass::kGeneric:
      return "gtld";
    case TldClass::kNone:
      return "none";
  }
  return "?";
}

std::string_view to_string(FailureKind kind) noexcept {
  switch (kind) {
    case FailureKind::kCapture:
      return "capture";
    case FailureKind::kDeadlock:
      return "deadlock";
    case FailureKind::kInterference:
      return "interference";
    case FailureKind::kCollusion:
      return "collusion";
    case FailureKind::kModifiedZone:
      return "modified-zone";
  }
  return "?";
}

Result<ActorRef> resolve_actor(std::string_view id, const ActorDirectory& actors,
                               std::string_view tld) {
  if (id.rfind("manager:", 0) == 0) {
    std::string_view label = id.substr(8);
    if (!label.empty() && label.back() == '.') {
      label.remove_suffix(1);
    }
    if (label.empty()) {
      return fail(Errc::kParse, "unknown actor '" + std::string(id) + "'");
    }
    return ActorRef{label == tld ? ActorRef::Kind::kTldManager : ActorRef::Kind::kOtherManager, 0};
  }
  if (auto index = actors.find(id)) {
    return ActorRef{ActorRef::Kind::kDirectory, *index};
  }
  return fail(Errc::kParse, "unknown actor '" + std::string(id) + "'");
}

namespace {

Result<ActorIndex> directory_actor(json_fields::Object& object, std::string_view key,
                                   const ActorDirectory& actors) {
  auto id = object.string(key);
  if (!id) {
    return fail(Errc::kParse, object.pointer_of(key) + ": missing");
  }
  auto index = actors.find(*id);
  if (!index) {
    return fail(Errc::kParse, object.pointer_of(key) + ": unknown actor '" + *id + "'");
  }
  return *index;
}

Result<std::vector<ActorIndex>> actor_list(json_fields::Object& object, std::string_view key,
                                           const ActorDirectory& actors, std::size_t exact) {
  auto ids = object.string_list(key);
  if (!ids) {
    return fail(Errc::kParse, object.pointer_of(key) + ": expected a list of actor ids");
  }
  if ((exact != 0 && ids->size() != exact) || ids->empty()) {
    return fail(Errc::kParse, object.pointer_of(key) + ": expected " +
                                  (exact != 0 ? std::to_string(exact) : std::string("some")) +
                                  " actor ids");
  }
  std::vector<ActorIndex> out;
  for (std::size_t i = 0; i < ids->size(); ++i) {
    auto index = actors.find((*ids)[i]);
    if (!index) {
      return fail(Errc::kParse, object.pointer_of(key) + "/" + std::to_string(i) +
                                    ": unknown actor '" + (*ids)[i] + "'");
    }
    out.push_back(*index);
  }
  return out;
}

Result<Failure> parse_failure(const nlohmann::json& j, const std::string& at,
                              const ActorDirectory& actors) {
  json_fields::Object object(j, at);
  auto kind = object.string("kind");
  if (!kind) {
    auto s = object.finish();
    return fail(s ? Error{Errc::kParse, at + "/kind: missing"} : std::move(s).error());
  }
  Failure failure;
  auto set_actors = [&](std::string_view key, std::size_t exact) -> Status {
    auto list = actor_list(object, key, actors, exact);
    if (!list) {
      return fail(list.error());
    }
    failure.actors = std::move(*list);
    return {};
  };
  auto set_single = [&](std::string_view key) -> Status {
    auto one = directory_actor(object, key, actors);
    if (!one) {
      return fail(one.error());
    }
    failure.actors = {*one};
    return {};
  };
  Status status;
  if (*kind == "capture") {
    failure.kind = FailureKind::kCapture;
    status = set_single("actor");
    if (status) {
      auto party = directory_actor(object, "party", actors);
      status = party ? Status{} : Status(fail(party.error()));
      if (party) {
        failure.party = *party;
      }
    }
  } else if (*kind == "deadlock") {
    failure.kind = FailureKind::kDeadlock;
    status = set_actors("coalition", 0);
  } else if (*kind == "interference") {
    failure.kind = FailureKind::kInterference;
    status = set_single("actor");
    const auto mode = object.string("mode");
    if (mode && *mode == "force") {
      failure.mode = InterferenceMode::kForce;
    } else if (mode && *mode == "withhold") {
      failure.mode = InterferenceMode::kWithhold;
    } else if (mode) {
      object.error(object.pointer_of("mode") + ": expected \"force\" or \"withhold\"");
    }
  } else if (*kind == "collusion") {
    failure.kind = FailureKind::kCollusion;
    status = set_actors("actors", 2);
  } else if (*kind == "modified-zone") {
    failure.kind = FailureKind::kModifiedZone;
    status = set_single("operator");
    if (status) {
      auto party = directory_actor(object, "ordered_by", actors);
      status = party ? Status{} : Status(fail(party.error()));
      if (party) {
        failure.party = *party;
      }
    }
  } else {
    return fail(Errc::kParse, at + "/kind: unknown failure '" + *kind +
                                  "' (capture, deadlock, interference, collusion, modified-zone)");
  }
  if (!status) {
    return fail(std::move(status).error());
  }
  failure.tld = object.optional_string("tld");
  if (failure.kind == FailureKind::kModifiedZone && !failure.tld) {
    object.error(at + "/tld: missing");
  }
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  if (failure.kind == FailureKind::kModifiedZone &&
      actors.actor(failure.actors[0]).kind != ActorKind::kRootServerOperator) {
    return fail(Errc::kParse, at + "/operator: not a root server operator");
  }
  return failure;
}

}  // namespace

Result<Circumstances> circumstances_from_json(const nlohmann::json& document,
                                              const std::string& pointer,
                                              const ActorDirectory& actors) {
  json_fields::Object object(document, pointer);
  Circumstances out;
  auto array_of = [&](std::string_view key) -> const nlohmann::json* {
    const auto* m = object.member(key, false);
    if (m != nullptr && !m->is_array()) {
      object.error(object.pointer_of(key) + ": expected an array");
      return nullptr;
    }
    return m;
  };
  const auto* interests = array_of("interests");
  const auto* failures = array_of("failures");
  const auto* problems = array_of("persistent_problems");
  const auto* operators = array_of("operators");
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  for (std::size_t i = 0; interests != nullptr && i < interests->size(); ++i) {
    const std::string at = object.pointer_of("interests") + "/" + std::to_string(i);
    json_fields::Object item((*interests)[i], at);
    Interest interest;
    auto actor = directory_actor(item, "actor", actors);
    if (!actor) {
      return fail(item.finish().has_value() ? actor.error() : item.finish().error());
    }
    interest.actor = *actor;
    interest.tld = item.optional_string("tld");
    interest.country = item.optional_string("country");
    const auto stance = item.string("stance");
    if (stance && *stance == "support") {
      interest.stance = Stance::kSupport;
    } else if (stance && *stance == "oppose") {
      interest.stance = Stance::kOppose;
    } else if (stance) {
      item.error(at + "/stance: expected \"support\" or \"oppose\"");
    }
    if (item.ok() && interest.tld.has_value() == interest.country.has_value()) {
      item.error(at + ": give exactly one of tld and country");
    }
    if (auto s = item.finish(); !s) {
      return fail(std::move(s).error());
    }
    out.interests.push_back(std::move(interest));
  }
  for (std::size_t i = 0; failures != nullptr && i < failures->size(); ++i) {
    auto failure = parse_failure((*failures)[i],
                                 object.pointer_of("failures") + "/" + std::to_string(i), actors);
    if (!failure) {
      return fail(failure.error());
    }
    out.failures.push_back(std::move(*failure));
  }
  for (std::size_t i = 0; problems != nullptr && i < problems->size(); ++i) {
    if (!(*problems)[i].is_string()) {
      return fail(Errc::kParse, object.pointer_of("persistent_problems") + "/" + std::to_string(i) +
                                    ": expected a TLD label");
    }
    out.persistent_problems.push_back((*problems)[i].get<std::string>());
  }
  for (std::size_t i = 0; operators != nullptr && i < operators->size(); ++i) {
    const std::string at = object.pointer_of("operators") + "/" + std::to_string(i);
    json_fields::Object item((*operators)[i], at);
    OperatorPerformance perf;
    auto rso = directory_actor(item, "operator", actors);
    if (!rso) {
      return fail(rso.error());
    }
    perf.rso = *rso;
    perf.availability = item.optional_number("availability").value_or(1.0);
    perf.median_latency_ms = item.optional_number("median_latency_ms").value_or(0);
    perf.publication_latency_min = item.optional_number("publication_latency_min").value_or(0);
    perf.serves_legitimate_zone = item.optional_boolean("serves_legitimate_zone").value_or(true);
    if (auto s = item.finish(); !s) {
      return fail(std::move(s).error());
    }
    out.operators.push_back(perf);
  }
  return out;
}

Result<Circumstances> parse_circumstances(std::string_view json_text,
                                          const ActorDirectory& actors) {
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) {
    return fail(Errc::kParse, "/: not valid JSON");
  }
  return circumstances_from_json(j, "", actors);
}

namespace {

void fill_requester(RequestFacts& facts, ActorRef ref, const ActorDirectory& actors) {
  facts.requester_ref = ref;
  if (ref.kind == ActorRef::Kind::kDirectory) {
    facts.requester_country = actors.actor(ref.index).country;
  } else if (ref.kind == ActorRef::Kind::kTldManager) {
    facts.requester_country = facts.country;
  }
}

}  // namespace

namespace {

// The part of the state after `mutation` that the technical checks of the TLDs it writes read:
// those TLDs, the hosts they name (glue) and the TLDs those hosts lie under (whether glue is
// needed). Building it costs O(name servers x log TLDs) where applying the whole mutation to a
// copy of the registry costs O(TLDs + hosts): this runs once per simulated request.
registry::RegistryState checked_part_after(const registry::RegistryState& state,
                                           const registry::Mutation& mutation) {
  registry::RegistryState part;
  part.apex = state.apex;
  for (const registry::Tld& tld : mutation.upserts) {
    part.tlds.insert_or_assign(tld.label, tld);
  }
  for (const registry::Tld& tld : mutation.upserts) {
    for (const dns::Name& ns : tld.delegation.name_servers) {
      const auto upsert = std::find_if(mutation.host_upserts.begin(), mutation.host_upserts.end(),
                                       [&](const registry::Host& h) { return h.name == ns; });
      if (upsert != mutation.host_upserts.end()) {
        if (!upsert->addresses.empty()) {
          part.hosts.insert_or_assign(ns, *upsert);
        }
      } else if (const registry::Host* host = state.find_host(ns)) {
        part.hosts.insert_or_assign(ns, *host);
      }
      if (ns.label_count() >= 1 && !ns.is_root()) {
        const dns::Name parent = ns.suffix(1);
        const bool removed = std::find(mutation.removed_tlds.begin(), mutation.removed_tlds.end(),
                                       parent) != mutation.removed_tlds.end();
        if (!removed && !part.tlds.contains(parent)) {
          if (const registry::Tld* under = state.find_tld(parent)) {
            part.tlds.insert_or_assign(parent, *under);
          }
        }
      }
    }
  }
  return part;
}

}  // namespace

Result<RequestFacts> assess(const registry::ChangeRequest& request,
                            const registry::RegistryState& state, const ActorDirectory& actors,
                            const Circumstances& circumstances,
                            const registry::CheckInput& checks) {
  auto mutation = registry::plan_change(request, state);
  if (!mutation) {
    return fail(mutation.error());
  }
  RequestFacts facts;
  facts.kind = request_kind(request.type());
  facts.tld = label_of(request.tld);
  facts.idn = facts.tld.rfind("xn--", 0) == 0;
  registry::TldKind kind = registry::TldKind::kGeneric;
  std::optional<std::string> iso;
  if (const registry::Tld* tld = state.find_tld(request.tld); tld != nullptr) {
    kind = tld->kind;
    iso = tld->iso_code;
  } else if (const auto* d = std::get_if<registry::Delegate>(&request.change)) {
    kind = d->kind;
    iso = d->iso_code;
  }
  const bool cc =
      kind == registry::TldKind::kCountryCode || kind == registry::TldKind::kIdnCountryCode;
  facts.tld_class = cc ? TldClass::kCountryCode : TldClass::kGeneric;
  if (cc) {
    facts.country = iso;
    if (iso) {
      facts.tld_government = actors.government(*iso);
    }
  }
  facts.requester = request.requester;
  auto ref = resolve_actor(request.requester, actors, facts.tld);
  if (!ref) {
    return fail(Errc::kParse, "/requester: " + ref.error().message);
  }
  fill_requester(facts, *ref, actors);
  facts.persistent_problems =
      std::find(circumstances.persistent_problems.begin(), circumstances.persistent_problems.end(),
                facts.tld) != circumstances.persistent_problems.end();
  const registry::RegistryState after = checked_part_after(state, *mutation);
  for (const registry::Tld& written : mutation->upserts) {
    const registry::Tld* now = after.find_tld(written.label);
    if (now == nullptr || now->status == registry::TldStatus::kRemoved) {
      continue;
    }
    for (const registry::CheckFinding& f : registry::run_technical_checks(*now, after, checks)) {
      if (f.severity == registry::Severity::kError) {
        ++facts.check_errors;
      }
    }
  }
  facts.checks_passed = facts.check_errors == 0;
  return facts;
}

Result<RequestFacts> governance_request_from_json(const nlohmann::json& document,
                                                  const std::string& pointer,
                                                  const ActorDirectory& actors) {
  json_fields::Object object(document, pointer);
  RequestFacts facts;
  const auto type = object.string("type");
  const auto requester = object.string("requester");
  const auto rso = object.optional_string("operator");
  if (auto s = object.finish(); !s) {
    return fail(std::move(s).error());
  }
  const auto kind = request_kind_from_string(*type);
  if (!kind || changes_zone(*kind)) {
    return fail(Errc::kParse, object.pointer_of("type") + ": '" + *type +
                                  "' is not rso-designation, rso-removal or principle-change");
  }
  facts.kind = *kind;
  facts.requester = *requester;
  auto ref = resolve_actor(*requester, actors, {});
  if (!ref) {
    return fail(Errc::kParse, object.pointer_of("requester") + ": " + ref.error().message);
  }
  fill_requester(facts, *ref, actors);
  const bool needs_operator = *kind != RequestKind::kPrincipleChange;
  if (needs_operator != rso.has_value()) {
    return fail(Errc::kParse, object.pointer_of("operator") +
                                  (needs_operator ? ": missing" : ": not used by this type"));
  }
  if (rso) {
    auto index = actors.find(*rso);
    if (!index || actors.actor(*index).kind != ActorKind::kRootServerOperator) {
      if (*kind == RequestKind::kRsoRemoval || rso->rfind("rso:", 0) != 0) {
        return fail(Errc::kParse,
                    object.pointer_of("operator") + ": not a root server operator: '" + *rso + "'");
      }
    }
    facts.subject_operator = index;
    facts.tld = *rso;
  }
  return facts;
}

}  // namespace rootsim::policy
