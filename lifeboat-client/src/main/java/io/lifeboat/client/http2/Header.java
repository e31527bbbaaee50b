package io.lifeboat.client.http2;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP/2 header field. Name and value hold octets as ISO-8859-1 characters (one char per
 * octet), since HTTP/2 field values are octets, not text in any particular encoding.
 */
public record Header(String name, String value) {
  /** Both parts are required; an empty value is an ordinary value. */
  public Header {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
  }
}
