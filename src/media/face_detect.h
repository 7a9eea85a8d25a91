// Face detection with dlib's built-in frontal face detector (HOG features and a linear SVM,
// shipped inside libdlib: nothing to download, nothing sent anywhere).
//
// It finds faces looking at the camera or turned up to about 45 degrees, from about 40 pixels
// high in small pictures and about 1/15 of the longer side in large ones (detection runs on a
// copy shrunk to kFaceWorkingSize pixels for speed). It misses faces in profile, upside down,
// mostly hidden, or very small in a large photo: the preview is there so that a person checks,
// and --region covers what it missed. Boxes are enlarged to cover hair, ears and chin.
#pragma once

#include <memory>
#include <vector>

#include "core/status.h"
#include "media/box.h"
#include "media/image_decode.h"

namespace rempart {

// The longer side of the copy detection runs on; smaller images are enlarged up to twice.
inline constexpr int kFaceWorkingSize = 1200;
// dlib's box covers brows to chin; this much of its width is added on the left and right,
// and of its height above (forehead, hair) and below (chin, neck).
inline constexpr double kFaceMarginSide = 0.3;
inline constexpr double kFaceMarginTop = 0.55;
inline constexpr double kFaceMarginBottom = 0.2;

// Holds a dlib detector and its scratch space. Not thread-safe: make one per thread (or per
// batch) and reuse it. The first one in a process costs over a second (dlib unpacks its
// model); later ones are copies of that first model and cost well under a millisecond.
class FaceDetector {
 public:
  FaceDetector();
  ~FaceDetector();
  FaceDetector(FaceDetector&&) noexcept;
  FaceDetector& operator=(FaceDetector&&) noexcept;

  // Faces in `image` pixels, enlarged by the margins above and clipped to the image, ordered
  // left to right then top to bottom. kFailed only when memory runs out.
  Result<std::vector<Box>> Detect(const Image& image);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-off convenience: builds a FaceDetector for a single image.
Result<std::vector<Box>> DetectFaces(const Image& image);

}  // namespace rempart
