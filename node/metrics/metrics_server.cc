#include "trialledger/node/metrics_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>

#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/limits.h"

namespace tl::node {

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Bind(
    const std::string& host, int port, std::function<std::string()> render) {
  auto server = std::make_unique<httplib::Server>();
  server->new_task_queue = [] { return new httplib::ThreadPool(limits::kMetricsHttpThreads); };
  const auto timeout = std::chrono::milliseconds(limits::kMetricsHttpTimeoutMs);
  server->set_read_timeout(timeout);
  server->set_write_timeout(timeout);
  server->set_payload_max_length(4096);  // a scrape has no body
  // httplib's default sets SO_REUSEPORT, which would let a second node bind the same port and
  // take half the scrapes. SO_REUSEADDR alone allows a quick restart and refuses a taken port.
  server->set_socket_options([](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server->Get("/metrics",
              [render = std::move(render)](const httplib::Request&, httplib::Response& response) {
                response.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
              });
  if (!server->bind_to_port(host, port)) {
    std::string shown = host.find(':') != std::string::npos ? StrCat("[", host, "]") : host;
    return absl::UnavailableError(StrCat("cannot listen on ", shown, ":", port,
                                         " for metrics (address in use or not local?)"));
  }
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(server)));
}

MetricsServer::MetricsServer(std::unique_ptr<httplib::Server> server)
    : server_(std::move(server)) {}

MetricsServer::~MetricsServer() {
  Stop();
}

void MetricsServer::Start() {
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
}

void MetricsServer::Stop() {
  if (!thread_.joinable()) return;
  // httplib's stop() only acts on a server that is already listening: wait for that (or for
  // listen to have given up) first.
  while (!listen_returned_) {
    if (server_->is_running()) {
      server_->stop();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  thread_.join();
}

}  // namespace tl::node
