// Whole-file reads and writes for the scenarios module.
#include "text_files.hpp"

#include <fstream>
#include <sstream>

namespace rootsim::scenarios {

Result<std::string> read_text_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(Errc::kIo, file.string() + ": cannot read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return fail(Errc::kIo, file.string() + ": read error");
  }
  return text.str();
}

Status write_text_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) {
    return fail(Errc::kIo, file.string() + ": cannot write");
  }
  return {};
}

Status replace_text_file(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  std::error_code ec;
  if (auto s = write_text_file(tmp, text); !s) {
    std::filesystem::remove(tmp, ec);
    return fail(Errc::kIo, file.string() + ": cannot write");
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    return fail(Errc::kIo, file.string() + ": cannot write: " + why);
  }
  return {};
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    return s;
  }
  std::string out = "\"";
  for (const char c : s) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace rootsim::scenarios
