package io.lifeboat.repository.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.SnapshotName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RkeZipTest {
  private static final SnapshotName NAME = new SnapshotName("2020-10-15T14:53:26Z_etcd");
  @TempDir Path dir;

  private static byte[] zipOf(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String readEntry(byte[] zip, String archiveBaseName) throws IOException {
    RkeZip.Entry e = RkeZip.read(new ByteArrayInputStream(zip), archiveBaseName);
    try (InputStream in = e.data()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void writer_makesTheSingleDeflateEntryRkeRestoresFrom_withEpochModificationTime() throws IOException {
    Path file = dir.resolve(NAME.value() + ".zip");
    try (OutputStream out = RkeZip.writer(Files.newOutputStream(file), NAME)) {
      out.write("snapshot bytes".getBytes(StandardCharsets.UTF_8));
    }

    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      assertThat(entries).extracting(ZipEntry::getName).containsExactly("/backup/2020-10-15T14:53:26Z_etcd");
      ZipEntry e = entries.get(0);
      assertThat(e.getMethod()).isEqualTo(ZipEntry.DEFLATED);
      assertThat(e.getLastModifiedTime().toMillis()).isZero();
      try (InputStream in = zip.getInputStream(e)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("snapshot bytes");
      }
    }
  }

  @Test
  void read_takesTheEntryNamedAfterTheArchive_andReportsTheRkeState() throws IOException {
    byte[] zip = zipOf("/etc/kubernetes/" + NAME.value() + ".rkestate", "{state}",
        "/backup/other", "not this one",
        "/backup/" + NAME.value(), "the snapshot");

    RkeZip.Entry e = RkeZip.read(new ByteArrayInputStream(zip), NAME.value());

    assertThat(e.entryName()).isEqualTo("/backup/" + NAME.value());
    assertThat(e.rkeStateEntry()).contains("/etc/kubernetes/" + NAME.value() + ".rkestate");
    assertThat(new String(e.data().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("the snapshot");
  }

  @Test
  void read_withoutAMatchingName_takesTheOnlyNonRkeStateEntry() throws IOException {
    byte[] zip = zipOf("backup/renamed-snapshot", "the snapshot", "/etc/kubernetes/x.rkestate", "{}");

    assertThat(readEntry(zip, "some-archive")).isEqualTo("the snapshot");
  }

  @Test
  void read_whenTheOnlyCandidateComesFirstUnderAnotherName_stillDeliversIt() throws IOException {
    byte[] zip = zipOf("/backup/renamed", "the snapshot", "/etc/kubernetes/x.rkestate", "{}");

    RkeZip.Entry e = RkeZip.read(new ByteArrayInputStream(zip), "x");

    assertThat(e.entryName()).isEqualTo("/backup/renamed");
    try (InputStream in = e.data()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("the snapshot");
    }
  }

  @Test
  void read_withTwoCandidatesAndNoMatchingName_isAnIntegrityError() throws IOException {
    byte[] zip = zipOf("/backup/a", "one", "/backup/b", "two");

    assertThatThrownBy(() -> readEntry(zip, "c")).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("ambiguous archive").hasMessageContaining("'/backup/a'")
        .hasMessageContaining("'/backup/b'");
  }

  @Test
  void read_withOnlyAnRkeState_isAnIntegrityErrorListingTheEntries() throws IOException {
    byte[] zip = zipOf("/etc/kubernetes/x.rkestate", "{}");

    assertThatThrownBy(() -> readEntry(zip, "x")).isInstanceOf(IntegrityException.class)
        .hasMessageContaining("no snapshot entry").hasMessageContaining("/etc/kubernetes/x.rkestate")
        .hasMessageContaining("expected /backup/x");
  }

  @Test
  void read_ofSomethingThatIsNotAZip_isAnIntegrityError() {
    byte[] notZip = "PK\u0003\u0004 but then garbage".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> readEntry(notZip, "x")).isInstanceOf(IntegrityException.class);
  }
}
