#include "cli_support.hpp"

#include <iostream>

namespace rootsim::cli {

std::optional<po::variables_map> parse_args(const std::string& usage,
                                            po::options_description options,
                                            const po::positional_options_description& positional,
                                            const std::vector<std::string>& args,
                                            int& exit_code) {
  options.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    if (vm.count("help") != 0U) {
      std::cout << "usage: " << usage << "\n\n" << options << "\n";
      exit_code = kExitOk;
      return std::nullopt;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "rootsim: " << e.what() << "\nusage: " << usage << "\n";
    exit_code = kExitBadInput;
    return std::nullopt;
  }
  return vm;
}

int report(const Error& error) {
  std::cerr << "rootsim: " << error.message << "\n";
  return kExitBadInput;
}

Result<registry::RegistryStore> open_registry(const GlobalOptions& global) {
  if (!global.db) {
    return fail(Errc::kParse, "this command needs --db FILE (the registry database)");
  }
  return registry::RegistryStore::open(*global.db, registry::RegistryStore::Mode::kExisting);
}

int dispatch(const std::string& group, const std::vector<SubCommand>& table,
             const GlobalOptions& global, const std::vector<std::string>& args) {
  auto usage = [&](std::ostream& out) {
    out << "usage: rootsim " << group << " <command> [options]\n\ncommands:\n";
    for (const SubCommand& c : table) {
      out << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ')
          << c.summary << "\n";
    }
    out << "\n'rootsim " << group << " <command> --help' describes one.\n";
  };
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitBadInput : kExitOk;
  }
  for (const SubCommand& c : table) {
    if (c.name == args[0]) {
      return c.run(global, std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  std::cerr << "rootsim: unknown command '" << group << " " << args[0] << "'\n";
  usage(std::cerr);
  return kExitBadInput;
}


}  // namespace rootsim::cli
