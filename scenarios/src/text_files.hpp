// Private: reading and writing whole text files for the scenarios module (scenario and sweep
// files, results, reports), with errors that name the file, and CSV field quoting.
// Thread-safety: plain file I/O.
#pragma once

#include <filesystem>
#include <string>

#include "rootsim/dns/result.hpp"

namespace rootsim::scenarios {

/// The whole file. Errors: kIo "<file>: cannot read" / "<file>: read error".
[[nodiscard]] Result<std::string> read_text_file(const std::filesystem::path& file);
/// Writes `text` to `file` (created or truncated). Errors: kIo "<file>: cannot write".
[[nodiscard]] Status write_text_file(const std::filesystem::path& file, const std::string& text);
/// The same, through `<file>.tmp` and a rename, so that a reader sees the old file or the new
/// one, never half of one; the temporary file is removed on failure. Errors: kIo naming `file`.
[[nodiscard]] Status replace_text_file(const std::filesystem::path& file, const std::string& text);

/// `s` as one CSV field: RFC 4180 quoting, only where needed.
[[nodiscard]] std::string csv_field(const std::string& s);

}  // namespace rootsim::scenarios
