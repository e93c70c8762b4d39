#include "rootsim/dns/zone_file.hpp"

// libzscanner's headers carry no extern "C" guards.
extern "C" {
#include <libzscanner/scanner.h>
}
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

namespace rootsim::dns {
namespace {

struct ScanState {
  std::string source;
  std::vector<Record>* records = nullptr;
  std::optional<Error> error;
};

void on_record(zs_scanner_t* scanner) {
  auto* state = static_cast<ScanState*>(scanner->process.data);
  auto owner = Name::from_wire(std::span<const std::uint8_t>(scanner->r_owner, scanner->r_owner_length));
  if (!owner) {
    state->error = Error{Errc::kParse, state->source + ":" + std::to_string(scanner->line_counter) +
                                           ": " + owner.error().message};
    scanner->state = ZS_STATE_STOP;
    return;
  }
  state->records->push_back(Record{
      std::move(*owner), static_cast<RRType>(scanner->r_type),
      static_cast<RRClass>(scanner->r_class), scanner->r_ttl,
      Bytes(scanner->r_data, scanner->r_data + scanner->r_data_length)});
}

void on_error(zs_scanner_t* scanner) {
  auto* state = static_cast<ScanState*>(scanner->process.data);
  if (!state->error) {
    state->error = Error{Errc::kParse, state->source + ":" + std::to_string(scanner->line_counter) +
                                           ": " + zs_strerror(scanner->error.code)};
  }
  scanner->state = ZS_STATE_STOP;
}

struct ScannerDeleter {
  void operator()(zs_scanner_t* scanner) const {
    zs_deinit(scanner);
    delete scanner;  // NOLINT(cppcoreguidelines-owning-memory): paired with new in make_scanner
  }
};
using Scanner = std::unique_ptr<zs_scanner_t, ScannerDeleter>;

Result<Scanner> make_scanner(const Name& origin, ScanState& state) {
  // zs_scanner_t is large (~200 KB); keep it off the stack.
  auto* raw = new zs_scanner_t{};  // NOLINT(cppcoreguidelines-owning-memory): owned by Scanner
  const std::string origin_text = origin.to_text();
  if (zs_init(raw, origin_text.c_str(), 1, 3600) != 0) {
    delete raw;  // NOLINT(cppcoreguidelines-owning-memory)
    return fail(Errc::kParse, state.source + ": cannot initialise the zone scanner");
  }
  Scanner scanner(raw);
  zs_set_processing(raw, on_record, on_error, &state);
  return scanner;
}

Status run(zs_scanner_t* scanner, ScanState& state) {
  const int rc = zs_parse_all(scanner);
  if (state.error) {
    return fail(std::move(*state.error));
  }
  if (scanner->state == ZS_STATE_INCLUDE) {
    return fail(Errc::kParse, state.source + ":" + std::to_string(scanner->line_counter) +
                                  ": $INCLUDE is not supported");
  }
  if (rc != 0) {
    return fail(Errc::kParse, state.source + ":" + std::to_string(scanner->line_counter) + ": " +
                                  zs_strerror(scanner->error.code));
  }
  return {};
}

}  // namespace

Result<ZoneContent> parse_zone_file(const std::filesystem::path& file, const Name& origin) {
  ZoneContent content{origin, {}};
  ScanState state{file.string(), &content.records, std::nullopt};
  if (access(file.c_str(), R_OK) != 0) {
    return fail(Errc::kIo, file.string() + ": " + std::strerror(errno));
  }
  auto scanner = make_scanner(origin, state);
  if (!scanner) {
    return fail(std::move(scanner).error());
  }
  if (zs_set_input_file(scanner->get(), file.c_str()) != 0) {
    return fail(Errc::kIo, file.string() + ": cannot open");
  }
  content.records.reserve(32768);
  if (auto status = run(scanner->get(), state); !status) {
    return fail(std::move(status).error());
  }
  return content;
}

Result<ZoneContent> parse_zone_text(std::string_view text, const Name& origin,
                                    const std::string& source) {
  ZoneContent content{origin, {}};
  ScanState state{source, &content.records, std::nullopt};
  auto scanner = make_scanner(origin, state);
  if (!scanner) {
    return fail(std::move(scanner).error());
  }
  if (zs_set_input_string(scanner->get(), text.data(), text.size()) != 0) {
    return fail(Errc::kParse, source + ": cannot read input");
  }
  if (auto status = run(scanner->get(), state); !status) {
    return fail(std::move(status).error());
  }
  return content;
}

void move_soa_first(std::vector<Record>& records) {
  std::stable_partition(records.begin(), records.end(),
                        [](const Record& r) { return r.type == RRType::kSoa; });
}

std::string write_zone_text(const std::vector<Record>& records) {
  std::string out;
  out.reserve(records.size() * 90);
  for (const Record& r : records) {
    out += to_text(r);
    out += '\n';
  }
  return out;
}

Status write_file_atomically(const std::filesystem::path& file, std::string_view text) {
  const std::filesystem::path tmp = file.string() + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return fail(Errc::kIo, tmp.string() + ": cannot create");
    }
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      return fail(Errc::kIo, tmp.string() + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return fail(Errc::kIo, file.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace rootsim::dns
