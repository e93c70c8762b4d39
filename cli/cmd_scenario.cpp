// rootsim scenario list|validate: the scenario library (scenarios/library) and scenario files.
#include "rootsim/scenarios/runner.hpp"
#include "rootsim/scenarios/scenario.hpp"

#include "commands.hpp"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace rootsim::cli {
namespace {

std::string first_sentence(const std::string& text) {
  const auto end = text.find(". ");
  std::string out = end == std::string::npos ? text : text.substr(0, end + 1);
  return out.size() > 96 ? out.substr(0, 93) + "..." : out;
}

int scenario_list(const GlobalOptions&, const std::vector<std::string>& args) {
  po::options_description options("scenario list");
  bool json = false;
  options.add_options()("json", po::bool_switch(&json),
                        "JSON Lines: {name, description, question, file} per scenario");
  int code = 0;
  if (!parse_args("rootsim scenario list [--json]", options, {}, args, code)) {
    return code;
  }
  const auto dir = scenarios::library_dir();
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".json") {
      files.push_back(it->path());
    }
  }
  if (ec) {
    return report(Error{Errc::kIo, dir.string() + ": " + ec.message()});
  }
  std::vector<std::pair<scenarios::Scenario, std::filesystem::path>> list;
  for (const auto& file : files) {
    auto s = scenarios::load_scenario(file);
    if (!s) {
      return report(s.error());
    }
    list.emplace_back(std::move(*s), file);
  }
  std::sort(list.begin(), list.end(),
            [](const auto& a, const auto& b) { return a.first.name < b.first.name; });
  for (const auto& [s, file] : list) {
    if (json) {
      const nlohmann::json line = {{"name", s.name},
                                   {"description", s.description},
                                   {"question", s.question},
                                   {"file", file.string()}};
      std::cout << line.dump() << "\n";
    } else {
      std::cout << s.name << std::string(s.name.size() < 28 ? 28 - s.name.size() : 1, ' ')
                << first_sentence(s.description) << "\n";
    }
  }
  return kExitOk;
}

int scenario_validate(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("scenario validate");
  std::string file;
  bool json = false;
  options.add_options()("file", po::value(&file)->required(), "the scenario (JSON)")(
      "json", po::bool_switch(&json), "print a JSON summary");
  po::positional_options_description positional;
  positional.add("file", 1);
  int code = 0;
  if (!parse_args("rootsim scenario validate FILE [--json]", options, positional, args, code)) {
    return code;
  }
  auto s = scenarios::load_scenario(file);
  if (!s) {
    return report(s.error());
  }
  scenarios::RunOptions run_options;
  run_options.data_dir = global.data_dir;
  if (auto checked = scenarios::check_scenario(*s, run_options); !checked) {
    Error e = checked.error();
    if (e.message.rfind(file, 0) != 0) {
      e.message = file + ": " + e.message;
    }
    return report(e);
  }
  if (json) {
    const nlohmann::json out = {{"file", file},
                                {"valid", true},
                                {"name", s->name},
                                {"events", s->events.size()},
                                {"arrangements", s->arrangements}};
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  std::string arrangements;
  for (const auto& a : s->arrangements) {
    arrangements += (arrangements.empty() ? "" : ", ") + a;
  }
  std::cout << file << ": valid (" << s->events.size()
            << (s->events.size() == 1 ? " event" : " events") << ", arrangements: " << arrangements
            << ")\n";
  return kExitOk;
}

}  // namespace

int run_scenario(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch(
      "scenario",
      {{"list", "the scenario library, one line each", scenario_list},
       {"validate", "check a scenario file (errors by JSON pointer)", scenario_validate}},
      global, args);
}

}  // namespace rootsim::cli
