package io.lifeboat.client.http2;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Decodes HPACK (RFC 7541) header blocks: the static and dynamic tables, Huffman-coded and raw
 * string literals, and dynamic table size updates.
 *
 * <p>One decoder per connection, since the dynamic table carries over from one header block to the
 * next; not thread-safe. After a {@link Http2ProtocolException} the table may be out of step with
 * the peer's encoder, so the connection must not be used further (RFC 7540 §4.3: a decoding error
 * is a connection error).
 */
public final class HpackDecoder {
  // First-octet patterns of the field representations (§6); the set bits select the kind.
  private static final int INDEXED_HEADER_FIELD = 0x80;
  private static final int LITERAL_WITH_INCREMENTAL_INDEXING = 0x40;
  private static final int DYNAMIC_TABLE_SIZE_UPDATE = 0x20;
  private static final int LITERAL_WITHOUT_INDEXING = 0x00;

  // Prefix sizes (N of §5.1) of the integer that starts each representation.
  private static final int INDEXED_HEADER_FIELD_PREFIX = 7;
  private static final int LITERAL_WITH_INCREMENTAL_INDEXING_PREFIX = 6;
  private static final int DYNAMIC_TABLE_SIZE_UPDATE_PREFIX = 5;
  // Literal without indexing (0000) and literal never indexed (0001) both have a 4-bit prefix.
  private static final int LITERAL_WITHOUT_INDEXING_PREFIX = 4;

  /** The H bit of a string literal (§5.2); its length follows in a 7-bit prefix. */
  private static final int HUFFMAN_ENCODED = 0x80;

  private static final int STRING_LENGTH_PREFIX = 7;

  /**
   * §4.1: an entry's size is its name and value lengths plus 32. RFC 7540 §6.5.2 counts the size of
   * a header list the same way.
   */
  private static final int ENTRY_OVERHEAD = 32;

  /**
   * Continuation octets allowed after a full prefix (§5.1). Five carry 35 bits, more than an int
   * holds; a longer run can only be padding with zero octets or an attack on the decoder.
   */
  private static final int MAX_CONTINUATION_OCTETS = 5;

  /** Appendix A, in index order: entry i is index i + 1. */
  private static final Header[] STATIC_TABLE = {
    new Header(":authority", ""), // 1
    new Header(":method", "GET"), // 2
    new Header(":method", "POST"), // 3
    new Header(":path", "/"), // 4
    new Header(":path", "/index.html"), // 5
    new Header(":scheme", "http"), // 6
    new Header(":scheme", "https"), // 7
    new Header(":status", "200"), // 8
    new Header(":status", "204"), // 9
    new Header(":status", "206"), // 10
    new Header(":status", "304"), // 11
    new Header(":status", "400"), // 12
    new Header(":status", "404"), // 13
    new Header(":status", "500"), // 14
    new Header("accept-charset", ""), // 15
    new Header("accept-encoding", "gzip, deflate"), // 16
    new Header("accept-language", ""), // 17
    new Header("accept-ranges", ""), // 18
    new Header("accept", ""), // 19
    new Header("access-control-allow-origin", ""), // 20
    new Header("age", ""), // 21
    new Header("allow", ""), // 22
    new Header("authorization", ""), // 23
    new Header("cache-control", ""), // 24
    new Header("content-disposition", ""), // 25
    new Header("content-encoding", ""), // 26
    new Header("content-language", ""), // 27
    new Header("content-length", ""), // 28
    new Header("content-location", ""), // 29
    new Header("content-range", ""), // 30
    new Header("content-type", ""), // 31
    new Header("cookie", ""), // 32
    new Header("date", ""), // 33
    new Header("etag", ""), // 34
    new Header("expect", ""), // 35
    new Header("expires", ""), // 36
    new Header("from", ""), // 37
    new Header("host", ""), // 38
    new Header("if-match", ""), // 39
    new Header("if-modified-since", ""), // 40
    new Header("if-none-match", ""), // 41
    new Header("if-range", ""), // 42
    new Header("if-unmodified-since", ""), // 43
    new Header("last-modified", ""), // 44
    new Header("link", ""), // 45
    new Header("location", ""), // 46
    new Header("max-forwards", ""), // 47
    new Header("proxy-authenticate", ""), // 48
    new Header("proxy-authorization", ""), // 49
    new Header("range", ""), // 50
    new Header("referer", ""), // 51
    new Header("refresh", ""), // 52
    new Header("retry-after", ""), // 53
    new Header("server", ""), // 54
    new Header("set-cookie", ""), // 55
    new Header("strict-transport-security", ""), // 56
    new Header("transfer-encoding", ""), // 57
    new Header("user-agent", ""), // 58
    new Header("vary", ""), // 59
    new Header("via", ""), // 60
    new Header("www-authenticate", ""), // 61
  };

  /** The symbol that ends a Huffman code (Appendix B); it must never appear in the data (§5.2). */
  private static final int EOS = 256;

  /**
   * Appendix B: for each symbol 0..256 (EOS last), the code aligned to the least significant bit
   * and its length in bits.
   */
  private static final int[] HUFFMAN_CODE = {
    0x1ff8, 13, 0x7fffd8, 23, 0xfffffe2, 28, 0xfffffe3, 28, // 0-3
    0xfffffe4, 28, 0xfffffe5, 28, 0xfffffe6, 28, 0xfffffe7, 28, // 4-7
    0xfffffe8, 28, 0xffffea, 24, 0x3ffffffc, 30, 0xfffffe9, 28, // 8-11
    0xfffffea, 28, 0x3ffffffd, 30, 0xfffffeb, 28, 0xfffffec, 28, // 12-15
    0xfffffed, 28, 0xfffffee, 28, 0xfffffef, 28, 0xffffff0, 28, // 16-19
    0xffffff1, 28, 0xffffff2, 28, 0x3ffffffe, 30, 0xffffff3, 28, // 20-23
    0xffffff4, 28, 0xffffff5, 28, 0xffffff6, 28, 0xffffff7, 28, // 24-27
    0xffffff8, 28, 0xffffff9, 28, 0xffffffa, 28, 0xffffffb, 28, // 28-31
    0x14, 6, 0x3f8, 10, 0x3f9, 10, 0xffa, 12, // 32-35
    0x1ff9, 13, 0x15, 6, 0xf8, 8, 0x7fa, 11, // 36-39
    0x3fa, 10, 0x3fb, 10, 0xf9, 8, 0x7fb, 11, // 40-43
    0xfa, 8, 0x16, 6, 0x17, 6, 0x18, 6, // 44-47
    0x0, 5, 0x1, 5, 0x2, 5, 0x19, 6, // 48-51
    0x1a, 6, 0x1b, 6, 0x1c, 6, 0x1d, 6, // 52-55
    0x1e, 6, 0x1f, 6, 0x5c, 7, 0xfb, 8, // 56-59
    0x7ffc, 15, 0x20, 6, 0xffb, 12, 0x3fc, 10, // 60-63
    0x1ffa, 13, 0x21, 6, 0x5d, 7, 0x5e, 7, // 64-67
    0x5f, 7, 0x60, 7, 0x61, 7, 0x62, 7, // 68-71
    0x63, 7, 0x64, 7, 0x65, 7, 0x66, 7, // 72-75
    0x67, 7, 0x68, 7, 0x69, 7, 0x6a, 7, // 76-79
    0x6b, 7, 0x6c, 7, 0x6d, 7, 0x6e, 7, // 80-83
    0x6f, 7, 0x70, 7, 0x71, 7, 0x72, 7, // 84-87
    0xfc, 8, 0x73, 7, 0xfd, 8, 0x1ffb, 13, // 88-91
    0x7fff0, 19, 0x1ffc, 13, 0x3ffc, 14, 0x22, 6, // 92-95
    0x7ffd, 15, 0x3, 5, 0x23, 6, 0x4, 5, // 96-99
    0x24, 6, 0x5, 5, 0x25, 6, 0x26, 6, // 100-103
    0x27, 6, 0x6, 5, 0x74, 7, 0x75, 7, // 104-107
    0x28, 6, 0x29, 6, 0x2a, 6, 0x7, 5, // 108-111
    0x2b, 6, 0x76, 7, 0x2c, 6, 0x8, 5, // 112-115
    0x9, 5, 0x2d, 6, 0x77, 7, 0x78, 7, // 116-119
    0x79, 7, 0x7a, 7, 0x7b, 7, 0x7ffe, 15, // 120-123
    0x7fc, 11, 0x3ffd, 14, 0x1ffd, 13, 0xffffffc, 28, // 124-127
    0xfffe6, 20, 0x3fffd2, 22, 0xfffe7, 20, 0xfffe8, 20, // 128-131
    0x3fffd3, 22, 0x3fffd4, 22, 0x3fffd5, 22, 0x7fffd9, 23, // 132-135
    0x3fffd6, 22, 0x7fffda, 23, 0x7fffdb, 23, 0x7fffdc, 23, // 136-139
    0x7fffdd, 23, 0x7fffde, 23, 0xffffeb, 24, 0x7fffdf, 23, // 140-143
    0xffffec, 24, 0xffffed, 24, 0x3fffd7, 22, 0x7fffe0, 23, // 144-147
    0xffffee, 24, 0x7fffe1, 23, 0x7fffe2, 23, 0x7fffe3, 23, // 148-151
    0x7fffe4, 23, 0x1fffdc, 21, 0x3fffd8, 22, 0x7fffe5, 23, // 152-155
    0x3fffd9, 22, 0x7fffe6, 23, 0x7fffe7, 23, 0xffffef, 24, // 156-159
    0x3fffda, 22, 0x1fffdd, 21, 0xfffe9, 20, 0x3fffdb, 22, // 160-163
    0x3fffdc, 22, 0x7fffe8, 23, 0x7fffe9, 23, 0x1fffde, 21, // 164-167
    0x7fffea, 23, 0x3fffdd, 22, 0x3fffde, 22, 0xfffff0, 24, // 168-171
    0x1fffdf, 21, 0x3fffdf, 22, 0x7fffeb, 23, 0x7fffec, 23, // 172-175
    0x1fffe0, 21, 0x1fffe1, 21, 0x3fffe0, 22, 0x1fffe2, 21, // 176-179
    0x7fffed, 23, 0x3fffe1, 22, 0x7fffee, 23, 0x7fffef, 23, // 180-183
    0xfffea, 20, 0x3fffe2, 22, 0x3fffe3, 22, 0x3fffe4, 22, // 184-187
    0x7ffff0, 23, 0x3fffe5, 22, 0x3fffe6, 22, 0x7ffff1, 23, // 188-191
    0x3ffffe0, 26, 0x3ffffe1, 26, 0xfffeb, 20, 0x7fff1, 19, // 192-195
    0x3fffe7, 22, 0x7ffff2, 23, 0x3fffe8, 22, 0x1ffffec, 25, // 196-199
    0x3ffffe2, 26, 0x3ffffe3, 26, 0x3ffffe4, 26, 0x7ffffde, 27, // 200-203
    0x7ffffdf, 27, 0x3ffffe5, 26, 0xfffff1, 24, 0x1ffffed, 25, // 204-207
    0x7fff2, 19, 0x1fffe3, 21, 0x3ffffe6, 26, 0x7ffffe0, 27, // 208-211
    0x7ffffe1, 27, 0x3ffffe7, 26, 0x7ffffe2, 27, 0xfffff2, 24, // 212-215
    0x1fffe4, 21, 0x1fffe5, 21, 0x3ffffe8, 26, 0x3ffffe9, 26, // 216-219
    0xffffffd, 28, 0x7ffffe3, 27, 0x7ffffe4, 27, 0x7ffffe5, 27, // 220-223
    0xfffec, 20, 0xfffff3, 24, 0xfffed, 20, 0x1fffe6, 21, // 224-227
    0x3fffe9, 22, 0x1fffe7, 21, 0x1fffe8, 21, 0x7ffff3, 23, // 228-231
    0x3fffea, 22, 0x3fffeb, 22, 0x1ffffee, 25, 0x1ffffef, 25, // 232-235
    0xfffff4, 24, 0xfffff5, 24, 0x3ffffea, 26, 0x7ffff4, 23, // 236-239
    0x3ffffeb, 26, 0x7ffffe6, 27, 0x3ffffec, 26, 0x3ffffed, 26, // 240-243
    0x7ffffe7, 27, 0x7ffffe8, 27, 0x7ffffe9, 27, 0x7ffffea, 27, // 244-247
    0x7ffffeb, 27, 0xffffffe, 28, 0x7ffffec, 27, 0x7ffffed, 27, // 248-251
    0x7ffffee, 27, 0x7ffffef, 27, 0x7fffff0, 27, 0x3ffffee, 26, // 252-255
    0x3fffffff, 30, // 256 (EOS)
  };

  /**
   * The Huffman code as a binary tree: node n's children are at [2n] (bit 0) and [2n + 1] (bit 1).
   * A child is an inner node's number (never 0, the root) or the complement of a symbol (~symbol,
   * negative) at a leaf.
   */
  private static final int[] HUFFMAN_TREE = huffmanTree();

  private final int maxDynamicTableSize;
  private final int maxHeaderListSize;
  private final DynamicTable dynamicTable;

  /**
   * A decoder with an empty dynamic table.
   *
   * @param maxDynamicTableSize the SETTINGS_HEADER_TABLE_SIZE we advertised: the dynamic table's
   *     initial maximum size and the most a dynamic table size update may ask for
   * @param maxHeaderListSize the most a decoded header list may count, as name + value + 32 octets
   *     per field (RFC 7540 §6.5.2)
   */
  public HpackDecoder(int maxDynamicTableSize, int maxHeaderListSize) {
    if (maxDynamicTableSize < 0 || maxHeaderListSize < 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "negative HPACK bound: maxDynamicTableSize %d, maxHeaderListSize %d",
              maxDynamicTableSize,
              maxHeaderListSize));
    }
    this.maxDynamicTableSize = maxDynamicTableSize;
    this.maxHeaderListSize = maxHeaderListSize;
    this.dynamicTable = new DynamicTable(maxDynamicTableSize);
  }

  /**
   * Decodes one complete header block (a HEADERS payload and its CONTINUATIONs, concatenated),
   * updating the dynamic table as the block says.
   *
   * @param block the header block from its position to its limit, all of which is consumed
   * @return the header fields in block order, unmodifiable
   * @throws Http2ProtocolException if the block is malformed, refers to entries that do not exist,
   *     or decodes to a header list larger than the bound; the message gives the offset within the
   *     block
   */
  public List<Header> decode(ByteBuffer block) throws Http2ProtocolException {
    requireNonNull(block, "block");
    byte[] bytes = new byte[block.remaining()];
    block.get(bytes);
    Reader in = new Reader(bytes);
    List<Header> headers = new ArrayList<>();
    long headerListSize = 0;
    while (in.hasRemaining()) {
      int offset = in.position();
      int first = in.peek();
      Header header;
      if ((first & INDEXED_HEADER_FIELD) != 0) {
        header = lookup(in.readInteger(INDEXED_HEADER_FIELD_PREFIX), offset);
      } else if ((first & LITERAL_WITH_INCREMENTAL_INDEXING) != 0) {
        header = readLiteral(in, LITERAL_WITH_INCREMENTAL_INDEXING_PREFIX, offset);
        dynamicTable.add(header);
      } else if ((first & DYNAMIC_TABLE_SIZE_UPDATE) != 0) {
        // §4.2: an update follows a change of the setting, before the block's first field.
        if (!headers.isEmpty()) {
          throw error(
              "dynamic table size update at offset %d comes after a header field"
                  + " (expected only at the start of a header block)",
              offset);
        }
        int size = in.readInteger(DYNAMIC_TABLE_SIZE_UPDATE_PREFIX);
        if (size > maxDynamicTableSize) {
          throw error(
              "dynamic table size update at offset %d asks for %d octets"
                  + " (expected at most SETTINGS_HEADER_TABLE_SIZE, %d)",
              offset, size, maxDynamicTableSize);
        }
        dynamicTable.setMaxSize(size);
        continue;
      } else {
        // Without indexing (0000) and never indexed (0001) decode alike: only an intermediary
        // re-encoding the field would treat them differently.
        header = readLiteral(in, LITERAL_WITHOUT_INDEXING_PREFIX, offset);
      }
      headerListSize += entrySize(header);
      if (headerListSize > maxHeaderListSize) {
        throw error(
            "header list reaches %d octets with the field at offset %d"
                + " (expected at most %d, counting name + value + 32 per field)",
            headerListSize, offset, maxHeaderListSize);
      }
      headers.add(header);
    }
    return Collections.unmodifiableList(headers);
  }

  /**
   * Writes one "literal header field without indexing — new name" (§6.2.2): the name and value as
   * raw (not Huffman-coded) string literals, which leaves the peer's dynamic table untouched.
   *
   * @param out where the representation is appended
   * @param name the field name, lowercase as HTTP/2 requires
   * @param value the field value
   * @throws IllegalArgumentException if name or value has a character above U+00FF, which is not an
   *     octet
   */
  public static void encodeLiteral(ByteArrayOutputStream out, String name, String value) {
    requireNonNull(out, "out");
    byte[] nameOctets = octets(requireNonNull(name, "name"), "name");
    byte[] valueOctets = octets(requireNonNull(value, "value"), "value");
    out.write(LITERAL_WITHOUT_INDEXING);
    writeRawString(out, nameOctets);
    writeRawString(out, valueOctets);
  }

  /** The dynamic table's size in octets (§4.1); for tests. */
  int dynamicTableSize() {
    return (int) dynamicTable.size;
  }

  /** The dynamic table's entries, newest (index 62) first; for tests. */
  List<Header> dynamicTableEntries() {
    List<Header> entries = new ArrayList<>(dynamicTable.length);
    for (int i = 1; i <= dynamicTable.length; i++) {
      entries.add(dynamicTable.get(i));
    }
    return List.copyOf(entries);
  }

  /** The Huffman code of a symbol (0..256), aligned to the least significant bit; for tests. */
  static int huffmanCode(int symbol) {
    return HUFFMAN_CODE[2 * symbol];
  }

  /** The length in bits of a symbol's Huffman code; for tests. */
  static int huffmanCodeLength(int symbol) {
    return HUFFMAN_CODE[2 * symbol + 1];
  }

  private Header readLiteral(Reader in, int prefixBits, int offset) throws Http2ProtocolException {
    int nameIndex = in.readInteger(prefixBits);
    // §6.2: index 0 means the name follows as a string literal.
    String name = nameIndex == 0 ? in.readString() : lookup(nameIndex, offset).name();
    String value = in.readString();
    return new Header(name, value);
  }

  /** §2.3.3: the static table's indices come first, then the dynamic table's, newest first. */
  private Header lookup(int index, int offset) throws Http2ProtocolException {
    if (index == 0) {
      throw error("index 0 at offset %d (expected an index of 1 or more)", offset);
    }
    if (index <= STATIC_TABLE.length) {
      return STATIC_TABLE[index - 1];
    }
    int dynamicIndex = index - STATIC_TABLE.length;
    if (dynamicIndex > dynamicTable.length) {
      throw error(
          "index %d at offset %d is beyond the static table and the %d-entry dynamic table",
          index, offset, dynamicTable.length);
    }
    return dynamicTable.get(dynamicIndex);
  }

  private static long entrySize(Header header) {
    return (long) header.name().length() + header.value().length() + ENTRY_OVERHEAD;
  }

  private static Http2ProtocolException error(String format, Object... args) {
    return new Http2ProtocolException("HPACK: " + String.format(Locale.ROOT, format, args));
  }

  private static byte[] octets(String s, String what) {
    byte[] octets = new byte[s.length()];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xff) {
        // getBytes(ISO_8859_1) would silently send '?' instead.
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "header %s has U+%04X at %d, which is not an octet",
                what,
                (int) c,
                i));
      }
      octets[i] = (byte) c;
    }
    return octets;
  }

  private static void writeRawString(ByteArrayOutputStream out, byte[] octets) {
    writeInteger(out, 0, STRING_LENGTH_PREFIX, octets.length); // H = 0: raw octets
    out.write(octets, 0, octets.length);
  }

  /** §5.1: the value in an N-bit prefix of a first octet that already holds {@code flags}. */
  private static void writeInteger(
      ByteArrayOutputStream out, int flags, int prefixBits, int value) {
    int maxPrefix = (1 << prefixBits) - 1;
    if (value < maxPrefix) {
      out.write(flags | value);
      return;
    }
    out.write(flags | maxPrefix);
    int rest = value - maxPrefix;
    while (rest >= 0x80) {
      out.write((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    out.write(rest);
  }

  private static int[] huffmanTree() {
    // A complete prefix code over 257 symbols has 256 inner nodes.
    int[] tree = new int[2 * EOS];
    int nodes = 1;
    for (int symbol = 0; symbol <= EOS; symbol++) {
      int code = huffmanCode(symbol);
      int length = huffmanCodeLength(symbol);
      int node = 0;
      for (int bit = length - 1; bit >= 0; bit--) {
        int slot = 2 * node + ((code >>> bit) & 1);
        if (bit == 0) {
          if (tree[slot] != 0) {
            throw new IllegalStateException("HPACK Huffman code is not a prefix code at " + symbol);
          }
          tree[slot] = ~symbol;
        } else {
          if (tree[slot] < 0) {
            throw new IllegalStateException("HPACK Huffman code is not a prefix code at " + symbol);
          }
          if (tree[slot] == 0) {
            if (nodes == EOS) {
              throw new IllegalStateException("HPACK Huffman code has too many inner nodes");
            }
            tree[slot] = nodes++;
          }
          node = tree[slot];
        }
      }
    }
    for (int slot = 0; slot < 2 * nodes; slot++) {
      if (tree[slot] == 0) {
        throw new IllegalStateException("HPACK Huffman code is not complete");
      }
    }
    return tree;
  }

  /** A cursor over one header block; positions are the offsets reported in errors. */
  private static final class Reader {
    private final byte[] block;
    private int position;

    Reader(byte[] block) {
      this.block = block;
    }

    boolean hasRemaining() {
      return position < block.length;
    }

    int position() {
      return position;
    }

    int peek() {
      return block[position] & 0xff;
    }

    /** §5.1: an integer in the low {@code prefixBits} of the next octet and what follows. */
    int readInteger(int prefixBits) throws Http2ProtocolException {
      int start = position;
      if (!hasRemaining()) {
        throw error("integer expected at offset %d, but the block ends there", start);
      }
      int maxPrefix = (1 << prefixBits) - 1;
      int prefix = block[position++] & maxPrefix;
      if (prefix < maxPrefix) {
        return prefix;
      }
      long value = prefix;
      for (int count = 0, shift = 0; ; count++, shift += 7) {
        if (count == MAX_CONTINUATION_OCTETS) {
          throw error(
              "integer at offset %d has more than %d continuation octets",
              start, MAX_CONTINUATION_OCTETS);
        }
        if (!hasRemaining()) {
          throw error(
              "integer at offset %d is truncated: the block ends at offset %d,"
                  + " where a continuation octet was expected",
              start, position);
        }
        int octet = block[position++] & 0xff;
        value += (long) (octet & 0x7f) << shift;
        if (value > Integer.MAX_VALUE) {
          throw error("integer at offset %d exceeds %d", start, Integer.MAX_VALUE);
        }
        if ((octet & 0x80) == 0) {
          return (int) value;
        }
      }
    }

    /** §5.2: a length with the H bit, then that many octets, raw or Huffman-coded. */
    String readString() throws Http2ProtocolException {
      int start = position;
      if (!hasRemaining()) {
        throw error("string literal expected at offset %d, but the block ends there", start);
      }
      boolean huffman = (peek() & HUFFMAN_ENCODED) != 0;
      int length = readInteger(STRING_LENGTH_PREFIX);
      int remaining = block.length - position;
      if (length > remaining) {
        throw error(
            "string literal at offset %d has length %d, but only %d octets remain in the block",
            start, length, remaining);
      }
      String s =
          huffman
              ? huffmanDecode(block, position, length, start)
              : new String(block, position, length, ISO_8859_1);
      position += length;
      return s;
    }
  }

  /** Decodes {@code length} Huffman-coded octets at {@code from}; {@code start} is for errors. */
  private static String huffmanDecode(byte[] block, int from, int length, int start)
      throws Http2ProtocolException {
    // Every code is at least 5 bits long, which bounds the number of symbols.
    byte[] decoded = new byte[(int) ((long) length * 8 / 5)];
    int count = 0;
    int node = 0;
    // The bits read since the last symbol: at the end they are the padding (§5.2).
    int pendingBits = 0;
    boolean pendingAllOnes = true;
    for (int i = from; i < from + length; i++) {
      int octet = block[i] & 0xff;
      for (int shift = 7; shift >= 0; shift--) {
        int bit = (octet >>> shift) & 1;
        int child = HUFFMAN_TREE[2 * node + bit];
        if (child < 0) {
          int symbol = ~child;
          if (symbol == EOS) {
            throw error(
                "Huffman-coded string literal at offset %d has the EOS symbol, ending at offset %d"
                    + " (expected EOS only as padding of at most 7 bits)",
                start, i);
          }
          decoded[count++] = (byte) symbol;
          node = 0;
          pendingBits = 0;
          pendingAllOnes = true;
        } else {
          node = child;
          pendingBits++;
          pendingAllOnes &= bit == 1;
        }
      }
    }
    if (pendingBits > 7) {
      throw error(
          "Huffman-coded string literal at offset %d ends with %d bits of padding"
              + " (expected at most 7)",
          start, pendingBits);
    }
    if (!pendingAllOnes) {
      throw error(
          "Huffman-coded string literal at offset %d ends with padding that is not all ones"
              + " (expected the most significant bits of EOS)",
          start);
    }
    return new String(decoded, 0, count, ISO_8859_1);
  }

  /**
   * §2.3.2 and §4: entries newest first, evicted oldest first to keep the size (§4.1) within the
   * maximum. A ring of slots, since every added entry evicts from the other end.
   */
  private static final class DynamicTable {
    private Header[] slots = new Header[16]; // a power of two, so masking wraps
    private int newest; // slot of index 1
    private int length;
    private long size;
    private long maxSize;

    DynamicTable(int maxSize) {
      this.maxSize = maxSize;
    }

    /** Index 1 is the newest entry; 1 <= index <= length. */
    Header get(int index) {
      return slots[(newest + index - 1) & (slots.length - 1)];
    }

    /** §4.4: evict until the entry fits; an entry larger than the maximum empties the table. */
    void add(Header header) {
      long entrySize = entrySize(header);
      while (length > 0 && size + entrySize > maxSize) {
        evictOldest();
      }
      if (entrySize > maxSize) {
        return;
      }
      if (length == slots.length) {
        grow();
      }
      newest = (newest - 1) & (slots.length - 1);
      slots[newest] = header;
      length++;
      size += entrySize;
    }

    /** §4.3: a smaller maximum evicts the oldest entries until the table fits. */
    void setMaxSize(int maxSize) {
      this.maxSize = maxSize;
      while (size > maxSize) {
        evictOldest();
      }
    }

    private void evictOldest() {
      int oldest = (newest + length - 1) & (slots.length - 1);
      size -= entrySize(slots[oldest]);
      slots[oldest] = null;
      length--;
    }

    private void grow() {
      Header[] grown = new Header[slots.length * 2];
      for (int i = 0; i < length; i++) {
        grown[i] = get(i + 1);
      }
      slots = grown;
      newest = 0;
    }
  }
}
