// An SDK example: follow a book's journal, print each entry, and remember where it got to in a
// checkpoint file, saved only after the entry was printed. Stopped and started again, it goes on
// after the last entry it printed; a node that fails is skipped for the next of the list.
//
//   tl-example-follow-book --nodes 127.0.0.1:7051,127.0.0.1:7052 --ca tls/ca.crt
//       --key keys/northwind-cro-finance.key --book northwind-cro --checkpoint gl.cursor
#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/journal_subscriber.h"
#include "trialledger/sdk/keyfile.h"

namespace {

volatile std::sig_atomic_t stopped = 0;
extern "C" void OnSignal(int) {
  stopped = 1;
}

int Fail(const std::string& what) {
  std::cerr << "follow-book: " << what << "\n";
  return 1;
}
int Fail(const absl::Status& status) {
  return Fail(std::string(status.message()));
}

// "1,250.00 USD" of the entry's first debit line, enough to recognise it by.
std::string FirstDebit(const tl::v1::JournalEntry& entry) {
  for (const tl::v1::JournalLine& line : entry.lines()) {
    if (line.debit_minor() == 0) continue;
    const int64_t minor = line.debit_minor();
    std::string cents = std::to_string(minor % 100);
    return std::to_string(minor / 100) + "." + (cents.size() < 2 ? "0" : "") + cents + " " +
           line.currency() + " to " + line.account();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  std::string nodes, ca, key, book, checkpoint_path;
  uint64_t count = 0;
  CLI::App app{"Follow a book's journal with a checkpoint"};
  app.add_option("--nodes", nodes, "HOST:PORT,...")->required();
  app.add_option("--ca", ca, "the network CA certificate")->required();
  app.add_option("--key", key, "a member key that may read the book")->required();
  app.add_option("--book", book, "the organisation whose book")->required();
  app.add_option("--checkpoint", checkpoint_path, "the cursor file")->required();
  app.add_option("--count", count, "stop after printing this many (default: never)");
  CLI11_PARSE(app, argc, argv);

  absl::StatusOr<tl::KeyFile> member = tl::ReadKeyFile(key);
  if (!member.ok()) return Fail(member.status());
  absl::StatusOr<std::string> ca_pem = tl::ReadWholeFile(ca);
  if (!ca_pem.ok()) return Fail(ca_pem.status());
  tl::NetworkOptions options;
  options.client.ca_certificate_pem = *ca_pem;
  options.client.member = member->keys;
  absl::StatusOr<std::unique_ptr<tl::NetworkClient>> network =
      tl::NetworkClient::Connect(tl::SplitAddresses(nodes), options);
  if (!network.ok()) return Fail(network.status());

  uint64_t printed = 0;
  tl::FileCheckpoint checkpoint(checkpoint_path);
  tl::CallbackSink sink(checkpoint, [&](const tl::v1::JournalStreamItem& item) {
    const tl::v1::JournalEntry& entry = item.entry();
    std::cout << entry.entry_id() << " " << entry.period() << " " << FirstDebit(entry) << " ("
              << entry.idempotency_key() << ")" << std::endl;
    ++printed;
    return absl::OkStatus();
  });
  tl::SubscriberOptions follow;
  follow.book = book;
  follow.log = [](const std::string& line) { std::cerr << "follow-book: " << line << "\n"; };
  follow.stop = [&] { return stopped != 0 || (count != 0 && printed >= count); };
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  absl::Status ended = tl::FollowJournal(**network, sink, follow);
  return ended.ok() ? 0 : Fail(ended);
}
