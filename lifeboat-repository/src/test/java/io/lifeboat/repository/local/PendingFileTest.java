package io.lifeboat.repository.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingFileTest {
  @TempDir Path dir;

  @Test
  void commit_makesFile0600InNewDirectory0700_andNoFinalNameBefore() throws IOException {
    Path target = dir.resolve("snapshots/nested/a.db");
    try (PendingFile file = PendingFile.create(target, ReplacePolicy.NEVER_REPLACE)) {
      file.channel().write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
      assertThat(target).doesNotExist();
      assertThat(file.temporaryPath()).exists().hasParent(target.getParent());
      file.commit();
    }

    assertThat(target).hasContent("hello");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent()))).isEqualTo("rwx------");
    assertThat(listNames(target.getParent())).containsExactly("a.db");
  }

  @Test
  void closeWithoutCommit_leavesNothing() throws IOException {
    Path target = dir.resolve("a.db");
    try (PendingFile file = PendingFile.create(target, ReplacePolicy.NEVER_REPLACE)) {
      file.channel().write(ByteBuffer.wrap(new byte[4096]));
    }

    assertThat(listNames(dir)).isEmpty();
  }

  @Test
  void create_neverReplaceAndTargetExists_failsAndKeepsExisting() throws IOException {
    Path target = Files.writeString(dir.resolve("a.db"), "old");

    assertThatThrownBy(() -> PendingFile.create(target, ReplacePolicy.NEVER_REPLACE))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("never overwritten");
    assertThat(target).hasContent("old");
    assertThat(listNames(dir)).containsExactly("a.db");
  }

  @Test
  void commit_neverReplaceAndTargetAppearedMeanwhile_failsAndKeepsBoth() throws IOException {
    Path target = dir.resolve("a.db");
    try (PendingFile file = PendingFile.create(target, ReplacePolicy.NEVER_REPLACE)) {
      file.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
      Files.writeString(target, "racer");
      assertThatThrownBy(file::commit).isInstanceOf(FileAlreadyExistsException.class);
    }

    assertThat(target).hasContent("racer");
    assertThat(listNames(dir)).containsExactly("a.db");
  }

  @Test
  void commit_replaceExisting_replacesAtomically() throws IOException {
    Path target = Files.writeString(dir.resolve("a.db"), "old");
    try (PendingFile file = PendingFile.create(target, ReplacePolicy.REPLACE_EXISTING)) {
      file.channel().write(ByteBuffer.wrap("new".getBytes(StandardCharsets.UTF_8)));
      file.commit();
    }

    assertThat(target).hasContent("new");
  }

  @Test
  void truncate_startsOver() throws IOException {
    Path target = dir.resolve("a.db");
    try (PendingFile file = PendingFile.create(target, ReplacePolicy.NEVER_REPLACE)) {
      file.channel().write(ByteBuffer.wrap("partial from a member that died".getBytes(StandardCharsets.UTF_8)));
      file.truncate();
      file.channel().write(ByteBuffer.wrap("whole".getBytes(StandardCharsets.UTF_8)));
      file.commit();
    }

    assertThat(target).hasContent("whole");
  }

  @Test
  void isTemporaryName_recognisesOurTemporaryFiles() throws IOException {
    try (PendingFile file = PendingFile.create(dir.resolve("a.db"), ReplacePolicy.NEVER_REPLACE)) {
      assertThat(PendingFile.isTemporaryName(file.temporaryPath().getFileName().toString())).isTrue();
    }
    assertThat(PendingFile.isTemporaryName("a.db")).isFalse();
  }

  private static java.util.List<String> listNames(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
