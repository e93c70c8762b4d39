// Putting a sweep's shards together: shard.json of every folder must name the same sweep (by
// digest) and together the folders must hold each point exactly once; then the points are
// copied and sweep-summary.json and sweep.csv are written from the files alone, so a merge of
// shards and a run of the whole sweep on one machine give the same bytes.
#include "rootsim/scenarios/sweep.hpp"
#include "text_files.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// The headline metrics of sweep.csv, as keyed in summary.json.
constexpr std::array<const char*, 8> kCsvMetrics = {
    "changes_per_year",   "publications_per_day",       "lead_time_p50_days",
    "lead_time_p90_days", "resolution_correct",         "resolution_failed",
    "tlds_removed",       "foreign_decisions_on_cctlds"};

/// What a shard folder's shard.json says.
struct ShardFile {
  fs::path dir;
  std::string sweep;
  std::string digest;
  std::string shard;
  std::size_t point_count = 0;
  std::vector<std::string> vary;
  std::vector<std::size_t> points;
};

Result<json> read_json(const fs::path& file) {
  auto text = read_text_file(file);
  if (!text) {
    return fail(std::move(text).error());
  }
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    return fail(Errc::kParse, file.string() + ": malformed JSON: " + e.what());
  }
}

Result<ShardFile> read_shard(const fs::path& dir) {
  const fs::path file = dir / "shard.json";
  if (!fs::exists(file)) {
    return fail(Errc::kParse, dir.string() +
                                  ": no shard.json (not a sweep folder, or its shard "
                                  "did not finish)");
  }
  auto doc = read_json(file);
  if (!doc) {
    return fail(std::move(doc).error());
  }
  const std::string at = file.string() + ": ";
  ShardFile s;
  s.dir = dir;
  try {
    const auto need = [&](const char* key) -> const json& {
      if (!doc->is_object() || !doc->contains(key)) {
        throw std::runtime_error(std::string("/") + key + ": missing");
      }
      return doc->at(key);
    };
    s.sweep = need("sweep").get<std::string>();
    s.digest = need("sweep_digest").get<std::string>();
    s.shard = need("shard").get<std::string>();
    s.point_count = need("point_count").get<std::size_t>();
    s.vary = need("vary").get<std::vector<std::string>>();
    s.points = need("points").get<std::vector<std::size_t>>();
  } catch (const std::exception& e) {
    return fail(Errc::kParse, at + e.what());
  }
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    if (s.points[i] >= s.point_count) {
      return fail(Errc::kParse, at + "/points/" + std::to_string(i) + ": point " +
                                    std::to_string(s.points[i]) + " beyond the sweep's " +
                                    std::to_string(s.point_count));
    }
  }
  return s;
}

/// "1, 4, 7" (at most 20, then "... (N in all)").
std::string list_points(const std::vector<std::size_t>& points) {
  std::string out;
  for (std::size_t i = 0; i < points.size() && i < 20; ++i) {
    out += (i == 0 ? "" : ", ") + std::to_string(points[i]);
  }
  if (points.size() > 20) {
    out += ", ... (" + std::to_string(points.size()) + " in all)";
  }
  return out;
}

/// A varied value in a CSV cell: strings as they are, anything else as compact JSON.
std::string csv_value(const json& v) {
  return csv_field(v.is_string() ? v.get<std::string>() : v.dump());
}

/// A summary.json metric value (a number, null, or {"mean", "ci95"}) as its mean; empty when
/// undefined.
std::string csv_mean(const json& v) {
  const json& mean = v.is_object() && v.contains("mean") ? v.at("mean") : v;
  if (!mean.is_number()) {
    return "";
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", mean.get<double>());
  return buf;
}

std::string shard_json_text(const ShardFile& s) {
  const json doc = {{"sweep", s.sweep}, {"sweep_digest", s.digest},
                    {"shard", s.shard}, {"point_count", s.point_count},
                    {"vary", s.vary},   {"points", s.points}};
  return doc.dump(2) + "\n";
}

}  // namespace

Status write_sweep_summary(const fs::path& dir) {
  auto shard = read_shard(dir);
  if (!shard) {
    return fail(std::move(shard).error());
  }
  if (shard->points.size() != shard->point_count) {
    return fail(Errc::kParse, (dir / "shard.json").string() + ": holds " +
                                  std::to_string(shard->points.size()) + " of " +
                                  std::to_string(shard->point_count) +
                                  " points; merge the shards first");
  }
  json points = json::array();
  std::string csv = "index,seed";
  for (const std::string& pointer : shard->vary) {
    csv += "," + csv_field(pointer);
  }
  csv += ",arrangement";
  for (const char* metric : kCsvMetrics) {
    csv += std::string(",") + metric;
  }
  csv += "\n";
  for (std::size_t index = 0; index < shard->point_count; ++index) {
    const fs::path point_dir = dir / "points" / point_folder(index);
    auto about = read_json(point_dir / "point.json");
    if (!about) {
      return fail(std::move(about).error());
    }
    auto summary = read_json(point_dir / "summary.json");
    if (!summary) {
      return fail(std::move(summary).error());
    }
    const std::string at = (point_dir / "point.json").string() + ": ";
    if (!about->is_object() || about->value("index", json()) != json(index) ||
        !about->contains("seed") || !about->contains("values") ||
        !about->at("values").is_object()) {
      return fail(Errc::kParse,
                  at + "expected {\"index\": " + std::to_string(index) + ", \"seed\", \"values\"}");
    }
    const json& values = about->at("values");
    const json& arrangements = summary->value("arrangements", json::object());
    if (!arrangements.is_object()) {
      return fail(Errc::kParse,
                  (point_dir / "summary.json").string() + ": /arrangements: expected an object");
    }
    for (auto a = arrangements.begin(); a != arrangements.end(); ++a) {
      csv += std::to_string(index) + "," + about->at("seed").dump();
      for (const std::string& pointer : shard->vary) {
        csv += "," + (values.contains(pointer) ? csv_value(values.at(pointer)) : std::string());
      }
      csv += "," + csv_field(a.key());
      for (const char* metric : kCsvMetrics) {
        csv += "," + (a->contains(metric) ? csv_mean(a->at(metric)) : std::string());
      }
      csv += "\n";
    }
    points.push_back({{"index", index},
                      {"values", values},
                      {"seed", about->at("seed")},
                      {"summary", std::move(*summary)}});
  }
  const json doc = {{"sweep", shard->sweep}, {"points", std::move(points)}};
  if (auto st = replace_text_file(dir / "sweep-summary.json", doc.dump(2) + "\n"); !st) {
    return st;
  }
  return replace_text_file(dir / "sweep.csv", csv);
}

Status merge_sweep_shards(const std::vector<fs::path>& shard_dirs, const fs::path& out_dir) {
  if (shard_dirs.empty()) {
    return fail(Errc::kParse, "merge: no shard folders given");
  }
  std::vector<ShardFile> shards;
  for (const fs::path& dir : shard_dirs) {
    auto s = read_shard(dir);
    if (!s) {
      return fail(std::move(s).error());
    }
    if (!shards.empty() && s->digest != shards.front().digest) {
      return fail(Errc::kParse, dir.string() + ": from a different sweep than " +
                                    shards.front().dir.string() + " ('" + s->sweep + "' " +
                                    s->digest.substr(0, 12) + " vs '" + shards.front().sweep +
                                    "' " + shards.front().digest.substr(0, 12) + ")");
    }
    shards.push_back(std::move(*s));
  }
  const std::size_t n = shards.front().point_count;
  std::vector<std::optional<std::size_t>> owner(n);
  for (std::size_t k = 0; k < shards.size(); ++k) {
    for (const std::size_t p : shards[k].points) {
      if (owner[p]) {
        return fail(Errc::kParse, "point " + std::to_string(p) + " is in both " +
                                      shards[*owner[p]].dir.string() + " and " +
                                      shards[k].dir.string());
      }
      owner[p] = k;
    }
  }
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < n; ++p) {
    if (!owner[p]) {
      missing.push_back(p);
    }
  }
  if (!missing.empty()) {
    return fail(Errc::kParse, "missing point" + std::string(missing.size() == 1 ? " " : "s ") +
                                  list_points(missing) + " of " + std::to_string(n) +
                                  " (in none of the shard folders given)");
  }

  std::error_code ec;
  fs::create_directories(out_dir / "points", ec);
  if (ec) {
    return fail(Errc::kIo, (out_dir / "points").string() + ": cannot create: " + ec.message());
  }
  fs::remove(out_dir / "shard.json", ec);
  for (std::size_t p = 0; p < n; ++p) {
    const fs::path from = shards[*owner[p]].dir / "points" / point_folder(p);
    const fs::path to = out_dir / "points" / point_folder(p);
    if (!fs::is_regular_file(from / "point.json") || !fs::is_regular_file(from / "summary.json")) {
      return fail(Errc::kParse,
                  from.string() + ": incomplete point (no point.json or summary.json)");
    }
    if (fs::exists(to) && fs::equivalent(from, to, ec)) {
      continue;  // merging into one of the shard folders
    }
    const fs::path tmp = to.string() + ".tmp";
    fs::remove_all(tmp, ec);
    fs::copy(from, tmp, fs::copy_options::recursive, ec);
    if (!ec) {
      fs::remove_all(to, ec);
    }
    if (!ec) {
      fs::rename(tmp, to, ec);
    }
    if (ec) {
      return fail(Errc::kIo,
                  to.string() + ": cannot copy from " + from.string() + ": " + ec.message());
    }
  }
  ShardFile merged = shards.front();
  merged.shard = "1/1";
  merged.points.clear();
  for (std::size_t p = 0; p < n; ++p) {
    merged.points.push_back(p);
  }
  if (auto st = replace_text_file(out_dir / "shard.json", shard_json_text(merged)); !st) {
    return st;
  }
  return write_sweep_summary(out_dir);
}

}  // namespace rootsim::scenarios
