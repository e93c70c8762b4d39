// Readers for the fields of change request documents: names, addresses, DS, contacts, dates.
#include "change_request_fields.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <idn2.h>
#include <memory>

namespace rootsim::registry::request_fields {

namespace {
constexpr std::size_t kMaxActor = 128;
constexpr std::size_t kMaxListSize = 64;  // NS, DS, addresses: far above any real delegation
}  // namespace

namespace {
using IdnString = std::unique_ptr<char, decltype(&idn2_free)>;
}  // namespace

std::string where(const std::string& pointer) { return pointer.empty() ? "/" : pointer; }

Unexpected<Error> bad(const std::string& pointer, const std::string& what) {
  return fail(Errc::kParse, where(pointer) + ": " + what);
}

// RFC 6901: "~" and "/" in a member name are escaped as "~0" and "~1".
std::string child(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}
std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

namespace {
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0U) == 0xC0U) {
      extra = 1;
      cp = c & 0x1FU;
    } else if ((c & 0xF0U) == 0xE0U) {
      extra = 2;
      cp = c & 0x0FU;
    } else if ((c & 0xF8U) == 0xF0U) {
      extra = 3;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (i + extra >= s.size()) {
      return false;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0U) != 0x80U) {
        return false;
      }
      cp = (cp << 6U) | (cc & 0x3FU);
    }
    constexpr std::array<std::uint32_t, 4> kMin{0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}
}  // namespace

Result<std::string> get_text(const json& value, const std::string& pointer, std::size_t max) {
  if (!value.is_string()) {
    return bad(pointer, "expected a string");
  }
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() > max) {
    return bad(pointer, "longer than " + std::to_string(max) + " bytes");
  }
  if (!valid_utf8(text)) {
    return bad(pointer, "not valid UTF-8");
  }
  return text;
}

Result<std::string> get_nonempty_text(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (text && text->empty()) {
    return bad(pointer, "must not be empty");
  }
  return text;
}

namespace {
Result<std::uint32_t> get_uint(const json& value, const std::string& pointer, std::uint32_t min,
                               std::uint32_t max) {
  const std::string range =
      "expected an integer " + std::to_string(min) + ".." + std::to_string(max);
  if (!value.is_number_integer()) {
    return bad(pointer, range);
  }
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v < min || v > max) {
      return bad(pointer, range);
    }
    return static_cast<std::uint32_t>(v);
  }
  const auto v = value.get<std::int64_t>();
  if (v < static_cast<std::int64_t>(min) || v > static_cast<std::int64_t>(max)) {
    return bad(pointer, range);
  }
  return static_cast<std::uint32_t>(v);
}
}  // namespace

namespace {
Result<const json*> get_array(const json& value, const std::string& pointer) {
  if (!value.is_array()) {
    return bad(pointer, "expected an array");
  }
  if (value.size() > kMaxListSize) {
    return bad(pointer, "more than " + std::to_string(kMaxListSize) + " entries");
  }
  return &value;
}
}  // namespace

namespace {
bool is_ldh_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}
}  // namespace

namespace {
bool all_digits(std::string_view label) {
  return std::all_of(label.begin(), label.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

namespace {
std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}
}  // namespace

// A name server host name: LDH labels (RFC 952/1123), at least two, under a TLD that is not
// all digits; the final dot is optional. Returned lower case.
Result<dns::Name> get_host(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (!text) {
    return fail(std::move(text).error());
  }
  std::string_view s = *text;
  if (!s.empty() && s.back() == '.') {
    s.remove_suffix(1);
  }
  const std::string what = "'" + *text + "' is not a host name";
  if (s.empty() || s.size() > 253) {
    return bad(pointer, what);
  }
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t start = 0; start <= s.size();) {
    const std::size_t dot = std::min(s.find('.', start), s.size());
    last = s.substr(start, dot - start);
    if (!is_ldh_label(last)) {
      return bad(pointer, what);
    }
    ++labels;
    start = dot + 1;
  }
  if (labels < 2 || all_digits(last)) {
    return bad(pointer, what);
  }
  auto name = dns::Name::from_text(lower(s) + ".");
  if (!name) {
    return bad(pointer, what);
  }
  return std::move(name).value();
}

namespace {
// Validates an A-label: decoding and encoding it again (IDNA2008, UTS #46 non-transitional)
// must give it back.
Status check_a_label(const std::string& label, const std::string& pointer) {
  char* raw = nullptr;
  int rc = idn2_to_unicode_8z8z(label.c_str(), &raw, 0);
  IdnString unicode(raw, &idn2_free);
  if (rc != IDN2_OK) {
    return bad(pointer, "'" + label + "' is not a valid A-label (" + idn2_strerror(rc) + ")");
  }
  raw = nullptr;
  rc = idn2_to_ascii_8z(unicode.get(), &raw, IDN2_NONTRANSITIONAL);
  IdnString ascii(raw, &idn2_free);
  if (rc != IDN2_OK || lower(ascii.get()) != label) {
    return bad(pointer, "'" + label + "' is not a valid A-label" +
                            (rc != IDN2_OK ? " (" + std::string(idn2_strerror(rc)) + ")" : ""));
  }
  return {};
}
}  // namespace

// The TLD: an ASCII label, an A-label, or a U-label converted with IDNA2008 (libidn2,
// UTS #46 non-transitional processing). Returned as a lower-case one-label name.
Result<dns::Name> get_tld(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (!text) {
    return fail(std::move(text).error());
  }
  std::string label = *text;
  if (!label.empty() && label.back() == '.') {
    label.pop_back();
  }
  const bool ascii = std::all_of(label.begin(), label.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    char* raw = nullptr;
    const int rc = idn2_to_ascii_8z(label.c_str(), &raw, IDN2_NONTRANSITIONAL);
    IdnString converted(raw, &idn2_free);
    if (rc != IDN2_OK) {
      return bad(pointer, "'" + *text + "' is not a valid IDN label (" + idn2_strerror(rc) + ")");
    }
    label = converted.get();
  }
  label = lower(label);
  if (label.find('.') != std::string::npos) {
    return bad(pointer, "'" + *text + "' is not a single label");
  }
  if (!is_ldh_label(label) || all_digits(label)) {
    return bad(pointer, "'" + *text + "' is not a valid TLD label");
  }
  if (label.size() >= 4 && label.substr(2, 2) == "--") {
    if (label.substr(0, 4) != "xn--") {
      return bad(pointer, "'" + *text + "' has hyphens in positions 3-4 but is not an A-label");
    }
    if (auto ok = check_a_label(label, pointer); !ok) {
      return fail(std::move(ok).error());
    }
  }
  auto name = dns::Name::from_text(label + ".");
  if (!name) {
    return bad(pointer, "'" + *text + "' is not a valid TLD label");
  }
  return std::move(name).value();
}

Result<std::vector<dns::Name>> get_name_servers(const json& value, const std::string& pointer) {
  auto array = get_array(value, pointer);
  if (!array) {
    return fail(std::move(array).error());
  }
  if (value.empty()) {
    return bad(pointer, "a delegation needs at least one name server");
  }
  std::vector<dns::Name> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto host = get_host(value[i], child(pointer, i));
    if (!host) {
      return fail(std::move(host).error());
    }
    if (std::find(out.begin(), out.end(), *host) != out.end()) {
      return bad(child(pointer, i), "duplicate name server " + host->to_text());
    }
    out.push_back(std::move(host).value());
  }
  return out;
}

Result<std::vector<dns::Address>> get_addresses(const json& value, const std::string& pointer) {
  auto array = get_array(value, pointer);
  if (!array) {
    return fail(std::move(array).error());
  }
  std::vector<dns::Address> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto text = get_text(value[i], child(pointer, i), kMaxText);
    if (!text) {
      return fail(std::move(text).error());
    }
    auto address = dns::parse_address(*text);
    if (!address) {
      return bad(child(pointer, i), "'" + *text + "' is not an IPv4 or IPv6 address");
    }
    for (const dns::Address& seen : out) {
      if (seen.rdata == address->rdata) {
        return bad(child(pointer, i), "duplicate address " + *text);
      }
    }
    out.push_back(std::move(address).value());
  }
  return out;
}

// {"host": ["address", ...], ...}, each host among `ns` when given; sorted canonically.
Result<std::vector<GlueEntry>> get_glue(const json& value, const std::string& pointer,
                                        const std::vector<dns::Name>* ns) {
  if (!value.is_object()) {
    return bad(pointer, "expected an object {host: [addresses]}");
  }
  std::vector<GlueEntry> out;
  for (const auto& item : value.items()) {
    const std::string at = child(pointer, item.key());
    auto host = get_host(json(item.key()), at);
    if (!host) {
      return fail(std::move(host).error());
    }
    if (ns != nullptr && std::find(ns->begin(), ns->end(), *host) == ns->end()) {
      return bad(at, host->to_text() + " is not one of the request's name servers");
    }
    for (const GlueEntry& seen : out) {
      if (seen.host == *host) {
        return bad(at, "duplicate host " + host->to_text());
      }
    }
    auto addresses = get_addresses(item.value(), at);
    if (!addresses) {
      return fail(std::move(addresses).error());
    }
    if (addresses->empty()) {
      return bad(at, "glue needs at least one address");
    }
    out.push_back(GlueEntry{std::move(host).value(), std::move(addresses).value()});
  }
  std::sort(out.begin(), out.end(),
            [](const GlueEntry& a, const GlueEntry& b) { return a.host < b.host; });
  return out;
}

namespace {
Result<std::size_t> expected_digest_size(std::uint32_t digest_type, const std::string& pointer) {
  switch (digest_type) {
    case 1:
      return 20;  // SHA-1, RFC 4034
    case 2:
      return 32;  // SHA-256, RFC 4509
    case 4:
      return 48;  // SHA-384, RFC 6605
    default:
      return bad(pointer,
                 "unsupported digest type " + std::to_string(digest_type) + " (known: 1, 2, 4)");
  }
}
}  // namespace

namespace {
Result<dns::DsRdata> make_ds(std::uint32_t key_tag, std::uint32_t algorithm,
                             std::uint32_t digest_type, std::string_view hex,
                             const std::string& digest_pointer, const std::string& type_pointer) {
  auto size = expected_digest_size(digest_type, type_pointer);
  if (!size) {
    return fail(std::move(size).error());
  }
  auto digest = dns::from_hex(hex);
  if (!digest) {
    return bad(digest_pointer, "digest is not hex");
  }
  if (digest->size() != *size) {
    return bad(digest_pointer, "digest type " + std::to_string(digest_type) + " needs " +
                                   std::to_string(*size) + " bytes, got " +
                                   std::to_string(digest->size()));
  }
  return dns::DsRdata{static_cast<std::uint16_t>(key_tag), static_cast<std::uint8_t>(algorithm),
                      static_cast<std::uint8_t>(digest_type), std::move(digest).value()};
}
}  // namespace

namespace {
// "20237 13 2 CFF0..." (the digest may be split by white space, as in master files).
Result<dns::DsRdata> get_ds_text(const std::string& text, const std::string& pointer) {
  std::vector<std::string> fields;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(" \t", pos);
    if (start == std::string::npos) {
      break;
    }
    const std::size_t end = std::min(text.find_first_of(" \t", start), text.size());
    fields.push_back(text.substr(start, end - start));
    pos = end;
  }
  if (fields.size() < 4) {
    return bad(pointer, "expected \"key_tag algorithm digest_type digest\"");
  }
  std::array<std::uint32_t, 3> numbers{};
  constexpr std::array<std::uint32_t, 3> kMax{65535, 255, 255};
  for (std::size_t i = 0; i < 3; ++i) {
    if (fields[i].empty() || fields[i].size() > 5 || !all_digits(fields[i])) {
      return bad(pointer, "'" + fields[i] + "' is not a number");
    }
    numbers.at(i) = static_cast<std::uint32_t>(std::stoul(fields[i]));
    if (numbers.at(i) > kMax.at(i) || (i == 1 && numbers[1] == 0)) {
      return bad(pointer, "'" + fields[i] + "' is out of range");
    }
  }
  std::string hex;
  for (std::size_t i = 3; i < fields.size(); ++i) {
    hex += fields[i];
  }
  return make_ds(numbers[0], numbers[1], numbers[2], hex, pointer, pointer);
}
}  // namespace

namespace {
Result<dns::DsRdata> get_ds_object(const json& value, const std::string& pointer) {
  const Members m(value, pointer);
  if (auto ok = m.only({"key_tag", "algorithm", "digest_type", "digest"}); !ok) {
    return fail(std::move(ok).error());
  }
  std::array<std::uint32_t, 3> numbers{};
  constexpr std::array<std::string_view, 3> kKeys{"key_tag", "algorithm", "digest_type"};
  constexpr std::array<std::uint32_t, 3> kMin{0, 1, 1};
  constexpr std::array<std::uint32_t, 3> kMax{65535, 255, 255};
  for (std::size_t i = 0; i < 3; ++i) {
    auto reader = [&](const json& v, const std::string& at) {
      return get_uint(v, at, kMin.at(i), kMax.at(i));
    };
    if (auto ok = read(m, kKeys.at(i), true, numbers.at(i), reader); !ok) {
      return fail(std::move(ok).error());
    }
  }
  std::string hex;
  auto text = [](const json& v, const std::string& at) { return get_text(v, at, kMaxText); };
  if (auto ok = read(m, "digest", true, hex, text); !ok) {
    return fail(std::move(ok).error());
  }
  return make_ds(numbers[0], numbers[1], numbers[2], hex, m.at("digest"), m.at("digest_type"));
}
}  // namespace

Result<std::vector<dns::DsRdata>> get_ds_set(const json& value, const std::string& pointer) {
  auto array = get_array(value, pointer);
  if (!array) {
    return fail(std::move(array).error());
  }
  std::vector<dns::DsRdata> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = child(pointer, i);
    Result<dns::DsRdata> ds =
        value[i].is_string()
            ? get_ds_text(value[i].get<std::string>(), at)
            : (value[i].is_object() ? get_ds_object(value[i], at)
                                    : bad(at, "expected a DS object or \"tag alg type hex\""));
    if (!ds) {
      return fail(std::move(ds).error());
    }
    if (std::find(out.begin(), out.end(), *ds) != out.end()) {
      return bad(at, "duplicate DS");
    }
    out.push_back(std::move(ds).value());
  }
  return out;
}

Result<Contact> get_contact(const json& value, const std::string& pointer) {
  if (!value.is_object()) {
    return bad(pointer, "expected a contact object");
  }
  const Members m(value, pointer);
  if (auto ok = m.only({"name", "organisation", "email"}); !ok) {
    return fail(std::move(ok).error());
  }
  Contact contact;
  for (auto [key, field] : {std::pair{"name", &contact.name}, std::pair{"email", &contact.email}}) {
    if (auto ok = read(m, key, true, *field, get_nonempty_text); !ok) {
      return fail(std::move(ok).error());
    }
  }
  const std::size_t at_sign = contact.email.find('@');
  if (at_sign == 0 || at_sign == std::string::npos || at_sign + 1 == contact.email.size() ||
      contact.email.find('@', at_sign + 1) != std::string::npos ||
      contact.email.find_first_of(" \t\r\n") != std::string::npos) {
    return bad(m.at("email"), "'" + contact.email + "' is not an email address");
  }
  auto text = [](const json& v, const std::string& at) { return get_text(v, at, kMaxText); };
  if (auto ok = read(m, "organisation", false, contact.organisation, text); !ok) {
    return fail(std::move(ok).error());
  }
  return contact;
}

// The actor id: printable ASCII without spaces ("gov:CZ", "manager:cz", "iana").
Result<std::string> get_actor(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxActor);
  if (!text) {
    return text;
  }
  const bool printable =
      std::all_of(text->begin(), text->end(), [](char c) { return c > ' ' && c < 0x7F; });
  if (text->empty() || !printable) {
    return bad(pointer, "an actor id is printable ASCII without spaces (\"gov:CZ\")");
  }
  return text;
}

Result<std::string> get_date(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (!text) {
    return text;
  }
  const std::string& s = *text;
  const bool shape = s.size() == 10 && s[4] == '-' && s[7] == '-' && all_digits(s.substr(0, 4)) &&
                     all_digits(s.substr(5, 2)) && all_digits(s.substr(8, 2));
  if (!shape) {
    return bad(pointer, "expected a date YYYY-MM-DD");
  }
  const std::chrono::year_month_day date{
      std::chrono::year{std::stoi(s.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))}};
  if (!date.ok()) {
    return bad(pointer, "'" + s + "' is not a calendar date");
  }
  return text;
}

}  // namespace rootsim::registry::request_fields
