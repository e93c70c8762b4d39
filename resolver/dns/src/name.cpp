#include "rootsim/dns/name.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

namespace rootsim::dns {
namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxLabelLength = 63;

std::uint8_t to_lower(std::uint8_t c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + ('a' - 'A')) : c;
}

// Offsets of each label's length octet, leftmost first, excluding the root label.
std::vector<std::size_t> label_offsets(std::span<const std::uint8_t> wire) {
  std::vector<std::size_t> offsets;
  std::size_t pos = 0;
  while (pos < wire.size() && wire[pos] != 0) {
    offsets.push_back(pos);
    pos += 1U + wire[pos];
  }
  return offsets;
}

}  // namespace

void Name::assign(std::span<const std::uint8_t> wire) {
  if (wire.size() <= kInline) {
    std::memcpy(bytes_, wire.data(), wire.size());
    bytes_[kTag] = static_cast<std::uint8_t>(wire.size());
    return;
  }
  auto* p = new std::uint8_t[wire.size()];
  std::memcpy(p, wire.data(), wire.size());
  std::memcpy(bytes_, &p, sizeof p);
  bytes_[kHeapSize] = static_cast<std::uint8_t>(wire.size());
  bytes_[kTag] = 0;
}

Result<Name> Name::from_text(std::string_view text) {
  if (text.empty()) {
    return fail(Errc::kParse, "empty domain name");
  }
  if (text == ".") {
    return Name();
  }
  std::vector<std::uint8_t> wire;
  wire.reserve(text.size() + 2);
  std::string label;
  auto close_label = [&]() -> Status {
    if (label.empty()) {
      return fail(Errc::kParse, "empty label in '" + std::string(text) + "'");
    }
    if (label.size() > kMaxLabelLength) {
      return fail(Errc::kParse, "label longer than 63 octets in '" + std::string(text) + "'");
    }
    wire.push_back(static_cast<std::uint8_t>(label.size()));
    wire.insert(wire.end(), label.begin(), label.end());
    label.clear();
    return {};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (i + 1 >= text.size()) {
        return fail(Errc::kParse, "dangling escape in '" + std::string(text) + "'");
      }
      const char next = text[i + 1];
      if (next >= '0' && next <= '9') {
        if (i + 3 >= text.size()) {
          return fail(Errc::kParse, "short \\DDD escape in '" + std::string(text) + "'");
        }
        int value = 0;
        for (std::size_t k = 1; k <= 3; ++k) {
          const char d = text[i + k];
          if (d < '0' || d > '9') {
            return fail(Errc::kParse, "bad \\DDD escape in '" + std::string(text) + "'");
          }
          value = value * 10 + (d - '0');
        }
        if (value > 255) {
          return fail(Errc::kParse, "\\DDD escape over 255 in '" + std::string(text) + "'");
        }
        label.push_back(static_cast<char>(value));
        i += 3;
      } else {
        label.push_back(next);
        i += 1;
      }
    } else if (c == '.') {
      if (auto s = close_label(); !s) {
        return fail(std::move(s).error());
      }
    } else {
      label.push_back(c);
    }
  }
  if (!label.empty()) {
    if (auto s = close_label(); !s) {
      return fail(std::move(s).error());
    }
  }
  wire.push_back(0);
  if (wire.size() > kMaxNameLength) {
    return fail(Errc::kParse, "domain name longer than 255 octets");
  }
  return Name(std::span<const std::uint8_t>(wire));
}

Result<Name> Name::from_wire(std::span<const std::uint8_t> wire) {
  std::size_t pos = 0;
  while (true) {
    if (pos >= wire.size()) {
      return fail(Errc::kParse, "truncated wire name");
    }
    const std::uint8_t len = wire[pos];
    if (len == 0) {
      break;
    }
    if (len > kMaxLabelLength) {
      return fail(Errc::kParse, "label length over 63 (compressed name?)");
    }
    pos += 1U + len;
  }
  if (pos + 1 > kMaxNameLength) {
    return fail(Errc::kParse, "domain name longer than 255 octets");
  }
  return Name(wire.first(pos + 1));
}

std::string Name::to_text() const {
  const std::span<const std::uint8_t> w = wire();
  if (is_root()) {
    return ".";
  }
  std::string out;
  out.reserve(w.size() + 4);
  std::size_t pos = 0;
  while (w[pos] != 0) {
    const std::size_t len = w[pos];
    for (std::size_t k = 1; k <= len; ++k) {
      const std::uint8_t c = w[pos + k];
      if (c == '.' || c == '\\' || c == '"' || c == '(' || c == ')' || c == ';' || c == '@' ||
          c == '$') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        std::array<char, 8> buf{};
        std::snprintf(buf.data(), buf.size(), "\\%03u", static_cast<unsigned>(c));
        out.append(buf.data());
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('.');
    pos += 1 + len;
  }
  return out;
}

std::string Name::lookup_key() const {
  const std::span<const std::uint8_t> w = wire();
  std::array<std::uint8_t, 128> offsets{};  // a name has at most 127 labels
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < w.size() && w[pos] != 0; pos += 1U + w[pos]) {
    offsets[count++] = static_cast<std::uint8_t>(pos);
  }
  std::string key(w.size() > 0 ? w.size() - 1 : 0, '\0');
  std::size_t at = 0;
  while (count > 0) {
    const std::size_t pos = offsets[--count];
    for (std::size_t k = 1; k <= w[pos]; ++k) {
      key[at++] = static_cast<char>(to_lower(w[pos + k]));
    }
    key[at++] = '\0';
  }
  return key;
}

std::size_t Name::label_count() const noexcept {
  const std::span<const std::uint8_t> w = wire();
  std::size_t count = 0;
  std::size_t pos = 0;
  while (w[pos] != 0) {
    ++count;
    pos += 1U + w[pos];
  }
  return count;
}

std::vector<std::string> Name::labels() const {
  const std::span<const std::uint8_t> w = wire();
  std::vector<std::string> out;
  for (const std::size_t off : label_offsets(w)) {
    out.emplace_back(reinterpret_cast<const char*>(&w[off + 1]), w[off]);
  }
  return out;
}

std::string Name::first_label() const {
  const std::span<const std::uint8_t> w = wire();
  if (is_root()) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(&w[1]), w[0]);
}

Name Name::parent() const {
  const std::span<const std::uint8_t> w = wire();
  if (is_root()) {
    return *this;
  }
  const std::size_t skip = 1U + w[0];
  return Name(w.subspan(skip));
}

Name Name::suffix(std::size_t count) const {
  const std::span<const std::uint8_t> w = wire();
  const auto offsets = label_offsets(w);
  if (count == 0) {
    return Name();
  }
  if (count >= offsets.size()) {
    return *this;
  }
  const std::size_t start = offsets[offsets.size() - count];
  return Name(w.subspan(start));
}

bool Name::is_subdomain_of(const Name& ancestor) const {
  const std::size_t mine = label_count();
  const std::size_t theirs = ancestor.label_count();
  if (theirs > mine) {
    return false;
  }
  return suffix(theirs) == ancestor;
}

Name Name::lowercased() const {
  Name out(wire());
  std::uint8_t* bytes = out.on_heap() ? out.heap() : out.bytes_;
  const std::size_t size = out.size();
  for (std::size_t pos = 0; pos < size && bytes[pos] != 0; pos += 1U + bytes[pos]) {
    for (std::size_t k = 1; k <= bytes[pos]; ++k) {
      bytes[pos + k] = to_lower(bytes[pos + k]);
    }
  }
  return out;
}

bool operator==(const Name& a, const Name& b) noexcept {
  const auto wa = a.wire();
  const auto wb = b.wire();
  if (wa.size() != wb.size()) {
    return false;
  }
  if (std::memcmp(wa.data(), wb.data(), wa.size()) == 0) {
    return true;  // the usual case: the same name in the same case
  }
  for (std::size_t i = 0; i < wa.size(); ++i) {
    if (to_lower(wa[i]) != to_lower(wb[i])) {
      return false;
    }
  }
  return true;
}

std::weak_ordering operator<=>(const Name& a, const Name& b) noexcept {
  return compare_canonical(a.wire(), b.wire());
}

std::weak_ordering compare_canonical(std::span<const std::uint8_t> a,
                                     std::span<const std::uint8_t> b) noexcept {
  // Offsets of each label on the stack (a name has at most 127 labels): no allocation, since
  // this runs in every map lookup and sort.
  std::array<std::uint8_t, 128> oa{};
  std::array<std::uint8_t, 128> ob{};
  auto collect = [](std::span<const std::uint8_t> wire, std::array<std::uint8_t, 128>& out) {
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos < wire.size() && wire[pos] != 0 && n < out.size()) {
      out[n++] = static_cast<std::uint8_t>(pos);
      pos += 1U + wire[pos];
    }
    return n;
  };
  std::size_t na = collect(a, oa);
  std::size_t nb = collect(b, ob);
  while (na > 0 && nb > 0) {
    const std::size_t pa = oa[--na];
    const std::size_t pb = ob[--nb];
    const std::size_t la = a[pa];
    const std::size_t lb = b[pb];
    const std::size_t n = std::min(la, lb);
    for (std::size_t k = 1; k <= n; ++k) {
      const std::uint8_t ca = to_lower(a[pa + k]);
      const std::uint8_t cb = to_lower(b[pb + k]);
      if (ca != cb) {
        return ca < cb ? std::weak_ordering::less : std::weak_ordering::greater;
      }
    }
    if (la != lb) {
      return la < lb ? std::weak_ordering::less : std::weak_ordering::greater;
    }
  }
  if (na != nb) {
    return na < nb ? std::weak_ordering::less : std::weak_ordering::greater;
  }
  return std::weak_ordering::equivalent;
}

}  // namespace rootsim::dns
