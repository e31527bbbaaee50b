package io.lifeboat.client.http2;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HpackDecoderTest {
  private static final int TABLE_SIZE = 4096;
  private static final int LIST_SIZE = 65536;

  /** C.5 and C.6 set SETTINGS_HEADER_TABLE_SIZE to 256. */
  private static final int RFC_RESPONSE_TABLE_SIZE = 256;

  // RFC 7541 Appendix C, the hex dumps of the encoded data as printed.
  private static final String RFC_C21 =
      "400a 6375 7374 6f6d 2d6b 6579 0d63 7573" //
          + "746f 6d2d 6865 6164 6572";
  private static final String RFC_C22 = "040c 2f73 616d 706c 652f 7061 7468";
  private static final String RFC_C23 =
      "1008 7061 7373 776f 7264 0673 6563 7265" //
          + "74";
  private static final String RFC_C24 = "82";
  private static final String RFC_C31 =
      "8286 8441 0f77 7777 2e65 7861 6d70 6c65" //
          + "2e63 6f6d";
  private static final String RFC_C32 = "8286 84be 5808 6e6f 2d63 6163 6865";
  private static final String RFC_C33 =
      "8287 85bf 400a 6375 7374 6f6d 2d6b 6579" //
          + "0c63 7573 746f 6d2d 7661 6c75 65";
  private static final String RFC_C41 =
      "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4" //
          + "ff";
  private static final String RFC_C42 = "8286 84be 5886 a8eb 1064 9cbf";
  private static final String RFC_C43 =
      "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925" //
          + "a849 e95b b8e8 b4bf";
  private static final String RFC_C51 =
      "4803 3330 3258 0770 7269 7661 7465 611d" //
          + "4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
          + "2032 303a 3133 3a32 3120 474d 546e 1768"
          + "7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
          + "6c65 2e63 6f6d";
  private static final String RFC_C52 = "4803 3330 37c1 c0bf";
  private static final String RFC_C53 =
      "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420" //
          + "3230 3133 2032 303a 3133 3a32 3220 474d"
          + "54c0 5a04 677a 6970 7738 666f 6f3d 4153"
          + "444a 4b48 514b 425a 584f 5157 454f 5049"
          + "5541 5851 5745 4f49 553b 206d 6178 2d61"
          + "6765 3d33 3630 303b 2076 6572 7369 6f6e"
          + "3d31";
  private static final String RFC_C61 =
      "4882 6402 5885 aec3 771a 4b61 96d0 7abe" //
          + "9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
          + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8"
          + "e9ae 82ae 43d3";
  private static final String RFC_C62 = "4883 640e ffc1 c0bf";
  private static final String RFC_C63 =
      "88c1 6196 d07a be94 1054 d444 a820 0595" //
          + "040b 8166 e084 a62d 1bff c05a 839b d9ab"
          + "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b"
          + "3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
          + "9587 3160 65c0 03ed 4ee5 b106 3d50 07";

  /** Appendix B's "len in bits" column, symbols 0 to 256 (EOS), 16 to a row. */
  private static final String RFC_HUFFMAN_CODE_LENGTHS =
      "13 23 28 28 28 28 28 28 28 24 30 28 28 30 28 28 "
          + "28 28 28 28 28 28 30 28 28 28 28 28 28 28 28 28 "
          + "6 10 10 12 13 6 8 11 10 10 8 11 8 6 6 6 "
          + "5 5 5 6 6 6 6 6 6 6 7 8 15 6 12 10 "
          + "13 6 7 7 7 7 7 7 7 7 7 7 7 7 7 7 "
          + "7 7 7 7 7 7 7 7 8 7 8 13 19 13 14 6 "
          + "15 5 6 5 6 5 6 6 6 5 7 7 6 6 6 5 "
          + "6 7 6 5 5 6 7 7 7 7 7 15 11 14 13 28 "
          + "20 22 20 20 22 22 22 23 22 23 23 23 23 23 24 23 "
          + "24 24 22 23 24 23 23 23 23 21 22 23 22 23 23 24 "
          + "22 21 20 22 22 23 23 21 23 22 22 24 21 22 23 23 "
          + "21 21 22 21 23 22 23 23 20 22 22 22 23 22 22 23 "
          + "26 26 20 19 22 23 22 25 26 26 26 27 27 26 24 25 "
          + "19 21 26 27 27 26 27 24 21 21 26 26 28 27 27 27 "
          + "20 24 20 21 22 21 21 23 22 22 25 25 24 24 26 23 "
          + "26 27 26 26 27 27 27 27 27 28 27 27 27 27 27 26 "
          + "30";

  private static final int EOS = 256;

  // C.3 and C.4 decode to the same header lists and tables; so do C.5 and C.6.
  private static final List<Header> REQUEST_1 =
      List.of(
          header(":method", "GET"),
          header(":scheme", "http"),
          header(":path", "/"),
          header(":authority", "www.example.com"));
  private static final List<Header> REQUEST_2 =
      List.of(
          header(":method", "GET"),
          header(":scheme", "http"),
          header(":path", "/"),
          header(":authority", "www.example.com"),
          header("cache-control", "no-cache"));
  private static final List<Header> REQUEST_3 =
      List.of(
          header(":method", "GET"),
          header(":scheme", "https"),
          header(":path", "/index.html"),
          header(":authority", "www.example.com"),
          header("custom-key", "custom-value"));
  private static final List<Header> RESPONSE_1 =
      List.of(
          header(":status", "302"),
          header("cache-control", "private"),
          header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
          header("location", "https://www.example.com"));
  private static final List<Header> RESPONSE_2 =
      List.of(
          header(":status", "307"),
          header("cache-control", "private"),
          header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
          header("location", "https://www.example.com"));
  private static final String SET_COOKIE =
      "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
  private static final List<Header> RESPONSE_3 =
      List.of(
          header(":status", "200"),
          header("cache-control", "private"),
          header("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
          header("location", "https://www.example.com"),
          header("content-encoding", "gzip"),
          header("set-cookie", SET_COOKIE));

  @Test
  void decode_rfcC21LiteralWithIndexing() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    assertThat(decode(decoder, RFC_C21)).containsExactly(header("custom-key", "custom-header"));
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(header("custom-key", "custom-header"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(55);
  }

  @Test
  void decode_rfcC22LiteralWithoutIndexing() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    assertThat(decode(decoder, RFC_C22)).containsExactly(header(":path", "/sample/path"));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
    assertThat(decoder.dynamicTableSize()).isZero();
  }

  @Test
  void decode_rfcC23LiteralNeverIndexed() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    assertThat(decode(decoder, RFC_C23)).containsExactly(header("password", "secret"));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
  }

  @Test
  void decode_rfcC24IndexedField() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    assertThat(decode(decoder, RFC_C24)).containsExactly(header(":method", "GET"));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
  }

  @Test
  void decode_rfcC3RequestsWithoutHuffman() throws Exception {
    assertRfcRequests(RFC_C31, RFC_C32, RFC_C33);
  }

  @Test
  void decode_rfcC4RequestsWithHuffman() throws Exception {
    assertRfcRequests(RFC_C41, RFC_C42, RFC_C43);
  }

  @Test
  void decode_rfcC5ResponsesWithoutHuffmanEvict() throws Exception {
    assertRfcResponses(RFC_C51, RFC_C52, RFC_C53);
  }

  @Test
  void decode_rfcC6ResponsesWithHuffmanEvict() throws Exception {
    assertRfcResponses(RFC_C61, RFC_C62, RFC_C63);
  }

  /** The second and third requests refer to entries the earlier ones added (62, 63). */
  private static void assertRfcRequests(String first, String second, String third)
      throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);

    assertThat(decode(decoder, first)).containsExactlyElementsOf(REQUEST_1);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(header(":authority", "www.example.com"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(57);

    assertThat(decode(decoder, second)).containsExactlyElementsOf(REQUEST_2);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(
            header("cache-control", "no-cache"), header(":authority", "www.example.com"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(110);

    assertThat(decode(decoder, third)).containsExactlyElementsOf(REQUEST_3);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(
            header("custom-key", "custom-value"),
            header("cache-control", "no-cache"),
            header(":authority", "www.example.com"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(164);

    // The table as the RFC leaves it, read back through indices 62 to 64.
    assertThat(decode(decoder, "be bf c0"))
        .containsExactly(
            header("custom-key", "custom-value"),
            header("cache-control", "no-cache"),
            header(":authority", "www.example.com"));
  }

  /** With a 256-octet table, each response evicts what the RFC says it does. */
  private static void assertRfcResponses(String first, String second, String third)
      throws Exception {
    HpackDecoder decoder = new HpackDecoder(RFC_RESPONSE_TABLE_SIZE, LIST_SIZE);

    assertThat(decode(decoder, first)).containsExactlyElementsOf(RESPONSE_1);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(
            header("location", "https://www.example.com"),
            header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
            header("cache-control", "private"),
            header(":status", "302"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(222);

    // Adding :status 307 evicts :status 302; the indices 63 to 65 then still hold the others.
    assertThat(decode(decoder, second)).containsExactlyElementsOf(RESPONSE_2);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(
            header(":status", "307"),
            header("location", "https://www.example.com"),
            header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
            header("cache-control", "private"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(222);

    assertThat(decode(decoder, third)).containsExactlyElementsOf(RESPONSE_3);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(
            header("set-cookie", SET_COOKIE),
            header("content-encoding", "gzip"),
            header("date", "Mon, 21 Oct 2013 20:13:22 GMT"));
    assertThat(decoder.dynamicTableSize()).isEqualTo(215);

    assertThat(decode(decoder, "be bf c0"))
        .containsExactly(
            header("set-cookie", SET_COOKIE),
            header("content-encoding", "gzip"),
            header("date", "Mon, 21 Oct 2013 20:13:22 GMT"));
    assertThatThrownBy(() -> decode(decoder, "c1"))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessage(
            "HPACK: index 65 at offset 0 is beyond the static table and the 3-entry dynamic"
                + " table");
  }

  @Test
  void decode_indexedNamesWithMultiOctetIndices() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    // 0f 2d: without indexing, name index 15 + 45 = 60 (via); 14: never indexed, name index 4.
    assertThat(decode(decoder, "0f2d 0361 6263 1403 2f78 79"))
        .containsExactly(header("via", "abc"), header(":path", "/xy"));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
    // 7f 00: with incremental indexing, name index 63 + 0, past the static table's 61 entries and
    // the empty dynamic table.
    assertThatThrownBy(() -> decode(decoder, "7f00 0161"))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessageContaining("index 63 at offset 0 is beyond the static table");
  }

  @Test
  void decode_staticTableEnds() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    // 81 is index 1; bd is 61, the last static entry.
    assertThat(decode(decoder, "81 bd"))
        .containsExactly(header(":authority", ""), header("www-authenticate", ""));
    assertThatThrownBy(() -> decode(decoder, "be"))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessage(
            "HPACK: index 62 at offset 0 is beyond the static table and the 0-entry dynamic"
                + " table");
  }

  @Test
  void decode_emptyBlockIsAnEmptyList() throws Exception {
    assertThat(decode(new HpackDecoder(TABLE_SIZE, LIST_SIZE), "")).isEmpty();
  }

  @Test
  void decode_consumesFromPositionToLimitAndReturnsAnUnmodifiableList() throws Exception {
    byte[] framed = hex("ffff 82 84 ffff");
    ByteBuffer buffer = ByteBuffer.allocateDirect(framed.length);
    buffer.put(framed).position(2).limit(4);
    List<Header> headers = new HpackDecoder(TABLE_SIZE, LIST_SIZE).decode(buffer);
    assertThat(headers).containsExactly(header(":method", "GET"), header(":path", "/"));
    assertThat(buffer.position()).isEqualTo(4);
    assertThatThrownBy(() -> headers.add(header("a", "b")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void decode_tableSizeUpdatesAtTheStartEvict() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    decode(decoder, RFC_C31);
    assertThat(decoder.dynamicTableSize()).isEqualTo(57);
    // 20: size 0, which empties the table; 3f e1 1f: 31 + 97 + 31 * 128 = 4096, the maximum.
    assertThat(decode(decoder, "20 3fe1 1f 82")).containsExactly(header(":method", "GET"));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
    assertThat(decoder.dynamicTableSize()).isZero();
    assertThat(decode(decoder, RFC_C31)).containsExactlyElementsOf(REQUEST_1);
    assertThat(decoder.dynamicTableSize()).isEqualTo(57);
    // 3f 19: 31 + 25 = 56, one octet short of the :authority entry: the update evicts it, and the
    // same field added again does not fit, yet is decoded (§4.4).
    assertThat(decode(decoder, "3f19 410f 7777 772e 6578 616d 706c 652e 636f 6d"))
        .containsExactly(header(":authority", "www.example.com"));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
    assertThat(decoder.dynamicTableSize()).isZero();
    // The smaller maximum holds for later blocks until another update raises it.
    decode(decoder, RFC_C31);
    assertThat(decoder.dynamicTableEntries()).isEmpty();
    decode(decoder, "3fe1 1f" + RFC_C31);
    assertThat(decoder.dynamicTableEntries())
        .containsExactly(header(":authority", "www.example.com"));
  }

  @Test
  void decode_entryLargerThanTheTableEmptiesIt() throws Exception {
    HpackDecoder decoder = new HpackDecoder(100, LIST_SIZE);
    decode(decoder, "4001 6101 62"); // a: b, 34 octets
    assertThat(decoder.dynamicTableSize()).isEqualTo(34);
    String value = "v".repeat(68); // 1 + 68 + 32 = 101 octets
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x40);
    block.write(0x01);
    block.write('x');
    block.write(68);
    block.writeBytes(value.getBytes(ISO_8859_1));
    assertThat(decoder.decode(ByteBuffer.wrap(block.toByteArray())))
        .containsExactly(header("x", value));
    assertThat(decoder.dynamicTableEntries()).isEmpty();
    assertThat(decoder.dynamicTableSize()).isZero();
  }

  @Test
  void decode_huffmanOfEveryOctet() throws Exception {
    StringBuilder all = new StringBuilder();
    for (int c = 0; c < 256; c++) {
      all.append((char) c);
    }
    String value = all.toString();
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x00);
    writeHuffmanString(block, "octets");
    writeHuffmanString(block, value);
    assertThat(decode(new HpackDecoder(TABLE_SIZE, LIST_SIZE), block.toByteArray()))
        .containsExactly(header("octets", value));
  }

  @Test
  void encodeLiteral_roundTrips() throws Exception {
    StringBuilder high = new StringBuilder();
    for (int c = 0x80; c <= 0xff; c++) {
      high.append((char) c);
    }
    List<Header> headers =
        List.of(
            header(":path", "/etcdserverpb.Maintenance/Snapshot"),
            header("content-type", "application/grpc"),
            header("te", "trailers"),
            header("x-empty", ""),
            header("x-long", "v".repeat(300)),
            header("x-octets", high.toString()),
            header("x-" + "n".repeat(200), "name longer than 127"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Header h : headers) {
      HpackDecoder.encodeLiteral(out, h.name(), h.value());
    }
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    assertThat(decode(decoder, out.toByteArray())).containsExactlyElementsOf(headers);
    assertThat(decoder.dynamicTableEntries()).isEmpty();
  }

  @Test
  void encodeLiteral_writesRawStringsWithoutIndexing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HpackDecoder.encodeLiteral(out, "te", "trailers");
    assertThat(out.toByteArray()).isEqualTo(hex("00 02 7465 08 7472 6169 6c65 7273"));
    out.reset();
    // 300 = 127 + 173: the prefix filled, then 173 % 128 + 128 = ad, then 173 / 128 = 01.
    HpackDecoder.encodeLiteral(out, "x", "v".repeat(300));
    assertThat(Arrays.copyOf(out.toByteArray(), 6)).isEqualTo(hex("00 01 78 7f ad 01"));
    assertThat(out.size()).isEqualTo(6 + 300);
  }

  @Test
  void encodeLiteral_characterAboveAnOctetIsRejected() {
    assertThatThrownBy(
            () -> HpackDecoder.encodeLiteral(new ByteArrayOutputStream(), "x-name", "caf\u0113"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header value has U+0113 at 3, which is not an octet");
  }

  @Test
  void decode_truncatedIntegerIsRejected() {
    assertProtocolError(
        "ff",
        "HPACK: integer at offset 0 is truncated: the block ends at offset 1,"
            + " where a continuation octet was expected");
    assertProtocolError(
        "82 ff80",
        "HPACK: integer at offset 1 is truncated: the block ends at offset 3,"
            + " where a continuation octet was expected");
  }

  @Test
  void decode_overlongIntegerIsRejected() {
    assertProtocolError(
        "ff80 8080 8080 00", "HPACK: integer at offset 0 has more than 5 continuation octets");
    assertProtocolError("ffff ffff ff7f", "HPACK: integer at offset 0 exceeds 2147483647");
    // Five continuation octets are allowed: 127 + 0 is index 127, past the tables.
    assertProtocolError(
        "ff80 8080 8000",
        "HPACK: index 127 at offset 0 is beyond the static table and the 0-entry dynamic table");
  }

  @Test
  void decode_missingStringIsRejected() {
    assertProtocolError(
        "00", "HPACK: string literal expected at offset 1, but the block ends there");
    assertProtocolError(
        "40 0161", "HPACK: string literal expected at offset 3, but the block ends there");
  }

  @Test
  void decode_stringLongerThanTheBlockIsRejected() {
    assertProtocolError(
        "00 0561 62",
        "HPACK: string literal at offset 1 has length 5, but only 2 octets remain in the block");
    // 127 + 0 + 128 * (2^24 - 1) = Integer.MAX_VALUE, refused before anything is allocated.
    assertProtocolError(
        "00 7f80 ffff ff07",
        "HPACK: string literal at offset 1 has length 2147483647, but only 0 octets remain in the"
            + " block");
    assertProtocolError(
        "00 0161 ff80 01 00",
        "HPACK: string literal at offset 3 has length 255, but only 1 octets remain in the block");
  }

  @Test
  void decode_indexZeroIsRejected() {
    assertProtocolError("80", "HPACK: index 0 at offset 0 (expected an index of 1 or more)");
    assertProtocolError("8282 80", "HPACK: index 0 at offset 2 (expected an index of 1 or more)");
  }

  @Test
  void decode_indexBeyondTheTablesIsRejected() throws Exception {
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    decode(decoder, "4001 6101 62 4001 6301 64"); // a: b, then c: d
    assertThat(decode(decoder, "be bf")).containsExactly(header("c", "d"), header("a", "b"));
    assertThatThrownBy(() -> decode(decoder, "8282 82c6"))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessage(
            "HPACK: index 70 at offset 3 is beyond the static table and the 2-entry dynamic"
                + " table");
    assertThatThrownBy(() -> decode(decoder, "82 4001 6101 62 c1"))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessageContaining("index 65 at offset 6 is beyond");
  }

  @Test
  void decode_tableSizeUpdateAboveTheMaximumIsRejected() {
    assertProtocolError(
        "3fe2 1f",
        "HPACK: dynamic table size update at offset 0 asks for 4097 octets"
            + " (expected at most SETTINGS_HEADER_TABLE_SIZE, 4096)");
  }

  @Test
  void decode_tableSizeUpdateAfterAFieldIsRejected() {
    assertProtocolError(
        "82 20",
        "HPACK: dynamic table size update at offset 1 comes after a header field"
            + " (expected only at the start of a header block)");
  }

  @Test
  void decode_huffmanEosIsRejected() {
    // Thirty ones are EOS.
    assertProtocolError(
        "00 84ff ffff ff",
        "HPACK: Huffman-coded string literal at offset 1 has the EOS symbol, ending at offset 5"
            + " (expected EOS only as padding of at most 7 bits)");
  }

  @Test
  void decode_huffmanPaddingOfEightBitsIsRejected() {
    assertProtocolError(
        "00 81ff 00",
        "HPACK: Huffman-coded string literal at offset 1 ends with 8 bits of padding"
            + " (expected at most 7)");
    // 'a' (00011) and then 11 ones.
    assertProtocolError(
        "00 821f ff 00",
        "HPACK: Huffman-coded string literal at offset 1 ends with 11 bits of padding"
            + " (expected at most 7)");
  }

  @Test
  void decode_huffmanPaddingNotOfOnesIsRejected() throws Exception {
    // 'a' (00011) padded with 111 is valid; with 000 or 110 it is not.
    assertThat(decode(new HpackDecoder(TABLE_SIZE, LIST_SIZE), "00 811f 00"))
        .containsExactly(header("a", ""));
    assertProtocolError(
        "00 8118 00",
        "HPACK: Huffman-coded string literal at offset 1 ends with padding that is not all ones"
            + " (expected the most significant bits of EOS)");
    assertProtocolError("00 811e 00", "ends with padding that is not all ones");
  }

  @Test
  void decode_headerListLargerThanTheBoundIsRejected() throws Exception {
    // :method GET is 42 octets, :scheme http 43, :path / 38.
    assertThat(new HpackDecoder(TABLE_SIZE, 123).decode(ByteBuffer.wrap(hex("828684")))).hasSize(3);
    assertThatThrownBy(
            () -> new HpackDecoder(TABLE_SIZE, 122).decode(ByteBuffer.wrap(hex(RFC_C31))))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessage(
            "HPACK: header list reaches 123 octets with the field at offset 2"
                + " (expected at most 122, counting name + value + 32 per field)");
  }

  @Test
  void decode_repeatedReferencesToALargeEntryAreBounded() throws Exception {
    // One 3997-octet entry referred to a thousand times would decode to 4 MB without the bound.
    HpackDecoder decoder = new HpackDecoder(TABLE_SIZE, LIST_SIZE);
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    first.write(0x40);
    first.write(0x01);
    first.write('x');
    first.writeBytes(hex("7f fd 1d")); // 127 + 125 + 29 * 128 = 3964
    first.writeBytes("v".repeat(3964).getBytes(ISO_8859_1));
    assertThat(decode(decoder, first.toByteArray())).hasSize(1);
    byte[] references = new byte[1000];
    Arrays.fill(references, (byte) 0xbe);
    assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(references)))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessageContaining("header list reaches 67949 octets with the field at offset 16");
  }

  @Test
  void huffmanCode_isACompletePrefixCode() {
    // Kraft: a prefix code whose 2^-length sum is 1 leaves no bit string undecodable.
    long kraftSum = 0;
    for (int symbol = 0; symbol <= EOS; symbol++) {
      kraftSum += 1L << (30 - HpackDecoder.huffmanCodeLength(symbol));
    }
    assertThat(kraftSum).isEqualTo(1L << 30);
    for (int a = 0; a <= EOS; a++) {
      for (int b = 0; b <= EOS; b++) {
        int lengthA = HpackDecoder.huffmanCodeLength(a);
        int lengthB = HpackDecoder.huffmanCodeLength(b);
        if (a != b && lengthA <= lengthB) {
          assertThat(HpackDecoder.huffmanCode(b) >>> (lengthB - lengthA))
              .as("code of %d is a prefix of the code of %d", a, b)
              .isNotEqualTo(HpackDecoder.huffmanCode(a));
        }
      }
    }
  }

  @Test
  void huffmanCode_matchesTheRfcLengthsAndIsCanonical() {
    int[] lengths =
        Arrays.stream(RFC_HUFFMAN_CODE_LENGTHS.trim().split(" "))
            .mapToInt(Integer::parseInt)
            .toArray();
    assertThat(lengths).hasSize(EOS + 1);
    for (int symbol = 0; symbol <= EOS; symbol++) {
      assertThat(HpackDecoder.huffmanCodeLength(symbol))
          .as("length of %d", symbol)
          .isEqualTo(lengths[symbol]);
      assertThat(HpackDecoder.huffmanCode(symbol) >>> lengths[symbol])
          .as("code of %d", symbol)
          .isZero();
    }
    // Appendix B is a canonical code: sorted by (length, symbol), each code is the previous one
    // plus one, shifted left to the new length. That gives every code from the lengths alone.
    List<Integer> order = new ArrayList<>();
    for (int symbol = 0; symbol <= EOS; symbol++) {
      order.add(symbol);
    }
    order.sort((a, b) -> lengths[a] != lengths[b] ? lengths[a] - lengths[b] : a - b);
    long code = 0;
    int previousLength = lengths[order.get(0)];
    for (int i = 0; i < order.size(); i++) {
      int symbol = order.get(i);
      if (i > 0) {
        code = (code + 1) << (lengths[symbol] - previousLength);
      }
      previousLength = lengths[symbol];
      assertThat((long) HpackDecoder.huffmanCode(symbol)).as("code of %d", symbol).isEqualTo(code);
    }
    assertThat(HpackDecoder.huffmanCode(EOS)).isEqualTo(0x3fffffff);
    assertThat(HpackDecoder.huffmanCode('/')).isEqualTo(0x18); // the RFC's own example
  }

  @Test
  @Timeout(30)
  void decode_mutatedBlocksGiveHeadersOrProtocolException() {
    Random random = new Random(7541);
    List<List<byte[]>> sequences =
        List.of(
            List.of(hex(RFC_C41), hex(RFC_C42), hex(RFC_C43)),
            List.of(hex(RFC_C61), hex(RFC_C62), hex(RFC_C63)),
            List.of(hex(RFC_C31), hex(RFC_C32), hex(RFC_C33)),
            List.of(hex(RFC_C51), hex(RFC_C52), hex(RFC_C53)));
    int decoded = 0;
    int rejected = 0;
    for (int round = 0; round < 20_000; round++) {
      List<byte[]> before;
      byte[] block;
      if (random.nextInt(4) == 0) {
        before = List.of();
        block = new byte[random.nextInt(48)];
        random.nextBytes(block);
      } else {
        List<byte[]> sequence = sequences.get(random.nextInt(sequences.size()));
        int k = random.nextInt(sequence.size());
        before = sequence.subList(0, k);
        block = sequence.get(k);
      }
      int mutations = 1 + random.nextInt(4);
      for (int m = 0; m < mutations; m++) {
        block = mutate(random, block);
      }
      // A small table makes eviction and "larger than the table" paths likely too.
      int tableSize = random.nextBoolean() ? RFC_RESPONSE_TABLE_SIZE : random.nextInt(300);
      int listSize = random.nextBoolean() ? LIST_SIZE : random.nextInt(400);
      HpackDecoder decoder = new HpackDecoder(tableSize, listSize);
      try {
        for (byte[] earlier : before) {
          decoder.decode(ByteBuffer.wrap(earlier));
        }
      } catch (Http2ProtocolException e) {
        continue; // the unmutated blocks themselves can exceed a small bound
      } catch (Throwable t) {
        fail("unmutated prefix threw " + t, t);
      }
      try {
        List<Header> headers = decoder.decode(ByteBuffer.wrap(block));
        assertThat(headers).doesNotContainNull();
        // The table's bookkeeping stays consistent with its entries (§4.1) and its maximum.
        int entriesSize = 0;
        for (Header h : decoder.dynamicTableEntries()) {
          entriesSize += h.name().length() + h.value().length() + 32;
        }
        assertThat(decoder.dynamicTableSize())
            .isEqualTo(entriesSize)
            .isLessThanOrEqualTo(tableSize);
        decoded++;
      } catch (Http2ProtocolException e) {
        assertThat(e.getMessage()).startsWith("HPACK: ").contains(" at offset ");
        rejected++;
      } catch (Throwable t) {
        fail("block " + HexFormat.of().formatHex(block) + " threw " + t, t);
      }
    }
    // Both outcomes happen often enough for the test to mean something.
    assertThat(decoded).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(1000);
  }

  private static byte[] mutate(Random random, byte[] block) {
    int at = block.length == 0 ? 0 : random.nextInt(block.length);
    switch (random.nextInt(5)) {
      case 0: // flip bits of one octet
        if (block.length > 0) {
          byte[] flipped = block.clone();
          flipped[at] ^= (byte) (1 + random.nextInt(255));
          return flipped;
        }
        return block;
      case 1: // replace one octet
        if (block.length > 0) {
          byte[] replaced = block.clone();
          replaced[at] = (byte) random.nextInt(256);
          return replaced;
        }
        return block;
      case 2: // truncate
        return Arrays.copyOf(block, block.length == 0 ? 0 : random.nextInt(block.length));
      case 3: // insert random octets
        {
          byte[] inserted = new byte[1 + random.nextInt(4)];
          random.nextBytes(inserted);
          byte[] grown = new byte[block.length + inserted.length];
          System.arraycopy(block, 0, grown, 0, at);
          System.arraycopy(inserted, 0, grown, at, inserted.length);
          System.arraycopy(block, at, grown, at + inserted.length, block.length - at);
          return grown;
        }
      default: // delete one octet
        if (block.length > 0) {
          byte[] shrunk = new byte[block.length - 1];
          System.arraycopy(block, 0, shrunk, 0, at);
          System.arraycopy(block, at + 1, shrunk, at, block.length - at - 1);
          return shrunk;
        }
        return block;
    }
  }

  /** A Huffman-coded string literal (§5.2) from the decoder's code table, padded with ones. */
  private static void writeHuffmanString(ByteArrayOutputStream out, String s) {
    ByteArrayOutputStream coded = new ByteArrayOutputStream();
    long bits = 0;
    int bitCount = 0;
    for (int i = 0; i < s.length(); i++) {
      int symbol = s.charAt(i);
      int length = HpackDecoder.huffmanCodeLength(symbol);
      bits = (bits << length) | HpackDecoder.huffmanCode(symbol);
      bitCount += length;
      while (bitCount >= 8) {
        coded.write((int) (bits >>> (bitCount - 8)));
        bitCount -= 8;
      }
    }
    if (bitCount > 0) {
      coded.write((int) ((bits << (8 - bitCount)) | (0xff >>> bitCount)));
    }
    int length = coded.size();
    // 0x80 is the H bit; the length in a 7-bit prefix (§5.1).
    if (length < 127) {
      out.write(0x80 | length);
    } else {
      out.write(0xff);
      int rest = length - 127;
      while (rest >= 0x80) {
        out.write((rest & 0x7f) | 0x80);
        rest >>>= 7;
      }
      out.write(rest);
    }
    out.writeBytes(coded.toByteArray());
  }

  private static void assertProtocolError(String block, String message) {
    assertThatThrownBy(() -> decode(new HpackDecoder(TABLE_SIZE, LIST_SIZE), block))
        .isInstanceOf(Http2ProtocolException.class)
        .hasMessageContaining(message);
  }

  private static List<Header> decode(HpackDecoder decoder, String hex)
      throws Http2ProtocolException {
    return decode(decoder, hex(hex));
  }

  private static List<Header> decode(HpackDecoder decoder, byte[] block)
      throws Http2ProtocolException {
    ByteBuffer buffer = ByteBuffer.wrap(block);
    List<Header> headers = decoder.decode(buffer);
    assertThat(buffer.hasRemaining()).isFalse();
    return headers;
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static Header header(String name, String value) {
    return new Header(name, value);
  }
}
