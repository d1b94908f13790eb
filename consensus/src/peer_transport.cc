#include "trialledger/consensus/peer_transport.h"

#include "trialledger/consensus/limits.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "trialledger/consensus/wire.h"
#include "trialledger/v1/raft.grpc.pb.h"

namespace tl::raft {

namespace v1 = ::trialledger::v1;

namespace {
constexpr auto kReconnectBackoff = std::chrono::milliseconds(50);
}  // namespace

// Reads one peer's stream on gRPC's callback API: each message is checked and handed to the
// receiver on the thread that read it, with no thread of the stream's own to wake per message.
// The next read starts only after the receiver took this one, so the stream's order holds.
class PeerTransport::StreamReader final : public grpc::ServerReadReactor<v1::RaftMessage> {
 public:
  StreamReader(PeerTransport& transport, grpc::CallbackServerContext* context,
               v1::RaftStreamSummary* summary)
      : transport_(transport), summary_(summary) {
    for (const grpc::string_ref& name : context->auth_context()->GetPeerIdentity()) {
      identities_.emplace_back(name.data(), name.size());
    }
    StartRead(&wire_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the peer closed the stream, or it was cancelled
      Finish(grpc::Status::OK);
      return;
    }
    absl::StatusOr<Message> message = FromWire(wire_);
    if (!message.ok() || message->to != transport_.self_id_ ||
        !transport_.SentByCertificateHolder(message->from, identities_)) {
      ++transport_.refused_;
      summary_->set_dropped(summary_->dropped() + 1);
    } else {
      ++transport_.received_;
      summary_->set_accepted(summary_->accepted() + 1);
      transport_.receiver_(*std::move(message));
    }
    StartRead(&wire_);
  }

  void OnDone() override { delete this; }

 private:
  PeerTransport& transport_;
  v1::RaftStreamSummary* const summary_;  // gRPC's, sent when the stream ends
  std::vector<std::string> identities_;   // the names in the peer's TLS certificate
  v1::RaftMessage wire_;
};

class PeerTransport::Service final : public v1::RaftPeerService::CallbackService {
 public:
  explicit Service(PeerTransport& transport) : transport_(transport) {}

  grpc::ServerReadReactor<v1::RaftMessage>* Stream(grpc::CallbackServerContext* context,
                                                   v1::RaftStreamSummary* summary) override {
    return new StreamReader(transport_, context, summary);
  }

 private:
  PeerTransport& transport_;
};

bool PeerTransport::SentByCertificateHolder(uint64_t from,
                                            const std::vector<std::string>& identities) const {
  std::lock_guard<std::mutex> lock(peers_mutex_);
  auto peer = peers_.find(from);
  if (peer == peers_.end()) return false;
  for (const std::string& identity : identities) {
    if (identity == peer->second.name) return true;
  }
  return false;
}

class PeerTransport::Sender {
 public:
  Sender(const Peer& peer, const TlsIdentity& identity, std::atomic<uint64_t>& dropped)
      : peer_(peer), dropped_(dropped) {
    channel_ = grpc::CreateCustomChannel(peer.address, MutualTlsChannelCredentials(identity),
                                         MutualTlsChannelArguments(peer.name));
    stub_ = v1::RaftPeerService::NewStub(channel_);
    thread_ = std::thread([this] { Run(); });
  }

  ~Sender() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      if (context_ != nullptr) context_->TryCancel();
    }
    ready_.notify_all();
    thread_.join();
  }

  void Push(v1::RaftMessage message) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.size() >= limits::kPeerQueueMessagesMax) {
        ++dropped_;
        return;
      }
      queue_.push_back(std::move(message));
    }
    ready_.notify_one();
  }

 private:
  void Run() {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientWriter<v1::RaftMessage>> writer;
    v1::RaftStreamSummary summary;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      v1::RaftMessage message = std::move(queue_.front());
      queue_.pop_front();
      if (writer == nullptr) {
        context = std::make_unique<grpc::ClientContext>();
        context_ = context.get();
        writer = stub_->Stream(context.get(), &summary);
      }
      lock.unlock();
      bool written = writer->Write(message);
      lock.lock();
      if (!written) {
        // The peer is down or refused us: drop this message, start a new stream later.
        ++dropped_;
        lock.unlock();
        writer->Finish();
        writer.reset();
        lock.lock();
        context_ = nullptr;
        context.reset();
        ready_.wait_for(lock, kReconnectBackoff, [&] { return stopping_; });
      }
    }
    context_ = nullptr;
    lock.unlock();
    if (writer != nullptr) {
      writer->WritesDone();
      writer->Finish();
    }
  }

  const Peer peer_;
  std::atomic<uint64_t>& dropped_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RaftPeerService::Stub> stub_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<v1::RaftMessage> queue_;       // GUARDED_BY(mutex_)
  grpc::ClientContext* context_ = nullptr;  // the open stream's, for cancelling; GUARDED_BY(mutex_)
  bool stopping_ = false;                   // GUARDED_BY(mutex_)
  std::thread thread_;
};

PeerTransport::PeerTransport(uint64_t self_id, const std::vector<Peer>& peers, TlsIdentity identity,
                             Receiver receiver)
    : self_id_(self_id), identity_(std::move(identity)), receiver_(std::move(receiver)) {
  service_ = std::make_unique<Service>(*this);
  SetPeers(peers);
}

PeerTransport::~PeerTransport() {
  std::lock_guard<std::mutex> lock(peers_mutex_);
  senders_.clear();
}

void PeerTransport::SetPeers(const std::vector<Peer>& peers) {
  std::map<uint64_t, Peer> wanted;
  for (const Peer& peer : peers)
    wanted[peer.id] = peer;
  std::vector<std::unique_ptr<Sender>> retired;  // joined outside the lock
  {
    std::lock_guard<std::mutex> lock(peers_mutex_);
    for (auto it = senders_.begin(); it != senders_.end();) {
      auto peer = wanted.find(it->first);
      auto known = peers_.find(it->first);
      bool same = peer != wanted.end() && known != peers_.end() &&
                  known->second.address == peer->second.address &&
                  known->second.name == peer->second.name;
      if (same) {
        ++it;
      } else {
        retired.push_back(std::move(it->second));
        it = senders_.erase(it);
      }
    }
    for (const auto& [id, peer] : wanted) {
      if (id != self_id_ && !senders_.contains(id)) {
        senders_[id] = std::make_unique<Sender>(peer, identity_, dropped_sends_);
      }
    }
    peers_ = std::move(wanted);
  }
}

grpc::Service* PeerTransport::service() {
  return service_.get();
}

void PeerTransport::Send(const Message& message) {
  std::lock_guard<std::mutex> lock(peers_mutex_);
  auto sender = senders_.find(message.to);
  if (sender == senders_.end()) {
    ++dropped_sends_;
    return;
  }
  sender->second->Push(ToWire(message));
}

}  // namespace tl::raft
