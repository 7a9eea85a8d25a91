#include "media/metadata_blocks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "media/metadata_internal.h"
#include "media/tiff_test_builder.h"

namespace rempart {
namespace {

using testing::TestEntry;
using testing::TestIfd;
using testing::TiffBuilder;

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

const Finding* FindField(const PrivacyReport& report, std::string_view field) {
  for (const Finding& f : report.findings)
    if (f.field == field) return &f;
  return nullptr;
}

std::string ValueOf(const PrivacyReport& report, std::string_view field) {
  const Finding* f = FindField(report, field);
  return f ? f->value : "<missing " + std::string(field) + ">";
}

std::string ValueIn(const PrivacyReport& report, std::string_view field, std::string_view where) {
  for (const Finding& f : report.findings)
    if (f.field == field && f.where == where) return f.value;
  return "<missing " + std::string(field) + " in " + std::string(where) + ">";
}

std::string Ucs2Le(const std::string& ascii) {
  std::string out;
  for (char c : ascii) out += std::string{c, '\0'};
  return out + std::string(2, '\0');
}

// A camera-like EXIF block: IFD0, EXIF IFD, GPS IFD, Canon-style maker note, IFD1 thumbnail.
std::string CameraExif(bool big_endian) {
  TiffBuilder b(big_endian);
  TestIfd ifd0, exif, gps, thumb, maker;
  ifd0.entries = {b.Ascii(0x010F, "Canon"),
                  b.Ascii(0x0110, "Canon EOS 5D"),
                  b.Short(0x0112, 6),
                  b.Ascii(0x0131, "Firmware 1.0"),
                  b.Ascii(0x0132, "2024:05:01 21:10:00"),
                  b.Ascii(0x013B, "Jane Doe"),
                  b.Ascii(0x8298, std::string("Jane Doe\0Agency X", 17)),
                  b.Pointer(0x8769, 1),
                  b.Pointer(0x8825, 2),
                  b.Bytes(0x9C9D, 1, Ucs2Le("Jane"))};
  ifd0.next = 3;
  TestEntry maker_note = b.Pointer(0x927C, 4);
  maker_note.type = 7;
  maker_note.count = 2 + 12 * 2 + 4 + 32;
  exif.entries = {b.Ascii(0x9003, "2024:05:01 21:10:00"),
                  b.Ascii(0x9010, "+02:00"),
                  b.Bytes(0x9286, 7, std::string("ASCII\0\0\0my secret note", 23)),
                  maker_note,
                  b.Ascii(0xA420, "0123456789abcdef"),
                  b.Ascii(0xA430, "Jane Owner"),
                  b.Ascii(0xA431, "SN-42"),
                  b.Ascii(0xA434, "EF 50mm")};
  gps.entries = {b.Bytes(0x0000, 1, std::string("\2\3\0\0", 4)),
                 b.Ascii(0x0001, "N"),
                 b.Rationals(0x0002, {{48, 1}, {51, 1}, {2376, 100}}),
                 b.Ascii(0x0003, "W"),
                 b.Rationals(0x0004, {{2, 1}, {21, 1}, {792, 100}}),
                 b.Bytes(0x0005, 1, std::string(1, '\0')),
                 b.Rationals(0x0006, {{35, 1}}),
                 b.Rationals(0x0007, {{21, 1}, {10, 1}, {5, 1}}),
                 b.Ascii(0x001D, "2024:05:01")};
  thumb.entries = {b.Short(0x0103, 6), b.BlobOffset(0x0201, std::string(300, 'T')),
                   b.Long(0x0202, 300)};
  maker.entries = {b.Ascii(0x0009, std::string("Phil Owner") + std::string(21, '\0')),
                   b.Long(0x000C, 560018150)};
  return b.Build({ifd0, exif, gps, thumb, maker});
}

class ExifByteOrder : public ::testing::TestWithParam<bool> {};

TEST_P(ExifByteOrder, FindsWhatACameraWrites) {
  std::string exif = CameraExif(GetParam());
  PrivacyReport report;
  ReadExif(Bytes(exif), report);

  EXPECT_EQ(ValueOf(report, "Make"), "Canon");
  EXPECT_EQ(FindField(report, "Make")->kind, FindingKind::kDevice);
  EXPECT_EQ(FindField(report, "Make")->where, "EXIF");
  EXPECT_EQ(ValueOf(report, "Model"), "Canon EOS 5D");
  EXPECT_EQ(ValueOf(report, "Software"), "Firmware 1.0");
  EXPECT_EQ(ValueOf(report, "ModifyDate"), "2024:05:01 21:10:00");
  EXPECT_EQ(ValueOf(report, "Artist"), "Jane Doe");
  EXPECT_EQ(ValueOf(report, "Copyright"), "Jane Doe, Agency X");
  EXPECT_EQ(ValueOf(report, "XPAuthor"), "Jane");
  EXPECT_EQ(ValueOf(report, "DateTimeOriginal"), "2024:05:01 21:10:00");
  EXPECT_EQ(ValueOf(report, "OffsetTime"), "+02:00");
  EXPECT_EQ(ValueOf(report, "UserComment"), "my secret note");
  EXPECT_EQ(ValueOf(report, "ImageUniqueID"), "0123456789abcdef");
  EXPECT_EQ(FindField(report, "ImageUniqueID")->kind, FindingKind::kSerialNumber);
  EXPECT_EQ(ValueIn(report, "OwnerName", "EXIF"), "Jane Owner");
  EXPECT_EQ(ValueIn(report, "SerialNumber", "EXIF"), "SN-42");
  EXPECT_EQ(ValueOf(report, "LensModel"), "EF 50mm");
  EXPECT_EQ(ValueOf(report, "GPSTimeStamp"), "21:10:05");
  EXPECT_EQ(ValueOf(report, "GPSDateStamp"), "2024:05:01");
  EXPECT_EQ(ValueOf(report, "GPSPosition"), "48.856600, -2.352200");
  EXPECT_EQ(ValueOf(report, "GPSAltitude"), "35 m");
  EXPECT_EQ(ValueOf(report, "ThumbnailImage"), "300 bytes");
  EXPECT_EQ(FindField(report, "ThumbnailImage")->kind, FindingKind::kPreview);
  EXPECT_EQ(ValueOf(report, "MakerNotes"), "62 bytes");
  EXPECT_EQ(report.orientation, 6);

  // The Canon maker note's owner and serial (found because Make says Canon).
  EXPECT_EQ(ValueIn(report, "OwnerName", "MakerNotes"), "Phil Owner");
  EXPECT_EQ(ValueIn(report, "SerialNumber", "MakerNotes"), "0560018150");
  EXPECT_EQ(FindField(report, "MakerNotes")->kind, FindingKind::kOther);

  ASSERT_TRUE(report.location.has_value());
  EXPECT_NEAR(report.location->latitude, 48.8566, 1e-6);
  EXPECT_NEAR(report.location->longitude, -2.3522, 1e-6);
  EXPECT_NEAR(*report.location->altitude_m, 35, 1e-9);
  EXPECT_NEAR(report.location->precision_m, 0.3087, 1e-3);

  const Finding* block = FindField(report, "EXIF");
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->kind, FindingKind::kOther);
  EXPECT_EQ(block->value, std::to_string(exif.size()) + " bytes");
}

INSTANTIATE_TEST_SUITE_P(BothOrders, ExifByteOrder, ::testing::Values(false, true));

TEST(ReadExif, PrecisionFollowsTheDenominators) {
  TiffBuilder b;
  TestIfd ifd0, gps;
  ifd0.entries = {b.Pointer(0x8825, 1)};
  // Minutes to 1/100: about 18.5 m; seconds unused (0/1 would claim 30.9 m, coarser).
  gps.entries = {b.Ascii(1, "S"), b.Rationals(2, {{48, 1}, {5123, 100}, {0, 1}}), b.Ascii(3, "E"),
                 b.Rationals(4, {{2, 1}, {2113, 100}, {0, 1}})};
  std::string exif = b.Build({ifd0, gps});
  PrivacyReport report;
  ReadExif(Bytes(exif), report);
  ASSERT_TRUE(report.location);
  EXPECT_NEAR(report.location->latitude, -(48 + 51.23 / 60), 1e-9);
  EXPECT_NEAR(report.location->precision_m, 18.52, 0.01);
  EXPECT_FALSE(report.location->altitude_m.has_value());
}

TEST(ReadExif, HugeGpsTimeIsFormattedNotOverflowed) {
  // Found by the fuzzer: 2284320000/1 hours used to be converted to int.
  TiffBuilder b;
  TestIfd ifd0, gps;
  ifd0.entries = {b.Pointer(0x8825, 1)};
  gps.entries = {b.Rationals(7, {{2284320000u, 1}, {4000000000u, 3}, {0xFFFFFFFFu, 1}})};
  std::string exif = b.Build({ifd0, gps});
  PrivacyReport report;
  ReadExif(Bytes(exif), report);
  EXPECT_NE(FindField(report, "GPSTimeStamp"), nullptr);
}

TEST(ReadExif, OrientationOnlyBlockIsClean) {
  std::string exif = BuildOrientationExif(8);
  ASSERT_EQ(exif.size(), 26u);
  EXPECT_EQ(exif.substr(0, 4), std::string("II*\0", 4));
  PrivacyReport report;
  ReadExif(Bytes(exif), report);
  EXPECT_EQ(report.orientation, 8);
  EXPECT_TRUE(report.IsClean()) << report.findings.size() << " findings";
  EXPECT_EQ(BuildOrientationExif(42), BuildOrientationExif(1));  // out of range: upright
}

TEST(ReadExif, DamagedHeaderIsReportedNotThrown) {
  PrivacyReport report;
  std::string junk("XX*\0garbage", 11);
  ReadExif(Bytes(junk), report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, FindingKind::kOther);
  EXPECT_EQ(report.findings[0].field, "EXIF");
  EXPECT_EQ(report.findings[0].value, "damaged, 11 bytes");

  PrivacyReport empty;
  ReadExif({}, empty);
  EXPECT_EQ(ValueOf(empty, "EXIF"), "damaged, 0 bytes");
}

TEST(ReadExif, IfdLoopsAreDetected) {
  TiffBuilder b;
  TestIfd ifd0, exif;
  ifd0.entries = {b.Ascii(0x010F, "Canon"), b.Pointer(0x8769, 1)};
  ifd0.next = 0;                                                // IFD0 → IFD0
  exif.entries = {b.Pointer(0x8769, 0), b.Pointer(0xA005, 1)};  // back to IFD0, and to itself
  std::string bytes = b.Build({ifd0, exif});
  PrivacyReport report;
  ReadExif(Bytes(bytes), report);
  EXPECT_EQ(ValueOf(report, "Make"), "Canon");
  int makes = 0;
  for (const Finding& f : report.findings) makes += f.field == "Make";
  EXPECT_EQ(makes, 1);
  EXPECT_EQ(ValueOf(report, "EXIF"), "damaged, " + std::to_string(bytes.size()) + " bytes");
}

TEST(ReadExif, AbsurdCountsAndOffsetsAreSkipped) {
  TiffBuilder b;
  TestIfd ifd0;
  TestEntry huge = b.Ascii(0x010F, "Canon");
  huge.count = 0xFFFFFFFF;  // far beyond the block
  TestEntry unknown_type = b.Ascii(0x0110, "Model");
  unknown_type.type = 99;
  ifd0.entries = {huge, unknown_type, b.Ascii(0x013B, "Jane")};
  std::string bytes = b.Build({ifd0});
  PrivacyReport report;
  ReadExif(Bytes(bytes), report);
  EXPECT_EQ(FindField(report, "Make"), nullptr);
  EXPECT_EQ(FindField(report, "Model"), nullptr);
  EXPECT_EQ(ValueOf(report, "Artist"), "Jane");

  // An IFD that claims 65535 entries in a 40-byte block.
  std::string bad = std::string("II*\0\x08\0\0\0\xFF\xFF", 10) + std::string(30, '\0');
  PrivacyReport r2;
  ReadExif(Bytes(bad), r2);
  EXPECT_EQ(ValueOf(r2, "EXIF"), "damaged, 40 bytes");
}

TEST(ReadExif, SurvivesTruncationAndMutation) {
  for (bool big : {false, true}) {
    std::string exif = CameraExif(big);
    for (size_t cut = 0; cut < exif.size(); ++cut) {
      PrivacyReport report;
      ReadExif(Bytes(exif.substr(0, cut)), report);
    }
    std::mt19937 rng(big ? 7 : 3);
    for (int round = 0; round < 3000; ++round) {
      std::string mutated = exif;
      for (int k = 0; k < 4; ++k) mutated[rng() % mutated.size()] = static_cast<char>(rng());
      PrivacyReport report;
      ReadExif(Bytes(mutated), report);
    }
  }
}

TEST(ReadXmp, AttributesElementsListsAndEntities) {
  std::string xmp = R"(<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" tiff:Make="Canon" tiff:Model='EOS &amp; Co'
    exif:GPSLatitude="48,51.396N" exif:GPSLongitude="2,21.132E" aux:SerialNumber="0123"
    xmp:CreateDate="2024-05-01T21:10:00+02:00" xmp:CreatorTool="Adobe Photoshop 25.0">
   <dc:creator><rdf:Seq><rdf:li>Jos&#233; Doe</rdf:li><rdf:li>Jane &lt;Doe&gt;</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) Jane</rdf:li></rdf:Alt></dc:rights>
   <dc:subject><rdf:Bag><rdf:li>private</rdf:li><rdf:li>paris</rdf:li></rdf:Bag></dc:subject>
   <photoshop:City>Paris</photoshop:City>
   <Iptc4xmpCore:Location><![CDATA[Rue de Rivoli]]></Iptc4xmpCore:Location>
   <xmpMM:History><rdf:Seq>
     <rdf:li stEvt:action="saved" stEvt:softwareAgent="Adobe Photoshop 25.0"/>
     <rdf:li rdf:parseType="Resource"><stEvt:action>saved</stEvt:action>
       <stEvt:softwareAgent>GIMP 2.10</stEvt:softwareAgent></rdf:li>
   </rdf:Seq></xmpMM:History>
   <!-- <tiff:Artist>not me</tiff:Artist> -->
   <exifEX:BodySerialNumber>BODY-9</exifEX:BodySerialNumber>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>)";
  PrivacyReport report;
  ReadXmp(Bytes(xmp), report);
  EXPECT_EQ(ValueOf(report, "XMP"), std::to_string(xmp.size()) + " bytes");
  EXPECT_EQ(ValueOf(report, "Make"), "Canon");
  EXPECT_EQ(FindField(report, "Make")->where, "XMP");
  EXPECT_EQ(ValueOf(report, "Model"), "EOS & Co");
  EXPECT_EQ(ValueOf(report, "Creator"), "Jos\xC3\xA9 Doe, Jane <Doe>");
  EXPECT_EQ(ValueOf(report, "Rights"), "(c) Jane");
  EXPECT_EQ(ValueOf(report, "Subject"), "private, paris");
  EXPECT_EQ(ValueOf(report, "City"), "Paris");
  EXPECT_EQ(FindField(report, "City")->kind, FindingKind::kLocation);
  EXPECT_EQ(ValueOf(report, "Location"), "Rue de Rivoli");
  EXPECT_EQ(ValueOf(report, "CreateDate"), "2024-05-01T21:10:00+02:00");
  EXPECT_EQ(ValueOf(report, "CreatorTool"), "Adobe Photoshop 25.0");
  EXPECT_EQ(ValueOf(report, "HistorySoftwareAgent"), "Adobe Photoshop 25.0, GIMP 2.10");
  EXPECT_EQ(ValueOf(report, "History"), "2 edits");
  EXPECT_EQ(FindField(report, "History")->kind, FindingKind::kSoftware);
  EXPECT_EQ(ValueOf(report, "SerialNumber"), "0123, BODY-9");
  EXPECT_EQ(FindField(report, "Artist"), nullptr);  // commented out
  EXPECT_EQ(ValueOf(report, "GPSPosition"), "48.856600, 2.352200");
  ASSERT_TRUE(report.location);
  EXPECT_NEAR(report.location->latitude, 48.8566, 1e-9);
  EXPECT_NEAR(report.location->precision_m, 1.852, 1e-6);
}

TEST(ReadXmp, EmptyPacketStillReported) {
  std::string xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>";
  PrivacyReport report;
  ReadXmp(Bytes(xmp), report);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, FindingKind::kOther);
  EXPECT_EQ(report.findings[0].field, "XMP");
}

TEST(ReadXmp, HostileXmlNeverCrashes) {
  const std::vector<std::string> cases = {
      "<",
      "<<<<",
      "<a",
      "<a b=",
      "<a b=\"",
      "<dc:creator>",
      "<dc:creator><rdf:li>x",
      "</a></b>",
      "<![CDATA[",
      "<!--",
      "<?",
      "&#xFFFFFFFFFF;",
      "&#;",
      "&",
      "<a b='&#0;'>",
      "<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><tiff:Make>&a;</tiff:Make>",
      std::string(5000, '<') + "tiff:Make",
      "<tiff:Make>" + std::string(100000, 'x'),
      "<a/ / / b='c'>",
      "<exif:GPSLatitude>99999999999999999999999,1N</exif:GPSLatitude>"};
  for (const std::string& xml : cases) {
    PrivacyReport report;
    ReadXmp(Bytes(xml), report);
    EXPECT_FALSE(report.findings.empty());
  }
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<dc:creator>";
  PrivacyReport report;
  ReadXmp(Bytes(deep), report);
}

std::string IptcRecord(uint8_t record, uint8_t dataset, const std::string& value) {
  return std::string{0x1C, char(record), char(dataset), char(value.size() >> 8),
                     char(value.size())} +
         value;
}

TEST(ReadIptc, ReadsApplicationRecords) {
  std::string iptc =
      IptcRecord(1, 90, "\x1B%G") + IptcRecord(2, 0, "\0\4") + IptcRecord(2, 80, "Jane Doe") +
      IptcRecord(2, 116, "(c) Jane") + IptcRecord(2, 90, "Paris") + IptcRecord(2, 92, "Marais") +
      IptcRecord(2, 95, "IDF") + IptcRecord(2, 101, "France") + IptcRecord(2, 55, "20240501") +
      IptcRecord(2, 60, "211000+0200") + IptcRecord(2, 120, "caption") + IptcRecord(2, 25, "one") +
      IptcRecord(2, 25, "two") + IptcRecord(2, 105, "headline") + IptcRecord(2, 5, "object") +
      IptcRecord(2, 65, "Photo Mechanic") + IptcRecord(2, 122, "Writer") + std::string(3, '\0');
  PrivacyReport report;
  ReadIptc(Bytes(iptc), report);
  EXPECT_EQ(ValueOf(report, "IPTC"), std::to_string(iptc.size()) + " bytes");
  EXPECT_EQ(ValueOf(report, "By-line"), "Jane Doe");
  EXPECT_EQ(FindField(report, "By-line")->kind, FindingKind::kPerson);
  EXPECT_EQ(ValueOf(report, "CopyrightNotice"), "(c) Jane");
  EXPECT_EQ(ValueOf(report, "City"), "Paris");
  EXPECT_EQ(ValueOf(report, "Sub-location"), "Marais");
  EXPECT_EQ(ValueOf(report, "Province-State"), "IDF");
  EXPECT_EQ(ValueOf(report, "Country-PrimaryLocationName"), "France");
  EXPECT_EQ(ValueOf(report, "DateCreated"), "20240501");
  EXPECT_EQ(ValueOf(report, "TimeCreated"), "211000+0200");
  EXPECT_EQ(ValueOf(report, "Caption-Abstract"), "caption");
  EXPECT_EQ(ValueOf(report, "Keywords"), "one, two");
  EXPECT_EQ(ValueOf(report, "Headline"), "headline");
  EXPECT_EQ(ValueOf(report, "ObjectName"), "object");
  EXPECT_EQ(ValueOf(report, "OriginatingProgram"), "Photo Mechanic");
  EXPECT_EQ(ValueOf(report, "Writer-Editor"), "Writer");
}

TEST(ReadIptc, ExtendedAndOverlongLengthsStopSafely) {
  std::string extended = IptcRecord(2, 80, "Jane") + std::string{0x1C, 2, 120, char(0x80), 4} +
                         std::string("\xFF\xFF\xFF\xFF", 4) + "caption";
  PrivacyReport report;
  ReadIptc(Bytes(extended), report);
  EXPECT_EQ(ValueOf(report, "By-line"), "Jane");
  EXPECT_EQ(FindField(report, "Caption-Abstract"), nullptr);

  std::string overlong = std::string{0x1C, 2, 80, 0x10, 0} + "short";
  PrivacyReport r2;
  ReadIptc(Bytes(overlong), r2);
  EXPECT_EQ(FindField(r2, "By-line"), nullptr);
  for (size_t cut = 0; cut < extended.size(); ++cut) {
    PrivacyReport r;
    ReadIptc(Bytes(extended.substr(0, cut)), r);
  }
}

std::string Resource(uint16_t id, const std::string& data) {
  std::string r = "8BIM";
  r += char(id >> 8);
  r += char(id);
  r += std::string(2, '\0');  // empty Pascal name, padded
  uint32_t n = uint32_t(data.size());
  r += std::string{char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
  r += data;
  if (data.size() & 1) r += '\0';
  return r;
}

TEST(ReadPhotoshopResources, IptcThumbnailAndIcc) {
  std::string res = Resource(0x03ED, std::string(16, '\0')) +
                    Resource(0x0404, IptcRecord(2, 80, "Jane")) +
                    Resource(0x040C, std::string(101, 'J')) + Resource(0x040F, "icc");
  PrivacyReport report;
  metadata::ReadPhotoshopResources(Bytes(res), report);
  EXPECT_EQ(ValueOf(report, "Photoshop"), std::to_string(res.size()) + " bytes");
  EXPECT_EQ(ValueOf(report, "By-line"), "Jane");
  EXPECT_EQ(ValueOf(report, "PhotoshopThumbnail"), "101 bytes");
  EXPECT_TRUE(report.has_icc_profile);
  for (size_t cut = 0; cut < res.size(); ++cut) {
    PrivacyReport r;
    metadata::ReadPhotoshopResources(Bytes(res.substr(0, cut)), r);
  }
}

TEST(CleanText, MakesFoundTextSafeToShow) {
  using metadata::CleanText;
  EXPECT_EQ(CleanText("  Jane \n  Doe  \0\0", 200), "Jane Doe");
  EXPECT_EQ(CleanText(std::string("a\0\0b\0", 5)), "a, b");
  EXPECT_EQ(CleanText("caf\xE9"), "caf\xC3\xA9");              // Latin-1
  EXPECT_EQ(CleanText("caf\xC3\xA9"), "caf\xC3\xA9");          // UTF-8
  EXPECT_EQ(CleanText("\x1B[31mred"), "\xEF\xBF\xBD[31mred");  // escape sequence
  EXPECT_EQ(CleanText("a\xE2\x80\xAE"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");  // right-to-left override
  EXPECT_EQ(CleanText(std::string(300, 'x'), 10), std::string(10, 'x') + "\xE2\x80\xA6");
  EXPECT_EQ(CleanText(std::string(3, '\0')), "");
}

}  // namespace
}  // namespace rempart
