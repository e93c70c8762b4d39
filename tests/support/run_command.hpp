// Runs the rootsim binary (or any command) for integration tests and captures its output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace rootsim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  ///< stdout and stderr together
};

/// Runs `command` through /bin/sh with stderr folded into stdout.
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.out.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string rootsim_binary() { return ROOTSIM_BINARY; }

/// Runs the built rootsim with `args` (shell words), stderr folded into stdout.
inline CommandResult run_rootsim(const std::string& args) {
  return run_command(rootsim_binary() + " " + args);
}

/// True when `tool` is on PATH.
inline bool have_tool(const std::string& tool) {
  return run_command("command -v " + tool + " >/dev/null").exit_code == 0;
}

}  // namespace rootsim::testing
