package io.lifeboat.repository.s3;

import java.util.Objects;

/**
 * A secret string (the S3 secret key). {@link #toString()} prints {@code ***}, so a secret that ends
 * up in a log line, an exception message or a record's toString is never revealed; only
 * {@link #reveal()} gives the value, at the single place that needs it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "***";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
