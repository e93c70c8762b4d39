// rootsim --db FILE request submit|list|show|apply
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "rootsim/registry/idn/idn_review.hpp"
#include "request_governance.hpp"
#include "rootsim/registry/request_workflow.hpp"

namespace rootsim::cli {
namespace {

Result<std::string> read_file(const std::string& path) {
  if (path == "-") {
    std::stringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, path + ": cannot read");
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json request_json(const registry::StoredRequest& r) {
  return {{"id", r.id},
          {"type", r.type},
          {"tld", r.tld},
          {"requester", r.requester},
          {"status", registry::to_string(r.status)},
          {"submitted_at", r.submitted_at},
          {"applied_at", r.applied_at ? nlohmann::json(*r.applied_at) : nlohmann::json(nullptr)},
          {"serial", r.serial ? nlohmann::json(*r.serial) : nlohmann::json(nullptr)},
          {"request", nlohmann::json::parse(r.document, nullptr, false)},
          {"findings", nlohmann::json::parse(r.findings, nullptr, false)},
          {"arrangement", r.arrangement ? nlohmann::json(*r.arrangement) : nlohmann::json(nullptr)},
          {"trace",
           r.trace ? nlohmann::json::parse(*r.trace, nullptr, false) : nlohmann::json(nullptr)}};
}

void print_findings(const nlohmann::json& findings) {
  for (const auto& f : findings) {
    std::cout << "  " << f.value("severity", "") << "\t" << f.value("code", "") << "\t"
              << f.value("subject", "") << ": " << f.value("message", "") << "\n";
  }
}

int request_submit(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("request submit");
  std::string file;
  bool json = false;
  GovernanceOptions governance;
  options.add_options()("file", po::value(&file)->required(), "the request (JSON; - for stdin)")(
      "json", po::bool_switch(&json), "print the outcome as JSON")(
      "arrangement", po::value(&governance.arrangement),
      "decide it through this governance arrangement (built-in name or file), then publish it "
      "if the decision says so")("seed", po::value(&governance.seed)->default_value(1),
                                 "the random seed of the decision")(
      "circumstances", po::value(&governance.circumstances),
      "JSON file of interests and injected failures for the decision");
  po::positional_options_description positional;
  positional.add("file", 1);
  int code = 0;
  if (!parse_args("rootsim --db FILE request submit REQUEST.json [--json] [--arrangement NAME "
                  "[--seed N] [--circumstances FILE]]",
                  options, positional, args, code)) {
    return code;
  }
  auto text = read_file(file);
  if (!text) {
    return report(text.error());
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  // Delegations and transfers pass the IDN rules (Root Zone LGR from ROOTSIM_LGR_DIR or
  // ../shared/data/idn/rz-lgr-5, loaded only when a review needs it).
  const registry::idn::IdnLabelReview review(
      registry::idn::lgr_directory(global.data_dir.parent_path()));
  auto outcome = registry::submit_request(*store, *text, file, global.now, {}, &review);
  if (!outcome) {
    return report(outcome.error());
  }
  if (!governance.arrangement.empty() && outcome->status == registry::RequestStatus::kPending) {
    governance.json = json;
    return decide_submitted(global, *store, *outcome, *text, governance);
  }
  const auto findings = nlohmann::json::parse(registry::findings_to_json(outcome->findings));
  if (json) {
    std::cout << nlohmann::json{{"id", outcome->id},
                                {"status", registry::to_string(outcome->status)},
                                {"findings", findings}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "request " << outcome->id << " " << registry::to_string(outcome->status)
              << (outcome->status == registry::RequestStatus::kPending
                      ? " (technical checks passed; 'request apply " +
                            std::to_string(outcome->id) + "' publishes it)"
                      : " by the technical checks")
              << "\n";
    print_findings(findings);
  }
  return outcome->status == registry::RequestStatus::kPending ? kExitOk : kExitFindings;
}

int request_list(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("request list");
  bool json = false;
  options.add_options()("json", po::bool_switch(&json), "one JSON object per request per line");
  int code = 0;
  if (!parse_args("rootsim --db FILE request list [--json]", options, {}, args, code)) {
    return code;
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto requests = store->list_requests();
  if (!requests) {
    return report(requests.error());
  }
  for (const registry::StoredRequest& r : *requests) {
    if (json) {
      std::cout << request_json(r).dump() << "\n";
    } else {
      std::cout << r.id << "\t" << r.type << "\t" << r.tld << "\t" << r.requester << "\t"
                << registry::to_string(r.status)
                << (r.serial ? "\tserial " + std::to_string(*r.serial) : "") << "\n";
    }
  }
  return kExitOk;
}

Result<std::int64_t> parse_id(const std::string& text) {
  try {
    std::size_t used = 0;
    const std::int64_t id = std::stoll(text, &used);
    if (used == text.size() && id > 0) {
      return id;
    }
  } catch (const std::exception&) {
  }
  return fail(Errc::kParse, "'" + text + "' is not a request id");
}

int request_show(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("request show");
  std::string id_text;
  bool json = false;
  options.add_options()("id", po::value(&id_text)->required(), "the request id")(
      "json", po::bool_switch(&json), "print JSON");
  po::positional_options_description positional;
  positional.add("id", 1);
  int code = 0;
  if (!parse_args("rootsim --db FILE request show ID [--json]", options, positional, args, code)) {
    return code;
  }
  auto id = parse_id(id_text);
  if (!id) {
    return report(id.error());
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  auto request = store->find_request(*id);
  if (!request) {
    return report(request.error());
  }
  const auto j = request_json(*request);
  if (json) {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "request " << request->id << ": " << request->type << " " << request->tld
            << " by " << request->requester << "\n  status:    " << registry::to_string(request->status)
            << "\n  submitted: " << request->submitted_at;
  if (request->applied_at) {
    std::cout << "\n  applied:   " << *request->applied_at << " in serial " << request->serial.value_or(0);
  }
  std::cout << "\n  request:   " << request->document << "\n  findings:\n";
  print_findings(j.at("findings"));
  if (request->arrangement && j.at("trace").is_object()) {
    std::cout << "  decided under " << *request->arrangement << ": "
              << j.at("trace").value("outcome", "") << " (" << j.at("trace").value("reason", "")
              << ")\n";
    for (const auto& step : j.at("trace").at("steps")) {
      std::cout << "    " << step.value("step", 0) << "\t" << step.value("stage", "") << "\t"
                << step.value("actor", "") << "\t" << step.value("outcome", "") << "\t"
                << step.value("reason", "") << "\t" << step.value("start_us", std::int64_t{0})
                << "us -> " << step.value("end_us", std::int64_t{0}) << "us"
                << (step.at("injected").is_string()
                        ? "\t[" + step.at("injected").get<std::string>() + "]"
                        : "")
                << "\n";
    }
  }
  return kExitOk;
}

int request_apply(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("request apply");
  std::string id_text;
  bool json = false;
  options.add_options()("id", po::value(&id_text)->required(), "the request id")(
      "json", po::bool_switch(&json), "print JSON");
  po::positional_options_description positional;
  positional.add("id", 1);
  int code = 0;
  if (!parse_args("rootsim --db FILE request apply ID [--json]", options, positional, args,
                  code)) {
    return code;
  }
  auto id = parse_id(id_text);
  if (!id) {
    return report(id.error());
  }
  auto store = open_registry(global);
  if (!store) {
    return report(store.error());
  }
  const registry::idn::IdnLabelReview review(
      registry::idn::lgr_directory(global.data_dir.parent_path()));
  auto outcome = registry::apply_request(*store, *id, global.now, &review);
  if (!outcome) {
    return report(outcome.error());
  }
  if (json) {
    std::cout << nlohmann::json{{"id", *id}, {"serial", outcome->serial}, {"digest", outcome->digest}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "request " << *id << " applied: zone serial " << outcome->serial << "\n";
    for (const dns::Name& other : outcome->mutation.also_affected) {
      std::cout << "  also affects " << other.to_text() << " (shared name server)\n";
    }
  }
  return kExitOk;
}

}  // namespace

int run_request(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch("request",
                  {{"submit", "validate, check and record a change request (JSON)", request_submit},
                   {"list", "all requests with their status", request_list},
                   {"show", "one request with its findings", request_show},
                   {"apply", "publish a pending request as a new zone version", request_apply}},
                  global, args);
}

}  // namespace rootsim::cli
