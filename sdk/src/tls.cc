#include "trialledger/sdk/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include "trialledger/base/str_cat.h"

namespace tl {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreContextPtr =
    std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

absl::Status OpenSslError(std::string_view what) {
  unsigned long code = ERR_get_error();
  char text[256] = "no detail";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return absl::InternalError(StrCat(what, ": ", text));
}

std::string ToPem(int (*write)(BIO*, void*), void* object) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (write(bio.get(), object) != 1) return "";
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string CertificatePem(X509* certificate) {
  return ToPem([](BIO* bio, void* x) { return PEM_write_bio_X509(bio, static_cast<X509*>(x)); },
               certificate);
}

std::string KeyPem(EVP_PKEY* key) {
  return ToPem(
      [](BIO* bio, void* k) {
        return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0,
                                        nullptr, nullptr);
      },
      key);
}

CertPtr ReadCertificate(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return CertPtr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

KeyPtr ReadKey(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

bool AddExtension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  if (extension == nullptr) return false;
  bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

// A certificate for `key` named `common_name`, valid from now for `validity_days`, not yet signed.
CertPtr NewCertificate(EVP_PKEY* key, std::string_view common_name, int validity_days) {
  CertPtr certificate(X509_new());
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* serial_number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(serial_number, X509_get_serialNumber(certificate.get()));
  BN_free(serial_number);
  X509_set_version(certificate.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 86400L * validity_days);
  X509_set_pubkey(certificate.get(), key);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  std::string cn(common_name);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return certificate;
}

bool IsIpAddress(std::string_view host) {
  std::string text(host);
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

}  // namespace

absl::StatusOr<PemPair> CreateCertificateAuthority(std::string_view network_name,
                                                   int validity_days) {
  KeyPtr key(EVP_EC_gen("P-256"));
  if (key == nullptr) return OpenSslError("cannot create the CA key");
  CertPtr certificate =
      NewCertificate(key.get(), StrCat("TrialLedger network ", network_name, " CA"), validity_days);
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(certificate.get()));
  if (!AddExtension(certificate.get(), certificate.get(), NID_basic_constraints,
                    "critical,CA:TRUE,pathlen:0") ||
      !AddExtension(certificate.get(), certificate.get(), NID_key_usage,
                    "critical,keyCertSign,cRLSign") ||
      !AddExtension(certificate.get(), certificate.get(), NID_subject_key_identifier, "hash")) {
    return OpenSslError("cannot add CA extensions");
  }
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0) {
    return OpenSslError("cannot self-sign the CA certificate");
  }
  return PemPair{CertificatePem(certificate.get()), KeyPem(key.get())};
}

absl::StatusOr<PemPair> IssueNodeCertificate(const PemPair& ca, std::string_view node_name,
                                             std::string_view host, int validity_days) {
  CertPtr ca_certificate = ReadCertificate(ca.certificate_pem);
  KeyPtr ca_key = ReadKey(ca.private_key_pem);
  if (ca_certificate == nullptr || ca_key == nullptr) {
    return absl::InvalidArgumentError("the CA certificate or key is not valid PEM");
  }
  KeyPtr key(EVP_EC_gen("P-256"));
  if (key == nullptr) return OpenSslError("cannot create the node key");
  CertPtr certificate = NewCertificate(key.get(), node_name, validity_days);
  X509_set_issuer_name(certificate.get(), X509_get_subject_name(ca_certificate.get()));
  std::string alt_names = StrCat("DNS:", node_name);
  if (!host.empty() && host != node_name) {
    alt_names += StrCat(IsIpAddress(host) ? ",IP:" : ",DNS:", host);
  }
  if (!AddExtension(certificate.get(), ca_certificate.get(), NID_basic_constraints,
                    "critical,CA:FALSE") ||
      !AddExtension(certificate.get(), ca_certificate.get(), NID_key_usage,
                    "critical,digitalSignature,keyAgreement") ||
      !AddExtension(certificate.get(), ca_certificate.get(), NID_ext_key_usage,
                    "serverAuth,clientAuth") ||
      !AddExtension(certificate.get(), ca_certificate.get(), NID_subject_alt_name, alt_names) ||
      !AddExtension(certificate.get(), ca_certificate.get(), NID_authority_key_identifier,
                    "keyid:always")) {
    return OpenSslError(StrCat("cannot add extensions to the certificate of ", node_name));
  }
  if (X509_sign(certificate.get(), ca_key.get(), EVP_sha256()) == 0) {
    return OpenSslError(StrCat("cannot sign the certificate of ", node_name));
  }
  return PemPair{CertificatePem(certificate.get()), KeyPem(key.get())};
}

absl::Status VerifyCertificate(const std::string& ca_certificate_pem,
                               const std::string& certificate_pem) {
  CertPtr ca = ReadCertificate(ca_certificate_pem);
  CertPtr certificate = ReadCertificate(certificate_pem);
  if (ca == nullptr || certificate == nullptr) {
    return absl::InvalidArgumentError("certificate is not valid PEM");
  }
  StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca.get());
  StoreContextPtr context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), store.get(), certificate.get(), nullptr);
  if (X509_verify_cert(context.get()) != 1) {
    return absl::PermissionDeniedError(
        StrCat("certificate does not verify against the network CA: ",
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()))));
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::ServerCredentials> MutualTlsServerCredentials(const TlsIdentity& identity) {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = identity.ca_certificate_pem;
  options.pem_key_cert_pairs.push_back({identity.private_key_pem, identity.certificate_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> MutualTlsChannelCredentials(const TlsIdentity& identity) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = identity.ca_certificate_pem;
  options.pem_private_key = identity.private_key_pem;
  options.pem_cert_chain = identity.certificate_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::ServerCredentials> ServerTlsCredentials(const TlsIdentity& identity) {
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({identity.private_key_pem, identity.certificate_pem});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> ClientTlsCredentials(
    const std::string& ca_certificate_pem) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca_certificate_pem;
  return grpc::SslCredentials(options);
}

grpc::ChannelArguments MutualTlsChannelArguments(const std::string& peer_name) {
  grpc::ChannelArguments arguments;
  arguments.SetSslTargetNameOverride(peer_name);
  return arguments;
}

}  // namespace tl
