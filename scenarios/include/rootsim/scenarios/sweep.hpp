// Parameter sweeps that any batch system can spread over machines (docs/sweeps.md): a sweep file
// names a scenario and the values to set at JSON pointers into it; its points (the cartesian
// product of those values, times the seeds) run in shards ("3/16": the points whose index % 16
// == 2), and merge_sweep_shards puts the shards' folders back together. A point's results
// depend only on the sweep and the point, never on the shard layout or the thread count.
// Thread-safety: plain values and functions; run_sweep_shard may be called from one thread at a
// time per output folder. Ownership: values own their data.
#pragma once

#include "rootsim/dns/result.hpp"
#include "rootsim/scenarios/runner.hpp"
#include "rootsim/scenarios/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rootsim::scenarios {

/// One varied parameter: a JSON pointer into the scenario document and the values it takes,
/// each as compact JSON text ("0.54", "\"builtin\"", "[1,2]").
struct SweepAxis {
  std::string pointer;
  std::vector<std::string> values;
};

/// One point: its index, the value of each axis (compact JSON, in axis order), its seed, and
/// the scenario document with those values set, parsed.
struct SweepPoint {
  std::size_t index = 0;
  std::vector<std::string> values;
  std::uint64_t seed = 0;
  Scenario scenario;
};

struct Sweep {
  std::string name;
  std::filesystem::path scenario_file;  ///< resolved: beside the sweep file, or in the library
  std::string digest;                   ///< hex SHA-256 of the canonical sweep JSON + scenario text
  std::vector<SweepAxis> axes;          ///< in the order written (the last varies fastest)
  std::vector<SweepPoint> points;       ///< index order: axes' product, then the seeds
};

/// Parses a sweep document. `base_dir` is the folder relative scenario paths start from.
/// Errors: kParse starting with `source` and the JSON pointer ("s.json: /seeds/1: expected an
/// integer >= 0"); a point the scenario parser refuses is reported at the axis it blames
/// ("s.json: /vary/~1changes~1colour: point 0 (/changes/colour = 1, seed 1): /changes/colour:
/// unknown key"), else at "/vary"; kIo when the scenario file cannot be read.
[[nodiscard]] Result<Sweep> parse_sweep(std::string_view json_text, const std::string& source,
                                        const std::filesystem::path& base_dir);
/// Reads and parses a sweep file. Errors: kIo naming the file; as parse_sweep.
[[nodiscard]] Result<Sweep> load_sweep(const std::filesystem::path& file);

/// Shard i of N (1-based): the points whose index % N == i - 1.
struct Shard {
  std::uint32_t index = 1;
  std::uint32_t count = 1;
  [[nodiscard]] bool holds(std::size_t point) const noexcept { return point % count == index - 1; }
  [[nodiscard]] std::string text() const;  ///< "i/N"
};
/// Parses "i/N" with 1 <= i <= N. Errors: kParse ("--shard: expected i/N with 1 <= i <= N").
[[nodiscard]] Result<Shard> parse_shard(std::string_view text);

struct SweepRunOptions {
  Shard shard;
  RunOptions run;  ///< data_dir, threads, cancel; arrangements, replications, seed are ignored
  /// Called after each point with (points done, points in the shard, the point's index).
  std::function<void(std::size_t done, std::size_t total, std::size_t index)> on_point;
};

/// Runs the shard's points in index order, writing `out_dir`/points/<index, 5 digits>/ (the
/// files of write_results plus point.json: index, seed, values) and, once all are done,
/// `out_dir`/shard.json (sweep, sweep_digest, shard, point_count, vary, points). A shard of
/// 1/1 also writes sweep-summary.json and sweep.csv, as merge_sweep_shards does. Returns the
/// indices run. Errors: as run_scenario (prefixed "point N: "), kIo from writing.
[[nodiscard]] Result<std::vector<std::size_t>> run_sweep_shard(
    const Sweep& sweep, const SweepRunOptions& options, const std::filesystem::path& out_dir);

/// Checks that the shard folders come from one sweep (same digest) and together hold every
/// point exactly once, copies their points into `out_dir`/points/, and writes `out_dir`'s
/// shard.json (as "1/1"), sweep-summary.json and sweep.csv, byte-identical to a run of the
/// whole sweep on one machine. Errors: kParse naming the folder and what is wrong ("missing
/// points 1, 4 of 6", "point 3 is in both a and b", "b: from a different sweep"); kIo.
[[nodiscard]] Status merge_sweep_shards(const std::vector<std::filesystem::path>& shard_dirs,
                                        const std::filesystem::path& out_dir);

/// Writes sweep-summary.json and sweep.csv into `dir`, a folder holding a complete sweep
/// (shard.json of shard 1/1 and every point). Errors: kParse or kIo naming the file.
[[nodiscard]] Status write_sweep_summary(const std::filesystem::path& dir);

/// The folder name of a point: its index zero-padded to 5 digits ("00042").
[[nodiscard]] std::string point_folder(std::size_t index);

}  // namespace rootsim::scenarios
