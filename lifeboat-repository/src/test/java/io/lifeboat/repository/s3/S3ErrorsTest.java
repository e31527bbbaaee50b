package io.lifeboat.repository.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ErrorsTest {
  private final S3Config config = S3Config.forBucket("backups").withRegion("us-east-1")
      .withCredentials("AKIAEXAMPLE", Secret.of("very-secret"));
  private final S3Errors errors = new S3Errors(config);

  private static S3Exception s3(int status, String code, String bucketRegion) {
    SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
    if (bucketRegion != null) {
      http.putHeader("x-amz-bucket-region", bucketRegion);
    }
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("message from S3")
            .sdkHttpResponse(http.build()).build())
        .build();
  }

  private StoreException map(S3Exception e) {
    return errors.map("uploading x.db", e, false);
  }

  @Test
  void permanentRedirect_isWrongRegion_namingTheBucketsRegion() {
    StoreException e = map(s3(301, "PermanentRedirect", "eu-west-1"));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_REGION);
    assertThat(e.getMessage()).contains("the bucket is in region 'eu-west-1'").contains("'us-east-1'")
        .contains("--region");
  }

  @Test
  void authorizationHeaderMalformed_isWrongRegion() {
    assertThat(map(s3(400, "AuthorizationHeaderMalformed", null)).reason()).isEqualTo(Reason.WRONG_REGION);
  }

  @Test
  void headBucketWithAnotherRegion_isWrongRegion() {
    assertThat(errors.map("checking", s3(301, "", "ap-south-1"), false).getMessage()).contains("ap-south-1");
  }

  @Test
  void noSuchBucket_isBucketMissing() {
    StoreException e = map(s3(404, "NoSuchBucket", null));
    assertThat(e.reason()).isEqualTo(Reason.BUCKET_MISSING);
    assertThat(e.getMessage()).contains("bucket 'backups' does not exist at AWS S3");
  }

  @Test
  void invalidAccessKey_isBadCredentials_withoutTheSecret() {
    StoreException e = map(s3(403, "InvalidAccessKeyId", null));
    assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    assertThat(e.getMessage()).doesNotContain("very-secret");
  }

  @Test
  void slowDownAfterRetries_isTransientAndRetryable() {
    StoreException e = map(s3(503, "SlowDown", null));
    assertThat(e.reason()).isEqualTo(Reason.TRANSIENT);
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void unknownHost_isUnreachable() {
    StoreException e = errors.map("checking", SdkClientException.builder().message("Unable to execute HTTP request")
        .cause(new UnknownHostException("s3.invalid")).build(), false);
    assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
    assertThat(e.getMessage()).contains("cannot reach the S3 endpoint");
  }

  @Test
  void noCredentialsAnywhere_saysWhereCredentialsCanComeFrom() {
    StoreException e = errors.map("checking", SdkClientException.create(
        "Unable to load credentials from any of the providers in the chain"), false);
    assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
    assertThat(e.getMessage()).contains("--access-key").contains("AWS_ACCESS_KEY_ID");
  }

  @Test
  void secret_printsAsStars_andConfigNeverShowsIt() {
    assertThat(Secret.of("very-secret")).hasToString("***");
    assertThat(config.toString()).doesNotContain("very-secret");
    assertThat(config.withEndpoint(URI.create("https://minio.local:9000")).location())
        .isEqualTo("s3://backups/ at https://minio.local:9000");
  }

  @Test
  void folder_isNormalizedToAKeyPrefix() {
    assertThat(config.withFolder("/a/b/").keyPrefix()).isEqualTo("a/b/");
    assertThat(config.withFolder("").keyPrefix()).isEmpty();
  }
}
