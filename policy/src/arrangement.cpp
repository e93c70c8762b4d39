#include "rootsim/policy/arrangement.hpp"

#include "rootsim/policy/json_fields.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace rootsim::policy {
namespace {

constexpr double kMaxDays = 3660.0;  // ten years: anything longer is a units mistake
constexpr std::size_t kMaxStages = 256;

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

Result<Delay> parse_delay(const nlohmann::json& value, const std::string& at) {
  json_fields::Object o(value, at);
  Delay delay;
  const auto distribution = o.string("distribution");
  auto days_in_range = [&](std::string_view key, double v, bool positive) {
    if (!(v >= 0.0 && v <= kMaxDays) || (positive && !(v > 0.0))) {
      o.error(o.pointer_of(key) +
              (positive ? ": must be in (0, 3660] days" : ": must be in [0, 3660] days"));
      return false;
    }
    return true;
  };
  if (distribution && *distribution == "fixed") {
    delay.kind = DelayKind::kFixed;
    if (auto v = o.number("days"); v && days_in_range("days", *v, false)) {
      delay.days = *v;
    }
  } else if (distribution && *distribution == "exponential") {
    delay.kind = DelayKind::kExponential;
    if (auto v = o.number("mean_days"); v && days_in_range("mean_days", *v, true)) {
      delay.days = *v;
    }
  } else if (distribution && *distribution == "lognormal") {
    delay.kind = DelayKind::kLognormal;
    const auto median = o.number("median_days");
    const auto p90 = o.number("p90_days");
    if (median && p90 && days_in_range("median_days", *median, true) &&
        days_in_range("p90_days", *p90, true)) {
      if (*p90 < *median) {
        o.error(o.pointer_of("p90_days") + ": must not be below median_days");
      }
      delay.days = *median;
      delay.sigma = std::log(*p90 / *median) / 1.2815515655446004;  // z of the 90th percentile
    }
  } else if (distribution && *distribution == "empirical") {
    delay.kind = DelayKind::kEmpirical;
    const auto* values = o.member("values_days", true);
    if (values != nullptr) {
      if (!values->is_array() || values->empty() || values->size() > 10000) {
        o.error(o.pointer_of("values_days") + ": expected 1 to 10000 numbers");
      } else {
        for (std::size_t i = 0; i < values->size(); ++i) {
          const auto& v = (*values)[i];
          if (!v.is_number() || !(v.get<double>() >= 0.0 && v.get<double>() <= kMaxDays)) {
            o.error(o.pointer_of("values_days") + "/" + std::to_string(i) +
                    ": must be a number of days in [0, 3660]");
            break;
          }
          delay.values.push_back(v.get<double>());
        }
      }
    }
  } else if (distribution) {
    o.error(o.pointer_of("distribution") + ": expected fixed, exponential, lognormal or empirical");
  }
  if (auto max = o.optional_number("max_days"); max && days_in_range("max_days", *max, true)) {
    delay.max_days = *max;
  }
  if (auto calendar = o.optional_string("calendar")) {
    if (*calendar == "business") {
      delay.business_days = true;
    } else if (*calendar != "calendar") {
      o.error(o.pointer_of("calendar") + ": expected calendar or business");
    }
  }
  if (auto s = o.finish(); !s) {
    return fail(std::move(s).error());
  }
  return delay;
}

Result<Stage> parse_stage(const std::string& name, const nlohmann::json& value,
                          const std::string& at, const PrimitiveCatalog& catalog,
                          const ParseContext& context) {
  json_fields::Object o(value, at);
  Stage stage;
  stage.name = name;
  const auto primitive = o.string("primitive");
  stage.description = o.optional_string("description").value_or("");
  const auto* delay = o.member("delay", true);
  const auto timeout = o.optional_number("timeout_days");
  const auto on_timeout = o.optional_string("on_timeout");
  const auto escalate_to = o.optional_string("escalate_to");
  std::optional<std::vector<std::string>> bypassed;
  if (o.has("bypassed_by")) {
    bypassed = o.string_list("bypassed_by");
  }
  stage.public_record = o.optional_boolean("public_record").value_or(false);
  const auto* params = o.member("params", true);
  if (auto s = o.finish(); !s) {
    return fail(std::move(s).error());
  }
  const PrimitiveFactory factory = catalog.find(*primitive);
  if (factory == nullptr) {
    std::string known;
    for (const auto& n : catalog.names()) {
      known += (known.empty() ? "" : ", ") + n;
    }
    return fail(Errc::kParse, o.pointer_of("primitive") + ": unknown primitive '" + *primitive +
                                  "' (" + known + ")");
  }
  auto made = factory(*params, o.pointer_of("params"), context);
  if (!made) {
    return fail(made.error());
  }
  stage.primitive = std::move(*made);
  auto d = parse_delay(*delay, o.pointer_of("delay"));
  if (!d) {
    return fail(d.error());
  }
  stage.delay = std::move(*d);
  if (timeout) {
    if (!(*timeout > 0.0 && *timeout <= kMaxDays)) {
      return fail(Errc::kParse, o.pointer_of("timeout_days") + ": must be in (0, 3660] days");
    }
    stage.timeout = dns::sim_days(*timeout);
  }
  if (on_timeout) {
    if (!timeout) {
      return fail(Errc::kParse, o.pointer_of("on_timeout") + ": needs timeout_days");
    }
    if (*on_timeout == "approve") {
      stage.on_timeout = TimeoutAction::kApprove;
    } else if (*on_timeout == "reject") {
      stage.on_timeout = TimeoutAction::kReject;
    } else if (*on_timeout == "pending") {
      stage.on_timeout = TimeoutAction::kPending;
    } else if (*on_timeout == "escalate") {
      stage.on_timeout = TimeoutAction::kEscalate;
    } else {
      return fail(Errc::kParse,
                  o.pointer_of("on_timeout") + ": expected approve, reject, pending or escalate");
    }
  }
  if ((stage.on_timeout == TimeoutAction::kEscalate) != escalate_to.has_value()) {
    return fail(Errc::kParse,
                o.pointer_of("escalate_to") + ": needed exactly when on_timeout is escalate");
  }
  if (escalate_to) {
    const auto& names = context.stage_names;
    const auto it = std::find(names.begin(), names.end(), *escalate_to);
    if (it == names.end()) {
      return fail(Errc::kParse,
                  o.pointer_of("escalate_to") + ": unknown stage '" + *escalate_to + "'");
    }
    stage.escalate_to = static_cast<std::uint16_t>(it - names.begin());
  }
  for (std::size_t i = 0; bypassed && i < bypassed->size(); ++i) {
    auto index = context.actors.find((*bypassed)[i]);
    if (!index) {
      return fail(Errc::kParse, o.pointer_of("bypassed_by") + "/" + std::to_string(i) +
                                    ": unknown actor '" + (*bypassed)[i] + "'");
    }
    stage.bypassed_by.push_back(*index);
  }
  return stage;
}

/// Escalation edges must form no cycle; returns the stage where one closes.
Status check_cycles(const Arrangement& a, const std::string& stages_pointer) {
  const std::size_t n = a.stages.size();
  std::vector<std::vector<std::uint16_t>> edges(n);
  for (std::size_t i = 0; i < n; ++i) {
    edges[i] = a.stages[i].primitive->escalation_targets();
    if (a.stages[i].escalate_to) {
      edges[i].push_back(*a.stages[i].escalate_to);
    }
  }
  std::vector<std::uint8_t> colour(n, 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::size_t> path;
  // Iterative DFS: arrangement documents are untrusted and must not exhaust the stack.
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != 0) {
      continue;
    }
    std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};
    colour[root] = 1;
    path = {root};
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < edges[node].size()) {
        const std::size_t to = edges[node][next++];
        if (colour[to] == 1) {
          std::string cycle;
          const auto from = std::find(path.begin(), path.end(), to);
          for (auto it = from; it != path.end(); ++it) {
            cycle += a.stages[*it].name + " -> ";
          }
          cycle += a.stages[to].name;
          return fail(Errc::kParse, stages_pointer + "/" +
                                        json_fields::escape_token(a.stages[node].name) +
                                        ": escalation cycle " + cycle);
        }
        if (colour[to] == 0) {
          colour[to] = 1;
          path.push_back(to);
          stack.emplace_back(to, 0);
        }
      } else {
        colour[node] = 2;
        path.pop_back();
        stack.pop_back();
      }
    }
  }
  return {};
}

Result<std::pair<std::optional<TldClass>, std::optional<RequestKind>>> parse_pipeline_key(
    const std::string& key) {
  if (key == "default") {
    return std::pair<std::optional<TldClass>, std::optional<RequestKind>>{};
  }
  std::optional<TldClass> tld_class;
  std::string rest = key;
  if (key.rfind("cctld/", 0) == 0) {
    tld_class = TldClass::kCountryCode;
    rest = key.substr(6);
  } else if (key.rfind("gtld/", 0) == 0) {
    tld_class = TldClass::kGeneric;
    rest = key.substr(5);
  }
  const auto kind = request_kind_from_string(rest);
  if (!kind || (tld_class && !changes_zone(*kind))) {
    return fail(Errc::kParse, "not default, a request type, or cctld/ or gtld/ and a type");
  }
  return std::pair{tld_class, kind};
}

}  // namespace

const Pipeline* Arrangement::pipeline(RequestKind kind, TldClass tld_class) const noexcept {
  const auto& slot = lookup[static_cast<std::size_t>(kind)][static_cast<std::size_t>(tld_class)];
  return slot ? &pipelines[*slot] : nullptr;
}

std::optional<std::uint16_t> Arrangement::stage_index(std::string_view stage_name) const {
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (stages[i].name == stage_name) {
      return static_cast<std::uint16_t>(i);
    }
  }
  return std::nullopt;
}

Result<Arrangement> arrangement_from_json(const nlohmann::json& document,
                                          const std::string& pointer,
                                          const PrimitiveCatalog& catalog,
                                          const ActorDirectory& actors) {
  json_fields::Object top(document, pointer);
  Arrangement a;
  const auto schema = top.number("schema");
  const auto name = top.string("name");
  const auto description = top.string("description");
  const auto sources = top.string_list("sources");
  const auto* stages = top.member("stages", true);
  const auto* pipelines = top.member("pipelines", true);
  if (auto s = top.finish(); !s) {
    return fail(std::move(s).error());
  }
  if (*schema != 1) {
    return fail(Errc::kParse, top.pointer_of("schema") + ": this version reads schema 1");
  }
  if (!valid_name(*name)) {
    return fail(Errc::kParse, top.pointer_of("name") + ": 1-64 of a-z, 0-9 and '-'");
  }
  if (description->empty() || sources->empty()) {
    return fail(Errc::kParse, top.pointer_of(description->empty() ? "description" : "sources") +
                                  ": must not be empty");
  }
  a.name = *name;
  a.description = *description;
  a.sources = *sources;
  const std::string stages_at = top.pointer_of("stages");
  if (!stages->is_object() || stages->empty() || stages->size() > kMaxStages) {
    return fail(Errc::kParse, stages_at + ": expected an object of 1 to 256 stages");
  }
  std::vector<std::string> names;
  for (auto it = stages->begin(); it != stages->end(); ++it) {
    if (!valid_name(it.key())) {
      return fail(Errc::kParse, stages_at + "/" + json_fields::escape_token(it.key()) +
                                    ": stage names are 1-64 of a-z, 0-9 and '-'");
    }
    names.push_back(it.key());
  }
  const ParseContext context{actors, names};
  for (auto it = stages->begin(); it != stages->end(); ++it) {
    auto stage = parse_stage(it.key(), it.value(), stages_at + "/" + it.key(), catalog, context);
    if (!stage) {
      return fail(stage.error());
    }
    a.stages.push_back(std::move(*stage));
  }
  if (auto s = check_cycles(a, stages_at); !s) {
    return fail(std::move(s).error());
  }
  const std::string pipes_at = top.pointer_of("pipelines");
  if (!pipelines->is_object() || pipelines->empty()) {
    return fail(Errc::kParse, pipes_at + ": expected an object of pipelines");
  }
  // Fill the lookup from the least to the most specific key, so specific keys win.
  std::vector<std::pair<int, std::size_t>> order;
  for (auto it = pipelines->begin(); it != pipelines->end(); ++it) {
    const std::string at = pipes_at + "/" + json_fields::escape_token(it.key());
    auto key = parse_pipeline_key(it.key());
    if (!key) {
      return fail(Errc::kParse, at + ": " + key.error().message);
    }
    if (!it.value().is_array() || it.value().empty() || it.value().size() > kMaxStages) {
      return fail(Errc::kParse, at + ": expected a list of 1 to 256 stage names");
    }
    Pipeline p;
    p.key = it.key();
    for (std::size_t i = 0; i < it.value().size(); ++i) {
      const auto& item = it.value()[i];
      const auto index = item.is_string() ? a.stage_index(item.get<std::string>()) : std::nullopt;
      if (!index) {
        return fail(Errc::kParse, at + "/" + std::to_string(i) + ": unknown stage " + item.dump());
      }
      if (std::find(p.stages.begin(), p.stages.end(), *index) != p.stages.end()) {
        return fail(Errc::kParse, at + "/" + std::to_string(i) + ": stage listed twice");
      }
      if (a.stages[*index].primitive->publishes() && i + 1 != it.value().size()) {
        return fail(Errc::kParse, at + "/" + std::to_string(i) + ": publication must come last");
      }
      p.stages.push_back(*index);
    }
    const int specificity = (key->second ? 1 : 0) + (key->first ? 1 : 0);
    order.emplace_back(specificity, a.pipelines.size());
    a.pipelines.push_back(std::move(p));
  }
  std::stable_sort(order.begin(), order.end());
  for (const auto& [specificity, index] : order) {
    const auto key = parse_pipeline_key(a.pipelines[index].key);
    for (std::size_t k = 0; k < kRequestKindCount; ++k) {
      for (std::size_t c = 0; c < kTldClassCount; ++c) {
        const bool zone = changes_zone(static_cast<RequestKind>(k));
        if (zone == (c == static_cast<std::size_t>(TldClass::kNone))) {
          continue;  // zone requests have a TLD class; governance requests have none
        }
        if (!key->second && !zone) {
          continue;  // "default" covers root zone changes; governance requests are named
        }
        const bool kind_ok = !key->second || static_cast<std::size_t>(*key->second) == k;
        const bool class_ok = !key->first || static_cast<std::size_t>(*key->first) == c;
        if (kind_ok && class_ok) {
          a.lookup[k][c] = static_cast<std::uint16_t>(index);
        }
      }
    }
  }
  for (std::size_t k = 0; k < kRequestKindCount; ++k) {
    for (std::size_t c = 0; c < kTldClassCount; ++c) {
      const auto& slot = a.lookup[k][c];
      if (!slot || !changes_zone(static_cast<RequestKind>(k))) {
        continue;
      }
      const Pipeline& p = a.pipelines[*slot];
      if (!a.stages[p.stages.back()].primitive->publishes()) {
        return fail(Errc::kParse, pipes_at + "/" + json_fields::escape_token(p.key) +
                                      ": a pipeline for " +
                                      std::string(to_string(static_cast<RequestKind>(k))) +
                                      " requests must end with a publication stage");
      }
    }
  }
  return a;
}

Result<Arrangement> parse_arrangement(std::string_view json_text, const std::string& source,
                                      const PrimitiveCatalog& catalog,
                                      const ActorDirectory& actors) {
  const std::string prefix = source.empty() ? "" : source + ": ";
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded()) {
    return fail(Errc::kParse, prefix + "/: not valid JSON");
  }
  auto a = arrangement_from_json(j, "", catalog, actors);
  if (!a) {
    return fail(a.error(), prefix);
  }
  return a;
}

const std::vector<std::string>& builtin_arrangement_names() {
  static const std::vector<std::string> kNames = {"unilateral-oversight", "multistakeholder",
                                                  "intergovernmental",    "cctld-sovereignty",
                                                  "enhanced-cooperation", "rssac037"};
  return kNames;
}

std::filesystem::path builtin_arrangement_dir() { return ROOTSIM_ARRANGEMENTS_DIR; }

Result<Arrangement> load_arrangement(std::string_view name_or_path, const PrimitiveCatalog& catalog,
                                     const ActorDirectory& actors) {
  std::filesystem::path file;
  const std::string text(name_or_path);
  const auto& names = builtin_arrangement_names();
  if (std::find(names.begin(), names.end(), text) != names.end()) {
    file = builtin_arrangement_dir() / (text + ".json");
  } else if (text.find('/') != std::string::npos ||
             (text.size() > 5 && text.compare(text.size() - 5, 5, ".json") == 0)) {
    file = text;
  } else {
    std::string known;
    for (const auto& n : names) {
      known += (known.empty() ? "" : ", ") + n;
    }
    return fail(Errc::kNotFound, "no arrangement '" + text + "' (built-in: " + known + ")");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read");
  }
  std::stringstream content;
  content << in.rdbuf();
  return parse_arrangement(content.str(), file.filename().string(), catalog, actors);
}

}  // namespace rootsim::policy
