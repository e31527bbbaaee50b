package io.lifeboat.repository.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbandonedTemporariesTest {
  @TempDir Path dir;

  private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

  /** A process id no process has: the highest possible on Linux is below 2^22. */
  private static final long DEAD_PID = 4_194_304L + 17;

  private Path file(String name, Duration age) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "partial snapshot bytes");
    Files.setLastModifiedTime(p, FileTime.from(now.minus(age)));
    return p;
  }

  private List<String> remaining() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void deletesOursOfADeadProcessAfterAMinute_andAnyOfOursIdleForAnHour_andNothingElse() throws IOException {
    long self = ProcessHandle.current().pid();
    file(".a.db.lifeboat-tmp-" + DEAD_PID + "-0a0b0c", Duration.ofMinutes(2));        // dead writer, idle: gone
    file(".b.db.lifeboat-tmp-" + DEAD_PID + "-0a0b0d", Duration.ofSeconds(10));       // dead writer, just written: kept
    file(".c.db.lifeboat-tmp-" + self + "-0a0b0e", Duration.ofMinutes(30));           // live writer: kept
    file(".d.db.lifeboat-tmp-" + self + "-0a0b0f", Duration.ofHours(2));              // idle an hour: gone
    file(".e.db.lifeboat-tmp-a1b2c3d4e5f6", Duration.ofHours(2));                      // old name form, idle: gone
    file(".f.db.lifeboat-tmp-a1b2c3d4e5f7", Duration.ofMinutes(5));                    // old name form, recent: kept
    file("snap.db", Duration.ofDays(30));                                              // a snapshot: never
    file(".hidden-notes", Duration.ofDays(30));                                        // not ours: never
    file("x.lifeboat-tmp-1-2", Duration.ofDays(30));                                   // no leading dot: not ours

    List<String> deleted = PendingFile.deleteAbandoned(dir, now);

    assertThat(deleted).containsExactlyInAnyOrder(".a.db.lifeboat-tmp-" + DEAD_PID + "-0a0b0c",
        ".d.db.lifeboat-tmp-" + self + "-0a0b0f", ".e.db.lifeboat-tmp-a1b2c3d4e5f6");
    assertThat(remaining()).containsExactly(".b.db.lifeboat-tmp-" + DEAD_PID + "-0a0b0d",
        ".c.db.lifeboat-tmp-" + self + "-0a0b0e", ".f.db.lifeboat-tmp-a1b2c3d4e5f7", ".hidden-notes", "snap.db",
        "x.lifeboat-tmp-1-2");
  }

  @Test
  void neverDeletesAPendingFileOfThisProcess_evenWhenIdle() throws IOException {
    try (PendingFile pending = PendingFile.create(dir.resolve("live.db"), ReplacePolicy.NEVER_REPLACE)) {
      Files.setLastModifiedTime(pending.temporaryPath(), FileTime.from(Instant.now().minus(Duration.ofHours(3))));

      assertThat(PendingFile.deleteAbandoned(dir, Instant.now())).isEmpty();
      assertThat(pending.temporaryPath()).exists();
      assertThat(PendingFile.writerPid(pending.temporaryPath().getFileName().toString()))
          .hasValue(ProcessHandle.current().pid());
    }
  }

  @Test
  void aMissingDirectory_hasNothingToDelete() throws IOException {
    assertThat(PendingFile.deleteAbandoned(dir.resolve("absent"), now)).isEmpty();
  }
}
