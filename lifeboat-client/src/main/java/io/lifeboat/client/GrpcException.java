package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

/**
 * A gRPC call that did not end with OK: the server's status, or the status we give a transport
 * failure (the I/O exception is the cause). Never leaves this package: {@link Failures} turns it
 * into an {@link EtcdClientException} naming the endpoint.
 */
final class GrpcException extends Exception {
  private static final long serialVersionUID = 1L;

  private final GrpcCode code;
  private final String description;

  GrpcException(GrpcCode code, String description, Throwable cause) {
    super(requireNonNull(code, "code") + ": " + requireNonNull(description, "description"), cause);
    this.code = code;
    this.description = description;
  }

  GrpcException(GrpcCode code, String description) {
    this(code, description, null);
  }

  GrpcCode code() {
    return code;
  }

  /** What the server (or the transport) said, possibly empty. */
  String description() {
    return description;
  }
}
