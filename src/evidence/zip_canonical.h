// The canonical form of a zip bundle: every header field that carries no content (times,
// attributes, versions, flags, extra fields, the order and spacing of records) has the one value
// Rempart's writer gives it. The manifest's signature covers the files; holding the headers to
// fixed values makes a change to any other byte of the archive visible as well.
#pragma once

#include <sys/stat.h>

#include <cstdint>

#include "core/status.h"
#include "evidence/zip_layout.h"

namespace rempart {

inline constexpr uint16_t kCanonicalDosTime = 0;       // 00:00:00
inline constexpr uint16_t kCanonicalDosDate = 0x0021;  // 1980-01-01, the earliest DOS date
inline constexpr uint16_t kCanonicalMadeBy = 0x033F;   // Unix, zip 6.3 (what libzip writes)
inline constexpr uint32_t kCanonicalExternalAttributes = (S_IFREG | 0600u) << 16;

// Ok, or a kVerifyFailed Status naming the first field that differs and the entry it is in.
Status CheckCanonicalZip(const ZipLayout& layout);

}  // namespace rempart
