package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

/** A password or other secret: {@link #toString()} prints {@code ***}, {@link #value()} the plain text. */
public record Secret(String value) {
  public Secret {
    requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "***";
  }
}
