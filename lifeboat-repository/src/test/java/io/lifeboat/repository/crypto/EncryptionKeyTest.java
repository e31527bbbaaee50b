package io.lifeboat.repository.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.SnapshotEncoding;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.TestStreams;
import io.lifeboat.repository.codec.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeyTest {
  private static final SnapshotName NAME = new SnapshotName("etcd-snapshot-2026-11-25T20-00-00Z");
  @TempDir Path dir;
  private EncryptionKey key;

  @BeforeEach
  void generateKey() throws IOException {
    key = EncryptionKey.generate(dir.resolve("lifeboat.key"));
  }

  private static byte[] encode(SnapshotEncoding encoding, EncryptionKey k, byte[] data) throws IOException {
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    try (OutputStream out = encoding.encode(stored, NAME, Optional.of(k))) {
      out.write(data);
    }
    return stored.toByteArray();
  }

  private static byte[] decode(SnapshotEncoding encoding, Optional<EncryptionKey> k, byte[] stored) throws IOException {
    try (InputStream in = encoding.decode(new ByteArrayInputStream(stored), NAME, k)) {
      return in.readAllBytes();
    }
  }

  @Test
  void generate_writesA0600KeyFile_thatLoadsWithTheSameKeyId() throws IOException {
    Path file = dir.resolve("lifeboat.key");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    EncryptionKey loaded = EncryptionKey.load(file);
    assertThat(loaded.keyId()).isEqualTo(key.keyId()).matches("[0-9a-f]{8}");
    assertThat(loaded.encryption().value()).isEqualTo("tink-aes256-gcm-hkdf-1mb:" + key.keyId());
  }

  @Test
  void generate_neverOverwritesAnExistingKeyFile() {
    assertThatThrownBy(() -> EncryptionKey.generate(dir.resolve("lifeboat.key")))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void toString_showsTheKeyIdButNoKeyMaterial() throws IOException {
    String json = Files.readString(dir.resolve("lifeboat.key"));
    String material = json.replaceAll("(?s).*\"value\":\\s*\"([^\"]+)\".*", "$1");

    assertThat(material).hasSizeGreaterThan(20);
    assertThat(key.toString()).contains(key.keyId()).doesNotContain(material);
  }

  @Test
  void encryptedAndCompressed_roundTripsForEveryCompression() throws IOException {
    byte[] data = TestStreams.generated(3, 2_500_000).readAllBytes(); // more than two 1 MiB segments
    for (Compression c : Compression.values()) {
      SnapshotEncoding encoding = SnapshotEncoding.forSave(c, Optional.of(key));
      byte[] stored = encode(encoding, key, data);

      assertThat(decode(encoding, Optional.of(EncryptionKey.load(key.file())), stored)).isEqualTo(data);
      assertThat(Compression.detect(stored, stored.length)).as("ciphertext hides the %s magic", c)
          .isNotEqualTo(c == Compression.NONE ? Compression.GZIP : c);
    }
  }

  @Test
  void tamperingWithAnyByte_isDetected() throws IOException {
    SnapshotEncoding encoding = SnapshotEncoding.forSave(Compression.NONE, Optional.of(key));
    byte[] stored = encode(encoding, key, TestStreams.generated(5, 3000).readAllBytes());

    for (int i = 0; i < stored.length; i++) {
      byte[] tampered = stored.clone();
      tampered[i] ^= 0x01;
      int position = i;
      assertThatThrownBy(() -> decode(encoding, Optional.of(key), tampered))
          .as("flipped bit in byte %d of %d", position, stored.length)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining(NAME.value() + ": decryption failed");
    }
  }

  @Test
  void truncationOrAppendedBytes_areDetected() throws IOException {
    SnapshotEncoding encoding = SnapshotEncoding.forSave(Compression.ZSTD, Optional.of(key));
    byte[] stored = encode(encoding, key, TestStreams.generated(5, 2_200_000).readAllBytes());

    for (byte[] changed : new byte[][] {Arrays.copyOf(stored, stored.length - 1),
        Arrays.copyOf(stored, 1024 * 1024), Arrays.copyOf(stored, stored.length + 1)}) {
      assertThatThrownBy(() -> decode(encoding, Optional.of(key), changed)).isInstanceOf(IntegrityException.class);
    }
  }

  @Test
  void decryptingWithAnotherKey_isAnIntegrityErrorNamingBothKeys() throws IOException {
    SnapshotEncoding encoding = SnapshotEncoding.forSave(Compression.ZSTD, Optional.of(key));
    byte[] stored = encode(encoding, key, new byte[] {1, 2, 3});
    EncryptionKey other = EncryptionKey.generate(dir.resolve("other.key"));

    assertThatThrownBy(() -> decode(encoding, Optional.of(other), stored))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("was encrypted with key " + key.keyId())
        .hasMessageContaining("holds " + other.keyId())
        .hasMessageContaining("--encrypt-key-file");
  }

  @Test
  void decryptingWithAnotherKeyWhoseIdWasForged_isStillAnIntegrityError() throws IOException {
    byte[] stored = encode(SnapshotEncoding.forSave(Compression.NONE, Optional.of(key)), key, new byte[] {1, 2, 3});
    EncryptionKey other = EncryptionKey.generate(dir.resolve("other.key"));
    SnapshotEncoding forged = new SnapshotEncoding(Compression.NONE, other.encryption());

    assertThatThrownBy(() -> decode(forged, Optional.of(other), stored))
        .isInstanceOf(IntegrityException.class).hasMessageContaining("decryption failed");
  }

  @Test
  void decodingAnEncryptedSnapshotWithoutAKey_saysWhichKeyIsNeeded() throws IOException {
    SnapshotEncoding encoding = SnapshotEncoding.forSave(Compression.GZIP, Optional.of(key));
    byte[] stored = encode(encoding, key, new byte[] {1});

    assertThatThrownBy(() -> decode(encoding, Optional.empty(), stored))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("is encrypted (key " + key.keyId() + ")")
        .hasMessageContaining("LIFEBOAT_ENCRYPTION_KEY_FILE");
  }

  @Test
  void load_missingOrInvalidFile_saysWhatIsWrong() throws IOException {
    assertThatThrownBy(() -> EncryptionKey.load(dir.resolve("absent.key")))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("does not exist")
        .hasMessageContaining("lifeboat key generate");
    Path garbage = Files.writeString(dir.resolve("garbage.key"), "{\"not\": \"a keyset\"}");
    assertThatThrownBy(() -> EncryptionKey.load(garbage))
        .isInstanceOf(KeyFileException.class).hasMessageContaining("is not a Lifeboat encryption key");
  }

  @Test
  void encryptionValue_parsesOurSchemeAndRefusesUnknownOnes() throws IOException {
    assertThat(Encryption.parse("none")).isEqualTo(Encryption.NONE);
    assertThat(Encryption.parse(key.encryption().value()).keyId()).contains(key.keyId());
    assertThatThrownBy(() -> Encryption.parse("age:abc")).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("unknown encryption 'age:abc'");
  }
}
