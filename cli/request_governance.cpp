#include "request_governance.hpp"

#include "rootsim/dns/random.hpp"
#include "rootsim/policy/engine.hpp"
#include "rootsim/policy/idn_panel.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace rootsim::cli {
namespace {

Result<policy::Circumstances> read_circumstances(const std::string& file,
                                                 const policy::ActorDirectory& actors) {
  if (file.empty()) {
    return policy::Circumstances{};
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file + ": cannot read");
  }
  std::stringstream text;
  text << in.rdbuf();
  auto c = policy::parse_circumstances(text.str(), actors);
  if (!c) {
    return fail(c.error(), file + ": ");
  }
  return c;
}

}  // namespace

int decide_submitted(const GlobalOptions& global, registry::RegistryStore& store,
                     const registry::SubmitOutcome& outcome, const std::string& request_text,
                     const GovernanceOptions& options) {
  policy::ActorSources sources;
  sources.actors_data = global.data_dir / "governance_actors.json";
  auto actors = policy::ActorDirectory::load(sources);
  if (!actors) {
    return report(actors.error());
  }
  auto arrangement =
      policy::load_arrangement(options.arrangement, policy::builtin_primitives(), *actors);
  if (!arrangement) {
    return report(arrangement.error());
  }
  auto circumstances = read_circumstances(options.circumstances, *actors);
  if (!circumstances) {
    return report(circumstances.error());
  }
  auto request = registry::parse_change_request(request_text);
  auto state = store.load_state();
  if (!request || !state) {
    return report(request ? state.error() : request.error());
  }
  auto facts = policy::assess(*request, *state, *actors, *circumstances);
  if (!facts) {
    return report(facts.error());
  }
  // The IDN string-similarity panel, built only when a review-panel stage may need it.
  std::unique_ptr<policy::IdnPanelReview> panel;
  if (facts->idn && (facts->kind == policy::RequestKind::kDelegate ||
                     facts->kind == policy::RequestKind::kTransfer)) {
    auto classifier = registry::TldClassifier::load();
    if (!classifier) {
      return report(classifier.error());
    }
    auto made = policy::IdnPanelReview::create(*state, *classifier, global.data_dir / "idn");
    if (!made) {
      return report(made.error());
    }
    panel = std::move(*made);
  }
  policy::Evaluator engine(*arrangement, *actors, *circumstances,
                           {.epoch_unix_seconds = global.now, .review = panel.get()});
  auto rng = make_stream(options.seed, "governance");
  const policy::Trace& trace = engine.decide(*facts, dns::SimTime{0}, rng);
  const std::string trace_json = policy::trace_to_json(trace, *arrangement, *facts, *actors);
  const bool published = trace.outcome == policy::FinalOutcome::kPublished;
  const bool pending = trace.outcome == policy::FinalOutcome::kPending;
  const auto status =
      published || pending ? registry::RequestStatus::kPending : registry::RequestStatus::kRejected;
  const nlohmann::json detail = {{"arrangement", arrangement->name},
                                 {"seed", options.seed},
                                 {"trace", nlohmann::json::parse(trace_json)}};
  if (auto s = store.record_decision(
          outcome.id, status, arrangement->name, trace_json,
          registry::AuditRecord{global.now, "policy:" + arrangement->name, "request.decide",
                                "request " + std::to_string(outcome.id), detail.dump()});
      !s) {
    return report(s.error());
  }
  std::optional<registry::ApplyOutcome> applied;
  const std::int64_t published_at =
      global.now + std::chrono::duration_cast<std::chrono::seconds>(trace.decided_at).count();
  if (published) {
    auto a = registry::apply_request(store, outcome.id, published_at);
    if (!a) {
      return report(a.error());
    }
    applied = std::move(*a);
  }
  const std::string final_status = published ? "published" : pending ? "pending" : "rejected";
  if (options.json) {
    nlohmann::json out = {
        {"id", outcome.id},
        {"status", final_status},
        {"arrangement", arrangement->name},
        {"findings", nlohmann::json::parse(registry::findings_to_json(outcome.findings))},
        {"trace", nlohmann::json::parse(trace_json)}};
    out["serial"] = applied ? nlohmann::json(applied->serial) : nlohmann::json(nullptr);
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "request " << outcome.id << " " << final_status << " under " << arrangement->name
              << " (" << to_string(trace.reason) << ", after " << dns::to_days(trace.decided_at)
              << " days)";
    if (applied) {
      std::cout << ": zone serial " << applied->serial;
    }
    std::cout << "\n";
    for (std::size_t i = 0; i < trace.steps.size(); ++i) {
      const policy::TraceStep& s = trace.steps[i];
      std::cout << "  " << i + 1 << "\t" << arrangement->stages[s.stage].name << "\t"
                << policy::actor_id(s.actor, *facts, *actors) << "\t" << to_string(s.outcome)
                << "\t" << to_string(s.reason) << "\tday " << dns::to_days(s.start) << " -> "
                << dns::to_days(s.end)
                << (s.injection != policy::Injection::kNone
                        ? "\t[" + std::string(to_string(s.injection)) + "]"
                        : "")
                << "\n";
    }
  }
  return published || pending ? kExitOk : kExitFindings;
}

}  // namespace rootsim::cli
