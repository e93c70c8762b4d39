// Reads a results folder back: summary.json (metrics with their intervals, the scenario's
// header), results.db (the order arrangements ran in, lead-time samples, the resolution time
// series) and events.jsonl (daily governance activity and the scenario's events).
#include <sqlite3.h>

#include "text_files.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "rootsim/scenarios/report.hpp"

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kMicrosPerDay = 86'400'000'000.0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

double number_or_nan(const json& v) { return v.is_number() ? v.get<double>() : kNaN; }

/// {"mean": m, "ci95": [lo, hi]}, a plain number (one replication) or null.
Result<Estimate> parse_estimate(const json& v, const std::string& where) {
  if (v.is_number() || v.is_null()) {
    const double x = number_or_nan(v);
    return Estimate{x, x, x, true};
  }
  if (v.is_object() && v.contains("mean") && v.contains("ci95") && v["ci95"].is_array() &&
      v["ci95"].size() == 2) {
    return Estimate{number_or_nan(v["mean"]), number_or_nan(v["ci95"][0]),
                    number_or_nan(v["ci95"][1]), false};
  }
  return fail(Errc::kParse, where + ": expected a number or {\"mean\", \"ci95\": [lo, hi]}");
}

std::string string_or(const json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<ResultsFolder> parse_summary(const std::string& text, const fs::path& file) {
  const std::string name = file.string();
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return fail(Errc::kParse, name + ": " + e.what());
  }
  if (!doc.is_object() || !doc.contains("arrangements") || !doc["arrangements"].is_object()) {
    return fail(Errc::kParse, name + ": /arrangements: expected an object");
  }
  ResultsFolder out;
  out.dir = file.parent_path();
  out.scenario = string_or(doc, "scenario");
  out.description = string_or(doc, "description");
  out.question = string_or(doc, "question");
  if (const auto n = doc.find("narrative"); n != doc.end() && n->is_object()) {
    out.look_at = string_or(*n, "look_at");
    out.discuss = string_or(*n, "discuss");
  }
  if (const auto s = doc.find("seed"); s != doc.end() && s->is_number_unsigned()) {
    out.seed = s->get<std::uint64_t>();
  }
  if (const auto r = doc.find("replications"); r != doc.end() && r->is_number_unsigned()) {
    out.replications = r->get<std::uint32_t>();
  }
  if (const auto d = doc.find("duration_days"); d != doc.end() && d->is_number()) {
    out.duration_days = d->get<double>();
  }
  if (const auto m = doc.find("metrics"); m != doc.end() && m->is_object()) {
    for (const auto& [key, info] : m->items()) {
      out.metrics.push_back({key, info.is_object() ? string_or(info, "unit") : "",
                             info.is_object() ? string_or(info, "definition") : ""});
    }
  }
  for (const auto& [arrangement, values] : doc["arrangements"].items()) {
    const std::string where = name + ": /arrangements/" + arrangement;
    if (!values.is_object()) {
      return fail(Errc::kParse, where + ": expected an object");
    }
    ArrangementResults a;
    a.name = arrangement;
    for (const auto& [key, value] : values.items()) {
      if (key == "lead_time_days" || key == "resolution") {
        continue;  // grouped views of lead_time_p*_days and resolution_*
      }
      if (key == "source") {
        a.source = value.is_string() ? value.get<std::string>() : std::string();
        continue;
      }
      if (key == "participation") {
        if (!value.is_object()) {
          return fail(Errc::kParse, where + "/participation: expected an object");
        }
        for (const auto& [party, steps] : value.items()) {
          a.participation.emplace_back(party, number_or_nan(steps));
        }
        continue;
      }
      auto e = parse_estimate(value, where + "/" + key);
      if (!e) {
        return fail(e.error());
      }
      a.metrics.emplace_back(key, *e);
    }
    out.arrangements.push_back(std::move(a));
  }
  return out;
}

// --- results.db --------------------------------------------------------------------------

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;
using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

std::string column_text(sqlite3_stmt* stmt, int column) {
  const auto* text = sqlite3_column_text(stmt, column);
  return text != nullptr ? reinterpret_cast<const char*>(text) : "";
}

/// Runs `sql` and calls `row(stmt)` per result row.
template <class Row>
Status query(sqlite3* db, const fs::path& file, const char* sql, Row&& row) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return fail(Errc::kParse, file.string() + ": " + sqlite3_errmsg(db));
  }
  Stmt stmt(raw, &sqlite3_finalize);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    row(stmt.get());
  }
  if (rc != SQLITE_DONE) {
    return fail(Errc::kIo, file.string() + ": " + sqlite3_errmsg(db));
  }
  return {};
}

Status read_db(const fs::path& file, ResultsFolder& out) {
  if (!fs::exists(file)) {
    return fail(Errc::kIo, file.string() + ": cannot read (no such file)");
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  Db db(raw, &sqlite3_close);
  if (rc != SQLITE_OK) {
    return fail(Errc::kIo, file.string() + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open"));
  }
  // The order arrangements ran in; summary.json's keys are sorted instead.
  std::vector<std::string> order;
  std::map<std::string, std::uint32_t> replications;
  auto st = query(db.get(), file, "SELECT arrangement, replication FROM runs ORDER BY rowid",
                  [&](sqlite3_stmt* s) {
                    std::string name = column_text(s, 0);
                    if (std::find(order.begin(), order.end(), name) == order.end()) {
                      order.push_back(name);
                    }
                    auto& n = replications[name];
                    n = std::max(n, static_cast<std::uint32_t>(sqlite3_column_int64(s, 1)) + 1);
                  });
  if (!st) {
    return st;
  }
  std::vector<ArrangementResults> sorted;
  for (const std::string& name : order) {
    const auto it = std::find_if(out.arrangements.begin(), out.arrangements.end(),
                                 [&](const ArrangementResults& a) { return a.name == name; });
    if (it == out.arrangements.end()) {
      return fail(Errc::kParse, file.string() + ": arrangement '" + name +
                                    "' is not in summary.json; the folder mixes two runs");
    }
    sorted.push_back(std::move(*it));
    sorted.back().lead_times_days.resize(replications[name]);
  }
  if (sorted.size() != out.arrangements.size()) {
    return fail(Errc::kParse, file.string() + ": runs lists " + std::to_string(sorted.size()) +
                                  " arrangements, summary.json " +
                                  std::to_string(out.arrangements.size()));
  }
  out.arrangements = std::move(sorted);
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < out.arrangements.size(); ++i) {
    index[out.arrangements[i].name] = i;
  }
  auto find = [&](const std::string& name) -> ArrangementResults* {
    const auto it = index.find(name);
    return it == index.end() ? nullptr : &out.arrangements[it->second];
  };
  st = query(db.get(), file,
             "SELECT arrangement, replication, days FROM lead_times ORDER BY rowid",
             [&](sqlite3_stmt* s) {
               ArrangementResults* a = find(column_text(s, 0));
               const auto r = static_cast<std::size_t>(sqlite3_column_int64(s, 1));
               if (a != nullptr) {
                 if (r >= a->lead_times_days.size()) {
                   a->lead_times_days.resize(r + 1);
                 }
                 a->lead_times_days[r].push_back(sqlite3_column_double(s, 2));
               }
             });
  if (!st) {
    return st;
  }
  st = query(db.get(), file, "SELECT DISTINCT region FROM resolution ORDER BY region",
             [&](sqlite3_stmt* s) { out.regions.push_back(column_text(s, 0)); });
  if (!st) {
    return st;
  }
  std::map<std::string, std::uint32_t> region_index;
  for (std::uint32_t i = 0; i < out.regions.size(); ++i) {
    region_index[out.regions[i]] = i;
  }
  return query(db.get(), file,
               "SELECT arrangement, replication, day, region, correct, wrong, failed "
               "FROM resolution ORDER BY rowid",
               [&](sqlite3_stmt* s) {
                 const auto a = index.find(column_text(s, 0));
                 if (a == index.end()) {
                   return;
                 }
                 out.resolution.push_back(
                     {a->second, static_cast<std::uint32_t>(sqlite3_column_int64(s, 1)),
                      static_cast<std::uint32_t>(sqlite3_column_int64(s, 2)),
                      region_index[column_text(s, 3)],
                      static_cast<std::uint64_t>(sqlite3_column_int64(s, 4)),
                      static_cast<std::uint64_t>(sqlite3_column_int64(s, 5)),
                      static_cast<std::uint64_t>(sqlite3_column_int64(s, 6))});
               });
}

// --- events.jsonl ------------------------------------------------------------------------

std::string event_detail(const json& e) {
  std::string detail = string_or(e, "tld");
  for (const char* key : {"letter", "operator", "region", "event"}) {
    if (detail.empty()) {
      detail = string_or(e, key);
    }
  }
  if (const std::string error = string_or(e, "error"); !error.empty()) {
    detail += (detail.empty() ? "" : ": ") + error;
  }
  return detail.size() > 160 ? detail.substr(0, 157) + "..." : detail;
}

Status read_events(const fs::path& file, ResultsFolder& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read");
  }
  std::map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < out.arrangements.size(); ++i) {
    index[out.arrangements[i].name] = i;
  }
  const auto days = static_cast<std::size_t>(std::ceil(std::max(out.duration_days, 1.0)));
  out.activity.assign(out.arrangements.size(),
                      DailyActivity{std::vector<std::uint64_t>(days),
                                    std::vector<std::uint64_t>(days),
                                    std::vector<std::uint64_t>(days)});
  // (arrangement, t_us, type, detail, scenario) -> replications it occurred in.
  std::map<std::tuple<std::uint32_t, std::int64_t, std::string, std::string, bool>, std::uint32_t>
      marks;
  // "/events/N" -> what the request it made names ("cz, asked by oversight").
  std::map<std::string, std::string> origins;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) {
      continue;
    }
    json e;
    try {
      e = json::parse(line);
    } catch (const json::exception& ex) {
      return fail(Errc::kParse, file.string() + ":" + std::to_string(number) + ": " + ex.what());
    }
    const auto a = index.find(string_or(e, "arrangement"));
    const auto t = e.find("t_us");
    if (a == index.end() || t == e.end() || !t->is_number_integer()) {
      return fail(Errc::kParse, file.string() + ":" + std::to_string(number) +
                                    ": expected a known arrangement and an integer t_us");
    }
    const std::string type = string_or(e, "type");
    const std::int64_t t_us = t->get<std::int64_t>();
    const auto day = static_cast<std::size_t>(std::max<std::int64_t>(t_us, 0) / 86'400'000'000LL);
    DailyActivity& act = out.activity[a->second];
    std::vector<std::uint64_t>* counts = type == "request"       ? &act.requests
                                         : type == "decision"    ? &act.decisions
                                         : type == "publication" ? &act.publications
                                                                 : nullptr;
    const std::string origin = string_or(e, "origin");
    if (type == "request" && origin.rfind("/events/", 0) == 0) {
      origins[origin] = string_or(e, "request") + " " + string_or(e, "tld") + ", asked by " +
                        string_or(e, "requester");
    }
    if (counts != nullptr) {
      if (day < counts->size()) {
        ++(*counts)[day];
      }
      continue;
    }
    const bool scenario = e.contains("event") || origin.rfind("/events/", 0) == 0;
    ++marks[{a->second, t_us, type, event_detail(e), scenario}];
  }
  for (const auto& [key, count] : marks) {
    const auto& [arrangement, t_us, type, detail, scenario] = key;
    const auto named = origins.find(detail);
    out.events.push_back({arrangement, static_cast<double>(t_us) / kMicrosPerDay, type,
                          named != origins.end() ? named->second + " (" + detail + ")" : detail,
                          count, scenario});
  }
  return {};
}

}  // namespace

const Estimate* ArrangementResults::metric(std::string_view key) const {
  const auto it = std::lower_bound(metrics.begin(), metrics.end(), key,
                                   [](const auto& m, std::string_view k) { return m.first < k; });
  return it != metrics.end() && it->first == key ? &it->second : nullptr;
}

const MetricInfo* ResultsFolder::metric_info(std::string_view key) const {
  const auto it = std::find_if(metrics.begin(), metrics.end(),
                               [&](const MetricInfo& m) { return m.key == key; });
  return it != metrics.end() ? &*it : nullptr;
}

Result<ResultsFolder> read_summary(const fs::path& dir) {
  if (!fs::is_directory(dir)) {
    return fail(Errc::kIo, dir.string() + ": not a results folder (no such directory)");
  }
  const fs::path file = dir / "summary.json";
  auto text = read_text_file(file);
  if (!text) {
    return fail(text.error());
  }
  return parse_summary(*text, file);
}

Result<ResultsFolder> read_results(const fs::path& dir) {
  auto out = read_summary(dir);
  if (!out) {
    return out;
  }
  if (auto st = read_db(dir / "results.db", *out); !st) {
    return fail(st.error());
  }
  if (auto st = read_events(dir / "events.jsonl", *out); !st) {
    return fail(st.error());
  }
  return out;
}

}  // namespace rootsim::scenarios
