package io.lifeboat.repository.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach a bucket, with RKE's option names in mind: {@code --s3-endpoint},
 * {@code --bucket-name}, {@code --region}, {@code --folder}, {@code --access-key},
 * {@code --secret-key}, {@code --s3-endpoint-ca}. Without an access key the AWS SDK's usual chain
 * (environment variables, profile files, instance roles) supplies credentials. A custom endpoint
 * uses path-style addressing ({@code https://host/bucket/key}).
 *
 * @param endpoint custom endpoint; empty for AWS
 * @param region empty: {@code us-east-1}
 * @param folder key prefix without leading or trailing slash; empty for the bucket root
 * @param partSize multipart part size in bytes (at least 5 MiB, S3's minimum); memory per upload is
 *     about {@code partSize * (concurrency + 1)}
 * @param concurrency parts transferred in parallel per upload
 * @param maxAttempts attempts per request (first try included) for 5xx, throttling, resets, timeouts
 */
public record S3Config(
    Optional<URI> endpoint,
    String bucket,
    Optional<String> region,
    String folder,
    Optional<String> accessKey,
    Optional<Secret> secretKey,
    Optional<Path> endpointCa,
    int partSize,
    int concurrency,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    Duration connectTimeout,
    Duration socketTimeout) {
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
  public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;

  public S3Config {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(endpointCa, "endpointCa");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    folder = normalizeFolder(folder);
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("--bucket-name is required with --s3");
    }
    if (accessKey.isPresent() != secretKey.isPresent()) {
      throw new IllegalArgumentException("--access-key and --secret-key must be given together");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "part size %d is below S3's minimum %d",
          partSize, MIN_PART_SIZE));
    }
    if (concurrency < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("concurrency and maxAttempts must be at least 1");
    }
  }

  /** Defaults for everything but the bucket: AWS endpoint, SDK credential chain, 16 MiB parts x 4, 5 attempts. */
  public static S3Config forBucket(String bucket) {
    return new S3Config(Optional.empty(), bucket, Optional.empty(), "", Optional.empty(), Optional.empty(),
        Optional.empty(), DEFAULT_PART_SIZE, 4, 5, Duration.ofMillis(200), Duration.ofSeconds(10),
        Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public S3Config withEndpoint(URI uri) {
    return new S3Config(Optional.of(uri), bucket, region, folder, accessKey, secretKey, endpointCa, partSize,
        concurrency, maxAttempts, backoffBase, backoffMax, connectTimeout, socketTimeout);
  }

  public S3Config withRegion(String r) {
    return new S3Config(endpoint, bucket, Optional.of(r), folder, accessKey, secretKey, endpointCa, partSize,
        concurrency, maxAttempts, backoffBase, backoffMax, connectTimeout, socketTimeout);
  }

  public S3Config withFolder(String f) {
    return new S3Config(endpoint, bucket, region, f, accessKey, secretKey, endpointCa, partSize, concurrency,
        maxAttempts, backoffBase, backoffMax, connectTimeout, socketTimeout);
  }

  public S3Config withCredentials(String access, Secret secret) {
    return new S3Config(endpoint, bucket, region, folder, Optional.of(access), Optional.of(secret), endpointCa,
        partSize, concurrency, maxAttempts, backoffBase, backoffMax, connectTimeout, socketTimeout);
  }

  public S3Config withEndpointCa(Path caFile) {
    return new S3Config(endpoint, bucket, region, folder, accessKey, secretKey, Optional.of(caFile), partSize,
        concurrency, maxAttempts, backoffBase, backoffMax, connectTimeout, socketTimeout);
  }

  public S3Config withTransfer(int newPartSize, int newConcurrency) {
    return new S3Config(endpoint, bucket, region, folder, accessKey, secretKey, endpointCa, newPartSize,
        newConcurrency, maxAttempts, backoffBase, backoffMax, connectTimeout, socketTimeout);
  }

  public S3Config withRetries(int attempts, Duration base, Duration max) {
    return new S3Config(endpoint, bucket, region, folder, accessKey, secretKey, endpointCa, partSize,
        concurrency, attempts, base, max, connectTimeout, socketTimeout);
  }

  public S3Config withTimeouts(Duration connect, Duration socket) {
    return new S3Config(endpoint, bucket, region, folder, accessKey, secretKey, endpointCa, partSize,
        concurrency, maxAttempts, backoffBase, backoffMax, connect, socket);
  }

  public String effectiveRegion() {
    return region.filter(r -> !r.isBlank()).orElse("us-east-1");
  }

  /** {@code s3://bucket/folder/} plus the endpoint when custom; never credentials. */
  public String location() {
    String where = "s3://" + bucket + "/" + (folder.isEmpty() ? "" : folder + "/");
    return endpoint.map(e -> where + " at " + e).orElse(where);
  }

  /** The key prefix for this folder: empty or {@code folder/}. */
  String keyPrefix() {
    return folder.isEmpty() ? "" : folder + "/";
  }

  private static String normalizeFolder(String f) {
    String s = f.strip();
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
