#include "commands.h"
#include "trialledger/base/hex.h"
#include "trialledger/sdk/crypto.h"

namespace tl::cli {
namespace {

std::string ParseKey(const std::string& hex, std::string_view what) {
  return Context::Check(FromHexExact(hex, kPublicKeyBytes, what));
}

}  // namespace

void AddMemberCommands(CLI::App& app, Context& context) {
  CLI::App* member = app.add_subcommand(
      "member", "Manage your organisation's members (signed by an admin of that organisation)");
  member->require_subcommand(1);
  member->footer("Example:\n  trialledger --key net/keys/acme-bio-admin.key member show");

  struct AddOptions {
    std::string name, public_key, display_name;
    std::vector<std::string> roles;
  };
  auto add_options = std::make_shared<AddOptions>();
  CLI::App* add = member->add_subcommand("add", "Register a member in the signer's organisation");
  add->add_option("--name", add_options->name, "member name")->required();
  add->add_option("--public-key", add_options->public_key, "64 hex digits (see keys show)")
      ->required();
  add->add_option("--roles", add_options->roles, "roles, comma-separated")
      ->delimiter(',')
      ->required();
  add->add_option("--display-name", add_options->display_name, "printed name for signatures");
  add->footer(
      "Example (the public key from `keys show`):\n"
      "  trialledger --key net/keys/acme-bio-admin.key member add --name analyst --roles finance "
      "--public-key b92ff6bade057d100c4227afe44999ef4ce41e2d5c142139073c2272fa7ac80c "
      "--display-name \"Dana Reyes\"");
  add->callback([&context, add_options] {
    const AddOptions& options = *add_options;
    v1::GetMemberResponse signer =
        Context::Check(context.client().GetMember(context.key().keys.public_key));
    std::string key = ParseKey(options.public_key, "--public-key");
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      v1::Member* added = body.mutable_register_member()->mutable_member();
      added->set_name(options.name);
      added->set_org(signer.member().org());
      added->set_public_key(key);
      added->set_display_name(options.display_name);
      for (const std::string& role : options.roles)
        added->add_roles(role);
    });
    Print(SubmissionJson(response), context.format());
  });

  struct RevokeOptions {
    std::string public_key, reason;
  };
  auto revoke_options = std::make_shared<RevokeOptions>();
  CLI::App* revoke = member->add_subcommand("revoke", "Revoke a key from the next block on");
  revoke->add_option("public_key", revoke_options->public_key, "key to revoke")->required();
  revoke->add_option("--reason", revoke_options->reason, "why, for the audit trail");
  revoke->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-admin.key member revoke "
      "b92ff6bade057d100c4227afe44999ef4ce41e2d5c142139073c2272fa7ac80c --reason \"laptop "
      "lost\"");
  revoke->callback([&context, revoke_options] {
    std::string key = ParseKey(revoke_options->public_key, "public key");
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_revoke_key()->set_public_key(key);
      body.mutable_revoke_key()->set_reason(revoke_options->reason);
    });
    Print(SubmissionJson(response), context.format());
  });

  struct RotateOptions {
    std::string old_key, new_key, reason;
  };
  auto rotate_options = std::make_shared<RotateOptions>();
  CLI::App* rotate = member->add_subcommand("rotate", "Replace a member's key with a new one");
  rotate->add_option("old_public_key", rotate_options->old_key, "current key")->required();
  rotate->add_option("new_public_key", rotate_options->new_key, "replacement key")->required();
  rotate->add_option("--reason", rotate_options->reason, "why, for the audit trail");
  rotate->footer(
      "Example:\n  trialledger --key net/keys/acme-bio-admin.key member rotate "
      "b92ff6bade057d100c4227afe44999ef4ce41e2d5c142139073c2272fa7ac80c "
      "e138ea5a3d50a6a0e0e0c4459bb9c264d9141a938619b7a6827c8b4a72f23236 --reason \"yearly "
      "rotation\"");
  rotate->callback([&context, rotate_options] {
    std::string old_key = ParseKey(rotate_options->old_key, "old public key");
    std::string new_key = ParseKey(rotate_options->new_key, "new public key");
    v1::SubmitTransactionResponse response = context.SubmitAndWait([&](v1::TxBody& body) {
      body.mutable_rotate_key()->set_old_public_key(old_key);
      body.mutable_rotate_key()->set_new_public_key(new_key);
      body.mutable_rotate_key()->set_reason(rotate_options->reason);
    });
    Print(SubmissionJson(response), context.format());
  });

  auto show_key = std::make_shared<std::string>();
  CLI::App* show = member->add_subcommand("show", "Show the member a public key belongs to");
  show->add_option("public_key", *show_key, "key (default: --key's)");
  show->footer(
      "Examples:\n  trialledger --key net/keys/acme-bio-finance.key member show    # who am I\n"
      "  trialledger --key net/keys/acme-bio-admin.key member show "
      "b92ff6bade057d100c4227afe44999ef4ce41e2d5c142139073c2272fa7ac80c");
  show->callback([&context, show_key] {
    std::string key =
        show_key->empty() ? context.key().keys.public_key : ParseKey(*show_key, "public key");
    v1::GetMemberResponse found = Context::Check(context.client().GetMember(key));
    std::vector<std::string> roles(found.member().roles().begin(), found.member().roles().end());
    Print(Json{{"name", found.member().name()},
               {"org", found.member().org()},
               {"roles", roles},
               {"public_key", ToHex(found.member().public_key())},
               {"revoked_from_height", found.revoked_from_height()},
               {"next_nonce", found.next_nonce()}},
          context.format());
  });
}

}  // namespace tl::cli
