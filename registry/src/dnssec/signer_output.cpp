// The signed zone as records: in full (output), moved out (take_output), or kept between updates
// with only the changed names written again (cached_output). See signer_state.hpp.
#include "signer_state.hpp"

namespace rootsim::registry {

using signer::kParallelNodes;
using signer::Node;

namespace {

// Records of all nodes in canonical order, made on up to `threads` workers over contiguous
// ranges by `emit(node, out)`, then joined (moves only).
template <class Nodes, class Emit>
std::vector<dns::Record> collect(Nodes& nodes, unsigned threads, Emit emit) {
  const std::size_t parts = nodes.size() < kParallelNodes ? 1 : threads;
  std::vector<std::vector<dns::Record>> out(parts);
  signer::for_ranges(nodes.size(), parts,
                     [&](std::size_t part, std::size_t begin, std::size_t end) {
                       std::size_t count = 0;
                       for (std::size_t i = begin; i < end; ++i) {
                         count += signer::record_count(nodes[i]);
                       }
                       out[part].reserve(count);
                       for (std::size_t i = begin; i < end; ++i) {
                         emit(nodes[i], out[part]);
                       }
                     });
  if (parts == 1) {
    return std::move(out.front());
  }
  std::size_t total = 0;
  for (const auto& part : out) {
    total += part.size();
  }
  std::vector<dns::Record> all;
  all.reserve(total);
  for (auto& part : out) {
    std::move(part.begin(), part.end(), std::back_inserter(all));
  }
  return all;
}

}  // namespace

std::vector<dns::Record> ZoneSigner::State::output() const {
  return collect(nodes, threads, [](const Node& node, std::vector<dns::Record>& out) {
    signer::append_records(node, out);
  });
}

const dns::ZoneContent& ZoneSigner::State::cached_output(std::vector<dns::Name>* changed) {
  std::vector<dns::Record>& previous = output_zone.records;
  std::vector<dns::Record> next;
  std::vector<OutputRun> runs;
  std::vector<dns::Name> names;  // written again, or gone
  runs.reserve(nodes.size());
  bool reused_all = output_ready && output_zone.origin == origin;
  if (reused_all) {
    next.reserve(previous.size() + 64);
    // Both are in canonical order, and a node not marked stale was written last time with the
    // same records: skip the runs of nodes that went or changed, move its run over.
    std::size_t run = 0;
    std::size_t at = 0;
    auto skip_run = [&] {
      if (output_runs[run].count > 0) {
        names.push_back(previous[at].owner);  // went, or changed (then listed twice)
      }
      at += output_runs[run++].count;
    };
    for (Node& node : nodes) {
      const std::size_t begin = next.size();
      if (node.output_stale) {
        signer::append_records(node, next);
        node.output_id = ++last_output_id;
        names.push_back(node.owner);
      } else {
        while (run < output_runs.size() && output_runs[run].node != node.output_id) {
          skip_run();
        }
        if (run == output_runs.size()) {
          reused_all = false;  // not there after all: write everything afresh below
          break;
        }
        const std::size_t count = output_runs[run++].count;
        std::move(previous.begin() + static_cast<std::ptrdiff_t>(at),
                  previous.begin() + static_cast<std::ptrdiff_t>(at + count),
                  std::back_inserter(next));
        at += count;
      }
      runs.push_back(OutputRun{node.output_id, next.size() - begin});
    }
    while (reused_all && run < output_runs.size()) {
      skip_run();  // names after the last one kept went too
    }
  }
  if (!reused_all) {
    next = output();
    runs.clear();
    names.clear();
    for (Node& node : nodes) {
      node.output_id = ++last_output_id;
      runs.push_back(OutputRun{node.output_id, signer::record_count(node)});
      names.push_back(node.owner);  // all of them: nothing is known to be the same
    }
  }
  output_zone.origin = origin;
  output_zone.records = std::move(next);
  output_runs = std::move(runs);
  for (Node& node : nodes) {
    node.output_stale = false;
  }
  output_ready = true;
  if (changed != nullptr) {
    *changed = std::move(names);
  }
  return output_zone;
}

std::vector<dns::Record> ZoneSigner::State::take_output() {
  auto all = collect(nodes, threads, [](Node& node, std::vector<dns::Record>& out) {
    signer::take_records(node, out);
    const Node consumed = std::move(node);  // freed here, on this worker
  });
  *this = State{};
  return all;
}

}  // namespace rootsim::registry
