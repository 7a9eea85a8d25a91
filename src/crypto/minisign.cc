#include "crypto/minisign.h"

#include <algorithm>
#include <vector>

#include "crypto/encoding.h"

namespace rempart {
namespace {

constexpr std::string_view kUntrustedPrefix = "untrusted comment: ";
constexpr std::string_view kTrustedPrefix = "trusted comment: ";
constexpr std::string_view kAlgEd25519 = "Ed";           // public keys; legacy signatures
constexpr std::string_view kAlgEd25519Prehashed = "ED";  // signatures over BLAKE2b-512
constexpr size_t kAlgBytes = 2;
constexpr size_t kPublicKeyBlobBytes = kAlgBytes + kMinisignKeyIdBytes + kEd25519PublicKeyBytes;
constexpr size_t kSignatureBlobBytes = kAlgBytes + kMinisignKeyIdBytes + kEd25519SignatureBytes;
// Far above anything minisign itself can read back, so honest files always fit.
constexpr size_t kMaxFileTextBytes = 16 * 1024;

std::span<const uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

Status Malformed(std::string_view what) {
  return Status(Code::kInvalidInput, "not a valid minisign " + std::string(what));
}

// Splits the first N lines ("\n" or "\r\n"; the last may lack its newline) and insists that
// nothing but blank lines follows, so that no hidden content rides along with a file.
template <size_t N>
Result<std::array<std::string_view, N>> TakeLines(std::string_view text, std::string_view what) {
  if (text.size() > kMaxFileTextBytes) return Malformed(what);
  std::array<std::string_view, N> lines;
  for (std::string_view& line : lines) {
    if (text.empty()) return Malformed(what);
    size_t end = text.find('\n');
    line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
  }
  if (text.find_first_not_of("\r\n") != std::string_view::npos) return Malformed(what);
  return lines;
}

template <size_t N>
Result<std::array<uint8_t, N>> DecodeFixed(std::string_view base64, std::string_view what) {
  auto bytes = Base64Decode(base64);
  if (!bytes.ok() || bytes->size() != N) {
    return Status(Code::kInvalidInput, "bad base64 in the minisign " + std::string(what));
  }
  std::array<uint8_t, N> out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

bool HasAlg(std::span<const uint8_t> blob, std::string_view alg) {
  return std::equal(alg.begin(), alg.end(), blob.begin());
}

Status CheckComment(std::string_view comment, size_t max_bytes, std::string_view what) {
  if (comment.size() > max_bytes) {
    return Status(Code::kInvalidInput,
                  "the " + std::string(what) + " comment is too long for minisign");
  }
  if (comment.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return Status(Code::kInvalidInput, "the " + std::string(what) + " comment must be one line");
  }
  return Status::Ok();
}

struct ParsedSignature {
  bool prehashed = true;
  MinisignKeyId key_id{};
  Ed25519Signature signature{};
  std::string trusted_comment;
  Ed25519Signature global_signature{};
};

Result<ParsedSignature> ParseSignature(std::string_view text) {
  constexpr std::string_view kWhat = "signature";
  REMPART_ASSIGN_OR_RETURN(auto lines, TakeLines<4>(text, kWhat));
  if (!lines[0].starts_with(kUntrustedPrefix)) {
    return Status(Code::kInvalidInput,
                  "not a valid minisign signature: the first line must start with \"untrusted "
                  "comment: \"");
  }
  REMPART_ASSIGN_OR_RETURN(auto blob, DecodeFixed<kSignatureBlobBytes>(lines[1], kWhat));
  if (!lines[2].starts_with(kTrustedPrefix)) {
    return Status(Code::kInvalidInput,
                  "not a valid minisign signature: the third line must start with \"trusted "
                  "comment: \"");
  }
  std::string_view comment = lines[2].substr(kTrustedPrefix.size());
  // minisign would cut a comment at a NUL or CR and check a different text than we return.
  REMPART_RETURN_IF_ERROR(CheckComment(comment, kMinisignMaxTrustedCommentBytes, "trusted"));
  REMPART_ASSIGN_OR_RETURN(auto global, DecodeFixed<kEd25519SignatureBytes>(lines[3], kWhat));

  ParsedSignature parsed;
  if (HasAlg(blob, kAlgEd25519Prehashed)) {
    parsed.prehashed = true;
  } else if (HasAlg(blob, kAlgEd25519)) {
    parsed.prehashed = false;
  } else {
    return Status(Code::kInvalidInput, "unsupported minisign signature algorithm");
  }
  auto rest = std::span(blob).subspan(kAlgBytes);
  std::copy_n(rest.begin(), kMinisignKeyIdBytes, parsed.key_id.begin());
  std::copy_n(rest.begin() + kMinisignKeyIdBytes, kEd25519SignatureBytes, parsed.signature.begin());
  parsed.trusted_comment = std::string(comment);
  parsed.global_signature = global;
  return parsed;
}

// `signed_bytes` is the prehash for "ED" signatures and the whole message for legacy "Ed".
Result<std::string> CheckSignature(const MinisignPublicKey& key, const ParsedSignature& parsed,
                                   std::span<const uint8_t> signed_bytes) {
  if (parsed.key_id != key.key_id) {
    return Status(Code::kVerifyFailed,
                  "wrong key: the signature was made by key id " + MinisignKeyIdHex(parsed.key_id) +
                      " but the public key has id " + MinisignKeyIdHex(key.key_id));
  }
  if (!VerifySignature(key.public_key, signed_bytes, parsed.signature)) {
    return Status(Code::kVerifyFailed,
                  "bad signature: the file was changed or was not signed by this key");
  }
  std::vector<uint8_t> global_message(parsed.signature.begin(), parsed.signature.end());
  global_message.insert(global_message.end(), parsed.trusted_comment.begin(),
                        parsed.trusted_comment.end());
  if (!VerifySignature(key.public_key, global_message, parsed.global_signature)) {
    return Status(Code::kVerifyFailed,
                  "bad trusted comment signature: the trusted comment was changed");
  }
  return parsed.trusted_comment;
}

}  // namespace

MinisignPublicKey MinisignPublicKey::ForKey(const SigningKey& key) {
  return {NewMinisignKeyId(), key.public_key()};
}

MinisignKeyId NewMinisignKeyId() {
  // randombytes_buf is safe without sodium_init (it initialises itself or aborts).
  MinisignKeyId key_id;
  randombytes_buf(key_id.data(), key_id.size());
  return key_id;
}

std::string MinisignKeyIdHex(const MinisignKeyId& key_id) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string hex;
  for (auto it = key_id.rbegin(); it != key_id.rend(); ++it) {
    hex += kDigits[*it >> 4];
    hex += kDigits[*it & 0xF];
  }
  return hex;
}

std::string FormatMinisignPublicKeyLine(const MinisignPublicKey& key) {
  std::array<uint8_t, kPublicKeyBlobBytes> blob;
  auto out = std::copy(kAlgEd25519.begin(), kAlgEd25519.end(), blob.begin());
  out = std::copy(key.key_id.begin(), key.key_id.end(), out);
  std::copy(key.public_key.begin(), key.public_key.end(), out);
  return Base64Encode(blob);
}

std::string FormatMinisignPublicKeyFile(const MinisignPublicKey& key) {
  return std::string(kUntrustedPrefix) + "minisign public key " + MinisignKeyIdHex(key.key_id) +
         "\n" + FormatMinisignPublicKeyLine(key) + "\n";
}

Result<MinisignPublicKey> ParseMinisignPublicKeyLine(std::string_view line) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t begin = line.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return Malformed("public key");
  line = line.substr(begin, line.find_last_not_of(kSpace) - begin + 1);
  REMPART_ASSIGN_OR_RETURN(auto blob, DecodeFixed<kPublicKeyBlobBytes>(line, "public key"));
  if (!HasAlg(blob, kAlgEd25519)) {
    return Status(Code::kInvalidInput, "unsupported minisign public key algorithm");
  }
  MinisignPublicKey key;
  auto rest = std::span(blob).subspan(kAlgBytes);
  std::copy_n(rest.begin(), kMinisignKeyIdBytes, key.key_id.begin());
  std::copy_n(rest.begin() + kMinisignKeyIdBytes, kEd25519PublicKeyBytes, key.public_key.begin());
  return key;
}

Result<MinisignPublicKey> ParseMinisignPublicKeyFile(std::string_view text) {
  REMPART_ASSIGN_OR_RETURN(auto lines, TakeLines<2>(text, "public key file"));
  if (!lines[0].starts_with(kUntrustedPrefix)) {
    return Status(Code::kInvalidInput,
                  "not a valid minisign public key file: the first line must start with "
                  "\"untrusted comment: \"");
  }
  return ParseMinisignPublicKeyLine(lines[1]);
}

Blake2b512::Blake2b512() { crypto_generichash_init(&state_, nullptr, 0, kBlake2b512Bytes); }

Blake2b512::~Blake2b512() { sodium_memzero(&state_, sizeof state_); }

void Blake2b512::Update(std::span<const uint8_t> bytes) {
  crypto_generichash_update(&state_, bytes.data(), bytes.size());
}

void Blake2b512::Update(std::string_view text) { Update(AsBytes(text)); }

Blake2b512Digest Blake2b512::Final() {
  Blake2b512Digest digest;
  crypto_generichash_final(&state_, digest.data(), digest.size());
  crypto_generichash_init(&state_, nullptr, 0, kBlake2b512Bytes);
  return digest;
}

Blake2b512Digest Blake2b512Of(std::span<const uint8_t> bytes) {
  Blake2b512 hasher;
  hasher.Update(bytes);
  return hasher.Final();
}

Result<std::string> MinisignSignaturePrehashed(const SigningKey& key, const MinisignKeyId& key_id,
                                               const Blake2b512Digest& prehash,
                                               std::string_view untrusted_comment,
                                               std::string_view trusted_comment) {
  REMPART_RETURN_IF_ERROR(
      CheckComment(untrusted_comment, kMinisignMaxUntrustedCommentBytes, "untrusted"));
  REMPART_RETURN_IF_ERROR(
      CheckComment(trusted_comment, kMinisignMaxTrustedCommentBytes, "trusted"));

  Ed25519Signature signature = key.Sign(prehash);
  std::array<uint8_t, kSignatureBlobBytes> blob;
  auto out = std::copy(kAlgEd25519Prehashed.begin(), kAlgEd25519Prehashed.end(), blob.begin());
  out = std::copy(key_id.begin(), key_id.end(), out);
  std::copy(signature.begin(), signature.end(), out);

  std::vector<uint8_t> global_message(signature.begin(), signature.end());
  global_message.insert(global_message.end(), trusted_comment.begin(), trusted_comment.end());
  Ed25519Signature global_signature = key.Sign(global_message);

  std::string text;
  text.append(kUntrustedPrefix).append(untrusted_comment).append("\n");
  text.append(Base64Encode(blob)).append("\n");
  text.append(kTrustedPrefix).append(trusted_comment).append("\n");
  text.append(Base64Encode(global_signature)).append("\n");
  return text;
}

Result<std::string> MinisignSignature(const SigningKey& key, const MinisignKeyId& key_id,
                                      std::span<const uint8_t> message,
                                      std::string_view untrusted_comment,
                                      std::string_view trusted_comment) {
  return MinisignSignaturePrehashed(key, key_id, Blake2b512Of(message), untrusted_comment,
                                    trusted_comment);
}

Result<std::string> MinisignVerifyPrehashed(const MinisignPublicKey& key,
                                            const Blake2b512Digest& prehash,
                                            std::string_view signature_text) {
  REMPART_ASSIGN_OR_RETURN(ParsedSignature parsed, ParseSignature(signature_text));
  if (!parsed.prehashed) {
    return Status(Code::kInvalidInput,
                  "this is a legacy (non-prehashed) minisign signature; it can only be checked "
                  "against the whole file");
  }
  return CheckSignature(key, parsed, prehash);
}

Result<std::string> MinisignVerify(const MinisignPublicKey& key, std::span<const uint8_t> message,
                                   std::string_view signature_text) {
  REMPART_ASSIGN_OR_RETURN(ParsedSignature parsed, ParseSignature(signature_text));
  if (!parsed.prehashed) return CheckSignature(key, parsed, message);
  Blake2b512Digest prehash = Blake2b512Of(message);
  return CheckSignature(key, parsed, prehash);
}

}  // namespace rempart
