#include "cli/media_faces.h"

#include "media/face_detect.h"
#include "media/image_decode.h"

namespace rempart::cli {

namespace {
constexpr uint64_t kMaxPhotoBytes = 512ull << 20;
}

Result<std::optional<int>> CountFaces(const ByteSource& input, const PrivacyReport& report) {
  for (const char* video : {"mp4", "mov"}) {
    if (report.format == video) return std::optional<int>();
  }
  if (input.size() > kMaxPhotoBytes) return std::optional<int>();
  REMPART_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, input.Read(0, input.size(), kMaxPhotoBytes));
  // Detection works on a copy of at most kFaceWorkingSize pixels: decode about that much.
  Result<Image> image = DecodeImage(bytes, 2 * kFaceWorkingSize);
  if (!image.ok()) return std::optional<int>();
  FaceDetector detector;
  REMPART_ASSIGN_OR_RETURN(std::vector<Box> faces, detector.Detect(*image));
  return std::optional<int>(static_cast<int>(faces.size()));
}

}  // namespace rempart::cli
