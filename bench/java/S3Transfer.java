import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.StreamCopy;
import io.lifeboat.repository.codec.Compression;
import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.S3SnapshotStore;
import io.lifeboat.repository.s3.Secret;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bench driver (not shipped): Lifeboat's S3 upload/download and zstd compression of one file, as
 * `snapshot save --s3` / `restore --s3` / `--compress zstd` run them, so bench/s3.sh can time them
 * beside `aws s3 cp` and `zstd -3`.
 *
 * <pre>
 * put  ENDPOINT BUCKET NAME FILE   (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
 * get  ENDPOINT BUCKET NAME OUT
 * zstd FILE OUT
 * </pre>
 */
public final class S3Transfer {
  public static void main(String[] argv) throws Exception {
    // Run through bin/lifeboat as `snapshot save|restore [--s3] -- OPERATION ...`: the words before
    // `--` only choose the JVM options bin/lifeboat gives that command.
    int operation = java.util.Arrays.asList(argv).indexOf("--") + 1;
    String[] args = java.util.Arrays.copyOfRange(argv, operation, argv.length);
    switch (args[0]) {
      case "put" -> {
        try (S3SnapshotStore store = S3SnapshotStore.open(config(args))) {
          store.put(new SnapshotName(args[3]), ObjectKind.DB, ObjectSource.ofFile(Path.of(args[4])));
        }
      }
      case "get" -> {
        try (S3SnapshotStore store = S3SnapshotStore.open(config(args));
            InputStream in = store.get(new SnapshotName(args[3]), ObjectKind.DB);
            OutputStream out = Files.newOutputStream(Path.of(args[4]))) {
          StreamCopy.copy(in, out); // as restore --s3 does
        }
      }
      case "zstd" -> {
        try (InputStream in = Files.newInputStream(Path.of(args[1]));
            OutputStream out = Compression.ZSTD.compress(Files.newOutputStream(Path.of(args[2])), new SnapshotName("bench"))) {
          StreamCopy.copy(in, out); // as EncodedSource feeds the codec in `snapshot save`
        }
      }
      default -> throw new IllegalArgumentException("put, get or zstd");
    }
  }

  private static S3Config config(String[] args) {
    S3Config config = S3Config.forBucket(args[2]).withEndpoint(URI.create(args[1])).withRegion("us-east-1")
        .withCredentials(System.getenv("AWS_ACCESS_KEY_ID"), Secret.of(System.getenv("AWS_SECRET_ACCESS_KEY")));
    // Experiments only: BENCH_PART_MB / BENCH_CONCURRENCY override the defaults the CLI uses.
    String part = System.getenv("BENCH_PART_MB");
    String concurrency = System.getenv("BENCH_CONCURRENCY");
    if (part != null || concurrency != null) {
      config = config.withTransfer(part == null ? config.partSize() : Integer.parseInt(part) << 20,
          concurrency == null ? config.concurrency() : Integer.parseInt(concurrency));
    }
    return config;
  }
}
