package io.lifeboat.repository.s3;

import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK exceptions into {@link StoreException}s whose messages say what to do. */
final class S3Errors {
  private static final Set<String> CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
      "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "InvalidClientTokenId");
  private static final Set<String> REGION_CODES = Set.of("AuthorizationHeaderMalformed", "PermanentRedirect",
      "IllegalLocationConstraintException", "IncorrectEndpoint");
  private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "RequestTimeout", "InternalError",
      "ServiceUnavailable", "Throttling", "ThrottlingException", "RequestTimeTooSkewed");
  private static final int MAX_DETAIL = 200;

  private final S3Config config;

  S3Errors(S3Config config) {
    this.config = config;
  }

  /**
   * @param operation what was being done, e.g. "uploading etcd-1.db.zst"
   * @param notFoundMeansKey whether a bare 404 (HEAD has no error body) means a missing key rather
   *     than a missing bucket
   */
  StoreException map(String operation, SdkException e, boolean notFoundMeansKey) {
    if (e instanceof S3Exception s3) {
      return mapService(operation, s3, notFoundMeansKey);
    }
    return mapClient(operation, e);
  }

  private StoreException mapService(String operation, S3Exception e, boolean notFoundMeansKey) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? "" : nullToEmpty(e.awsErrorDetails().errorCode());
    Optional<String> bucketRegion = e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
        ? Optional.empty()
        : e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
    String where = config.location();
    if (code.equals("NoSuchBucket") || (status == 404 && !notFoundMeansKey && code.isEmpty())) {
      return new StoreException(Reason.BUCKET_MISSING, String.format(Locale.ROOT,
          "%s: bucket '%s' does not exist at %s; create it or correct --bucket-name", operation,
          config.bucket(), config.endpoint().map(Object::toString).orElse("AWS S3")), e);
    }
    if (code.equals("NoSuchKey") || code.equals("NoSuchUpload") || status == 404) {
      return new StoreException(Reason.NOT_FOUND, String.format(Locale.ROOT, "%s: no such object in %s",
          operation, where), e);
    }
    if (REGION_CODES.contains(code) || status == 301
        || (bucketRegion.isPresent() && !bucketRegion.get().equals(config.effectiveRegion()))) {
      String actual = bucketRegion.map(r -> String.format(Locale.ROOT, " the bucket is in region '%s';", r))
          .orElse("");
      return new StoreException(Reason.WRONG_REGION, String.format(Locale.ROOT,
          "%s: wrong region for bucket '%s':%s the request used '%s'; set --region to the bucket's region",
          operation, config.bucket(), actual, config.effectiveRegion()), e);
    }
    if (CREDENTIAL_CODES.contains(code)) {
      return new StoreException(Reason.BAD_CREDENTIALS, String.format(Locale.ROOT,
          "%s: %s rejected the credentials (%s); check --access-key/--secret-key or the AWS_ACCESS_KEY_ID/"
              + "AWS_SECRET_ACCESS_KEY environment variables or profile", operation,
          config.endpoint().map(Object::toString).orElse("AWS S3"), code), e);
    }
    if (status == 403) {
      return new StoreException(Reason.ACCESS_DENIED, String.format(Locale.ROOT,
          "%s: access denied to %s (%s); wrong credentials, or they lack permission on the bucket", operation,
          where, code.isEmpty() ? "403" : code), e);
    }
    if (status == 412 || code.equals("PreconditionFailed") || code.equals("ConditionalRequestConflict")) {
      return new StoreException(Reason.ALREADY_EXISTS, String.format(Locale.ROOT,
          "%s: the object already exists in %s; snapshots are never overwritten", operation, where), e);
    }
    if (status >= 500 || status == 429 || TRANSIENT_CODES.contains(code)) {
      return new StoreException(Reason.TRANSIENT, String.format(Locale.ROOT,
          "%s: %s kept failing after %d attempts (%d %s); try again later", operation, where,
          config.maxAttempts(), status, code), e);
    }
    return new StoreException(Reason.OTHER, String.format(Locale.ROOT, "%s: %s answered %d %s: %s", operation,
        where, status, code, truncate(e.awsErrorDetails() == null ? e.getMessage()
            : e.awsErrorDetails().errorMessage())), e);
  }

  private StoreException mapClient(String operation, SdkException e) {
    String endpoint = config.endpoint().map(Object::toString).orElse("AWS S3 (" + config.effectiveRegion() + ")");
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return new StoreException(Reason.UNREACHABLE, String.format(Locale.ROOT,
            "%s: cannot reach the S3 endpoint %s (%s); check --s3-endpoint and the network", operation,
            endpoint, truncate(t.toString())), e);
      }
      if (t instanceof SSLException) {
        return new StoreException(Reason.UNREACHABLE, String.format(Locale.ROOT,
            "%s: TLS with %s failed (%s); for a private CA give --s3-endpoint-ca", operation, endpoint,
            tlsReason(t)), e);
      }
    }
    String message = nullToEmpty(e.getMessage());
    if (e instanceof SdkClientException && message.contains("Unable to load credentials")) {
      return new StoreException(Reason.BAD_CREDENTIALS, String.format(Locale.ROOT,
          "%s: no S3 credentials found; give --access-key and --secret-key, or set AWS_ACCESS_KEY_ID and "
              + "AWS_SECRET_ACCESS_KEY, or configure a profile", operation), e);
    }
    return new StoreException(Reason.TRANSIENT, String.format(Locale.ROOT,
        "%s: talking to %s failed after %d attempts: %s", operation, endpoint, config.maxAttempts(),
        truncate(message)), e);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static String truncate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }

  /** The JDK's words for an untrusted certificate ("PKIX path building failed: ...") in plain terms. */
  private static String tlsReason(Throwable ssl) {
    for (Throwable t = ssl; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertPathBuilderException
          || nullToEmpty(t.getMessage()).contains("PKIX path building failed")) {
        return "the server's certificate is not signed by a trusted CA";
      }
      if (t instanceof java.security.cert.CertificateExpiredException) {
        return "the server's certificate has expired";
      }
    }
    return truncate(ssl.getMessage());
  }
}
