#include "rootsim/registry/request_workflow.hpp"

#include <nlohmann/json.hpp>

#include <ctime>

#include "rootsim/registry/zone_io.hpp"

namespace rootsim::registry {
namespace {

std::uint32_t day_of(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return static_cast<std::uint32_t>((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
                                    tm.tm_mday);
}

std::chrono::sys_seconds as_time(std::int64_t unix_seconds) {
  return std::chrono::sys_seconds(std::chrono::seconds(unix_seconds));
}

}  // namespace

std::string findings_to_json(const std::vector<CheckFinding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const CheckFinding& f : findings) {
    out.push_back({{"code", to_string(f.code)},
                   {"severity", to_string(f.severity)},
                   {"subject", f.subject},
                   {"message", f.message}});
  }
  return out.dump();
}

Result<SubmitOutcome> submit_request(RegistryStore& store, std::string_view json_text,
                                     const std::string& source, std::int64_t now,
                                     const CheckInput& checks, const LabelReview* review) {
  auto request = parse_change_request(json_text);
  if (!request) {
    return fail(request.error(), source + ": ");
  }
  auto state = store.load_state();
  if (!state) {
    return fail(state.error());
  }
  auto mutation = plan_change(*request, *state, review);
  if (!mutation) {
    return fail(mutation.error(), source + ": ");
  }
  const RegistryState after = apply_mutation(*state, *mutation, as_time(now));
  SubmitOutcome outcome;
  for (const Tld& tld : mutation->upserts) {
    const Tld* written = after.find_tld(tld.label);
    if (written != nullptr && written->status != TldStatus::kRemoved) {
      auto found = run_technical_checks(*written, after, checks);
      outcome.findings.insert(outcome.findings.end(), found.begin(), found.end());
    }
  }
  outcome.status = passed(outcome.findings) ? RequestStatus::kPending : RequestStatus::kRejected;
  const std::string document = to_json(*request);
  StoredRequest stored{0,
                       std::string(to_string(request->type())),
                       request->tld.to_text(),
                       request->requester,
                       document,
                       outcome.status,
                       findings_to_json(outcome.findings),
                       now,
                       std::nullopt,
                       std::nullopt,
                       std::nullopt,
                       std::nullopt};
  const nlohmann::json detail = {{"request", nlohmann::json::parse(document)},
                                 {"status", to_string(outcome.status)},
                                 {"findings", nlohmann::json::parse(stored.findings)}};
  auto id = store.add_request(
      stored, AuditRecord{now, request->requester, "request.submit", "", detail.dump()});
  if (!id) {
    return fail(id.error());
  }
  outcome.id = *id;
  return outcome;
}

Result<ApplyOutcome> apply_request(RegistryStore& store, std::int64_t id, std::int64_t now,
                                   const LabelReview* review) {
  auto stored = store.find_request(id);
  if (!stored) {
    return fail(stored.error());
  }
  if (stored->status != RequestStatus::kPending) {
    return fail(Errc::kConflict, "request " + std::to_string(id) + " is " +
                                     std::string(to_string(stored->status)) +
                                     "; only pending requests can be applied");
  }
  auto request = parse_change_request(stored->document);
  if (!request) {
    return fail(request.error(), "stored request " + std::to_string(id) + ": ");
  }
  auto state = store.load_state();
  if (!state) {
    return fail(state.error());
  }
  auto mutation = plan_change(*request, *state, review);
  if (!mutation) {
    return fail(mutation.error(),
                "request " + std::to_string(id) + " no longer fits the registry: ");
  }
  RegistryState after = apply_mutation(*state, *mutation, as_time(now));
  ApplyOutcome outcome;
  outcome.serial = next_serial(state->serial(), day_of(now));
  if (auto s = set_serial(after, outcome.serial); !s) {
    return fail(std::move(s).error());
  }
  outcome.digest = zone_digest(build_unsigned_zone(after));
  outcome.mutation = std::move(*mutation);
  const nlohmann::json detail = {{"request", id},
                                 {"serial", outcome.serial},
                                 {"digest", outcome.digest},
                                 {"type", stored->type}};
  auto status = store.apply_change(
      id, *state, after, ZoneVersion{outcome.serial, now, outcome.digest, {id}},
      AuditRecord{now, "iana", "request.apply", stored->tld, detail.dump()});
  if (!status) {
    return fail(std::move(status).error());
  }
  return outcome;
}

}  // namespace rootsim::registry
