package io.lifeboat.cli;

import io.lifeboat.repository.s3.S3Config;
import io.lifeboat.repository.s3.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The S3 flags, with RKE's names ({@code rke etcd snapshot-save --s3 --s3-endpoint ...}). Only plain
 * JDK types here: picocli loads field types at start-up. The secret key has no default at all, so
 * {@code --help} can never print it; without {@code --access-key} the AWS SDK's usual chain
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile files, instance roles) supplies credentials.
 */
public final class S3Options {
  private static final String AWS_ENDPOINT_HOST = "s3.amazonaws.com";

  @Option(names = "--s3", description = "Also use the S3 bucket given by --bucket-name, --s3-endpoint, --region, --folder and the credentials.")
  boolean s3;

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "S3 endpoint, e.g. https://minio.example:9000 (default: AWS, s3.amazonaws.com); a host without"
          + " scheme means https. A custom endpoint uses path-style addressing.")
  String endpoint;

  @Option(names = "--bucket-name", paramLabel = "BUCKET", description = "Bucket holding the snapshots (required with --s3).")
  String bucket;

  @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
      description = "Region of the bucket (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--folder", paramLabel = "FOLDER", description = "Key prefix (folder) inside the bucket (default: the bucket root).")
  String folder;

  @Option(names = "--access-key", paramLabel = "KEY",
      description = "S3 access key; without it the AWS SDK's credential chain is used (environment, profile, instance role).")
  String accessKey;

  @Option(names = "--secret-key", paramLabel = "SECRET",
      description = "S3 secret key for --access-key; also read from AWS_SECRET_ACCESS_KEY when --access-key is given"
          + " without it. Never printed.")
  String secretKey;

  @Option(names = "--s3-endpoint-ca", paramLabel = "FILE",
      description = "PEM CA bundle that signed the S3 endpoint's certificate.")
  Path endpointCa;

  public boolean enabled() {
    return s3;
  }

  /**
   * The S3 configuration when {@code --s3} is given; every problem with the options is reported at
   * once as a usage error.
   */
  public Optional<S3Config> config(Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    if (!s3) {
      List<String> given = new ArrayList<>();
      addIf(given, endpoint != null, "--s3-endpoint");
      addIf(given, bucket != null, "--bucket-name");
      addIf(given, folder != null, "--folder");
      addIf(given, accessKey != null, "--access-key");
      addIf(given, secretKey != null, "--secret-key");
      addIf(given, endpointCa != null, "--s3-endpoint-ca");
      if (!given.isEmpty()) {
        throw new UsageException(String.join(", ", given) + " given without --s3; add --s3 to use the bucket");
      }
      return Optional.empty();
    }
    if (bucket == null || bucket.isBlank()) {
      problems.add("--bucket-name is required with --s3");
    }
    Optional<URI> uri = Optional.empty();
    if (endpoint != null && !endpoint.isBlank()) {
      try {
        uri = endpointUri(endpoint.strip());
      } catch (URISyntaxException | IllegalArgumentException e) {
        problems.add(String.format(Locale.ROOT, "--s3-endpoint '%s' is not a URL (%s)", truncate(endpoint),
            e.getMessage()));
      }
    }
    Optional<String> secret = Optional.ofNullable(secretKey);
    if (accessKey != null && secret.isEmpty()) {
      secret = Optional.ofNullable(environment.get("AWS_SECRET_ACCESS_KEY"));
      if (secret.isEmpty()) {
        problems.add("--access-key needs --secret-key (or the environment variable AWS_SECRET_ACCESS_KEY)");
      }
    }
    if (accessKey == null && secretKey != null) {
      problems.add("--secret-key needs --access-key");
    }
    if (endpointCa != null && !java.nio.file.Files.isReadable(endpointCa)) {
      problems.add("--s3-endpoint-ca " + endpointCa + " is not a readable file");
    }
    if (!problems.isEmpty()) {
      throw new UsageException(String.join("; ", problems));
    }
    S3Config config = S3Config.forBucket(bucket.strip()).withRegion(region == null ? "us-east-1" : region.strip());
    if (uri.isPresent()) {
      config = config.withEndpoint(uri.get());
    }
    if (folder != null) {
      config = config.withFolder(folder);
    }
    if (accessKey != null) {
      config = config.withCredentials(accessKey, Secret.of(secret.orElseThrow()));
    }
    if (endpointCa != null) {
      config = config.withEndpointCa(endpointCa);
    }
    return Optional.of(config);
  }

  private static Optional<URI> endpointUri(String text) throws URISyntaxException {
    String withScheme = text.contains("://") ? text : "https://" + text;
    URI uri = new URI(withScheme);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host");
    }
    if (uri.getHost().equalsIgnoreCase(AWS_ENDPOINT_HOST) && uri.getPort() < 0) {
      return Optional.empty(); // RKE's default: plain AWS, regional endpoint chosen by the SDK
    }
    return Optional.of(uri);
  }

  private static void addIf(List<String> list, boolean condition, String value) {
    if (condition) {
      list.add(value);
    }
  }

  private static String truncate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  @Override
  public String toString() {
    return "S3Options[s3=" + s3 + ", bucket=" + bucket + ", secretKey=***]";
  }
}
