// Small helpers of build_snapshot(): hash-table sizing and lookup keys of NS targets.
#include "snapshot_keys.hpp"

namespace rootsim::resolver {

std::size_t table_size(std::size_t count) {
  std::size_t size = 16;
  while (size < count * 2) {
    size *= 2;
  }
  return size;
}

// The lookup key of the uncompressed name that is all of `rdata` (NS), into `out`; false when
// the rdata is not one well-formed name.
bool rdata_name_key(std::span<const std::uint8_t> rdata, std::string& out) {
  std::size_t starts[128];
  std::size_t labels = 0;
  std::size_t pos = 0;
  while (pos < rdata.size() && rdata[pos] != 0) {
    const std::size_t len = rdata[pos];
    if (len > 63 || labels == 128 || pos + 1 + len >= rdata.size()) {
      return false;
    }
    starts[labels++] = pos;
    pos += 1 + len;
  }
  if (pos + 1 != rdata.size() || rdata.size() > 255) {
    return false;
  }
  out.clear();
  while (labels > 0) {
    const std::size_t at = starts[--labels];
    for (std::size_t k = 1; k <= rdata[at]; ++k) {
      const std::uint8_t c = rdata[at + k];
      out.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c));
    }
    out.push_back('\0');
  }
  return true;
}

}  // namespace rootsim::resolver
