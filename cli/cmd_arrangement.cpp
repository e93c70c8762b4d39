// rootsim arrangement list|show|validate|analyze: governance arrangements (policy/arrangements).
#include "rootsim/policy/analysis.hpp"
#include "rootsim/policy/arrangement.hpp"

#include "commands.hpp"
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace rootsim::cli {
namespace {

Result<policy::ActorDirectory> load_actors(const GlobalOptions& global) {
  policy::ActorSources sources;
  sources.actors_data = global.data_dir / "governance_actors.json";
  return policy::ActorDirectory::load(sources);
}

std::string first_sentence(const std::string& text) {
  const auto end = text.find(". ");
  std::string out = end == std::string::npos ? text : text.substr(0, end + 1);
  return out.size() > 96 ? out.substr(0, 93) + "..." : out;
}

int arrangement_list(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("arrangement list");
  bool json = false;
  options.add_options()("json", po::bool_switch(&json), "a JSON list of {name, description}");
  int code = 0;
  if (!parse_args("rootsim arrangement list [--json]", options, {}, args, code)) {
    return code;
  }
  auto actors = load_actors(global);
  if (!actors) {
    return report(actors.error());
  }
  const auto catalog = policy::builtin_primitives();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& name : policy::builtin_arrangement_names()) {
    auto a = policy::load_arrangement(name, catalog, *actors);
    if (!a) {
      return report(a.error());
    }
    if (json) {
      list.push_back({{"name", a->name}, {"description", a->description}});
    } else {
      std::cout << a->name << std::string(a->name.size() < 22 ? 22 - a->name.size() : 1, ' ')
                << first_sentence(a->description) << "\n";
    }
  }
  if (json) {
    std::cout << list.dump(2) << "\n";
  }
  return kExitOk;
}

std::string delay_text(const policy::Delay& d) {
  std::ostringstream out;
  out.precision(3);
  switch (d.kind) {
    case policy::DelayKind::kFixed:
      out << d.days << " d";
      break;
    case policy::DelayKind::kExponential:
      out << "exponential, mean " << d.days << " d";
      break;
    case policy::DelayKind::kLognormal:
      out << "lognormal, median " << d.days << " d, sigma " << d.sigma;
      break;
    case policy::DelayKind::kEmpirical:
      out << "empirical, " << d.values.size() << " values";
      break;
  }
  if (d.max_days) {
    out << ", at most " << *d.max_days << " d";
  }
  if (d.business_days) {
    out << ", business days";
  }
  out << " (mean " << d.expected_days() << " d)";
  return out.str();
}

int arrangement_show(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("arrangement show");
  std::string name;
  options.add_options()("name", po::value(&name)->required(), "a built-in name or a file");
  po::positional_options_description positional;
  positional.add("name", 1);
  int code = 0;
  if (!parse_args("rootsim arrangement show NAME|FILE", options, positional, args, code)) {
    return code;
  }
  auto actors = load_actors(global);
  if (!actors) {
    return report(actors.error());
  }
  auto a = policy::load_arrangement(name, policy::builtin_primitives(), *actors);
  if (!a) {
    return report(a.error());
  }
  std::cout << a->name << "\n\n" << a->description << "\n\nsources:\n";
  for (const auto& s : a->sources) {
    std::cout << "  - " << s << "\n";
  }
  std::cout << "\nstages:\n";
  for (const policy::Stage& s : a->stages) {
    std::cout << "  " << s.name << " (" << s.primitive->name() << ")"
              << (s.description.empty() ? "" : ": " + s.description) << "\n"
              << "      delay: " << delay_text(s.delay) << "\n";
    if (s.timeout) {
      static const char* kActions[] = {"approve", "reject", "pending", "escalate"};
      std::cout << "      timeout: " << dns::to_days(*s.timeout) << " d, then "
                << kActions[static_cast<int>(s.on_timeout)] << "\n";
    }
    for (const auto by : s.bypassed_by) {
      std::cout << "      skipped when " << actors->actor(by).id << " asks\n";
    }
    const auto st = s.primitive->structure({}, *actors);
    if (!st.participants.empty() && st.participants.size() <= 12) {
      std::cout << "      who:";
      for (const auto& p : st.participants) {
        std::cout << " " << p;
      }
      std::cout << "\n";
    } else if (!st.participants.empty()) {
      std::cout << "      who: " << st.participants.size() << " actors\n";
    }
  }
  std::cout << "\npipelines:\n";
  for (const policy::Pipeline& p : a->pipelines) {
    std::cout << "  " << p.key << ":";
    for (const auto i : p.stages) {
      std::cout << " " << a->stages[i].name;
    }
    std::cout << "\n";
  }
  return kExitOk;
}

int arrangement_validate(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("arrangement validate");
  std::string file;
  options.add_options()("file", po::value(&file)->required(), "the arrangement (JSON)");
  po::positional_options_description positional;
  positional.add("file", 1);
  int code = 0;
  if (!parse_args("rootsim arrangement validate FILE", options, positional, args, code)) {
    return code;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return report(Error{Errc::kIo, file + ": cannot read"});
  }
  std::stringstream text;
  text << in.rdbuf();
  auto actors = load_actors(global);
  if (!actors) {
    return report(actors.error());
  }
  auto a = policy::parse_arrangement(text.str(), file, policy::builtin_primitives(), *actors);
  if (!a) {
    return report(a.error());
  }
  std::cout << file << ": arrangement '" << a->name << "' is valid (" << a->stages.size()
            << " stages, " << a->pipelines.size() << " pipelines)\n";
  return kExitOk;
}

int arrangement_analyze(const GlobalOptions& global, const std::vector<std::string>& args) {
  po::options_description options("arrangement analyze");
  bool json = false;
  std::vector<std::string> names;
  options.add_options()("json", po::bool_switch(&json), "print JSON")(
      "name", po::value(&names), "arrangements (built-in names or files; default: the six)");
  po::positional_options_description positional;
  positional.add("name", -1);
  int code = 0;
  if (!parse_args("rootsim arrangement analyze [NAME|FILE...] [--json]", options, positional, args,
                  code)) {
    return code;
  }
  if (names.empty()) {
    names = policy::builtin_arrangement_names();
  }
  auto actors = load_actors(global);
  if (!actors) {
    return report(actors.error());
  }
  const auto catalog = policy::builtin_primitives();
  std::vector<policy::ArrangementAnalysis> analyses;
  for (const auto& name : names) {
    auto a = policy::load_arrangement(name, catalog, *actors);
    if (!a) {
      return report(a.error());
    }
    analyses.push_back(policy::analyze(*a, *actors));
  }
  std::cout << (json ? policy::analysis_to_json(analyses) + "\n"
                     : policy::analysis_to_text(analyses));
  return kExitOk;
}

}  // namespace

int run_arrangement(const GlobalOptions& global, const std::vector<std::string>& args) {
  return dispatch(
      "arrangement",
      {{"list", "the built-in arrangements, one line each", arrangement_list},
       {"show", "an arrangement's stages, actors, rules and sources", arrangement_show},
       {"validate", "check an arrangement document (errors by JSON pointer)", arrangement_validate},
       {"analyze", "structural table: control, vetoes, foreign influence, lead time",
        arrangement_analyze}},
      global, args);
}

}  // namespace rootsim::cli
