// The simulation's agenda: events ordered by (time, class, sequence). The class orders what
// happens at one instant (changes take effect before the publication that carries them, and
// that before the traffic step that sees it); the sequence keeps insertion order among equals.
// Private to rootsim::scenarios. Thread-safety: one replication's thread.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

#include "rootsim/dns/sim_time.hpp"

namespace rootsim::scenarios {

enum class EventClass : std::uint8_t {
  kScenario = 0,     ///< a scenario event begins (outage, partition, request, rollover step)
  kApply = 1,        ///< an approved change takes effect in the registry
  kPublication = 2,  ///< the root zone maintainer publishes a version
  kArrival = 3,      ///< a routine change request arrives
  kTraffic = 4,      ///< a traffic step
};

struct Event {
  dns::SimTime at{};
  EventClass klass = EventClass::kTraffic;
  std::uint64_t sequence = 0;
  std::uint32_t payload = 0;  ///< meaning depends on the class
};

class EventQueue {
 public:
  void push(dns::SimTime at, EventClass klass, std::uint32_t payload = 0) {
    queue_.push(Event{at, klass, next_++, payload});
  }
  [[nodiscard]] bool empty() const noexcept { return queue_.empty(); }
  [[nodiscard]] const Event& top() const { return queue_.top(); }
  Event pop() {
    Event e = queue_.top();
    queue_.pop();
    return e;
  }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const noexcept {
      if (a.at != b.at) {
        return a.at > b.at;
      }
      if (a.klass != b.klass) {
        return a.klass > b.klass;
      }
      return a.sequence > b.sequence;
    }
  };
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::uint64_t next_ = 0;
};

}  // namespace rootsim::scenarios
