package io.lifeboat.server.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP listener.
 *
 * @param listen default {@code 127.0.0.1:9090}
 * @param tokenFile the bearer token the API requires (first line of the file, trimmed)
 * @param allowUnauthenticatedLoopback serve the API without a token; only allowed when {@code listen}
 *     is a loopback address
 */
public record HttpSettings(InetSocketAddress listen, Optional<Path> tokenFile, boolean allowUnauthenticatedLoopback) {
  public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress("127.0.0.1", 9090);

  public HttpSettings {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(tokenFile, "tokenFile");
    if (allowUnauthenticatedLoopback && !listen.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the API may go without a token only on a loopback address, not "
          + listen.getHostString());
    }
  }
}
