// The "events" array of a scenario document: each event's type, time and the members its type
// uses (docs/scenarios.md, "Events"). Whether TLDs, operators and letters exist in the world is
// the runner's check (check_scenario), not the parser's.
#include "rootsim/scenarios/scenario.hpp"

#include "scenario_parse_detail.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace rootsim::scenarios::detail {
namespace {

constexpr double kMaxDays = 3650;

// The members each kind uses besides "type" and "at_days", in EventKind order.
const std::array<std::vector<std::string_view>, kEventKindCount>& members_by_kind() {
  static const std::array<std::vector<std::string_view>, kEventKindCount> kMembers = {{
      {"count", "per_year_cap", "requester"},          // delegation-round
      {"tld", "requester"},                            // delegation
      {"tld", "consent", "requester"},                 // transfer
      {"tld", "requester"},                            // revoke
      {"tld", "grace_days", "requester"},              // retirement
      {},                                              // zsk-rollover
      {"share"},                                       // ksk-rollover
      {"letter", "region", "share", "duration_days"},  // instance-outage
      {"operator", "duration_days"},                   // operator-outage
      {"region", "duration_days"},                     // partition
      {"region", "share", "remove", "duration_days"},  // alternate-root
      {"operator", "tld", "duration_days"},            // modified-zone
      {"tld", "duration_days", "restore_after_days", "requester"},  // tld-outage
  }};
  return kMembers;
}

constexpr std::array<std::string_view, 5> kRegions = {"Africa", "Americas", "Asia", "Europe",
                                                      "Oceania"};

std::optional<EventKind> kind_of(std::string_view name) {
  for (std::size_t i = 0; i < kEventKindCount; ++i) {
    const auto kind = static_cast<EventKind>(i);
    if (to_string(kind) == name) {
      return kind;
    }
  }
  return std::nullopt;
}

std::string kind_list() {
  std::string out;
  for (std::size_t i = 0; i < kEventKindCount; ++i) {
    out += (i == 0 ? "" : ", ") + std::string(to_string(static_cast<EventKind>(i)));
  }
  return out;
}

// A TLD label as written: non-empty, no dots, no whitespace or control characters (whether it
// exists is checked against the baseline later).
bool is_label(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '.' || u <= 0x20 || u == 0x7f;
  });
}

void check_label(Object& o, std::string_view key, const std::string& value) {
  if (!is_label(value)) {
    o.error(o.pointer_of(key) + ": '" + value +
            "' is not a TLD label (no dots, no spaces, no trailing dot)");
  }
}

// duration_days: required and > 0 for outages and partitions, else optional (0 = to the end).
void read_duration(Object& o, ScenarioEvent& e, bool required) {
  const Range range{0, kMaxDays, required ? Bound::kOpen : Bound::kClosed, Bound::kClosed};
  if (const auto d = o.number("duration_days", required, range)) {
    e.duration = dns::sim_days(*d);
  }
}

void read_share(Object& o, ScenarioEvent& e, bool required, Bound lo) {
  if (const auto v = o.number("share", required, Range{0, 1, lo, Bound::kClosed})) {
    e.share = *v;
  }
}

void read_operator(Object& o, ScenarioEvent& e) {
  if (auto op = o.string("operator", true)) {
    if (op->size() <= 4 || op->compare(0, 4, "rso:") != 0) {
      o.error(o.pointer_of("operator") +
              ": expected a root server operator id like \"rso:isc\", not '" + *op + "'");
    }
    e.operator_id = std::move(*op);
  }
}

void read_region(Object& o, ScenarioEvent& e) {
  if (auto r = o.string("region", true)) {
    if (std::find(kRegions.begin(), kRegions.end(), *r) == kRegions.end()) {
      o.error(o.pointer_of("region") +
              ": expected one of Africa, Americas, Asia, Europe, Oceania, not '" + *r + "'");
    }
    e.region = std::move(*r);
  }
}

void read_members(Object& o, ScenarioEvent& e) {
  if (o.has("tld")) {
    e.tld = o.string("tld", true).value_or("");
    if (o.ok()) {
      check_label(o, "tld", e.tld);
    }
  }
  e.requester = o.string("requester", false).value_or("");
  switch (e.kind) {
    case EventKind::kDelegationRound:
      e.count = static_cast<std::uint32_t>(o.integer("count", true, 1, 1'000'000).value_or(1));
      e.per_year_cap = o.number("per_year_cap", false, kNonNegative).value_or(0);
      break;
    case EventKind::kDelegation:
    case EventKind::kRevoke:
      (void)o.member("tld", true);
      break;
    case EventKind::kTransfer:
      (void)o.member("tld", true);
      e.consent = o.boolean("consent", false).value_or(true);
      break;
    case EventKind::kRetirement:
      (void)o.member("tld", true);
      if (const auto* g = o.member("grace_days", false)) {
        if (!g->is_number()) {
          o.error(o.pointer_of("grace_days") + ": expected a number");
        } else if (const auto v = g->get<double>(); !(v > 0)) {
          o.error(o.pointer_of("grace_days") + ": expected a number > 0, not " + format_number(v));
        } else if (!(v <= kMaxDays)) {
          o.error(o.pointer_of("grace_days") + ": 10 years at most (3650 days), not " +
                  format_number(v));
        } else {
          e.grace_days = v;
        }
      }
      break;
    case EventKind::kZskRollover:
      break;
    case EventKind::kKskRollover:
      read_share(o, e, true, Bound::kClosed);
      break;
    case EventKind::kInstanceOutage:
      if (o.has("region")) {
        read_region(o, e);
      }
      if (!o.has("letter") && !o.has("region")) {
        o.error(o.pointer() + ": an instance-outage needs a letter, a region, or both");
      }
      if (auto l = o.string("letter", false)) {
        if (l->size() != 1 || (*l)[0] < 'a' || (*l)[0] > 'm') {
          o.error(o.pointer_of("letter") + ": expected a root server letter a..m, not '" + *l +
                  "'");
        }
        e.letter = std::move(*l);
      }
      read_share(o, e, false, Bound::kOpen);
      read_duration(o, e, true);
      break;
    case EventKind::kOperatorOutage:
      read_operator(o, e);
      read_duration(o, e, true);
      break;
    case EventKind::kPartition:
      read_region(o, e);
      read_duration(o, e, true);
      break;
    case EventKind::kAlternateRoot:
      read_region(o, e);
      read_share(o, e, false, Bound::kOpen);
      if (auto remove = o.string_list("remove", true, 1)) {
        for (std::size_t i = 0; i < remove->size() && o.ok(); ++i) {
          if (!is_label((*remove)[i])) {
            o.error(o.pointer_of("remove") + "/" + std::to_string(i) + ": '" + (*remove)[i] +
                    "' is not a TLD label (no dots, no spaces)");
          }
        }
        e.remove = std::move(*remove);
      }
      read_duration(o, e, false);
      break;
    case EventKind::kModifiedZone:
      read_operator(o, e);
      (void)o.member("tld", true);
      read_duration(o, e, false);
      break;
    case EventKind::kTldOutage:
      (void)o.member("tld", true);
      read_duration(o, e, true);
      if (const auto d = o.number("restore_after_days", false,
                                  Range{0, kMaxDays, Bound::kClosed, Bound::kClosed})) {
        e.restore_after_days = *d;
      }
      break;
  }
}

Result<ScenarioEvent> parse_event(const nlohmann::json& value, const std::string& pointer,
                                  dns::SimTime duration) {
  Object o(value, pointer);
  if (!o.ok()) {
    return fail(o.finish().error());
  }
  ScenarioEvent e;
  e.pointer = pointer;
  const auto type = o.string("type", true);
  if (!type) {
    return fail(o.finish().error());
  }
  const auto kind = kind_of(*type);
  if (!kind) {
    return fail(Errc::kParse, o.pointer_of("type") + ": unknown event type '" + *type +
                                  "' (expected one of " + kind_list() + ")");
  }
  e.kind = *kind;
  const auto& allowed = members_by_kind()[static_cast<std::size_t>(*kind)];
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    if (key != "type" && key != "at_days" &&
        std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return fail(Errc::kParse, o.pointer_of(key) + ": not used by " + *type + " events");
    }
  }
  if (const auto at = o.number("at_days", true, kNonNegative)) {
    e.at = dns::sim_days(std::min(*at, 1e6));  // bounded: compared with the end just below
    if (*at >= dns::to_days(duration)) {
      o.error(o.pointer_of("at_days") + ": after the end of the scenario (" +
              format_number(dns::to_days(duration)) + " days)");
    }
  }
  if (o.ok()) {
    read_members(o, e);
  }
  if (auto st = o.finish(); !st) {
    return fail(std::move(st).error());
  }
  return e;
}

}  // namespace

Result<std::vector<ScenarioEvent>> parse_events(const nlohmann::json& events,
                                                const std::string& pointer, dns::SimTime duration) {
  if (!events.is_array()) {
    return fail(Errc::kParse, pointer + ": expected an array of events");
  }
  std::vector<ScenarioEvent> out;
  out.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto e = parse_event(events[i], pointer + "/" + std::to_string(i), duration);
    if (!e) {
      return fail(std::move(e).error());
    }
    out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace rootsim::scenarios::detail
