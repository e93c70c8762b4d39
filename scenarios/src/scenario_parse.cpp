// Scenario documents (docs/scenarios.md, scenarios/scenario.schema.json): the top-level members
// and the model sub-objects. The strict reader: scenario_json_reader.cpp; events:
// scenario_events_parse.cpp.
#include "rootsim/scenarios/scenario.hpp"

#include "duplicate_keys.hpp"
#include "scenario_parse_detail.hpp"
#include "text_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace rootsim::scenarios {

namespace {

using detail::Bound;
using detail::Object;
using detail::Range;

constexpr double kMaxDurationDays = 3650;

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "YYYY-MM-DD" (years 1970..2199) to unix seconds at UTC midnight; nullopt when malformed or
// not a calendar date.
std::optional<std::int64_t> parse_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  for (const std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U, 8U, 9U}) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
  }
  const auto digits = [&](std::size_t at, std::size_t n) {
    unsigned v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      v = v * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return v;
  };
  const unsigned year = digits(0, 4);
  const unsigned month = digits(5, 2);
  const unsigned day = digits(8, 2);
  if (year < 1970 || year > 2199 || month < 1 || month > 12 || day < 1) {
    return std::nullopt;
  }
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const unsigned last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > last) {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * 86400;
}

bool is_builtin_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool ends_with_json(const std::string& s) {
  return s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0;
}

Status parse_changes(const nlohmann::json& value, ChangeModel& out) {
  Object o(value, "/changes");
  out.per_tld_per_year =
      o.number("per_tld_per_year", false, detail::kNonNegative).value_or(out.per_tld_per_year);
  out.weekend_factor =
      o.number("weekend_factor", false, detail::kNonNegative).value_or(out.weekend_factor);
  out.ds_share = o.number("ds_share", false, detail::kShare).value_or(out.ds_share);
  out.staff = static_cast<std::uint32_t>(o.integer("staff", false, 0, 100000).value_or(out.staff));
  out.work_hours = o.number("work_hours", false, detail::kPositive).value_or(out.work_hours);
  return o.finish();
}

Status parse_servers(const nlohmann::json& value, ServerModel& out) {
  Object o(value, "/servers");
  out.instances_table = o.string("instances_table", false).value_or(out.instances_table);
  out.notify_loss = o.number("notify_loss", false, detail::kShare).value_or(out.notify_loss);
  out.transfer_median_seconds = o.number("transfer_median_seconds", false, detail::kPositive)
                                    .value_or(out.transfer_median_seconds);
  out.transfer_sigma =
      o.number("transfer_sigma", false, detail::kNonNegative).value_or(out.transfer_sigma);
  out.refresh_seconds =
      o.number("refresh_seconds", false, detail::kPositive).value_or(out.refresh_seconds);
  out.same_region_ms = o.number("same_region_ms", false, detail::kPositive).value_or(out.same_region_ms);
  out.other_region_ms =
      o.number("other_region_ms", false, detail::kPositive).value_or(out.other_region_ms);
  out.timeout_ms = o.number("timeout_ms", false, detail::kPositive).value_or(out.timeout_ms);
  return o.finish();
}

Status parse_resolvers(const nlohmann::json& value, ResolverModel& out) {
  Object o(value, "/resolvers");
  out.count =
      static_cast<std::uint32_t>(o.integer("count", false, 1, 10'000'000).value_or(out.count));
  out.validating_share =
      o.number("validating_share", false, detail::kShare).value_or(out.validating_share);
  out.local_root_share =
      o.number("local_root_share", false, detail::kShare).value_or(out.local_root_share);
  out.instances_each = static_cast<std::uint32_t>(
      o.integer("instances_each", false, 1, 13).value_or(out.instances_each));
  return o.finish();
}

Status parse_traffic(const nlohmann::json& value, TrafficModel& out) {
  Object o(value, "/traffic");
  if (const auto minutes = o.integer("step_minutes", false, 1, 1440)) {
    out.step = dns::kSimMinute * static_cast<std::int64_t>(*minutes);
  }
  out.queries_per_step = static_cast<std::uint32_t>(
      o.integer("queries_per_step", false, 1, 1000).value_or(out.queries_per_step));
  out.zipf_exponent = o.number("zipf_exponent", false, Range{0, 5, Bound::kClosed, Bound::kClosed})
                          .value_or(out.zipf_exponent);
  out.junk_share = o.number("junk_share", false, detail::kShare).value_or(out.junk_share);
  return o.finish();
}

// Every key a JSON pointer to a member of the document, every value a non-empty string.
Status check_parameter_sources(const nlohmann::json& value, const nlohmann::json& document) {
  const std::string at = "/parameter_sources";
  if (!value.is_object()) {
    return fail(Errc::kParse, at + ": expected an object");
  }
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string here = at + "/" + detail::escape_token(it.key());
    bool found = false;
    if (!it.key().empty() && it.key().front() == '/') {
      try {
        found = document.contains(nlohmann::json::json_pointer(it.key()));
      } catch (const nlohmann::json::exception&) {
        found = false;
      }
    }
    if (!found) {
      return fail(Errc::kParse,
                  here + ": '" + it.key() + "' is not a JSON pointer to a member of this document");
    }
    if (!it.value().is_string() || it.value().get_ref<const std::string&>().empty()) {
      return fail(Errc::kParse,
                  here + ": expected a non-empty string (where the number comes from)");
    }
  }
  return {};
}

// nlohmann's message without "[json.exception.out_of_range.406] ".
std::string without_exception_id(std::string what) {
  if (what.rfind("[json.exception.", 0) == 0) {
    if (const auto end = what.find("] "); end != std::string::npos) {
      what.erase(0, end + 2);
    }
  }
  return what;
}

// "line L column C: message" from nlohmann's parse_error ("[json.exception.parse_error.101]
// parse error at line 1, column 5: syntax error ...").
std::string describe_parse_error(const nlohmann::json::parse_error& e, std::string_view text) {
  std::size_t line = 1;
  std::size_t column = 1;
  const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string what = without_exception_id(e.what());
  if (const auto p = what.find("parse error"); p != std::string::npos) {
    if (const auto colon = what.find(": ", p); colon != std::string::npos) {
      what = what.substr(colon + 2);
    }
  }
  if (what.empty()) {
    what = "malformed JSON";
  }
  return "line " + std::to_string(line) + " column " + std::to_string(column) + ": " + what;
}


Result<Scenario> parse_document(const nlohmann::json& document) {
  Scenario s;
  Object o(document, "");
  if (!o.ok()) {
    return fail(o.finish().error());
  }
  (void)o.integer("schema", false, 1, 1);  // optional; only version 1 exists
  s.name = o.string("name", true).value_or("");
  s.description = o.string("description", true).value_or("");
  s.question = o.string("question", true).value_or("");
  s.sources = o.string_list("sources", true, 1).value_or(std::vector<std::string>{});
  if (const auto* n = o.member("narrative", false)) {
    Object narrative(*n, "/narrative");
    s.narrative_look_at = narrative.string("look_at", true).value_or("");
    s.narrative_discuss = narrative.string("discuss", true).value_or("");
    if (auto st = narrative.finish(); !st) {
      return fail(std::move(st).error());
    }
  }
  if (const auto start = o.string("start", false)) {
    if (const auto epoch = parse_date(*start)) {
      s.epoch_unix = *epoch;
    } else {
      o.error("/start: expected a calendar date \"YYYY-MM-DD\" (1970 to 2199), not '" + *start +
              "'");
    }
  }
  if (const auto days = o.number("duration_days", false,
                                 Range{0, kMaxDurationDays, Bound::kOpen, Bound::kClosed})) {
    s.duration = dns::sim_days(*days);
  }
  if (auto list = o.string_list("arrangements", true, 1)) {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < list->size() && o.ok(); ++i) {
      const std::string& a = (*list)[i];
      const std::string here = "/arrangements/" + std::to_string(i);
      if (!is_builtin_name(a) && !ends_with_json(a)) {
        o.error(here + ": '" + a +
                "' is neither a built-in name ([a-z0-9-]+) nor a file ending in .json");
      } else if (!seen.insert(a).second) {
        o.error(here + ": '" + a + "' appears twice");
      }
    }
    s.arrangements = std::move(*list);
  }
  s.baseline = o.string("baseline", false).value_or(s.baseline);
  s.baseline_tlds =
      static_cast<std::uint32_t>(o.integer("baseline_tlds", false, 1, 10'000'000).value_or(0));
  s.seed = o.integer("seed", false, 0, std::numeric_limits<std::uint64_t>::max()).value_or(s.seed);
  s.replications = static_cast<std::uint32_t>(
      o.integer("replications", false, 1, 1000).value_or(s.replications));
  if (!o.ok()) {
    return fail(o.finish().error());
  }
  using SubParser = Status (*)(const nlohmann::json&, Scenario&);
  static constexpr std::pair<std::string_view, SubParser> kModels[] = {
      {"changes",
       [](const nlohmann::json& v, Scenario& sc) { return parse_changes(v, sc.changes); }},
      {"servers",
       [](const nlohmann::json& v, Scenario& sc) { return parse_servers(v, sc.servers); }},
      {"resolvers",
       [](const nlohmann::json& v, Scenario& sc) { return parse_resolvers(v, sc.resolvers); }},
      {"traffic",
       [](const nlohmann::json& v, Scenario& sc) { return parse_traffic(v, sc.traffic); }},
  };
  for (const auto& [key, parse] : kModels) {
    if (const auto* m = o.member(key, false)) {
      if (auto st = parse(*m, s); !st) {
        return fail(std::move(st).error());
      }
    }
  }
  if (const auto* g = o.member("governance", false)) {
    if (!g->is_object()) {
      return fail(Errc::kParse, "/governance: expected an object (docs/governance.md)");
    }
    s.governance_json = g->dump();
  }
  if (const auto* p = o.member("parameter_sources", false)) {
    if (auto st = check_parameter_sources(*p, document); !st) {
      return fail(std::move(st).error());
    }
  }
  if (const auto* e = o.member("events", false)) {
    auto events = detail::parse_events(*e, "/events", s.duration);
    if (!events) {
      return fail(std::move(events).error());
    }
    s.events = std::move(*events);
    std::stable_sort(s.events.begin(), s.events.end(),
                     [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.at < b.at; });
  }
  if (auto st = o.finish(); !st) {
    return fail(std::move(st).error());
  }
  return s;
}

}  // namespace

Result<Scenario> parse_scenario(std::string_view json_text, const std::string& source) {
  const std::string prefix = source.empty() ? std::string() : source + ": ";
  nlohmann::json document;
  detail::DuplicateKeyFinder<nlohmann::json> duplicates;
  try {
    document = nlohmann::json::parse(
        json_text.begin(), json_text.end(),
        [&duplicates](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
          return duplicates(depth, event, parsed);
        });
  } catch (const nlohmann::json::parse_error& e) {
    return fail(Errc::kParse, prefix + describe_parse_error(e, json_text));
  } catch (const nlohmann::json::exception& e) {
    return fail(Errc::kParse, prefix + "malformed JSON: " + without_exception_id(e.what()));
  }
  if (duplicates.first()) {
    return fail(Errc::kParse, prefix + *duplicates.first() + ": duplicate key");
  }
  auto scenario = parse_document(document);
  if (!scenario) {
    return fail(std::move(scenario).error(), prefix);
  }
  return scenario;
}

Result<Scenario> load_scenario(const std::filesystem::path& file) {
  auto text = read_text_file(file);
  if (!text) {
    return fail(std::move(text).error());
  }
  auto scenario = parse_scenario(*text, file.string());
  if (scenario) {
    scenario->source_dir = file.parent_path();
  }
  return scenario;
}

}  // namespace rootsim::scenarios
