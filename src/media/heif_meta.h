// The 'meta' box of a HEIF or AVIF still image (ISO/IEC 23008-12): its items (the coded
// image, tiles, thumbnails, Exif and XMP blocks), where each item's bytes are (iloc), how items
// refer to each other (iref) and which properties describe them (iprp: ipco + ipma). Parsed
// from the meta box's bytes, which the caller reads whole (a few KiB in a real file).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "media/iso_bmff_boxes.h"

namespace rempart::bmff {

struct HeifExtent {
  uint64_t index = 0;  // extent_index (iloc versions 1 and 2 with index_size > 0)
  uint64_t offset = 0;
  uint64_t length = 0;  // 0: up to the end of the data it points into
};

struct HeifLocation {
  uint32_t item_id = 0;
  uint8_t construction_method = 0;    // 0 file offsets, 1 inside 'idat', 2 inside another item
  uint16_t data_reference_index = 0;  // 0: this file
  uint64_t base_offset = 0;
  std::vector<HeifExtent> extents;
};

struct HeifItem {
  uint32_t id = 0;
  uint32_t type = 0;         // 'hvc1', 'av01', 'grid', 'Exif', 'mime', … (0 for infe v0/v1)
  std::string content_type;  // of 'mime' items ("application/rdf+xml" for XMP)
  Box infe;                  // in the meta buffer, to copy it verbatim
};

struct HeifReference {
  uint32_t type = 0;  // 'thmb', 'cdsc', 'dimg', 'auxl', …
  uint32_t from = 0;
  std::vector<uint32_t> to;
};

struct HeifAssociation {
  uint16_t index = 0;  // 1-based position in ipco
  bool essential = false;
};

struct HeifItemProperties {
  uint32_t item_id = 0;
  std::vector<HeifAssociation> associations;
};

struct HeifIpma {
  uint8_t version = 0;
  uint32_t flags = 0;
  std::vector<HeifItemProperties> entries;
};

// Every offset below is in the meta buffer (the whole 'meta' box, header included).
struct HeifMeta {
  uint32_t handler = 0;
  uint32_t primary_item = 0;
  std::vector<Box> children;  // of 'meta', in order
  std::vector<HeifItem> items;
  uint8_t iinf_version = 0;
  uint32_t iinf_flags = 0;
  // iloc's layout, kept so that the scrubber writes the same kind of iloc back.
  uint8_t iloc_version = 0;
  uint32_t iloc_flags = 0;
  uint8_t offset_size = 0, length_size = 0, base_offset_size = 0, index_size = 0;
  std::vector<HeifLocation> locations;
  uint8_t iref_version = 0;
  uint32_t iref_flags = 0;
  std::vector<HeifReference> references;
  std::vector<Box> properties;  // ipco's children; property index i is properties[i - 1]
  std::vector<Box> iprp_children;
  std::vector<HeifIpma> ipmas;
  bool has_idat = false;
  Box idat;

  const HeifItem* FindItem(uint32_t id) const;
  const HeifLocation* FindLocation(uint32_t id) const;

  // Item id to position in `items` / `locations` (the first, if an id repeats).
  std::unordered_map<uint32_t, size_t> item_index, location_index;
};

// Limits on what one meta box may declare. A real image has a few dozen items; these keep a
// forged table from costing more memory or time than a picture ever needs.
inline constexpr size_t kMaxHeifItems = 65536;
inline constexpr size_t kMaxHeifEntries = 1'000'000;  // extents, references, associations

// Parses a whole 'meta' box (`bytes` starts with its header). kInvalidInput when a count or
// size inside it cannot be right.
Result<HeifMeta> ParseHeifMeta(std::span<const uint8_t> bytes);

// The handler of a 'meta' box ('pict' for HEIF), from its bytes; 0 when it has none.
uint32_t MetaHandler(std::span<const uint8_t> bytes);

}  // namespace rempart::bmff
