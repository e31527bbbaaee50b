package io.lifeboat.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.SnapshotStoreContract;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryStoreIT extends SnapshotStoreContract {
  @TempDir Path temp;

  private Path dir() {
    return temp.resolve("snapshots");
  }

  @Override
  protected SnapshotStore createStore() {
    return new LocalDirectoryStore(dir());
  }

  @Override
  protected void putForeign(String relativeKey, byte[] content) throws Exception {
    Path p = dir().resolve(relativeKey);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }

  @Override
  protected void assertNoLeftovers() throws Exception {
    if (Files.isDirectory(dir())) {
      try (Stream<Path> files = Files.list(dir())) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void put_writesFiles0600InA0700Directory() throws Exception {
    store.put(NAME, ObjectKind.DB, ObjectSource.ofBytes(new byte[] {1, 2, 3}));

    Path file = dir().resolve(NAME.value() + ".db");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
  }

  @Test
  void check_whenLocationIsAFile_saysSo() throws Exception {
    Files.writeString(temp.resolve("file"), "x");
    try (LocalDirectoryStore s = new LocalDirectoryStore(temp.resolve("file"))) {
      assertThatThrownBy(s::check).isInstanceOfSatisfying(StoreException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.OTHER);
        assertThat(e.getMessage()).contains("is not a directory");
      });
    }
  }
}
