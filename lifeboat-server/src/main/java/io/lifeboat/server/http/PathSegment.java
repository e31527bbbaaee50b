package io.lifeboat.server.http;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of one URI path segment (RFC 3986): unreserved characters stay, the rest are escaped. */
final class PathSegment {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PathSegment() {}

  static String encode(String segment) {
    StringBuilder b = new StringBuilder(segment.length());
    for (byte octet : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = octet & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return b.toString();
  }
}
