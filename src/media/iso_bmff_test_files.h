// Small ISO BMFF files built byte by byte for the tests and the fuzz corpus: an MP4-like movie
// with every kind of QuickTime metadata, and a HEIF-like image with Exif, XMP and a thumbnail.
// They need not decode as pictures; they exercise the parser and the scrubber. Header-only,
// because each *_test.cc is its own program.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace rempart::bmff::testing {

inline std::string U16(uint16_t v) { return {char(v >> 8), char(v & 0xFF)}; }
inline std::string U32(uint32_t v) { return U16(uint16_t(v >> 16)) + U16(uint16_t(v & 0xFFFF)); }
inline std::string U64(uint64_t v) { return U32(uint32_t(v >> 32)) + U32(uint32_t(v)); }
inline std::string MakeBox(const std::string& type, const std::string& payload) {
  return U32(uint32_t(8 + payload.size())) + type + payload;
}
inline std::string MakeFullBox(const std::string& type, uint8_t version, uint32_t flags,
                               const std::string& payload) {
  return MakeBox(type, std::string(1, char(version)) + U32(flags).substr(1) + payload);
}
inline std::span<const uint8_t> Span(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string C(const char* three) { return std::string("\xA9") + three; }  // "©xyz"

// 2024:05:01 21:10:00 in seconds since 1904.
inline constexpr uint32_t kMovieTime = 0xE2586028;
inline constexpr char kFrames[] = "FRAMES-0123456789-FRAMES";
inline constexpr char kXmp[] =
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
    "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
    "xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator><rdf:Seq><rdf:li>Jane "
    "Doe</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";

inline std::string Matrix() {
  return U32(0x10000) + U32(0) + U32(0) + U32(0) + U32(0x10000) + U32(0) + U32(0) + U32(0) +
         U32(0x40000000);
}
inline std::string Mvhd(uint32_t t) {
  return MakeFullBox("mvhd", 0, 0,
                     U32(t) + U32(t) + U32(1000) + U32(3000) + U32(0x10000) + U16(0x100) +
                         std::string(10, '\0') + Matrix() + std::string(24, '\0') + U32(2));
}
inline std::string Tkhd(uint32_t t) {
  return MakeFullBox("tkhd", 0, 3,
                     U32(t) + U32(t) + U32(1) + U32(0) + U32(3000) + std::string(8, '\0') + U16(0) +
                         U16(0) + U16(0) + U16(0) + Matrix() + U32(640 << 16) + U32(360 << 16));
}
inline std::string Hdlr(const std::string& type, const std::string& name) {
  return MakeFullBox("hdlr", 0, 0, U32(0) + type + std::string(12, '\0') + name + '\0');
}
inline std::string QtText(const std::string& s) { return U16(uint16_t(s.size())) + U16(0) + s; }
inline std::string Data(const std::string& s) { return MakeBox("data", U32(1) + U32(0) + s); }

inline std::string AppleMeta() {
  auto key = [](const std::string& k) { return U32(uint32_t(8 + k.size())) + "mdta" + k; };
  std::string keys = MakeFullBox(
      "keys", 0, 0,
      U32(2) + key("com.apple.quicktime.location.ISO6709") + key("com.apple.quicktime.model"));
  std::string ilst = MakeBox("ilst", MakeBox(U32(1), Data("+48.8566+002.3522+035.000/")) +
                                         MakeBox(U32(2), Data("iPhone 13")));
  return MakeBox("meta", Hdlr("mdta", "") + keys + ilst);  // QuickTime style: no version
}

inline std::string UserData() {
  return MakeBox("udta", MakeBox(C("xyz"), QtText("+48.8566+002.3522+35.000/")) +
                             MakeBox(C("mak"), QtText("Apple")) +
                             MakeBox("CAME", std::string("\x01\x02\x03\x04serial-0042", 15)) +
                             MakeBox("XMP_", kXmp) + U32(0));
}

inline std::string XmpUuid() {
  const std::string uuid("\xBE\x7A\xCF\xCB\x97\xA9\x42\xE8\x9C\x71\x99\x94\x91\xE3\xAF\xAC", 16);
  return MakeBox("uuid", uuid + kXmp);
}

struct Movie {
  std::string bytes;
  uint64_t mdat_payload = 0;  // offset of kFrames
  uint64_t trailer = 0;       // offset of the appended trailer
};

// ftyp, moov (mvhd, trak with tkhd/mdia/mdhd/hdlr/minf/stbl/stco, udta, Apple meta), an XMP
// uuid box, mdat, then a trailer that is not a box.
inline Movie BuildMovie() {
  Movie m;
  std::string ftyp = MakeBox("ftyp", "isom" + U32(0x200) + "isomiso2mp41");
  auto moov = [&](uint32_t chunk) {
    std::string stbl = MakeBox("stbl", MakeFullBox("stco", 0, 0, U32(1) + U32(chunk)));
    std::string minf = MakeBox("minf", MakeFullBox("vmhd", 0, 1, std::string(8, '\0')) + stbl);
    std::string mdhd = MakeFullBox(
        "mdhd", 0, 0,
        U32(kMovieTime) + U32(kMovieTime) + U32(15360) + U32(46080) + U16(0x55C4) + U16(0));
    std::string mdia = MakeBox("mdia", mdhd + Hdlr("vide", "VideoHandler") + minf);
    std::string trak = MakeBox("trak", Tkhd(kMovieTime) + mdia);
    return MakeBox("moov", Mvhd(kMovieTime) + trak + UserData() + AppleMeta());
  };
  std::string head = ftyp + moov(0) + XmpUuid();
  m.mdat_payload = head.size() + 8;
  m.bytes = ftyp + moov(uint32_t(m.mdat_payload)) + XmpUuid() + MakeBox("mdat", kFrames);
  m.trailer = m.bytes.size();
  m.bytes += std::string("\x00\x00\x00\x00\x01\x02TRAILER-with-a-serial-9999", 32);
  return m;
}

// A minimal big-endian TIFF block: IFD0 with Make = "Canon".
inline std::string TinyTiff() {
  return std::string("MM\0*", 4) + U32(8) + U16(1) + U16(0x010F) + U16(2) + U32(6) + U32(26) +
         U32(0) + std::string("Canon\0", 6);
}

struct Heif {
  std::string bytes;
  uint64_t primary = 0, primary_size = 0;      // the coded picture in mdat
  uint64_t xmp = 0, xmp_size = 0;              // the XMP item in mdat
  uint64_t thumbnail = 0, thumbnail_size = 0;  // the thumbnail item in mdat
  uint64_t meta = 0, meta_size = 0;
};

inline std::string Infe(uint16_t id, const std::string& type, const std::string& extra = "") {
  return MakeFullBox("infe", 2, 0, U16(id) + U16(0) + type + '\0' + extra);
}

// ftyp 'heic'; meta with hdlr pict, pitm, iloc v1 (item 2 in idat), iinf, iref (cdsc, thmb),
// iprp (ispe, irot, colr prof, thumbnail ispe; ipma), idat holding the Exif item; mdat.
inline Heif BuildHeif() {
  Heif h;
  const std::string primary(100, '\xAB'), thumbnail(50, '\xCD'), xmp = kXmp;
  const std::string exif = U32(0) + TinyTiff();
  std::string ftyp = MakeBox("ftyp", "heic" + U32(0) + "mif1heic");
  auto meta = [&](uint32_t data) {
    auto loc = [](uint16_t id, uint16_t method, uint32_t offset, uint32_t length) {
      return U16(id) + U16(method) + U16(0) + U16(1) + U32(offset) + U32(length);
    };
    std::string iloc = MakeFullBox("iloc", 1, 0,
                                   std::string("\x44\x00", 2) + U16(4) + loc(1, 0, data, 100) +
                                       loc(2, 1, 0, uint32_t(exif.size())) +
                                       loc(3, 0, data + 100, uint32_t(xmp.size())) +
                                       loc(4, 0, data + 100 + uint32_t(xmp.size()), 50));
    std::string iinf = MakeFullBox("iinf", 0, 0,
                                   U16(4) + Infe(1, "hvc1") + Infe(2, "Exif") +
                                       Infe(3, "mime", std::string("application/rdf+xml") + '\0') +
                                       Infe(4, "hvc1"));
    auto ref = [](const std::string& type, uint16_t from, uint16_t to) {
      return MakeBox(type, U16(from) + U16(1) + U16(to));
    };
    std::string iref =
        MakeFullBox("iref", 0, 0, ref("cdsc", 2, 1) + ref("cdsc", 3, 1) + ref("thmb", 4, 1));
    std::string ipco =
        MakeBox("ipco", MakeFullBox("ispe", 0, 0, U32(1200) + U32(800)) + MakeBox("irot", "\x01") +
                            MakeBox("colr", "prof" + std::string(16, '\x11')) +
                            MakeFullBox("ispe", 0, 0, U32(160) + U32(120)));
    std::string ipma =
        MakeFullBox("ipma", 0, 0,
                    U32(2) + U16(1) + '\x03' + '\x01' + '\x82' + '\x03' + U16(4) + '\x01' + '\x04');
    return MakeFullBox("meta", 0, 0,
                       Hdlr("pict", "") + MakeFullBox("pitm", 0, 0, U16(1)) + iloc + iinf + iref +
                           MakeBox("iprp", ipco + ipma) + MakeBox("idat", exif));
  };
  h.meta = ftyp.size();
  h.meta_size = meta(0).size();
  uint32_t data = uint32_t(h.meta + h.meta_size + 8);
  h.bytes = ftyp + meta(data) + MakeBox("mdat", primary + xmp + thumbnail);
  h.primary = data;
  h.primary_size = primary.size();
  h.xmp = data + primary.size();
  h.xmp_size = xmp.size();
  h.thumbnail = h.xmp + xmp.size();
  h.thumbnail_size = thumbnail.size();
  return h;
}

}  // namespace rempart::bmff::testing
