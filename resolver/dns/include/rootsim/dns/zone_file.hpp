// RFC 1035 master files in and out. Parsing uses Knot DNS's libzscanner (Debian libknot-dev),
// chosen by measurement: it reads the 2.2 MB root zone several times faster than ldns.
// Thread-safety: pure functions; each call owns its scanner.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rootsim/dns/record.hpp"

namespace rootsim::dns {

struct ZoneContent {
  Name origin;
  std::vector<Record> records;  ///< in file order
};

/// Parses a master file. Errors: kIo when unreadable; kParse naming "file:line: what".
/// $INCLUDE is refused (kParse): a zone is one file.
[[nodiscard]] Result<ZoneContent> parse_zone_file(const std::filesystem::path& file,
                                                  const Name& origin);
/// Parses master-file text; `source` names it in errors ("<request>:3: ...").
[[nodiscard]] Result<ZoneContent> parse_zone_text(std::string_view text, const Name& origin,
                                                  const std::string& source);

/// Moves the SOA records to the front, keeping the rest in order: master files and zone
/// transfers start with the SOA (RFC 1035 §5.2).
void move_soa_first(std::vector<Record>& records);

/// Writes records one per line (see to_text(Record)), in the order given.
[[nodiscard]] std::string write_zone_text(const std::vector<Record>& records);
/// Writes the text to `file` atomically (a temporary beside it, then rename). kIo on failure.
[[nodiscard]] Status write_file_atomically(const std::filesystem::path& file,
                                           std::string_view text);

}  // namespace rootsim::dns
