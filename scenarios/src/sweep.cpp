// Sweep files and running a shard of one: strict parsing (errors by JSON pointer), the points as
// scenario documents with the varied values set, the digest that ties shards to their sweep,
// and the point folders and shard.json a shard leaves behind. Merging: sweep_merge.cpp.
#include "rootsim/scenarios/sweep.hpp"

#include "rootsim/scenarios/output.hpp"

#include "duplicate_keys.hpp"
#include "text_files.hpp"
#include "scenario_parse_detail.hpp"
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace rootsim::scenarios {
namespace {

namespace fs = std::filesystem;
using detail::escape_token;
using nlohmann::ordered_json;


std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &size, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

/// A library name ("baseline-2025") has no folder and no extension; anything else is a path,
/// relative to the sweep file's folder unless absolute.
fs::path resolve_scenario(const std::string& name, const fs::path& base_dir) {
  const fs::path p(name);
  if (!p.has_parent_path() && !p.has_extension()) {
    return library_dir() / (name + ".json");
  }
  return p.is_absolute() ? p : base_dir / p;
}

/// nlohmann's message without its "[json.exception.out_of_range.404] " prefix.
std::string without_id(const std::string& what) {
  const auto end = what.find("] ");
  return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2)
                                                                            : what;
}

/// The pointer at the start of a scenario error ("/changes/colour: unknown key").
std::string error_pointer(const std::string& message) {
  if (message.empty() || message[0] != '/') {
    return {};
  }
  return message.substr(0, message.find(": "));
}

/// True when `a` is `b` or an ancestor of it, on reference-token boundaries.
bool is_prefix(const std::string& a, const std::string& b) {
  return b.compare(0, a.size(), a) == 0 && (b.size() == a.size() || b[a.size()] == '/');
}

/// The members of the sweep object: strict, first problem wins.
struct SweepFields {
  std::string name;
  std::string scenario;
  std::vector<std::pair<std::string, std::vector<ordered_json>>> vary;
  std::vector<std::uint64_t> seeds;
  std::optional<ordered_json> arrangements;
};

Result<SweepFields> read_fields(const ordered_json& doc) {
  if (!doc.is_object()) {
    return fail(Errc::kParse, "/: expected an object");
  }
  static const std::set<std::string> kKeys = {"name", "description", "scenario",
                                              "vary", "seeds",       "arrangements"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (kKeys.count(it.key()) == 0) {
      return fail(Errc::kParse, "/" + escape_token(it.key()) + ": unknown key");
    }
  }
  SweepFields f;
  for (const char* key : {"name", "scenario"}) {
    const auto it = doc.find(key);
    if (it == doc.end()) {
      return fail(Errc::kParse, std::string("/") + key + ": missing");
    }
    if (!it->is_string() || it->get<std::string>().empty()) {
      return fail(Errc::kParse, std::string("/") + key + ": expected a non-empty string");
    }
    (std::string(key) == "name" ? f.name : f.scenario) = it->get<std::string>();
  }
  if (const auto it = doc.find("description"); it != doc.end() && !it->is_string()) {
    return fail(Errc::kParse, "/description: expected a string");
  }
  if (const auto it = doc.find("vary"); it != doc.end()) {
    if (!it->is_object()) {
      return fail(Errc::kParse, "/vary: expected an object {\"/json/pointer\": [values...]}");
    }
    for (auto axis = it->begin(); axis != it->end(); ++axis) {
      const std::string at = "/vary/" + escape_token(axis.key());
      if (axis.key().empty() || axis.key()[0] != '/') {
        return fail(Errc::kParse, at + ": expected a JSON pointer into the scenario (\"/a/b\")");
      }
      try {
        (void)ordered_json::json_pointer(axis.key());
      } catch (const nlohmann::json::exception&) {
        return fail(Errc::kParse, at + ": not a valid JSON pointer (RFC 6901)");
      }
      if (!axis->is_array() || axis->empty()) {
        return fail(Errc::kParse, at + ": expected a non-empty array of values");
      }
      f.vary.emplace_back(axis.key(), std::vector<ordered_json>(axis->begin(), axis->end()));
    }
  }
  if (const auto it = doc.find("seeds"); it != doc.end()) {
    if (!it->is_array() || it->empty()) {
      return fail(Errc::kParse, "/seeds: expected a non-empty array of integers");
    }
    std::set<std::uint64_t> seen;
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& s = (*it)[i];
      if (!s.is_number_unsigned()) {
        return fail(Errc::kParse, "/seeds/" + std::to_string(i) + ": expected an integer >= 0");
      }
      if (!seen.insert(s.get<std::uint64_t>()).second) {
        return fail(Errc::kParse, "/seeds/" + std::to_string(i) + ": duplicate seed");
      }
      f.seeds.push_back(s.get<std::uint64_t>());
    }
    for (const auto& [pointer, values] : f.vary) {
      if (is_prefix("/seed", pointer)) {
        return fail(Errc::kParse, "/vary/" + escape_token(pointer) + ": vary the seed with /seeds");
      }
    }
  }
  if (const auto it = doc.find("arrangements"); it != doc.end()) {
    if (!it->is_array() || it->empty()) {
      return fail(Errc::kParse, "/arrangements: expected a non-empty array of names");
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string() || (*it)[i].get<std::string>().empty()) {
        return fail(Errc::kParse,
                    "/arrangements/" + std::to_string(i) + ": expected a non-empty string");
      }
    }
    for (const auto& [pointer, values] : f.vary) {
      if (is_prefix("/arrangements", pointer)) {
        return fail(Errc::kParse, "/vary/" + escape_token(pointer) +
                                      ": cannot vary what /arrangements overrides");
      }
    }
    f.arrangements = *it;
  }
  return f;
}

/// "point 4 (/a = 1, /b = \"x\", seed 2)"
std::string describe_point(std::size_t index, const SweepFields& f,
                           const std::vector<std::size_t>& picks,
                           std::optional<std::uint64_t> seed) {
  std::string out = "point " + std::to_string(index) + " (";
  for (std::size_t a = 0; a < f.vary.size(); ++a) {
    out += f.vary[a].first + " = " + f.vary[a].second[picks[a]].dump() + ", ";
  }
  out += seed ? "seed " + std::to_string(*seed) : "the scenario's seed";
  return out + ")";
}

/// The total point count, or an error when it would not fit in memory sensibly.
Result<std::size_t> count_points(const SweepFields& f) {
  constexpr std::size_t kMaxPoints = 1'000'000;
  std::size_t n = f.seeds.empty() ? 1 : f.seeds.size();
  for (const auto& axis : f.vary) {
    n *= axis.second.size();
    if (n > kMaxPoints) {
      return fail(Errc::kLimit, "/vary: more than " + std::to_string(kMaxPoints) + " points");
    }
  }
  return n;
}

}  // namespace

std::string Shard::text() const { return std::to_string(index) + "/" + std::to_string(count); }

Result<Shard> parse_shard(std::string_view text) {
  const auto bad = [&] {
    return fail(Errc::kParse, "--shard: expected i/N with 1 <= i <= N (like 3/16), not '" +
                                  std::string(text) + "'");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return bad();
  }
  Shard s;
  const auto i = text.substr(0, slash);
  const auto n = text.substr(slash + 1);
  const auto ri = std::from_chars(i.data(), i.data() + i.size(), s.index);
  const auto rn = std::from_chars(n.data(), n.data() + n.size(), s.count);
  if (i.empty() || n.empty() || ri.ec != std::errc() || ri.ptr != i.data() + i.size() ||
      rn.ec != std::errc() || rn.ptr != n.data() + n.size() || s.index < 1 || s.index > s.count) {
    return bad();
  }
  return s;
}

std::string point_folder(std::size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%05zu", index);
  return buf;
}

Result<Sweep> parse_sweep(std::string_view json_text, const std::string& source,
                          const fs::path& base_dir) {
  const std::string prefix = source.empty() ? std::string() : source + ": ";
  ordered_json doc;
  detail::DuplicateKeyFinder<ordered_json> duplicates;
  try {
    doc = ordered_json::parse(
        json_text.begin(), json_text.end(),
        [&duplicates](int depth, ordered_json::parse_event_t event, ordered_json& parsed) {
          return duplicates(depth, event, parsed);
        });
  } catch (const nlohmann::json::exception& e) {
    return fail(Errc::kParse, prefix + "malformed JSON: " + without_id(e.what()));
  }
  if (duplicates.first()) {
    return fail(Errc::kParse, prefix + *duplicates.first() + ": duplicate key");
  }
  auto fields = read_fields(doc);
  if (!fields) {
    return fail(std::move(fields).error(), prefix);
  }
  const SweepFields& f = *fields;
  auto total = count_points(f);
  if (!total) {
    return fail(std::move(total).error(), prefix);
  }

  Sweep sweep;
  sweep.name = f.name;
  sweep.scenario_file = resolve_scenario(f.scenario, base_dir);
  auto scenario_text = read_text_file(sweep.scenario_file);
  if (!scenario_text) {
    return fail(std::move(scenario_text).error(), prefix + "/scenario: ");
  }
  // The scenario on its own must be valid; its errors are its own.
  if (auto base = parse_scenario(*scenario_text, sweep.scenario_file.string()); !base) {
    return fail(std::move(base).error(), prefix + "/scenario: ");
  }
  nlohmann::json base_doc = nlohmann::json::parse(*scenario_text);
  if (f.arrangements) {
    base_doc["arrangements"] = nlohmann::json::parse(f.arrangements->dump());
  }
  // Canonical: compact, members in the order written (the order of /vary matters).
  sweep.digest = sha256_hex(doc.dump() + "\n" + *scenario_text);
  for (const auto& [pointer, values] : f.vary) {
    SweepAxis axis{pointer, {}};
    for (const auto& v : values) {
      axis.values.push_back(v.dump());
    }
    sweep.axes.push_back(std::move(axis));
  }

  const std::size_t seeds = f.seeds.empty() ? 1 : f.seeds.size();
  std::vector<std::size_t> picks(f.vary.size(), 0);
  sweep.points.reserve(*total);
  for (std::size_t index = 0; index < *total; ++index) {
    // Mixed radix: the seed is the fastest digit, then the last axis, ..., the first axis.
    std::size_t rest = index / seeds;
    for (std::size_t a = f.vary.size(); a-- > 0;) {
      picks[a] = rest % f.vary[a].second.size();
      rest /= f.vary[a].second.size();
    }
    const std::optional<std::uint64_t> seed =
        f.seeds.empty() ? std::nullopt : std::optional(f.seeds[index % seeds]);
    const std::string what = describe_point(index, f, picks, seed);
    nlohmann::json point_doc = base_doc;
    SweepPoint point;
    point.index = index;
    for (std::size_t a = 0; a < f.vary.size(); ++a) {
      const auto& [pointer, values] = f.vary[a];
      try {
        point_doc[nlohmann::json::json_pointer(pointer)] =
            nlohmann::json::parse(values[picks[a]].dump());
      } catch (const nlohmann::json::exception& e) {
        return fail(Errc::kParse,
                    prefix + "/vary/" + escape_token(pointer) + ": " + what +
                        ": cannot set it in the scenario document: " + without_id(e.what()));
      }
      point.values.push_back(sweep.axes[a].values[picks[a]]);
    }
    if (seed) {
      point_doc["seed"] = *seed;
    }
    auto scenario = parse_scenario(point_doc.dump(), "");
    if (!scenario) {
      // Blame the axis the scenario parser's pointer lies in (or above), else /vary as a whole.
      const std::string at = error_pointer(scenario.error().message);
      std::string blame = "/vary";
      std::size_t best = 0;
      for (const auto& [pointer, values] : f.vary) {
        if (!at.empty() && (is_prefix(pointer, at) || is_prefix(at, pointer)) &&
            pointer.size() + 1 > best) {
          best = pointer.size() + 1;
          blame = "/vary/" + escape_token(pointer);
        }
      }
      return fail(std::move(scenario).error(), prefix + blame + ": " + what + ": ");
    }
    point.seed = scenario->seed;
    point.scenario = std::move(*scenario);
    sweep.points.push_back(std::move(point));
  }
  return sweep;
}

Result<Sweep> load_sweep(const fs::path& file) {
  auto text = read_text_file(file);
  if (!text) {
    return fail(std::move(text).error());
  }
  return parse_sweep(*text, file.string(), file.parent_path());
}

Result<std::vector<std::size_t>> run_sweep_shard(const Sweep& sweep, const SweepRunOptions& options,
                                                 const fs::path& out_dir) {
  std::vector<std::size_t> mine;
  for (const SweepPoint& p : sweep.points) {
    if (options.shard.holds(p.index)) {
      mine.push_back(p.index);
    }
  }
  std::error_code ec;
  fs::create_directories(out_dir / "points", ec);
  if (ec) {
    return fail(Errc::kIo, (out_dir / "points").string() + ": cannot create: " + ec.message());
  }
  // A stale shard.json must not vouch for a folder that is being rewritten.
  fs::remove(out_dir / "shard.json", ec);
  RunOptions run = options.run;
  run.arrangements.clear();
  run.replications.reset();
  run.seed.reset();
  std::size_t done = 0;
  for (const std::size_t index : mine) {
    const SweepPoint& point = sweep.points[index];
    auto results = run_scenario(point.scenario, run);
    if (!results) {
      return fail(std::move(results).error(), "point " + std::to_string(index) + ": ");
    }
    const fs::path dir = out_dir / "points" / point_folder(index);
    if (auto st = write_results(*results, point.scenario, dir); !st) {
      return fail(std::move(st).error());
    }
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
      values[sweep.axes[a].pointer] = nlohmann::json::parse(point.values[a]);
    }
    const nlohmann::json about = {{"index", index}, {"seed", point.seed}, {"values", values}};
    if (auto st = replace_text_file(dir / "point.json", about.dump(2) + "\n"); !st) {
      return fail(std::move(st).error());
    }
    if (options.on_point) {
      options.on_point(++done, mine.size(), index);
    }
  }
  nlohmann::json vary = nlohmann::json::array();
  for (const SweepAxis& axis : sweep.axes) {
    vary.push_back(axis.pointer);
  }
  const nlohmann::json shard = {
      {"sweep", sweep.name},           {"sweep_digest", sweep.digest},
      {"shard", options.shard.text()}, {"point_count", sweep.points.size()},
      {"vary", std::move(vary)},       {"points", mine}};
  if (auto st = replace_text_file(out_dir / "shard.json", shard.dump(2) + "\n"); !st) {
    return fail(std::move(st).error());
  }
  if (options.shard.count == 1) {
    if (auto st = write_sweep_summary(out_dir); !st) {
      return fail(std::move(st).error());
    }
  }
  return mine;
}

}  // namespace rootsim::scenarios
