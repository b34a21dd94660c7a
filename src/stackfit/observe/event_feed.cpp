#include "stackfit/observe/event_feed.hpp"

#include <utility>

namespace stackfit {

EventFeed::EventFeed(const std::string& socket, ContainerFilter filter, std::int64_t since_unix_s)
    : m_client(socket), m_where(socket + ": GET /events: ") {
  m_thread = std::thread([this, filter = std::move(filter), since_unix_s] {
    // Bounded only by cancel(): the stream lasts as long as the recording.
    constexpr std::int64_t k_forever_ms = std::int64_t{10} * 365 * 24 * 3600 * 1000;
    auto ended = m_client.stream_events(
        since_unix_s, k_forever_ms,
        [this](const ContainerEvent& e) {
          std::lock_guard lock(m_mutex);
          m_queue.push_back(e);
          return true;
        },
        filter);
    std::lock_guard lock(m_mutex);
    m_end = ended ? Error{ErrorCode::unavailable, m_where + "the engine ended the event stream"} : ended.error();
  });
}

EventFeed::~EventFeed() {
  m_client.cancel();
  m_thread.join();
}

std::vector<ContainerEvent> EventFeed::take(std::optional<Error>& ended) {
  std::lock_guard lock(m_mutex);
  ended = m_end;
  return std::exchange(m_queue, {});
}

}  // namespace stackfit
