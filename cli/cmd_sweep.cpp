// rootsim sweep SWEEP.json [--shard i/N] --out DIR: runs the points of a parameter sweep (all,
// or one shard's) into DIR/points/ and writes DIR/shard.json; rootsim merge DIR... --out MERGED
// puts the shards together (docs/sweeps.md).
#include "rootsim/scenarios/sweep.hpp"

#include "commands.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace rootsim::cli {

int run_sweep(const GlobalOptions& global, const std::vector<std::string>& args) {
  static const std::string kUsage =
      "rootsim sweep SWEEP.json [--shard i/N] --out DIR [--threads N] [--quiet]";
  po::options_description options("sweep");
  std::string file;
  std::string shard_text;
  std::string out_dir;
  unsigned threads = 0;
  bool quiet = false;
  options.add_options()("sweep", po::value(&file)->required(), "the sweep file (JSON)")(
      "shard", po::value(&shard_text),
      "run only shard i of N (1-based): the points whose index % N == i-1")(
      "out", po::value(&out_dir)->required(),
      "write points/<index>/ and shard.json here (and sweep-summary.json, sweep.csv when whole)")(
      "threads", po::value(&threads), "worker threads per point (default: the cores there are)")(
      "quiet", po::bool_switch(&quiet), "no progress lines");
  po::positional_options_description positional;
  positional.add("sweep", 1);
  int code = 0;
  const auto vm = parse_args(kUsage, options, positional, args, code);
  if (!vm) {
    return code;
  }
  scenarios::SweepRunOptions run_options;
  if (!shard_text.empty()) {
    auto shard = scenarios::parse_shard(shard_text);
    if (!shard) {
      return report(shard.error());
    }
    run_options.shard = *shard;
  }
  auto sweep = scenarios::load_sweep(file);
  if (!sweep) {
    return report(sweep.error());
  }
  run_options.run.data_dir = global.data_dir;
  run_options.run.threads = threads;
  const auto start = std::chrono::steady_clock::now();
  if (!quiet) {
    run_options.on_point = [&](std::size_t done, std::size_t total, std::size_t index) {
      const double s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "point %zu done (%zu/%zu, %.1f s)\n", index, done, total, s);
    };
  }
  auto ran = scenarios::run_sweep_shard(*sweep, run_options, out_dir);
  if (!ran) {
    return report(ran.error());
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "sweep '%s' shard %s: %zu of %zu points in %.1f s -> %s\n",
               sweep->name.c_str(), run_options.shard.text().c_str(), ran->size(),
               sweep->points.size(), wall, out_dir.c_str());
  return kExitOk;
}

int run_merge(const GlobalOptions& /*global*/, const std::vector<std::string>& args) {
  static const std::string kUsage = "rootsim merge SHARD_DIR... --out MERGED";
  po::options_description options("merge");
  std::vector<std::string> dirs;
  std::string out_dir;
  options.add_options()("shards", po::value(&dirs)->required()->multitoken(),
                        "the shard folders of `rootsim sweep --shard`")(
      "out", po::value(&out_dir)->required(),
      "write points/, shard.json, sweep-summary.json and sweep.csv here");
  po::positional_options_description positional;
  positional.add("shards", -1);
  int code = 0;
  const auto vm = parse_args(kUsage, options, positional, args, code);
  if (!vm) {
    return code;
  }
  std::vector<std::filesystem::path> paths(dirs.begin(), dirs.end());
  if (auto st = scenarios::merge_sweep_shards(paths, out_dir); !st) {
    return report(st.error());
  }
  std::cerr << "merged " << paths.size() << " shard folder" << (paths.size() == 1 ? "" : "s")
            << " -> " << out_dir << "\n";
  return kExitOk;
}

}  // namespace rootsim::cli
