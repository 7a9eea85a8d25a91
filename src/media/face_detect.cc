// dlib's headers are heavy: this is the only file that includes them.

// dlib is templates in headers, compiled here with our flags: at -O0 (Debug and sanitizer
// builds) unpacking the model and one detection take a minute instead of a second. GCC can
// optimise this file alone; it must come before every include, or the standard library's
// templates stay at -O0 and GCC will not inline them into the optimised loops. Clang builds
// of the tests are RelWithDebInfo anyway.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__OPTIMIZE__)
#pragma GCC optimize("O2", "inline")
#endif

#include "media/face_detect.h"

// Debian's dlib config.h turns on LAPACK and BLAS, so the detector's header-only code calls
// LAPACK's dgesvd_ (to make its HOG filters separable) from this file. The pkg-config target
// puts liblapack before our objects, where --as-needed drops it, and the link fails. The two
// headers below are the only ones that include config.h and are include-guarded: after them,
// dropping the two switches makes this file use dlib's own matrix code, which needs nothing.
#include <dlib/assert.h>
#include <dlib/test_for_odr_violations.h>
#undef DLIB_USE_LAPACK
#undef DLIB_USE_BLAS

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms/interpolation.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <new>

#include "core/i18n.h"

namespace rempart {
namespace {

const char* const kNoMemory = N_("There is not enough memory to look for faces in the image.");
const char* const kDetectorFailed = N_("Face detection failed on this image.");

// Integer luma (BT.601), what HOG features are computed on; transparent pixels count as black.
void ToGray(const Image& image, dlib::array2d<unsigned char>& gray) {
  gray.set_size(image.height, image.width);
  const uint8_t* p = image.pixels.data();
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x, p += kImageChannels) {
      const unsigned luma = (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
      gray[y][x] = static_cast<unsigned char>(luma * p[3] / 255);
    }
  }
}

// The grey working copy and how much it was scaled: shrunk by area averaging (point sampling
// would add aliasing, which HOG's gradients pick up as texture), or enlarged bilinearly for
// small pictures so that faces from about 40 pixels reach the detector's 80-pixel window.
double MakeWorkingCopy(const Image& image, dlib::array2d<unsigned char>& gray) {
  const int longest = std::max(image.width, image.height);
  if (longest > kFaceWorkingSize) {
    const Image small = Downscale(image, kFaceWorkingSize);
    ToGray(small, gray);
    return static_cast<double>(small.width) / image.width;
  }
  ToGray(image, gray);
  const double scale = std::min(2.0, static_cast<double>(kFaceWorkingSize) / longest);
  if (scale < 1.25) return 1.0;  // enlarging by less would only cost time
  dlib::array2d<unsigned char> enlarged(std::lround(image.height * scale),
                                        std::lround(image.width * scale));
  dlib::resize_image(gray, enlarged);
  swap(gray, enlarged);
  return static_cast<double>(gray.nc()) / image.width;
}

// Back to image pixels, with room for hair, ears and chin, clipped to the image.
Box ToImageBox(const dlib::rectangle& found, double scale, const Image& image) {
  const double left = found.left() / scale, top = found.top() / scale;
  const double width = (found.right() + 1) / scale - left;
  const double height = (found.bottom() + 1) / scale - top;
  const double x0 = std::floor(left - width * kFaceMarginSide);
  const double y0 = std::floor(top - height * kFaceMarginTop);
  const double x1 = std::ceil(left + width * (1 + kFaceMarginSide));
  const double y1 = std::ceil(top + height * (1 + kFaceMarginBottom));
  return ClipBox({static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0),
                  static_cast<int>(y1 - y0)},
                 image.width, image.height);
}

bool ReadingOrder(const Box& a, const Box& b) { return a.x != b.x ? a.x < b.x : a.y < b.y; }

// dlib builds its detector from a compressed text model, which takes over a second; a copy takes
// a fraction of a millisecond. So one pristine detector is built once per process, never used
// to detect (which writes into the detector's scratch space) and never changed: only copied,
// and copying reads it, which many threads may do at once.
const dlib::frontal_face_detector& Prototype() {
  static const dlib::frontal_face_detector prototype = dlib::get_frontal_face_detector();
  return prototype;
}

}  // namespace

struct FaceDetector::Impl {
  dlib::frontal_face_detector detector = Prototype();
  dlib::array2d<unsigned char> gray;  // reused between images
};

FaceDetector::FaceDetector() : impl_(std::make_unique<Impl>()) {}
FaceDetector::~FaceDetector() = default;
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;

Result<std::vector<Box>> FaceDetector::Detect(const Image& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * kImageChannels) {
    return std::vector<Box>{};
  }
  try {
    const double scale = MakeWorkingCopy(image, impl_->gray);
    std::vector<Box> faces;
    for (const dlib::rectangle& found : impl_->detector(impl_->gray)) {
      const Box box = ToImageBox(found, scale, image);
      if (!box.empty()) faces.push_back(box);
    }
    std::sort(faces.begin(), faces.end(), ReadingOrder);
    return faces;
  } catch (const std::bad_alloc&) {
    return Status(Code::kFailed, kNoMemory);
  } catch (const std::exception&) {  // dlib reports misuse with exceptions: never let one out
    return Status(Code::kFailed, kDetectorFailed);
  }
}

Result<std::vector<Box>> DetectFaces(const Image& image) {
  try {
    FaceDetector detector;
    return detector.Detect(image);
  } catch (const std::bad_alloc&) {
    return Status(Code::kFailed, kNoMemory);
  }
}

}  // namespace rempart
