package io.lifeboat.etcd.membership;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Peer URL validation and normalization as etcd does it ({@code types.NewURLs} over Go's
 * {@code url.Parse}): scheme http, https, unix or unixs; for http(s) a {@code host:port} and no path.
 * The normalized form is Go's {@code url.String()}, the string member IDs are computed from.
 */
public final class PeerUrls {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*");

  private PeerUrls() {}

  /**
   * Validates each URL (leading and trailing white space is trimmed, as etcd does) and returns
   * their normalized strings sorted bytewise.
   *
   * @throws ClusterConfigException with etcd's message for the first invalid URL
   */
  public static List<String> parse(List<String> urls) {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new ClusterConfigException("no valid URLs given");
    }
    List<String> normalized = new ArrayList<>(urls.size());
    for (String url : urls) {
      normalized.add(normalize(Objects.requireNonNull(url, "url")));
    }
    normalized.sort(PeerUrls::compareBytes);
    return List.copyOf(normalized);
  }

  /** Validates and normalizes one URL. */
  public static String normalize(String url) {
    String in = url.strip();
    int colon = in.indexOf(':');
    String scheme = "";
    String rest = in;
    if (colon > 0 && SCHEME.matcher(in.substring(0, colon)).matches()) {
      scheme = in.substring(0, colon).toLowerCase(Locale.ROOT);
      rest = in.substring(colon + 1);
    } else if (colon == 0) {
      throw new ClusterConfigException(String.format(Locale.ROOT, "parse %s: missing protocol scheme", quote(in)));
    } else if (colon > 0 && firstSegment(in).contains(":")) {
      throw new ClusterConfigException(String.format(Locale.ROOT,
          "parse %s: first path segment in URL cannot contain colon", quote(in)));
    }
    String fragment = "";
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      fragment = rest.substring(hash);
      rest = rest.substring(0, hash);
    }
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question);
      rest = rest.substring(0, question);
    }
    String authority = "";
    String path = rest;
    boolean hierarchical = rest.startsWith("//");
    if (hierarchical) {
      int slash = rest.indexOf('/', 2);
      authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      path = slash < 0 ? "" : rest.substring(slash);
    }
    int at = authority.lastIndexOf('@');
    String host = at < 0 ? authority : authority.substring(at + 1);
    checkPort(in, host);
    switch (scheme) {
      case "http", "https" -> {
        if (!hasHostPort(host)) {
          throw new ClusterConfigException(String.format(Locale.ROOT,
              "URL address does not have the form \"host:port\": %s", in));
        }
        if (!path.isEmpty()) {
          throw new ClusterConfigException(String.format(Locale.ROOT, "URL must not contain a path: %s", in));
        }
      }
      case "unix", "unixs" -> { }
      default -> throw new ClusterConfigException(String.format(Locale.ROOT,
          "URL scheme must be http, https, unix, or unixs: %s", in));
    }
    StringBuilder out = new StringBuilder(in.length());
    out.append(scheme).append(':');
    if (hierarchical) {
      out.append("//").append(authority);
    }
    return out.append(path).append(query).append(fragment).toString();
  }

  private static String firstSegment(String s) {
    int end = s.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = s.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return s.substring(0, end);
  }

  /** Go's url.Parse rejects a non-numeric port after the host. */
  private static void checkPort(String in, String host) {
    int colon = host.lastIndexOf(':');
    if (colon < 0 || (host.startsWith("[") && colon < host.indexOf(']'))) {
      return;
    }
    String port = host.substring(colon);
    for (int i = 1; i < port.length(); i++) {
      if (port.charAt(i) < '0' || port.charAt(i) > '9') {
        throw new ClusterConfigException(String.format(Locale.ROOT,
            "parse %s: invalid port %s after host", quote(in), quote(port)));
      }
    }
  }

  /** Go's net.SplitHostPort succeeds. */
  private static boolean hasHostPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close > 0 && close + 1 < host.length() && host.charAt(close + 1) == ':'
          && host.indexOf(':', close + 2) < 0 && host.indexOf('[', 1) < 0 && host.indexOf(']', close + 1) < 0;
    }
    int colon = host.lastIndexOf(':');
    return colon >= 0 && host.indexOf(':') == colon && host.indexOf('[') < 0 && host.indexOf(']') < 0;
  }

  /** A double-quoted string in the manner of Go's {@code %q}, for messages. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Bytewise (UTF-8) order, as Go's sort.Strings. */
  static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
