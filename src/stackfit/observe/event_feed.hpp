// The engine's /events stream, followed by a thread with its own connection
// from `since` on; the recording loop (record/recorder) takes what it queued once
// per tick, so a tick never waits on the engine.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "stackfit/model/sample.hpp"
#include "stackfit/observe/engine_client.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

class EventFeed {
 public:
  // Starts the thread at once: it connects, checks the API version and reads
  // the stream until the engine ends it, the stream breaks, or the feed is
  // destroyed. Lines that are not JSON objects, and lines longer than
  // k_max_http_line_bytes, end the stream with an error (the peer is not, or
  // no longer, a Docker Engine).
  EventFeed(const std::string& socket, ContainerFilter filter, std::int64_t since_unix_s);
  // Cancels the stream (also a connect in progress) and joins the thread.
  ~EventFeed();
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // The events queued since the last call, in stream order; `ended` is set
  // once the stream is over: unavailable "<socket>: GET /events: the engine
  // ended the event stream", or the error that ended it.
  [[nodiscard]] std::vector<ContainerEvent> take(std::optional<Error>& ended);

 private:
  EngineClient m_client;
  std::string m_where;  // "<socket>: GET /events: " for the end of the stream
  std::mutex m_mutex;
  std::vector<ContainerEvent> m_queue;
  std::optional<Error> m_end;
  std::thread m_thread;  // last: starts after the members it uses
};

}  // namespace stackfit
