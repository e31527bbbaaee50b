package io.lifeboat.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.repository.crypto.EncryptionKey;
import io.lifeboat.testkit.CommandResult;
import io.lifeboat.testkit.EtcdCluster;
import io.lifeboat.testkit.EtcdMember;
import io.lifeboat.testkit.EtcdVersion;
import io.lifeboat.testkit.KubernetesLikeLoader;
import io.lifeboat.testkit.LoadSpec;
import io.lifeboat.testkit.S3Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lifeboat snapshot save} compressed, encrypted and uploaded to a real S3 server
 * (S3Proxy), then {@code snapshot restore} from the bucket alone into a data directory real etcd
 * boots with the source's data.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SnapshotS3IT {
  private static final String BUCKET = "lifeboat-s3-it";

  @TempDir Path dir;

  @Test
  void saveZstdEncryptedToS3_thenRestoreFromS3Only_bootsWithSourceData() throws IOException {
    EtcdVersion version = EtcdVersion.V3_5;
    Path snapshots = dir.resolve("snapshots");
    Path keyFile = EncryptionKey.generate(dir.resolve("snapshots.key")).file();
    try (S3Server s3 = S3Server.start()) {
      s3.createBucket(BUCKET);
      String[] s3Flags = {"--s3", "--s3-endpoint", s3.endpoint().toString(), "--bucket-name", BUCKET,
          "--region", s3.region(), "--access-key", s3.accessKey(), "--secret-key", s3.secretKey()};

      List<String> sourceView;
      try (EtcdCluster source = EtcdCluster.builder().version(version).members(1).name("s3-src").start()) {
        new KubernetesLikeLoader(source.client()).load(LoadSpec.keys(500));
        sourceView = EtcdViews.keyValues(source);
        CommandResult save = LifeboatProcess.run(concat(new String[] {"--endpoints", source.endpoints(), "snapshot",
            "save", "--dir", snapshots.toString(), "--name", "n1", "--compress", "zstd", "--encrypt-key-file",
            keyFile.toString(), "-w", "json"}, s3Flags));
        assertThat(save.exitCode()).as(save.stderr()).isZero();
        JsonNode metadata = EtcdViews.parse(save.stdout());
        assertThat(metadata.path("compression").asText()).isEqualTo("zstd");
        assertThat(metadata.path("encryption").asText()).contains(EncryptionKey.load(keyFile).keyId());
        assertThat(metadata.path("file").asText()).isEqualTo("n1.db.zst");
        assertThat(metadata.path("size").asLong()).isEqualTo(Files.size(snapshots.resolve("n1.db.zst")));
        assertThat(save.stdout() + save.stderr()).doesNotContain(s3.secretKey());
      }
      assertThat(snapshots.resolve("n1.db.zst")).isRegularFile();
      assertThat(snapshots.resolve("n1.json")).isRegularFile();
      try (Stream<Path> s = Files.list(snapshots)) {
        assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("n1.db.zst", "n1.json");
      }

      CommandResult ls = LifeboatProcess.run(concat(new String[] {"snapshot", "ls", "--dir", snapshots.toString()},
          s3Flags));
      assertThat(ls.exitCode()).as(ls.stderr()).isZero();
      List<String> rows = ls.stdout().lines().filter(l -> l.contains("n1")).toList();
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0)).contains("local+s3").contains("zstd");

      // Only the bucket has it now.
      Files.delete(snapshots.resolve("n1.db.zst"));
      Files.delete(snapshots.resolve("n1.json"));

      EtcdMember member = new EtcdMember("m1", URI.create("http://127.0.0.1:" + EtcdCluster.freeLoopbackPort()),
          URI.create("http://127.0.0.1:" + EtcdCluster.freeLoopbackPort()), dir.resolve("m1.etcd"),
          dir.resolve("m1.log"));
      CommandResult restore = LifeboatProcess.run(concat(new String[] {"snapshot", "restore", "n1", "--dir",
          snapshots.toString(), "--encrypt-key-file", keyFile.toString(), "--data-dir", member.dataDir().toString(),
          "--name", member.name(), "--initial-cluster", member.name() + "=" + member.peerUrl(),
          "--initial-cluster-token", "s3-restored", "--initial-advertise-peer-urls", member.peerUrl().toString()},
          s3Flags));
      assertThat(restore.exitCode()).as(restore.stderr()).isZero();
      try (Stream<Path> s = Files.list(dir)) {
        assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".lifeboat"))).isEmpty();
      }

      try (EtcdCluster restored = EtcdCluster.boot(version, "s3-restored", List.of(member))) {
        assertThat(EtcdViews.keyValues(restored)).isEqualTo(sourceView);
      }
    }
  }

  private static String[] concat(String[] a, String[] b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
