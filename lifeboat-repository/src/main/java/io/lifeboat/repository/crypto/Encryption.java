package io.lifeboat.repository.crypto;

import io.lifeboat.repository.IntegrityException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The metadata {@code encryption} value: {@code none}, or {@value #SCHEME}{@code :<key id>} for Tink
 * streaming AEAD AES256-GCM-HKDF with 1 MiB segments under the key with that id.
 */
public record Encryption(String value) {
  public static final String SCHEME = "tink-aes256-gcm-hkdf-1mb";
  public static final Encryption NONE = new Encryption("none");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}");

  public Encryption {
    Objects.requireNonNull(value, "value");
  }

  public static Encryption withKey(String keyId) {
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("key id must be 8 lowercase hex digits: " + keyId);
    }
    return new Encryption(SCHEME + ":" + keyId);
  }

  /**
   * Parses a metadata value.
   *
   * @throws IntegrityException for a scheme this version does not know
   */
  public static Encryption parse(String value) throws IntegrityException {
    if (value.equals("none")) {
      return NONE;
    }
    int colon = value.indexOf(':');
    if (colon > 0 && value.substring(0, colon).equals(SCHEME) && KEY_ID.matcher(value.substring(colon + 1)).matches()) {
      return new Encryption(value);
    }
    throw new IntegrityException(String.format(Locale.ROOT,
        "unknown encryption '%s' in metadata (this Lifeboat reads 'none' and '%s:<key id>'); upgrade Lifeboat",
        value.length() > 80 ? value.substring(0, 80) + "..." : value, SCHEME));
  }

  public boolean encrypted() {
    return !value.equals("none");
  }

  public Optional<String> keyId() {
    return encrypted() ? Optional.of(value.substring(value.indexOf(':') + 1)) : Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
