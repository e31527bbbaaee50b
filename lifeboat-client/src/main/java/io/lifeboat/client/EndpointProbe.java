package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * What asking one endpoint for its status gave: the status, or a one-line reason why not. Exactly
 * one of the two is present.
 */
public record EndpointProbe(URI endpoint, Optional<MemberStatus> status, Optional<String> failure) {
  public EndpointProbe {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(status, "status");
    requireNonNull(failure, "failure");
    if (status.isPresent() == failure.isPresent()) {
      throw new IllegalArgumentException("exactly one of status and failure must be present");
    }
  }

  public static EndpointProbe reached(MemberStatus status) {
    return new EndpointProbe(status.endpoint(), Optional.of(status), Optional.empty());
  }

  public static EndpointProbe failed(URI endpoint, String failure) {
    return new EndpointProbe(endpoint, Optional.empty(), Optional.of(failure));
  }
}
