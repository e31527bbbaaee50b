package io.lifeboat.repository.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.codec.TrackedInputStream;
import io.lifeboat.repository.local.PendingFile;
import io.lifeboat.repository.local.ReplacePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A snapshot encryption key: a Tink keyset (JSON, as written by {@link #generate}) for streaming
 * AEAD AES256-GCM-HKDF with 1 MiB segments. Encryption is applied after compression; every segment
 * is authenticated, so changing, dropping, reordering or truncating any byte of the stored object
 * fails decryption ({@link IntegrityException}), as does a wrong key. The key id (the keyset's
 * primary key id, 8 hex digits) is recorded in the snapshot metadata through {@link Encryption}.
 * {@link #toString()} never shows key material.
 */
public final class EncryptionKey {
  /** Environment variable naming the key file, as {@code --encrypt-key-file}. */
  public static final String ENV_KEY_FILE = "LIFEBOAT_ENCRYPTION_KEY_FILE";
  private static final byte[] ASSOCIATED_DATA = "lifeboat.snapshot/v1".getBytes(StandardCharsets.UTF_8);

  static {
    try {
      StreamingAeadConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Path file;
  private final KeysetHandle keyset;
  private final StreamingAead aead;

  private EncryptionKey(Path file, KeysetHandle keyset) throws GeneralSecurityException {
    this.file = file;
    this.keyset = keyset;
    this.aead = keyset.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
  }

  /**
   * Writes a new key to {@code file} (mode 0600, never replacing an existing file), as
   * {@code lifeboat key generate} does.
   *
   * @throws FileAlreadyExistsException when the file exists
   */
  public static EncryptionKey generate(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    KeysetHandle handle;
    String json;
    try {
      handle = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
      json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink cannot generate an AES256_GCM_HKDF_1MB key", e);
    }
    try (PendingFile pending = PendingFile.create(file, ReplacePolicy.NEVER_REPLACE)) {
      ByteBuffer b = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        pending.channel().write(b);
      }
      pending.commit();
    }
    try {
      return new EncryptionKey(file.toAbsolutePath(), handle);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a key file.
   *
   * @throws KeyFileException when the file is missing, unreadable or not a streaming-AEAD keyset
   */
  public static EncryptionKey load(Path file) throws KeyFileException {
    Objects.requireNonNull(file, "file");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(String.format(Locale.ROOT,
          "encryption key file %s does not exist; create one with 'lifeboat key generate'", file), e);
    } catch (IOException e) {
      throw new KeyFileException(String.format(Locale.ROOT, "cannot read encryption key file %s: %s", file,
          e.getMessage()), e);
    }
    try {
      KeysetHandle handle = TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
      return new EncryptionKey(file.toAbsolutePath(), handle);
    } catch (GeneralSecurityException | RuntimeException e) {
      // Tink's messages do not contain key material; still, keep only the exception type.
      throw new KeyFileException(String.format(Locale.ROOT,
          "%s is not a Lifeboat encryption key (a Tink streaming-AEAD keyset in JSON) (%s)", file,
          e.getClass().getSimpleName()), e);
    }
  }

  public Path file() {
    return file;
  }

  /** The primary key's id, as 8 lowercase hex digits: what metadata records. */
  public String keyId() {
    return hexId(keyset.getPrimary().getId());
  }

  /** Every key id in the file (a rotated keyset can decrypt with older keys). */
  public List<String> keyIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < keyset.size(); i++) {
      ids.add(hexId(keyset.getAt(i).getId()));
    }
    return ids;
  }

  /** The metadata {@code encryption} value for objects this key encrypts. */
  public Encryption encryption() {
    return Encryption.withKey(keyId());
  }

  /** Bytes written to the result are encrypted into {@code out}; closing it writes the last segment. */
  public OutputStream encrypting(OutputStream out) throws IOException {
    try {
      return aead.newEncryptingStream(out, ASSOCIATED_DATA);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot start encryption: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts {@code in}. Checks first that the metadata's key id is in this key file; any later
   * authentication failure (tampering, truncation) is an {@link IntegrityException} naming the
   * snapshot; failures of {@code in} itself pass through.
   *
   * @param what the snapshot, for messages
   * @param expected the metadata's encryption value
   */
  public InputStream decrypting(InputStream in, String what, Encryption expected) throws IOException {
    if (!expected.encrypted()) {
      throw new IllegalArgumentException("the snapshot is not encrypted");
    }
    String wanted = expected.keyId().orElseThrow();
    if (!keyIds().contains(wanted)) {
      throw new IntegrityException(String.format(Locale.ROOT,
          "%s was encrypted with key %s, but the key file %s holds %s; give the key file that was used to "
              + "save it (--encrypt-key-file or %s)", what, wanted, file, String.join(", ", keyIds()),
          ENV_KEY_FILE));
    }
    TrackedInputStream source = new TrackedInputStream(in);
    String problem = what + ": decryption failed: the stored data was modified or truncated, or the key is wrong";
    InputStream plain;
    try {
      plain = aead.newDecryptingStream(source, ASSOCIATED_DATA);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException(problem, e);
    } catch (IOException e) {
      throw source.classify(e, problem);
    }
    return source.guard(plain, problem);
  }

  static String hexId(int id) {
    return String.format(Locale.ROOT, "%08x", id);
  }

  @Override
  public String toString() {
    return "EncryptionKey[" + keyId() + " from " + file + "]";
  }
}
