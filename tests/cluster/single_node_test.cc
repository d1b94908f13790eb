// A real trialledgerd process: a thousand signed notes from several members committed in order,
// a restart that resumes at the head, bad input refused with its reason, and an offline verify.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "local_network.h"
#include "trialledger/sdk/codec.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/request_auth.h"
#include "trialledger/sdk/tls.h"
#include "trialledger/sdk/tx_builder.h"

namespace tl {
namespace {

using testing::LocalNetwork;

constexpr int kMembers = 5;
constexpr int kNotesPerMember = 200;

const char* kMemberNames[kMembers] = {"acme-bio-finance", "acme-bio-clinops",
                                      "northwind-cro-finance", "northwind-cro-edc",
                                      "northwind-cro-ctms"};

v1::Transaction Note(const KeyFile& key, const std::string& chain_id, uint64_t nonce,
                     uint64_t expiry_height, const std::string& text) {
  v1::TxBody body;
  body.set_chain_id(chain_id);
  body.set_nonce(nonce);
  body.set_expiry_height(expiry_height);
  body.mutable_note()->set_text(text);
  return SignTxBody(std::move(body), key.keys);
}

// Waits for every id to leave the mempool; returns the final lookups.
std::vector<v1::GetTransactionResponse> AwaitAll(LedgerClient& client,
                                                 const std::vector<std::string>& ids) {
  std::vector<v1::GetTransactionResponse> found;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (const std::string& id : ids) {
    while (true) {
      absl::StatusOr<v1::GetTransactionResponse> lookup = client.GetTransaction(id);
      if (lookup.ok() && lookup->status() != v1::TX_STATUS_PENDING) {
        found.push_back(*lookup);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "transaction not committed in time";
        return found;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return found;
}

class SingleNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    network_.Start(0);
    chain_id_ = network_.client(0).GetStatus()->chain_id();
  }

  // `admin` revokes `key` (its first transaction), committed.
  void RevokeKey(const KeyFile& admin, const KeyFile& key) {
    v1::TxBody revoke;
    revoke.set_chain_id(chain_id_);
    revoke.set_nonce(1);
    revoke.set_expiry_height(1000);
    revoke.mutable_revoke_key()->set_public_key(key.keys.public_key);
    ASSERT_EQ(client().Submit(SignTxBody(revoke, admin.keys), true)->status(),
              v1::TX_STATUS_COMMITTED);
  }

  // Submits `count` notes per member, interleaved, starting at `first_nonce`; waits for all and
  // checks each member's notes were committed in nonce order.
  void SubmitNotesAndCheckOrder(uint64_t first_nonce, int count) {
    LedgerClient& client = network_.client(0);
    uint64_t height = client.GetStatus()->height();
    std::vector<std::string> ids;
    std::vector<int> owner;
    for (int n = 0; n < count; ++n) {
      for (int m = 0; m < kMembers; ++m) {
        v1::Transaction tx = Note(keys_[m], chain_id_, first_nonce + n, height + 10000,
                                  std::string(kMemberNames[m]) + " note " + std::to_string(n));
        absl::StatusOr<v1::SubmitTransactionResponse> submitted = client.Submit(tx, false);
        ASSERT_TRUE(submitted.ok()) << submitted.status();
        ASSERT_EQ(submitted->status(), v1::TX_STATUS_PENDING) << submitted->result().message();
        ids.push_back(submitted->tx_id());
        owner.push_back(m);
      }
    }
    std::vector<v1::GetTransactionResponse> found = AwaitAll(client, ids);
    ASSERT_EQ(found.size(), ids.size());
    std::map<int, std::pair<uint64_t, uint32_t>> last_position;
    for (size_t i = 0; i < found.size(); ++i) {
      ASSERT_EQ(found[i].status(), v1::TX_STATUS_COMMITTED) << found[i].result().message();
      std::pair<uint64_t, uint32_t> position{found[i].height(), found[i].index()};
      auto previous = last_position.find(owner[i]);
      if (previous != last_position.end()) {
        EXPECT_LT(previous->second, position) << "member " << owner[i] << " out of order";
      }
      last_position[owner[i]] = position;
    }
  }

  void ExpectRefused(const v1::Transaction& tx, v1::TxResultCode code) {
    ExpectRefusedBytes(Encode(tx), code);
  }
  void ExpectRefusedBytes(const std::string& bytes, v1::TxResultCode code) {
    absl::StatusOr<v1::SubmitTransactionResponse> response =
        network_.client(0).SubmitBytes(bytes, true);
    ASSERT_TRUE(response.ok()) << response.status();
    EXPECT_EQ(response->status(), v1::TX_STATUS_REJECTED);
    EXPECT_EQ(response->result().code(), code) << response->result().message();
    EXPECT_FALSE(response->result().message().empty());
  }

  LedgerClient& client() { return network_.client(0); }

  LocalNetwork network_{1};
  std::string chain_id_;
  std::vector<KeyFile> keys_ = [this] {
    std::vector<KeyFile> keys;
    for (const char* name : kMemberNames)
      keys.push_back(network_.member_key(name));
    return keys;
  }();
};

TEST_F(SingleNodeTest, ThousandNotesCommitInOrderSurviveRestartAndVerify) {
  SubmitNotesAndCheckOrder(1, kNotesPerMember);
  v1::GetStatusResponse before = *client().GetStatus();
  EXPECT_GE(before.height(), 2u);

  ASSERT_EQ(network_.Stop(0), 0) << network_.log(0);
  network_.Start(0);
  v1::GetStatusResponse after = *client().GetStatus();
  EXPECT_EQ(after.height(), before.height());
  EXPECT_EQ(after.state_hash(), before.state_hash());
  EXPECT_EQ(after.head_block_hash(), before.head_block_hash());

  SubmitNotesAndCheckOrder(kNotesPerMember + 1, 20);
  ASSERT_EQ(network_.Stop(0), 0);

  testing::CommandResult verify = testing::RunCommand(
      {testing::BinDir() + "/trialledger", "verify", "--data-dir", network_.data_dir(0),
       "--genesis", network_.genesis_path(), "-o", "json"});
  ASSERT_EQ(verify.exit_code, 0) << verify.err;
  nlohmann::json report = nlohmann::json::parse(verify.out);
  EXPECT_EQ(report["result"], "ok");
  EXPECT_EQ(report["transactions"], kMembers * (kNotesPerMember + 20));
  EXPECT_EQ(report["rejected_transactions"], 0);
}

TEST_F(SingleNodeTest, BadInputIsRefusedWithItsReasonAndChangesNothing) {
  KeyFile admin = network_.member_key("northwind-cro-admin");
  KeyFile edc = network_.member_key("northwind-cro-edc");
  KeyFile ctms = network_.member_key("northwind-cro-ctms");
  // Setup: one committed note (to replay), and a revoked key.
  v1::Transaction first = Note(edc, chain_id_, 1, 1000, "first");
  ASSERT_EQ(client().Submit(first, true)->status(), v1::TX_STATUS_COMMITTED);
  RevokeKey(admin, ctms);
  v1::GetStatusResponse before = *client().GetStatus();

  v1::Transaction bad_signature = Note(edc, chain_id_, 2, 1000, "tampered");
  std::string signature = bad_signature.signature();
  signature[0] ^= 1;
  bad_signature.set_signature(signature);
  ExpectRefused(bad_signature, v1::TX_BAD_SIGNATURE);
  ExpectRefused(Note(edc, "some-other-chain", 2, 1000, "x"), v1::TX_WRONG_CHAIN);
  // The very same transaction again is answered with its recorded outcome (a safe retry); a
  // different transaction reusing the nonce is a replay and is refused.
  absl::StatusOr<v1::SubmitTransactionResponse> again = client().Submit(first, true);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status(), v1::TX_STATUS_COMMITTED);
  EXPECT_EQ(again->height(), before.height() - 1);
  ExpectRefused(Note(edc, chain_id_, 1, 1000, "replayed nonce"), v1::TX_BAD_NONCE);
  ExpectRefused(Note(edc, chain_id_, 7, 1000, "skipped"), v1::TX_BAD_NONCE);
  ExpectRefused(Note(edc, chain_id_, 2, before.height(), "expired"), v1::TX_EXPIRED);
  KeyFile stranger{"stranger", GenerateKeyPair()};
  ExpectRefused(Note(stranger, chain_id_, 1, 1000, "who"), v1::TX_UNKNOWN_SIGNER);
  ExpectRefused(Note(ctms, chain_id_, 1, 1000, "revoked"), v1::TX_KEY_REVOKED);
  ExpectRefused(Note(edc, chain_id_, 2, 1000, std::string(limits::kTxBytesMax, 'x')),
                v1::TX_TOO_LARGE);
  ExpectRefusedBytes("\x0a\xff\xff\xff\xff garbage", v1::TX_MALFORMED);

  // Bytes that are not even a request reach gRPC's decoder, which refuses them.
  auto channel = grpc::CreateChannel(
      network_.address(0), ClientTlsCredentials(network_.client_options().ca_certificate_pem));
  grpc::GenericStub generic(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice garbage(std::string("\xff\xff\xff\xff\xff\xff"));
  grpc::ByteBuffer request(&garbage, 1);
  grpc::ByteBuffer reply;
  grpc::Status raw_status;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  generic.UnaryCall(&context, "/trialledger.v1.LedgerService/SubmitTransaction",
                    grpc::StubOptions(), &request, &reply, [&](grpc::Status status) {
                      std::lock_guard<std::mutex> lock(mutex);
                      raw_status = status;
                      done = true;
                      done_cv.notify_all();
                    });
  {
    std::unique_lock<std::mutex> lock(mutex);
    done_cv.wait(lock, [&] { return done; });
  }
  EXPECT_FALSE(raw_status.ok());

  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // several block intervals
  v1::GetStatusResponse after = *client().GetStatus();
  EXPECT_EQ(after.height(), before.height());
  EXPECT_EQ(after.state_hash(), before.state_hash());
  EXPECT_EQ(after.mempool_size(), 0u);
  // The node still works.
  EXPECT_EQ(client().Submit(Note(edc, chain_id_, 2, 1000, "still fine"), true)->status(),
            v1::TX_STATUS_COMMITTED);
}

// The client port speaks TLS only: a plaintext client, a client that trusts another network's
// CA, and one that dials a name the node's certificate does not carry are all refused.
TEST_F(SingleNodeTest, TheClientPortRefusesPlaintextAndCertificatesOfOtherNetworks) {
  auto plaintext = v1::LedgerService::NewStub(
      grpc::CreateChannel(network_.address(0), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::GetStatusResponse status;
  EXPECT_FALSE(plaintext->GetStatus(&context, v1::GetStatusRequest(), &status).ok());

  absl::StatusOr<PemPair> foreign = CreateCertificateAuthority("elsewhere", 30);
  ASSERT_TRUE(foreign.ok());
  ClientOptions other_network = network_.client_options(5000);
  other_network.ca_certificate_pem = foreign->certificate_pem;
  EXPECT_FALSE(LedgerClient::Connect(network_.address(0), other_network)->GetStatus().ok());

  // The certificate names the node and 127.0.0.1, not "localhost".
  const std::string port = network_.address(0).substr(network_.address(0).rfind(':'));
  EXPECT_FALSE(
      LedgerClient::Connect("localhost" + port, network_.client_options(5000))->GetStatus().ok());
  // The network's own CA, at the address the certificate names: served.
  EXPECT_TRUE(
      LedgerClient::Connect(network_.address(0), network_.client_options(5000))->GetStatus().ok());
}

// Every request but GetStatus (and SubmitTransaction, signed itself) is signed by a member's
// current key: unsigned, a stranger's key, a revoked key, a time outside the window, a tampered
// request and a replayed one are refused; a member's fresh request is served.
TEST_F(SingleNodeTest, ReadsAreSignedByAMembersCurrentKeyOnceEach) {
  auto list = [&](const std::vector<std::pair<std::string, std::string>>& headers,
                  const v1::ListContractsRequest& request = v1::ListContractsRequest()) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    for (const auto& [key, value] : headers)
      context.AddMetadata(key, value);
    v1::ListContractsResponse response;
    return client().stub().ListContracts(&context, request, &response);
  };
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  KeyFile edc = network_.member_key("northwind-cro-edc");
  auto signed_by = [&](const KeyFile& key, int64_t time_ms, const std::string& nonce) {
    return SignRequest(key.keys, v1::ListContractsRequest(), time_ms, nonce);
  };
  auto expect_refused = [](const grpc::Status& status, const std::string& why) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
    EXPECT_NE(status.error_message().find(why), std::string::npos) << status.error_message();
  };

  expect_refused(list({}), "not signed by a member's key");
  ClientOptions anonymous = network_.client_options(5000);
  anonymous.member.reset();
  std::unique_ptr<LedgerClient> nobody = LedgerClient::Connect(network_.address(0), anonymous);
  EXPECT_TRUE(nobody->GetStatus().ok());  // health stays open
  EXPECT_FALSE(nobody->ListContracts().ok());

  const auto fresh = signed_by(edc, now_ms, std::string(kRequestNonceBytes, 'a'));
  EXPECT_TRUE(list(fresh).ok());
  expect_refused(list(fresh), "replay");
  expect_refused(list(signed_by(edc, now_ms - limits::kRequestClockSkewMaxMs - 5000,
                                std::string(kRequestNonceBytes, 'b'))),
                 "from the node's clock");
  // The signature covers the request: the same headers on another request do not verify.
  v1::GetBlockRequest other;
  other.set_height(1);
  auto tampered = SignRequest(edc.keys, other, now_ms, std::string(kRequestNonceBytes, 'c'));
  expect_refused(list(tampered), "does not verify");
  KeyFile stranger{"stranger", GenerateKeyPair()};
  expect_refused(list(signed_by(stranger, now_ms, std::string(kRequestNonceBytes, 'd'))),
                 "not a member's");

  // Revoked in a block: refused from then on.
  KeyFile admin = network_.member_key("northwind-cro-admin");
  KeyFile ctms = network_.member_key("northwind-cro-ctms");
  EXPECT_TRUE(list(signed_by(ctms, now_ms, std::string(kRequestNonceBytes, 'e'))).ok());
  RevokeKey(admin, ctms);
  expect_refused(list(signed_by(ctms, now_ms, std::string(kRequestNonceBytes, 'f'))),
                 "was revoked at block");
}

TEST_F(SingleNodeTest, StreamBlocksSendsHistoryThenNewBlocks) {
  KeyFile edc = network_.member_key("northwind-cro-edc");
  ASSERT_EQ(client().Submit(Note(edc, chain_id_, 1, 1000, "one"), true)->status(),
            v1::TX_STATUS_COMMITTED);
  ASSERT_EQ(client().Submit(Note(edc, chain_id_, 2, 1000, "two"), true)->status(),
            v1::TX_STATUS_COMMITTED);
  uint64_t head = client().GetStatus()->height();

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::StreamBlocksRequest request;
  request.set_from_height(1);
  client().Authenticate(context, request);  // a stream is signed by its opening request
  std::unique_ptr<grpc::ClientReader<v1::Block>> reader =
      client().stub().StreamBlocks(&context, request);
  std::vector<uint64_t> heights;
  v1::Block block;
  while (heights.size() < head && reader->Read(&block)) {
    heights.push_back(DecodeBlockHeader(block.header())->height());
  }
  // A block committed after the stream caught up arrives too, with its results.
  ASSERT_EQ(client().Submit(Note(edc, chain_id_, 3, 1000, "three"), true)->status(),
            v1::TX_STATUS_COMMITTED);
  ASSERT_TRUE(reader->Read(&block));
  heights.push_back(DecodeBlockHeader(block.header())->height());
  EXPECT_EQ(block.results_size(), block.transactions_size());
  context.TryCancel();
  for (size_t i = 0; i < heights.size(); ++i)
    EXPECT_EQ(heights[i], i + 1);
  EXPECT_EQ(heights.size(), head + 1);
}

// Many clients each waiting for their commit: the shape that exposed a stale-nonce admission race
// and a lookup that could miss a commit in flight. Every transaction must commit, none refused.
TEST_F(SingleNodeTest, ConcurrentCommitWaitersAllCommit) {
  testing::CommandResult bench =
      network_.Cli(0, {"--key", network_.member_key_path("acme-bio-admin"), "bench", "--clients",
                       "48", "--duration", "3", "-o", "json"});
  ASSERT_EQ(bench.exit_code, 0) << bench.err;
  nlohmann::json report = nlohmann::json::parse(bench.out);
  EXPECT_GT(report["committed"].get<uint64_t>(), 100u);
  EXPECT_EQ(report["committed"], report["submitted"]);
  EXPECT_EQ(report["rejected"], 0) << report["first_error"];
  EXPECT_EQ(report["errors"], 0) << report["first_error"];
}

}  // namespace
}  // namespace tl
