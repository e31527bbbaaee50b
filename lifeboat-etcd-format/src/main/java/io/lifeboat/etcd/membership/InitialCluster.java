package io.lifeboat.etcd.membership;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An {@code --initial-cluster} value: member names to their peer URLs, parsed as etcd does
 * ({@code types.NewURLsMap}): split on {@code ,}, then on the first {@code =}; a repeated name adds
 * URLs. URLs are validated and normalized ({@link PeerUrls}); a URL used twice is refused.
 */
public final class InitialCluster {
  /** etcdctl's default {@code --initial-cluster}. */
  public static final String DEFAULT = "default=http://localhost:2380";

  private final Map<String, List<String>> urlsByName;

  private InitialCluster(Map<String, List<String>> urlsByName) {
    this.urlsByName = urlsByName;
  }

  /**
   * Parses and validates a value such as {@code n1=http://a:2380,n2=http://b:2380}.
   *
   * @throws ClusterConfigException with etcd's message for a malformed URL or a duplicate URL
   */
  public static InitialCluster parse(String value) {
    Objects.requireNonNull(value, "value");
    Map<String, List<String>> raw = new LinkedHashMap<>();
    for (String entry : value.split(",", -1)) {
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String name = eq < 0 ? entry : entry.substring(0, eq);
      String url = eq < 0 ? "" : entry.substring(eq + 1);
      raw.computeIfAbsent(name, n -> new ArrayList<>()).add(url);
    }
    Map<String, List<String>> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : raw.entrySet()) {
      parsed.put(e.getKey(), PeerUrls.parse(e.getValue()));
    }
    InitialCluster cluster = new InitialCluster(Collections.unmodifiableMap(parsed));
    Set<String> seen = new HashSet<>();
    for (List<String> urls : parsed.values()) {
      for (String url : urls) {
        if (!seen.add(url)) {
          throw new ClusterConfigException(String.format(Locale.ROOT,
              "initial cluster %s has duplicate url", cluster));
        }
      }
    }
    return cluster;
  }

  /** Member names in the order they first appear. */
  public List<String> names() {
    return List.copyOf(urlsByName.keySet());
  }

  /** The sorted, normalized peer URLs of {@code name}, or an empty list when it is not a member. */
  public List<String> peerUrls(String name) {
    return urlsByName.getOrDefault(name, List.of());
  }

  /**
   * The members with their IDs for {@code token}, sorted by unsigned ID (the order of the bootstrap
   * entries in the WAL).
   *
   * @throws ClusterConfigException when two members get the same ID, or an ID is 0
   */
  public List<Member> members(String token) {
    Objects.requireNonNull(token, "token");
    List<Member> members = new ArrayList<>(urlsByName.size());
    Map<Long, String> byId = new HashMap<>();
    for (Map.Entry<String, List<String>> e : urlsByName.entrySet()) {
      long id = MemberIds.memberId(e.getValue(), token);
      if (id == 0) {
        throw new ClusterConfigException("cannot use 0 as member id");
      }
      String other = byId.putIfAbsent(id, e.getKey());
      if (other != null) {
        throw new ClusterConfigException(String.format(Locale.ROOT,
            "member exists with identical ID %x (members %s and %s)", id, other, e.getKey()));
      }
      members.add(new Member(id, e.getKey(), e.getValue()));
    }
    members.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
    return List.copyOf(members);
  }

  /**
   * etcd's bootstrap checks ({@code ServerConfig.VerifyBootstrap}) for the local member: its name is
   * in the initial cluster and its advertised peer URLs equal its cluster URLs as sorted sets. Unlike
   * etcd, host names are compared as written, not resolved through DNS.
   *
   * @param advertisePeerUrls validated, normalized URLs ({@link PeerUrls#parse})
   * @throws ClusterConfigException with etcd's message
   */
  public void verifyBootstrap(String name, List<String> advertisePeerUrls) {
    Objects.requireNonNull(name, "name");
    List<String> urls = urlsByName.get(name);
    if (urls == null) {
      throw new ClusterConfigException(String.format(Locale.ROOT,
          "couldn't find local name %s in the initial cluster configuration", PeerUrls.quote(name)));
    }
    List<String> advertised = new ArrayList<>(advertisePeerUrls);
    advertised.sort(PeerUrls::compareBytes);
    if (advertised.equals(urls)) {
      return;
    }
    String why = mismatch(advertised, urls);
    List<String> missing = new ArrayList<>();
    for (String url : new java.util.TreeSet<>(urls)) {
      if (!advertised.contains(url)) {
        missing.add(name + "=" + url);
      }
    }
    if (!missing.isEmpty()) {
      throw new ClusterConfigException(String.format(Locale.ROOT,
          "--initial-cluster has %s but missing from --initial-advertise-peer-urls=%s (%s)",
          String.join(",", missing), String.join(",", advertised), why));
    }
    for (String url : new java.util.TreeSet<>(advertised)) {
      if (!urls.contains(url)) {
        missing.add(url);
      }
    }
    List<String> pairs = new ArrayList<>();
    for (String url : advertised) {
      pairs.add(name + "=" + url);
    }
    throw new ClusterConfigException(String.format(Locale.ROOT,
        "--initial-advertise-peer-urls has %s but missing from --initial-cluster=%s",
        String.join(",", missing), String.join(",", pairs)));
  }

  /** The reason etcd's {@code netutil.URLStringsEqual} gives. */
  private static String mismatch(List<String> a, List<String> b) {
    if (a.size() != b.size()) {
      return String.format(Locale.ROOT, "len(%s) != len(%s)", goStrings(a), goStrings(b));
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        return String.format(Locale.ROOT, "resolved urls: %s != %s",
            PeerUrls.quote(a.get(i)), PeerUrls.quote(b.get(i)));
      }
    }
    return "";
  }

  private static String goStrings(List<String> list) {
    List<String> quoted = new ArrayList<>();
    for (String s : list) {
      quoted.add(PeerUrls.quote(s));
    }
    return "[" + String.join(" ", quoted) + "]";
  }

  /** etcd's {@code URLsMap.String()}: {@code name=url} pairs sorted, joined by commas. */
  @Override
  public String toString() {
    List<String> pairs = new ArrayList<>();
    urlsByName.forEach((name, urls) -> urls.forEach(url -> pairs.add(name + "=" + url)));
    Collections.sort(pairs);
    return String.join(",", pairs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InitialCluster other && urlsByName.equals(other.urlsByName);
  }

  @Override
  public int hashCode() {
    return urlsByName.hashCode();
  }
}
