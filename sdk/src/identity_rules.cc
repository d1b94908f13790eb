#include "trialledger/sdk/identity_rules.h"

#include <set>

#include "trialledger/sdk/crypto.h"

#include "trialledger/base/endian.h"
#include "trialledger/base/str_cat.h"
#include "trialledger/sdk/limits.h"
#include "trialledger/sdk/roles.h"

namespace tl {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

absl::Status ValidateName(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > limits::kNameBytesMax) {
    return absl::InvalidArgumentError(
        StrCat(what, ": name '", name, "' must have 1 to ", limits::kNameBytesMax, " characters"));
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return absl::InvalidArgumentError(StrCat(
          what, ": name '", name, "' may only use lower-case letters, digits, '.', '_' and '-'"));
    }
  }
  if (name[0] == '.' || name[0] == '_' || name[0] == '-') {
    return absl::InvalidArgumentError(
        StrCat(what, ": name '", name, "' must start with a letter or digit"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::OrgKind> ParseOrgKind(std::string_view kind) {
  if (kind == "sponsor") return v1::ORG_KIND_SPONSOR;
  if (kind == "cro") return v1::ORG_KIND_CRO;
  if (kind == "auditor") return v1::ORG_KIND_AUDITOR;
  return absl::InvalidArgumentError(
      StrCat("kind '", kind, "' is not one of sponsor, cro, auditor"));
}

std::string_view OrgKindName(v1::OrgKind kind) {
  switch (kind) {
    case v1::ORG_KIND_SPONSOR:
      return "sponsor";
    case v1::ORG_KIND_CRO:
      return "cro";
    case v1::ORG_KIND_AUDITOR:
      return "auditor";
    default:
      return "unspecified";
  }
}

absl::Status ValidateOrganization(const v1::Organization& org) {
  absl::Status name = ValidateName(org.name(), "organization");
  if (!name.ok()) return name;
  if (org.kind() != v1::ORG_KIND_SPONSOR && org.kind() != v1::ORG_KIND_CRO &&
      org.kind() != v1::ORG_KIND_AUDITOR) {
    return absl::InvalidArgumentError(
        StrCat("organization '", org.name(), "': kind must be sponsor, cro or auditor"));
  }
  if (org.display_name().size() > limits::kDisplayNameBytesMax) {
    return absl::InvalidArgumentError(
        StrCat("organization '", org.name(), "': display_name is too long"));
  }
  return absl::OkStatus();
}

absl::Status ValidateMember(const v1::Member& member) {
  std::string what = StrCat("member '", member.name(), "'");
  absl::Status name = ValidateName(member.name(), what);
  if (!name.ok()) return name;
  if (member.public_key().size() != kPublicKeyBytes) {
    return absl::InvalidArgumentError(StrCat(what, ": public_key must be ", kPublicKeyBytes,
                                             " bytes, got ", member.public_key().size()));
  }
  if (member.roles().empty() ||
      static_cast<size_t>(member.roles().size()) > limits::kRolesPerMemberMax) {
    return absl::InvalidArgumentError(
        StrCat(what, ": needs 1 to ", limits::kRolesPerMemberMax, " roles"));
  }
  std::set<std::string_view> seen;
  for (const std::string& role : member.roles()) {
    if (!roles::IsKnown(role)) {
      return absl::InvalidArgumentError(StrCat(
          what, ": unknown role '", role,
          "' (known: admin, finance, clinops, oracle:edc, oracle:ctms, oracle:cost, auditor)"));
    }
    if (!seen.insert(role).second) {
      return absl::InvalidArgumentError(StrCat(what, ": role '", role, "' listed twice"));
    }
  }
  if (member.display_name().size() > limits::kDisplayNameBytesMax) {
    return absl::InvalidArgumentError(StrCat(what, ": display_name is too long"));
  }
  return absl::OkStatus();
}

absl::Status ValidateNode(const v1::NodeInfo& node) {
  std::string what = StrCat("node '", node.name(), "'");
  absl::Status name = ValidateName(node.name(), what);
  if (!name.ok()) return name;
  if (node.public_key().size() != kPublicKeyBytes) {
    return absl::InvalidArgumentError(StrCat(what, ": public_key must be ", kPublicKeyBytes,
                                             " bytes, got ", node.public_key().size()));
  }
  for (const auto& [field, value] :
       {std::pair<std::string_view, const std::string&>{"address", node.address()},
        {"peer_address", node.peer_address()}}) {
    size_t colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size()) {
      return absl::InvalidArgumentError(
          StrCat(what, ": ", field, " '", value, "' is not host:port"));
    }
  }
  if (node.address() == node.peer_address()) {
    return absl::InvalidArgumentError(
        StrCat(what, ": address and peer_address must differ (client API and peer endpoint)"));
  }
  return absl::OkStatus();
}

uint64_t RaftNodeId(std::string_view node_public_key) {
  std::string digest =
      Blake2b256Hasher().UpdateField("trialledger/v1/raft-node-id").Update(node_public_key).Final();
  uint64_t id = DecodeBigEndian64(digest);
  return id == 0 ? 1 : id;
}

}  // namespace tl
