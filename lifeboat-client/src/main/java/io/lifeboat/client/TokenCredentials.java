package io.lifeboat.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.Optional;
import java.util.concurrent.Executor;

/** Adds etcd's {@code token} header when logged in. */
final class TokenCredentials extends CallCredentials {
  private final Optional<String> token;

  TokenCredentials(Optional<String> token) {
    this.token = token;
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    token.ifPresent(value -> headers.put(EndpointChannel.TOKEN, value));
    applier.apply(headers);
  }
}
