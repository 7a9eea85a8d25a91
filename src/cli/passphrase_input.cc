#include "cli/passphrase_input.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rempart::cli {

Result<SecretBytes> ReadPassphraseFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error(Code::kNotFound, "cannot read passphrase file {}: {}", path, std::strerror(errno));
  }
  SecretBytes buf(4096);
  size_t filled = 0;
  ssize_t n;
  while (filled < buf.size() && (n = ::read(fd, buf.data() + filled, buf.size() - filled)) > 0) {
    filled += static_cast<size_t>(n);
  }
  ::close(fd);
  size_t len = 0;
  while (len < filled && buf.data()[len] != '\n' && buf.data()[len] != '\r') ++len;
  if (len == 0) {
    return Error(Code::kInvalidInput, "passphrase file {} is empty", path);
  }
  return SecretBytes(buf.data(), len);
}

Result<SecretBytes> AskPassphrase(const std::string& prompt) {
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0) {
    return Error(Code::kUsage,
                 "no terminal to ask for the passphrase: use --passphrase-file FILE or set "
                 "REMPART_PASSPHRASE_FILE");
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  termios old{};
  bool restore = ::tcgetattr(tty, &old) == 0;
  if (restore) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  SecretBytes buf(4096);
  size_t len = 0;
  char c;
  while (len < buf.size() && ::read(tty, &c, 1) == 1 && c != '\n') buf.data()[len++] = c;
  if (restore) ::tcsetattr(tty, TCSAFLUSH, &old);
  ::close(tty);
  if (len == 0) return Error(Code::kInvalidInput, "the passphrase is empty");
  return SecretBytes(buf.data(), len);
}

Result<SecretBytes> ReadNewPassphrase(const std::string& file, const Translator& t) {
  SecretBytes pass;
  if (!file.empty()) {
    REMPART_ASSIGN_OR_RETURN(pass, ReadPassphraseFile(file));
  } else {
    REMPART_ASSIGN_OR_RETURN(pass, AskPassphrase(t.tr("New passphrase: ")));
    REMPART_ASSIGN_OR_RETURN(SecretBytes again, AskPassphrase(t.tr("Repeat it: ")));
    if (again.view() != pass.view()) {
      return Error(Code::kInvalidInput, "the two passphrases differ; nothing was changed");
    }
  }
  if (pass.size() < 8) {
    return Error(Code::kInvalidInput,
                 "the passphrase is too short: use at least 8 characters (a few unrelated words "
                 "are easy to remember and hard to guess)");
  }
  return pass;
}

}  // namespace rempart::cli
