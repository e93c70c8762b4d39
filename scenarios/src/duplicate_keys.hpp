// Private: finding the first duplicate key while nlohmann parses a document (it would keep the
// last one silently), for the strict readers of scenario and sweep files. Thread-safety: one
// finder per parse. Ownership: values.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenario_parse_detail.hpp"

namespace rootsim::scenarios::detail {

// nlohmann keeps the last of duplicate keys silently; a strict reader names the first one.
template <class Json>
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, typename Json::parse_event_t event, Json& parsed) {
    using Event = typename Json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start:
        enter_value();
        frames_.push_back(Frame{event == Event::object_start, {}, {}, 0});
        break;
      case Event::object_end:
      case Event::array_end:
        if (!frames_.empty()) {
          frames_.pop_back();
        }
        break;
      case Event::key:
        if (!frames_.empty() && parsed.is_string()) {
          Frame& top = frames_.back();
          top.key = parsed.template get<std::string>();
          if (!top.keys.insert(top.key).second && !first_) {
            first_ = path();
          }
        }
        break;
      case Event::value:
        enter_value();
        break;
    }
    return true;
  }
  /// The pointer of the first key that appeared twice in its object.
  [[nodiscard]] const std::optional<std::string>& first() const noexcept { return first_; }

 private:
  struct Frame {
    bool object = false;
    std::set<std::string, std::less<>> keys;
    std::string key;         // objects: the current member
    std::size_t values = 0;  // arrays: elements seen so far
  };
  void enter_value() {
    if (!frames_.empty() && !frames_.back().object) {
      ++frames_.back().values;
    }
  }
  [[nodiscard]] std::string path() const {
    std::string out;
    for (const Frame& f : frames_) {
      out += "/" + (f.object ? escape_token(f.key) : std::to_string(f.values - 1));
    }
    return out;
  }
  std::vector<Frame> frames_;
  std::optional<std::string> first_;
};

}  // namespace rootsim::scenarios::detail
