// Private: renders records into a Piece of a snapshot, with name compression against the
// qname's suffixes (the context name) and, for later pieces, against an anchor piece.
#pragma once

#include "rootsim/dns/record.hpp"
#include "rootsim/dns/result.hpp"

#include "snapshot_data.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace rootsim::resolver {

/// A dictionary target with this bit set is an offset into the anchor piece (which starts right
/// after the question); otherwise it is the wire length k of a suffix of the qname, which starts
/// at qend - 4 - k.
inline constexpr std::uint16_t kAnchorBit = 0x8000;

/// Lowercased wire suffixes that can be pointed at, with their targets. Flat (one byte store),
/// so that a writer reused for millions of pieces allocates nothing once warm.
class Dictionary {
 public:
  void clear() noexcept {
    bytes_.clear();
    entries_.clear();
  }
  void add(std::span<const std::uint8_t> suffix, std::uint16_t target);
  /// The target of `suffix`, or false.
  [[nodiscard]] bool find(std::span<const std::uint8_t> suffix, std::uint16_t& target) const;

 private:
  struct Entry {
    std::uint32_t at;
    std::uint16_t len;
    std::uint16_t target;
  };
  std::vector<std::uint8_t> bytes_;
  std::vector<Entry> entries_;
};

class PieceWriter {
 public:
  PieceWriter() = default;
  /// `context`: a name every qname this piece answers ends with (the node's name, or the apex).
  /// `anchor`: this piece starts right after the question, so later pieces may point into it.
  /// `anchor_dictionary`: names of the anchor piece this (later) piece may point at.
  PieceWriter(const dns::Name& context, bool anchor, const Dictionary* anchor_dictionary);

  /// Starts a new piece (as the constructor does), keeping the buffers' capacity.
  void start(const dns::Name& context, bool anchor, const Dictionary* anchor_dictionary);
  /// Appends one record to the current unit.
  void add(const dns::Record& record);
  /// Closes the current unit (no-op when it holds no record).
  void end_unit();
  [[nodiscard]] std::size_t unit_count() const noexcept { return units_.size(); }
  /// What this piece offers for compression to later pieces (anchor pieces only).
  [[nodiscard]] const Dictionary& dictionary() const noexcept { return own_; }
  /// Appends the piece to `arena`, which holds the arena's bytes from `arena_base` on (the
  /// bytes before it are a patched snapshot's), at the next multiple of 4; returns its id. kLimit when
  /// it is too big for a message or the arena outgrows 32-bit ids. (See PieceHeader.)
  [[nodiscard]] Result<std::uint32_t> finish(std::vector<std::uint8_t>& arena,
                                             std::size_t arena_base,
                                             std::uint16_t required_units = 0);

 private:
  void write_name(std::span<const std::uint8_t> wire, bool compress);
  [[nodiscard]] bool find(std::span<const std::uint8_t> suffix, std::uint16_t& target) const;
  void put16(std::uint16_t v);

  Dictionary context_;
  Dictionary own_;
  const Dictionary* anchor_dictionary_ = nullptr;
  bool anchor_ = false;
  std::vector<std::uint8_t> buf_;
  std::vector<std::uint16_t> fixups_;
  std::uint16_t base_qend_ = 0;
  std::vector<Unit> units_;
  std::size_t open_records_ = 0;
  std::size_t rr_total_ = 0;
  bool too_big_ = false;
};

}  // namespace rootsim::resolver
