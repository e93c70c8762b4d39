// Scenario documents: the library parses, defaults are the structs', and every kind of mistake
// is a kParse error naming the file and the JSON pointer.
#include "rootsim/policy/actors.hpp"
#include "rootsim/policy/request.hpp"
#include "rootsim/scenarios/scenario.hpp"

#include "test_paths.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <string>

namespace rootsim::scenarios {
namespace {

nlohmann::json minimal() {
  return nlohmann::json::parse(R"({
    "name": "mini", "description": "A test.", "question": "Does it parse?",
    "sources": ["none"], "arrangements": ["multistakeholder"]
  })");
}

Result<Scenario> parse(const nlohmann::json& document) {
  return parse_scenario(document.dump(), "s.json");
}

// The error message of parsing `document`, which must fail with kParse.
std::string error_of(const nlohmann::json& document) {
  auto s = parse(document);
  if (s) {
    ADD_FAILURE() << "parsed: " << document.dump();
    return {};
  }
  EXPECT_EQ(s.error().code, Errc::kParse) << s.error().message;
  return s.error().message;
}

nlohmann::json with_event(nlohmann::json event) {
  auto d = minimal();
  d["events"] = nlohmann::json::array({std::move(event)});
  return d;
}

TEST(ScenarioParse, BaselineTlds) {
  auto d = minimal();
  EXPECT_EQ(parse(d)->baseline_tlds, 0U);  // all
  d["baseline_tlds"] = 280;
  EXPECT_EQ(parse(d)->baseline_tlds, 280U);
  d["baseline_tlds"] = 0;
  EXPECT_NE(error_of(d).find("/baseline_tlds"), std::string::npos);
  d["baseline_tlds"] = 2.5;
  EXPECT_NE(error_of(d).find("/baseline_tlds"), std::string::npos);
}

TEST(ScenarioParse, EveryLibraryScenarioParses) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(library_dir())) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    auto s = load_scenario(entry.path());
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->name + ".json", entry.path().filename().string());
    EXPECT_FALSE(s->sources.empty());
    names.insert(s->name);
  }
  // The library holds more than these (docs/scenarios.md lists it); these must stay.
  for (const char* name : {"baseline-2025", "ntia-era", "unilateral-removal-attempt",
                           "classroom-demo"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
}

TEST(ScenarioParse, LibraryValues) {
  auto base = load_scenario(library_dir() / "baseline-2025.json");
  ASSERT_TRUE(base) << base.error().message;
  EXPECT_EQ(base->epoch_unix, 1735689600);  // 2025-01-01T00:00:00Z
  EXPECT_EQ(base->duration, dns::kSimDay * 365);
  EXPECT_EQ(base->arrangements.size(), 6U);
  EXPECT_EQ(base->replications, 10U);
  EXPECT_TRUE(base->events.empty());

  auto ntia = load_scenario(library_dir() / "ntia-era.json");
  ASSERT_TRUE(ntia) << ntia.error().message;
  EXPECT_EQ(ntia->epoch_unix, 1325376000);  // 2012-01-01T00:00:00Z
  EXPECT_EQ(ntia->arrangements, std::vector<std::string>{"unilateral-oversight"});

  auto removal = load_scenario(library_dir() / "unilateral-removal-attempt.json");
  ASSERT_TRUE(removal) << removal.error().message;
  EXPECT_EQ(removal->duration, dns::kSimDay * 180);
  ASSERT_EQ(removal->events.size(), 1U);
  const ScenarioEvent& e = removal->events[0];
  EXPECT_EQ(e.kind, EventKind::kRevoke);
  EXPECT_EQ(e.at, dns::kSimDay * 30);
  EXPECT_EQ(e.tld, "cz");
  EXPECT_EQ(e.requester, "oversight");
  EXPECT_EQ(e.pointer, "/events/0");
}

TEST(ScenarioParse, LibraryGovernanceIsValidCircumstances) {
  policy::ActorSources sources;
  sources.actors_data = rootsim::testing::project_data() / "governance_actors.json";
  auto actors = policy::ActorDirectory::load(sources);
  ASSERT_TRUE(actors) << actors.error().message;
  for (const auto& entry : std::filesystem::directory_iterator(library_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") {
      continue;  // e.g. sweeps/, the sweep files that go with the scenarios
    }
    auto s = load_scenario(entry.path());
    ASSERT_TRUE(s) << s.error().message;
    auto c = policy::parse_circumstances(s->governance_json, *actors);
    EXPECT_TRUE(c) << entry.path() << ": " << c.error().message;
  }
}

TEST(ScenarioParse, Defaults) {
  auto s = parse(minimal());
  ASSERT_TRUE(s) << s.error().message;
  const Scenario d;
  EXPECT_EQ(s->name, "mini");
  EXPECT_EQ(s->epoch_unix, d.epoch_unix);
  EXPECT_EQ(s->duration, d.duration);
  EXPECT_EQ(s->baseline, "builtin");
  EXPECT_EQ(s->seed, d.seed);
  EXPECT_EQ(s->replications, d.replications);
  EXPECT_EQ(s->changes.per_tld_per_year, d.changes.per_tld_per_year);
  EXPECT_EQ(s->changes.weekend_factor, d.changes.weekend_factor);
  EXPECT_EQ(s->changes.ds_share, d.changes.ds_share);
  EXPECT_EQ(s->servers.instances_table, d.servers.instances_table);
  EXPECT_EQ(s->servers.notify_loss, d.servers.notify_loss);
  EXPECT_EQ(s->servers.transfer_median_seconds, d.servers.transfer_median_seconds);
  EXPECT_EQ(s->servers.refresh_seconds, d.servers.refresh_seconds);
  EXPECT_EQ(s->resolvers.count, d.resolvers.count);
  EXPECT_EQ(s->resolvers.instances_each, d.resolvers.instances_each);
  EXPECT_EQ(s->traffic.step, d.traffic.step);
  EXPECT_EQ(s->traffic.queries_per_step, d.traffic.queries_per_step);
  EXPECT_EQ(s->governance_json, "{}");
  EXPECT_TRUE(s->events.empty());
}

TEST(ScenarioParse, ValuesAreRead) {
  auto d = minimal();
  d["start"] = "2024-02-29";
  d["duration_days"] = 10;
  d["seed"] = 18446744073709551615ULL;
  d["replications"] = 1000;
  d["traffic"] = {{"step_minutes", 15}, {"queries_per_step", 3}};
  d["resolvers"] = {{"count", 5}, {"instances_each", 13}};
  d["governance"] = {{"interests", nlohmann::json::array()}};
  auto s = parse(d);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->epoch_unix, 1709164800);
  EXPECT_EQ(s->duration, dns::kSimDay * 10);
  EXPECT_EQ(s->seed, 18446744073709551615ULL);
  EXPECT_EQ(s->traffic.step, dns::kSimMinute * 15);
  EXPECT_EQ(s->resolvers.count, 5U);
  EXPECT_EQ(s->governance_json, R"({"interests":[]})");
}

TEST(ScenarioParse, EventDefaultsAndMembers) {
  auto d = minimal();
  d["events"] = nlohmann::json::parse(R"([
    {"type": "retirement", "at_days": 1, "tld": "an"},
    {"type": "instance-outage", "at_days": 2, "letter": "k", "duration_days": 0.5},
    {"type": "alternate-root", "at_days": 3, "region": "Asia", "remove": ["cz", "xn--p1ai"]},
    {"type": "transfer", "at_days": 4, "tld": "рф", "consent": false},
    {"type": "delegation-round", "at_days": 5, "count": 300, "per_year_cap": 100}
  ])");
  auto s = parse(d);
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->events.size(), 5U);
  EXPECT_EQ(s->events[0].grace_days, 5 * 365);
  EXPECT_EQ(s->events[1].share, 1.0);
  EXPECT_EQ(s->events[1].duration, dns::kSimHour * 12);
  EXPECT_EQ(s->events[2].remove, (std::vector<std::string>{"cz", "xn--p1ai"}));
  EXPECT_EQ(s->events[2].duration, dns::SimTime{0});
  EXPECT_EQ(s->events[3].tld, "рф");
  EXPECT_FALSE(s->events[3].consent);
  EXPECT_EQ(s->events[4].count, 300U);
  EXPECT_EQ(s->events[4].per_year_cap, 100);
}

TEST(ScenarioParse, EventsSortedStably) {
  auto d = minimal();
  d["events"] = nlohmann::json::parse(R"([
    {"type": "revoke", "at_days": 20, "tld": "a"},
    {"type": "revoke", "at_days": 10, "tld": "b"},
    {"type": "revoke", "at_days": 20, "tld": "c"},
    {"type": "zsk-rollover", "at_days": 10},
    {"type": "revoke", "at_days": 0, "tld": "e"}
  ])");
  auto s = parse(d);
  ASSERT_TRUE(s) << s.error().message;
  std::vector<std::string> pointers;
  for (const auto& e : s->events) {
    pointers.push_back(e.pointer);
  }
  EXPECT_EQ(pointers, (std::vector<std::string>{"/events/4", "/events/1", "/events/3", "/events/0",
                                                "/events/2"}));
}

TEST(ScenarioParse, RequiredMembers) {
  for (const char* key : {"name", "description", "question", "sources", "arrangements"}) {
    auto d = minimal();
    d.erase(key);
    EXPECT_EQ(error_of(d), "s.json: /" + std::string(key) + ": missing");
  }
  auto d = minimal();
  d["sources"] = nlohmann::json::array();
  EXPECT_EQ(error_of(d), "s.json: /sources: expected at least 1 item");
}

TEST(ScenarioParse, UnknownKeys) {
  auto d = minimal();
  d["colour"] = "blue";
  EXPECT_EQ(error_of(d), "s.json: /colour: unknown key");
  d = minimal();
  d["changes"] = {{"per_tld_per_yer", 1}};
  EXPECT_EQ(error_of(d), "s.json: /changes/per_tld_per_yer: unknown key");
  d = minimal();
  d["traffic"] = {{"a/b", 1}};
  EXPECT_EQ(error_of(d), "s.json: /traffic/a~1b: unknown key");
}

TEST(ScenarioParse, WrongTypesAndRanges) {
  const auto check = [](const std::string& key, const nlohmann::json& value,
                        const std::string& pointer) {
    auto d = minimal();
    d[nlohmann::json::json_pointer(key)] = value;
    const auto message = error_of(d);
    EXPECT_EQ(message.rfind("s.json: " + pointer + ": ", 0), 0U) << key << ": " << message;
  };
  check("/name", 3, "/name");
  check("/name", "", "/name");
  check("/sources", "one", "/sources");
  check("/sources", nlohmann::json::array({"a", 1}), "/sources/1");
  check("/duration_days", 0, "/duration_days");
  check("/duration_days", 3651, "/duration_days");
  check("/duration_days", "365", "/duration_days");
  check("/replications", 1.5, "/replications");
  check("/replications", 2.0, "/replications");
  check("/replications", 0, "/replications");
  check("/replications", 1001, "/replications");
  check("/replications", true, "/replications");
  check("/seed", -1, "/seed");
  check("/arrangements", nlohmann::json::array(), "/arrangements");
  check("/arrangements", nlohmann::json::array({"Multi"}), "/arrangements/0");
  check("/arrangements", nlohmann::json::array({"a", "b", "a"}), "/arrangements/2");
  check("/changes/ds_share", 1.5, "/changes/ds_share");
  check("/changes/per_tld_per_year", -0.1, "/changes/per_tld_per_year");
  check("/servers/refresh_seconds", 0, "/servers/refresh_seconds");
  check("/servers/notify_loss", "0.1", "/servers/notify_loss");
  check("/resolvers/count", 0, "/resolvers/count");
  check("/resolvers/count", 10'000'001, "/resolvers/count");
  check("/resolvers/instances_each", 14, "/resolvers/instances_each");
  check("/traffic/step_minutes", 1441, "/traffic/step_minutes");
  check("/traffic/step_minutes", 0.5, "/traffic/step_minutes");
  check("/traffic/zipf_exponent", 5.5, "/traffic/zipf_exponent");
  check("/traffic", nlohmann::json::array(), "/traffic");
  check("/governance", nlohmann::json::array(), "/governance");
  check("/events", nlohmann::json::object(), "/events");
}

TEST(ScenarioParse, BadDates) {
  for (const char* date : {"2025-02-29", "2025-13-01", "2025-1-01", "2025-01-01T00:00",
                           "1969-12-31", "2025-04-31", "25-01-01"}) {
    auto d = minimal();
    d["start"] = date;
    const auto message = error_of(d);
    EXPECT_EQ(message.rfind("s.json: /start: expected a calendar date", 0), 0U) << message;
  }
}

TEST(ScenarioParse, EventErrors) {
  EXPECT_EQ(error_of(with_event({{"type", "revoke"}, {"at_days", 365}, {"tld", "cz"}})),
            "s.json: /events/0/at_days: after the end of the scenario (365 days)");
  EXPECT_EQ(error_of(with_event({{"type", "revoke"}, {"tld", "cz"}})),
            "s.json: /events/0/at_days: missing");
  EXPECT_EQ(error_of(with_event({{"type", "revoke"}, {"at_days", 1}, {"letter", "a"}})),
            "s.json: /events/0/letter: not used by revoke events");
  EXPECT_EQ(error_of(with_event({{"type", "zsk-rollover"}, {"at_days", 1}, {"tld", "cz"}})),
            "s.json: /events/0/tld: not used by zsk-rollover events");
  EXPECT_EQ(error_of(with_event({{"type", "revoke"}, {"at_days", 1}})),
            "s.json: /events/0/tld: missing");
  const auto starts = [](const nlohmann::json& event, const std::string& pointer) {
    const auto message = error_of(with_event(event));
    EXPECT_EQ(message.rfind("s.json: " + pointer + ": ", 0), 0U) << message;
  };
  starts({{"type", "revocation"}, {"at_days", 1}}, "/events/0/type");
  starts({{"at_days", 1}}, "/events/0/type");
  starts({{"type", "revoke"}, {"at_days", -1}, {"tld", "cz"}}, "/events/0/at_days");
  starts({{"type", "revoke"}, {"at_days", 1}, {"tld", "cz."}}, "/events/0/tld");
  starts({{"type", "revoke"}, {"at_days", 1}, {"tld", "c z"}}, "/events/0/tld");
  starts({{"type", "revoke"}, {"at_days", 1}, {"tld", "cz"}, {"requester", ""}},
         "/events/0/requester");
  starts({{"type", "instance-outage"}, {"at_days", 1}, {"letter", "n"}, {"duration_days", 1}},
         "/events/0/letter");
  starts({{"type", "instance-outage"}, {"at_days", 1}, {"letter", "a"}}, "/events/0/duration_days");
  starts({{"type", "instance-outage"},
          {"at_days", 1},
          {"letter", "a"},
          {"share", 0},
          {"duration_days", 1}},
         "/events/0/share");
  starts({{"type", "partition"}, {"at_days", 1}, {"region", "Antarctica"}, {"duration_days", 1}},
         "/events/0/region");
  starts({{"type", "operator-outage"}, {"at_days", 1}, {"operator", "isc"}, {"duration_days", 1}},
         "/events/0/operator");
  starts({{"type", "ksk-rollover"}, {"at_days", 1}}, "/events/0/share");
  starts({{"type", "delegation-round"}, {"at_days", 1}, {"count", 0}}, "/events/0/count");
  starts({{"type", "alternate-root"},
          {"at_days", 1},
          {"region", "Asia"},
          {"remove", nlohmann::json::array()}},
         "/events/0/remove");
  starts(
      {{"type", "alternate-root"}, {"at_days", 1}, {"region", "Asia"}, {"remove", {"cz", "a.b"}}},
      "/events/0/remove/1");
  starts({{"type", "transfer"}, {"at_days", 1}, {"tld", "cz"}, {"consent", "yes"}},
         "/events/0/consent");
  EXPECT_EQ(error_of(with_event(
                {{"type", "retirement"}, {"at_days", 1}, {"tld", "an"}, {"grace_days", 4000}})),
            "s.json: /events/0/grace_days: 10 years at most (3650 days), not 4000");
  auto d = minimal();
  d["events"] =
      nlohmann::json::array({nlohmann::json{{"type", "zsk-rollover"}, {"at_days", 1}}, 42});
  EXPECT_EQ(error_of(d), "s.json: /events/1: expected an object");
}

TEST(ScenarioParse, ParameterSources) {
  auto d = minimal();
  d["changes"] = {{"ds_share", 0.4}};
  d["parameter_sources"] = {{"/changes/ds_share", "a survey"}, {"/arrangements/0", "choice"}};
  EXPECT_TRUE(parse(d));
  d["parameter_sources"] = {{"/changes/per_tld_per_year", "IANA"}};
  EXPECT_EQ(error_of(d).rfind("s.json: /parameter_sources/~1changes~1per_tld_per_year: ", 0), 0U);
  d["parameter_sources"] = {{"changes", "IANA"}};
  EXPECT_EQ(error_of(d).rfind("s.json: /parameter_sources/changes: ", 0), 0U);
  d["parameter_sources"] = {{"/changes/ds_share", ""}};
  EXPECT_EQ(error_of(d).rfind("s.json: /parameter_sources/~1changes~1ds_share: ", 0), 0U);
  d["parameter_sources"] = {{"/arrangements/x", "x"}};
  EXPECT_EQ(error_of(d).rfind("s.json: /parameter_sources/~1arrangements~1x: ", 0), 0U);
}

TEST(ScenarioParse, MalformedJson) {
  auto s = parse_scenario("{\n  \"name\": \"x\",\n  oops\n}", "bad.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kParse);
  EXPECT_EQ(s.error().message.rfind("bad.json: line 3 column ", 0), 0U) << s.error().message;
  auto empty = parse_scenario("", "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message.rfind("line 1 column ", 0), 0U) << empty.error().message;
  auto array = parse_scenario("[]", "");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().message, "/: expected an object");
}

TEST(ScenarioParse, DuplicateKeys) {
  auto top = parse_scenario(R"({"name": "a", "name": "b"})", "d.json");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().message, "d.json: /name: duplicate key");
  auto nested = parse_scenario(
      R"({"events": [{"type": "revoke"}, {"type": "revoke", "tld": "a", "tld": "b"}]})", "");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().message, "/events/1/tld: duplicate key");
  auto in_arrays = parse_scenario(R"({"x": [[1, {}], [2, {"a/b": 1, "a/b": 2}]]})", "");
  ASSERT_FALSE(in_arrays);
  EXPECT_EQ(in_arrays.error().message, "/x/1/1/a~1b: duplicate key");
}

TEST(ScenarioParse, NumberOverflowIsParseError) {
  auto s = parse_scenario(R"({"duration_days": 1e400})", "n.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kParse);
  EXPECT_EQ(s.error().message.rfind("n.json: ", 0), 0U);
  EXPECT_EQ(s.error().message.find("[json.exception"), std::string::npos) << s.error().message;
}

TEST(ScenarioParse, MissingFileIsIo) {
  auto s = load_scenario("/nonexistent/scenario.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, Errc::kIo);
  EXPECT_NE(s.error().message.find("/nonexistent/scenario.json"), std::string::npos);
}

TEST(ScenarioParse, EventKindNames) {
  EXPECT_EQ(to_string(EventKind::kDelegationRound), "delegation-round");
  EXPECT_EQ(to_string(EventKind::kModifiedZone), "modified-zone");
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kEventKindCount; ++i) {
    names.insert(to_string(static_cast<EventKind>(i)));
  }
  EXPECT_EQ(names.size(), kEventKindCount);
}

}  // namespace
}  // namespace rootsim::scenarios
