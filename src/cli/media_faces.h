// Face counting for `inspect`: decodes a photo (videos are not searched) and runs dlib's
// detector. A photo that cannot be decoded gets no count rather than an error, since its
// metadata report is still worth having.
#pragma once

#include <optional>

#include "core/status.h"
#include "media/byte_source.h"
#include "media/privacy_report.h"

namespace rempart::cli {

Result<std::optional<int>> CountFaces(const ByteSource& input, const PrivacyReport& report);

}  // namespace rempart::cli
