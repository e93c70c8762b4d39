// Fuzz target: DNS message bytes -> parse_message -> MessageBuilder -> parse again must agree.
#include "rootsim/dns/message.hpp"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rootsim::dns;
  auto msg = parse_message(std::span<const std::uint8_t>(data, size));
  if (!msg) {
    return 0;
  }
  MessageBuilder builder(MessageBuilder::kMaxMessageSize);
  builder.reset(msg->header, MessageBuilder::kMaxMessageSize);
  for (const Question& q : msg->questions) {
    if (builder.add_question(q) != AppendStatus::kAppended) {
      return 0;  // re-rendering may compress less well than the input did
    }
  }
  if (msg->edns && builder.set_edns(*msg->edns) != AppendStatus::kAppended) {
    return 0;
  }
  const std::array<const std::vector<Record>*, 3> sections = {&msg->answer, &msg->authority,
                                                              &msg->additional};
  for (std::size_t s = 0; s < sections.size(); ++s) {
    for (const Record& r : *sections[s]) {
      const auto status = builder.add(static_cast<Section>(s), r);
      if (status == AppendStatus::kNoSpace) {
        return 0;
      }
      if (status != AppendStatus::kAppended) {
        std::abort();  // what the parser accepts, the builder must be able to write
      }
    }
  }
  auto again = parse_message(builder.finish());
  if (!again || again->header != msg->header || again->questions != msg->questions ||
      again->edns != msg->edns || again->answer.size() != msg->answer.size() ||
      again->authority.size() != msg->authority.size() ||
      again->additional.size() != msg->additional.size()) {
    std::abort();
  }
  return 0;
}
