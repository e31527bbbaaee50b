package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/lifeboat's start-up choices: a class-data archive per command, made by that command's first
 * run and used by the next, and the JIT directives of {@code snapshot save}, none of which may
 * change what a command prints.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LauncherIT {
  private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

  @TempDir Path dir;

  @Test
  void version_firstRunMakesItsOwnArchive_secondUsesIt_outputUnchanged() throws IOException {
    Path cds = dir.resolve("cds");
    Map<String, String> env = Map.of("LIFEBOAT_CDS_DIR", cds.toString());

    // The first run is java itself (exec'd), so it writes its archive under a temporary name...
    CommandResult first = LifeboatProcess.run(env, "version").requireSuccess();
    assertThat(archives(cds)).singleElement().asString().matches(".*-version\\.jsa\\.\\d+\\.tmp");
    // ...that the second checks, names and uses.
    CommandResult second = LifeboatProcess.run(env, "version").requireSuccess();
    assertThat(archives(cds)).singleElement().asString().endsWith("-version.jsa");
    CommandResult third = LifeboatProcess.run(env, "version").requireSuccess();

    assertThat(archives(cds)).singleElement().asString().endsWith("-version.jsa");
    assertThat(third.stdout()).isEqualTo(first.stdout());
    assertThat(third.stderr()).isEmpty();
    assertThat(second.stdout()).isEqualTo(first.stdout()).startsWith("Lifeboat ");
    assertThat(first.stderr()).isEmpty();
    assertThat(second.stderr()).isEmpty();
  }

  @Test
  void makingAnArchive_removesOtherBuildsArchivesAfterAnHour_andAnyAfterAWeek() throws IOException {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    Path otherBuildOld = archive(cds, "lifeboat-1-2-version.jsa", Duration.ofHours(2));
    Path otherBuildRecent = archive(cds, "lifeboat-1-3-version.jsa", Duration.ofMinutes(5));
    Path jar = LifeboatProcess.repositoryRoot().resolve("lifeboat-cli/target/lifeboat.jar");
    String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() / 1000;
    Path thisBuildOld = archive(cds, "lifeboat-" + stamp + "-snapshot-ls.jsa", Duration.ofHours(2));
    Path thisBuildStale = archive(cds, "lifeboat-" + stamp + "-snapshot-delete.jsa", Duration.ofDays(8));
    Path notOurs = archive(cds, "notes.txt", Duration.ofDays(30));

    LifeboatProcess.run(Map.of("LIFEBOAT_CDS_DIR", cds.toString()), "version").requireSuccess();

    assertThat(otherBuildOld).doesNotExist();
    assertThat(thisBuildStale).doesNotExist();
    assertThat(otherBuildRecent).exists();
    assertThat(thisBuildOld).exists();
    assertThat(notOurs).exists();
    assertThat(archives(cds)).anyMatch(name -> name.matches("lifeboat-" + stamp + "-version\\.jsa\\.\\d+\\.tmp"));
  }

  @Test
  void aPartialArchiveLeftByAKilledRun_isDiscardedSilently() throws IOException {
    Path cds = dir.resolve("cds");
    Map<String, String> env = Map.of("LIFEBOAT_CDS_DIR", cds.toString());
    LifeboatProcess.run(env, "version").requireSuccess();
    LifeboatProcess.run(env, "version").requireSuccess();
    Path whole = cds.resolve(archives(cds).get(0));
    // As if a `snapshot ls` run had been killed while writing its archive (no process has that pid).
    String partialName = whole.getFileName().toString().replace("-version.jsa", "-snapshot-ls.jsa") + ".99999999.tmp";
    byte[] start = new byte[100_000];
    try (var in = Files.newInputStream(whole)) {
      assertThat(in.readNBytes(start, 0, start.length)).isEqualTo(start.length);
    }
    Path partial = Files.write(cds.resolve(partialName), start);

    CommandResult ls = LifeboatProcess.run(env, "snapshot", "ls", "--dir", dir.resolve("none").toString());

    assertThat(ls.exitCode()).as(ls.stderr()).isZero();
    assertThat(ls.stderr()).isEmpty();
    assertThat(partial).doesNotExist();
    assertThat(archives(cds)).noneMatch(name -> name.endsWith("-snapshot-ls.jsa"));
    try (Stream<Path> files = Files.list(Path.of(""))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err"));
    }
  }

  private static Path archive(Path cds, String name, Duration age) throws IOException {
    Path file = Files.write(cds.resolve(name), new byte[] {1});
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    return file;
  }

  @Test
  void snapshotSave_globalOptionsFirst_getsItsOwnArchive_andPrintsOnlyItsOwnLines() throws IOException {
    Path cds = dir.resolve("cds");
    Map<String, String> env = Map.of("LIFEBOAT_CDS_DIR", cds.toString());
    try (EtcdCluster cluster = EtcdCluster.builder().version(EtcdVersion.V3_5).members(1).name("launcher").start()) {
      cluster.etcdctl("put", "launcher", "value").requireSuccess();
      String endpoint = cluster.endpoints();

      List<String> revisions = new ArrayList<>();
      for (String file : List.of("first.db", "second.db", "third.db")) {
        CommandResult saved = LifeboatProcess.run(env, "--endpoints", endpoint, "snapshot", "save",
            dir.resolve(file).toString(), "-w", "json").requireSuccess();
        // -w json: stdout is the metadata alone; stderr only the member chosen (no JVM notices).
        assertThat(saved.stdout().strip()).startsWith("{").endsWith("}").contains("\"revision\":");
        assertThat(saved.stderr().lines()).singleElement().asString().startsWith("Streaming from member ");
        assertThat(archives(cds)).singleElement().asString().contains("-snapshot-save.jsa");
        Matcher revision = REVISION.matcher(saved.stdout());
        assertThat(revision.find()).isTrue();
        revisions.add(revision.group(1));
      }
      // Nothing was written between the saves: both hold etcd's revision of the one put.
      assertThat(revisions).containsExactly("2", "2", "2");
      assertThat(archives(cds)).singleElement().asString().endsWith("-snapshot-save.jsa");
    }
  }

  private static List<String> archives(Path cds) throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
