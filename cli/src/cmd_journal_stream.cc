// `journal follow`: a book's journal as a stream (StreamJournal, docs/erp.md), one JSON object a
// line with the cursor to resume after it. `journal export`: the book in a format its tools read.
#include <iostream>

#include "books_json.h"
#include "commands.h"
#include "progress.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/export/journal_export.h"
#include "trialledger/sdk/file_util.h"
#include "trialledger/sdk/limits.h"

namespace tl::cli {

namespace {

// Every entry of `book`, in order, with the book's record and kind; a progress bar on a terminal
// as the pages come (the export itself is written at once, after them).
journal_export::BookJournal ReadBookJournal(Context& context, const std::string& book) {
  v1::GetBookRequest book_request;
  book_request.set_book(book);
  v1::GetBookResponse found = Context::Check(context.client().GetBook(book_request));
  journal_export::BookJournal journal{
      found.kind() == v1::ORG_KIND_CRO ? books::BookKind::kCro : books::BookKind::kSponsor,
      found.book(),
      {},
      ""};
  v1::ListJournalRequest request;
  request.set_book(book);
  request.set_limit(limits::kListRecordsMax);
  Progress progress("journal export", static_cast<int64_t>(found.book().entry_count()), "entries");
  while (true) {
    v1::ListJournalResponse page = Context::Check(context.client().ListJournal(request));
    for (v1::JournalEntry& entry : *page.mutable_entries())
      journal.entries.push_back(std::move(entry));
    progress.Update(static_cast<int64_t>(journal.entries.size()));
    if (page.next_seq() == 0) break;
    request.set_from_seq(page.next_seq());
  }
  return journal;
}

void AddExportCommand(CLI::App& journal, Context& context) {
  struct ExportOptions {
    std::string book, format, period, out;
  };
  auto options = std::make_shared<ExportOptions>();
  std::string formats;
  for (std::string_view name : journal_export::FormatNames())
    formats += StrCat(formats.empty() ? "" : "|", name);
  CLI::App* command = journal.add_subcommand(
      "export",
      "A book's journal in a format its tools import, with balance assertions at every "
      "period end in the plain-text ones (docs/erp.md)");
  command->add_option("--book", options->book, "the organisation whose book")->required();
  command->add_option("--format", options->format, formats)->required();
  AddPeriodOption(*command, &options->period, "only the entries posted in this month");
  command->add_option("--out", options->out, "write this new file (default: standard output)");
  command->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key journal export --book "
      "acme-bio --format beancount --out acme-bio.beancount\n"
      "  trialledger --key net/keys/northwind-cro-finance.key journal export --book northwind-cro "
      "--format csv-netsuite --period 2026-11 > northwind-cro-2026-11.csv");
  command->callback([&context, options] {
    journal_export::Format format = Context::Check(journal_export::ParseFormat(options->format));
    journal_export::BookJournal journal = ReadBookJournal(context, options->book);
    journal.period = options->period;
    const std::string text = Context::Check(journal_export::Export(format, journal));
    if (options->out.empty()) {
      std::cout << text << std::flush;
      return;
    }
    Context::Check(WriteNewFile(options->out, text, 0644));
  });
}

}  // namespace

void AddJournalStreamCommands(CLI::App& journal, Context& context) {
  AddExportCommand(journal, context);
  struct FollowOptions {
    std::string book, after;
    uint64_t count = 0;
  };
  auto options = std::make_shared<FollowOptions>();
  CLI::App* follow = journal.add_subcommand(
      "follow",
      "Stream a book's entries after a cursor: its history, then each new one as it posts (one "
      "JSON object a line: the entry and the cursor to resume after it)");
  follow->add_option("--book", options->book, "the organisation whose book")->required();
  follow->add_option("--after", options->after, "resume after this cursor (default: the start)");
  follow->add_option("--count", options->count, "stop after this many entries (default: never)");
  follow->footer(
      "Examples:\n  trialledger --key net/keys/northwind-cro-finance.key journal follow --book "
      "northwind-cro\n"
      "  trialledger --key net/keys/acme-bio-finance.key journal follow --book acme-bio --count "
      "10 | jq .entry_id");
  follow->callback([&context, options] {
    v1::StreamJournalRequest request;
    request.set_book(options->book);
    request.set_after_cursor(options->after);
    uint64_t written = 0;
    Context::Check(context.client().StreamJournal(request, [&](const v1::JournalStreamItem& item) {
      Json line = EntryJson(item.entry(), OutputFormat::kJson, true);
      line["cursor"] = item.cursor();
      std::cout << line.dump() << std::endl;  // flushed: a pipe reads each entry as it comes
      ++written;
      return options->count == 0 || written < options->count;
    }));
  });
}

}  // namespace tl::cli
