package io.lifeboat.repository;

import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.crypto.Encryption;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a snapshot's data object is encoded: raw snapshot → compression → encryption → stored bytes
 * (whose size and sha256 go into the metadata). Reading reverses it, checking the magic bytes
 * against the compression and the key id against the key file.
 */
public record SnapshotEncoding(Compression compression, Encryption encryption) {
  public SnapshotEncoding {
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(encryption, "encryption");
  }

  /** The encoding a save uses: {@code key} present means encrypted with it. */
  public static SnapshotEncoding forSave(Compression compression, Optional<EncryptionKey> key) {
    return new SnapshotEncoding(compression, key.map(EncryptionKey::encryption).orElse(Encryption.NONE));
  }

  /**
   * The encoding metadata records.
   *
   * @throws IntegrityException for values this version does not know
   */
  public static SnapshotEncoding of(SnapshotMetadata metadata) throws IntegrityException {
    Compression c;
    try {
      c = Compression.parse(metadata.compression());
    } catch (IllegalArgumentException e) {
      throw new IntegrityException(String.format(Locale.ROOT, "%s: %s in metadata; upgrade Lifeboat",
          metadata.name(), e.getMessage()));
    }
    return new SnapshotEncoding(c, Encryption.parse(metadata.encryption()));
  }

  /** The data object this encoding is stored as. */
  public ObjectKind objectKind() {
    return compression.objectKind();
  }

  /**
   * Bytes written to the result are stored encoded into {@code stored}; closing the result finishes
   * every layer and closes {@code stored}.
   */
  public OutputStream encode(OutputStream stored, SnapshotName name, Optional<EncryptionKey> key) throws IOException {
    OutputStream target = stored;
    if (encryption.encrypted()) {
      EncryptionKey k = key.orElseThrow(() -> new IllegalArgumentException("an encrypted encoding needs its key"));
      if (!k.keyId().equals(encryption.keyId().orElseThrow())) {
        throw new IllegalArgumentException("the key does not match the encoding's key id");
      }
      target = k.encrypting(stored);
    }
    return compression.compress(target, name);
  }

  /**
   * The raw snapshot from the stored bytes.
   *
   * @throws IntegrityException when the snapshot is encrypted and no key (or the wrong key) is
   *     given, or on reading when the data was modified
   */
  public InputStream decode(InputStream stored, SnapshotName name, Optional<EncryptionKey> key) throws IOException {
    InputStream source = stored;
    if (encryption.encrypted()) {
      if (key.isEmpty()) {
        throw new IntegrityException(String.format(Locale.ROOT,
            "%s is encrypted (key %s); give its key file with --encrypt-key-file or %s", name,
            encryption.keyId().orElseThrow(), EncryptionKey.ENV_KEY_FILE));
      }
      source = key.get().decrypting(stored, name.value(), encryption);
    }
    return compression.decompress(source, name);
  }
}
