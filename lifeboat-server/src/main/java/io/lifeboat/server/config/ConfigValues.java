package io.lifeboat.server.config;

import io.lifeboat.client.ConnectionException;
import io.lifeboat.client.ConnectionSettings;
import io.lifeboat.client.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parsing of the setting values that YAML files and environment variables share, so that one value
 * means the same in every source. Failures are {@link IllegalArgumentException}s whose message the
 * caller prefixes with file, line and key, or with the variable; they never contain file contents.
 */
final class ConfigValues {
  private ConfigValues() {}

  /** {@code true/false/on/off/yes/no/1/0}, any case; empty for anything else. */
  static Optional<Boolean> bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1" -> Optional.of(true);
      case "false", "off", "no", "0" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** Checks each endpoint as etcdctl would and returns them stripped, in order. */
  static List<String> endpoints(List<String> endpoints) {
    for (String e : endpoints) {
      try {
        ConnectionSettings.parseEndpoints(e);
      } catch (ConnectionException ex) {
        throw new IllegalArgumentException("'" + ConfigException.shown(e)
            + "' is not a valid endpoint; expected [http[s]://]host:port");
      }
    }
    return endpoints.stream().map(String::strip).toList();
  }

  /**
   * {@code host:port}, {@code [::1]:port} or {@code :port} (all interfaces). The host is resolved
   * now, because whether it is a loopback address decides whether the API may go without a token.
   */
  static InetSocketAddress listen(String text) {
    String t = text.strip();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf("]:");
      if (close < 0) {
        throw badListen(t);
      }
      host = t.substring(1, close);
      port = t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      if (colon < 0 || t.indexOf(':') != colon) {
        throw badListen(t);
      }
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw badListen(t);
    }
    try {
      InetAddress address = InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host);
      return new InetSocketAddress(address, Integer.parseInt(port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve listen host '" + ConfigException.shown(host) + "'");
    }
  }

  private static IllegalArgumentException badListen(String t) {
    return new IllegalArgumentException("expected host:port (or [::1]:port), got '" + ConfigException.shown(t) + "'");
  }

  /** An S3 endpoint URI; {@code http} or {@code https} with a host. */
  static URI s3Endpoint(String text) {
    String t = text.strip();
    try {
      URI uri = new URI(t);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below with the expected form
    }
    throw new IllegalArgumentException("expected an http(s) URL such as https://s3.example.com:9000, got '"
        + ConfigException.shown(t) + "'");
  }

  /** The first line of a password file, stripped. The message names the path, never the content. */
  static Secret secretFile(Path file) {
    String first;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      first = Optional.ofNullable(r.readLine()).orElse("").strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getClass().getSimpleName());
    }
    if (first.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty: the password is its first line");
    }
    return new Secret(first);
  }
}
