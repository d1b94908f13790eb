// Every limit the ledger enforces, in one place. A limit that protects the deterministic apply
// (transaction and block sizes) is part of the protocol: changing it changes which blocks are
// valid.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tl::limits {

// Protocol limits (consensus-critical).
inline constexpr size_t kTxBytesMax = 64 * 1024;       // one encoded Transaction
inline constexpr size_t kNoteTextBytesMax = 4 * 1024;  // Note.text
inline constexpr size_t kNameBytesMax = 64;            // org, member and node names
inline constexpr size_t kDisplayNameBytesMax = 128;
inline constexpr size_t kReasonBytesMax = 512;  // RevokeKey/RotateKey reason
// Invoices from outside the ledger (RecordInvoice): lines, evidence per line, text fields.
inline constexpr size_t kInvoiceLinesMax = 200;
inline constexpr size_t kInvoiceEvidencePerLineMax = 50;
inline constexpr size_t kInvoiceTextBytesMax = 256;  // number, payee, item, payment reference
inline constexpr size_t kRolesPerMemberMax = 16;
inline constexpr size_t kBlockTxsMax = 2000;                // transactions in one block
inline constexpr size_t kBlockBytesMax = 8 * 1024 * 1024;   // one encoded Block with results
inline constexpr uint64_t kExpiryHeightsAheadMax = 100000;  // how far ahead expiry may be set

// Node limits (local policy; not part of block validity).
inline constexpr size_t kGrpcMessageBytesMax = 16 * 1024 * 1024;
inline constexpr size_t kMempoolTxsMax = 20000;
inline constexpr size_t kMempoolBytesMax = 64 * 1024 * 1024;
inline constexpr size_t kMempoolPerSignerMax = 2048;
// Blocks a follower queues for checking their signatures while it syncs them, and their bytes
// (node/signature_precheck.h); past either, the apply checks them itself.
inline constexpr size_t kPrecheckBlocksMax = 256;
inline constexpr size_t kPrecheckBytesMax = 64 * 1024 * 1024;
inline constexpr uint32_t kListBlocksMax = 1000;
inline constexpr uint32_t kListRecordsMax = 1000;  // facts or contract events in one list answer
// Journal entries StreamJournal reads from one snapshot before it writes them and looks again.
inline constexpr size_t kJournalStreamBatchMax = 500;
// Entries `erp sync` writes in one database transaction (--batch).
inline constexpr size_t kErpSyncBatchMax = 10000;
// The longest cursor StreamJournal decodes (a real one is under 100 bytes).
inline constexpr size_t kJournalCursorBytesMax = 512;
inline constexpr int64_t kRpcDeadlineMsDefault = 30000;
// Loaded contract versions the apply thread keeps (verifying a module costs more than a small
// batch of facts).
inline constexpr size_t kContractVersionsCachedMax = 16;
// The Prometheus endpoint (metrics_listen, docs/operations.md): the threads that answer scrapes,
// and how long one connection may take to send its request or read the answer.
inline constexpr int kMetricsHttpThreads = 2;
inline constexpr int64_t kMetricsHttpTimeoutMs = 5000;

// Between nodes (the mutual-TLS peer endpoint).
inline constexpr int64_t kForwardDeadlineMs = 5000;  // a follower's Forward to the leader
// The longest a linearizable read (GetStatus with linearizable) waits for a quorum, whatever
// the client's deadline: a node cut off from the majority answers DEADLINE_EXCEEDED by then.
inline constexpr int64_t kLinearizableReadWaitMsMax = 10000;
// One ForwardBatch: transactions, and their bytes (well under kGrpcMessageBytesMax).
inline constexpr size_t kForwardBatchTxsMax = 1000;
inline constexpr size_t kForwardBatchBytesMax = 8 * 1024 * 1024;
inline constexpr uint64_t kFetchBlocksPerCallMax = 1000;  // blocks one FetchBlocks call returns
inline constexpr int64_t kFetchBlocksDeadlineMs = 60000;  // one FetchBlocks call
inline constexpr size_t kPeerStreamsMax = 64;             // concurrent peer streams a node serves

// Signed client requests (request_auth.h): how far the client's clock may be from the node's,
// either way, and how many nonces a node remembers within that window (about 120 bytes each; a
// request beyond it is refused as too many rather than remembered at the cost of memory).
inline constexpr int64_t kRequestClockSkewMaxMs = 30'000;
inline constexpr size_t kRequestNoncesRememberedMax = 500'000;

}  // namespace tl::limits
