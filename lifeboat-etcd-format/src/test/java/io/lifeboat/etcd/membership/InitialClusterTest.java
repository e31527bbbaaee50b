package io.lifeboat.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InitialClusterTest {
  @Test
  void parse_repeatedName_addsUrlsSorted() {
    InitialCluster c = InitialCluster.parse("n1=http://b:2380,n2=http://c:2380,n1=http://a:2380");

    assertThat(c.names()).containsExactly("n1", "n2");
    assertThat(c.peerUrls("n1")).containsExactly("http://a:2380", "http://b:2380");
    assertThat(c).hasToString("n1=http://a:2380,n1=http://b:2380,n2=http://c:2380");
  }

  @Test
  void parse_urlWithEqualsSign_splitsOnFirstOnly() {
    InitialCluster c = InitialCluster.parse("n1=http://a:2380?x=y");

    assertThat(c.peerUrls("n1")).containsExactly("http://a:2380?x=y");
  }

  @Test
  void parse_schemeUppercase_normalizedToLowercase() {
    assertThat(InitialCluster.parse("n=HTTP://A:1").peerUrls("n")).containsExactly("http://A:1");
  }

  @Test
  void parse_emptyEntries_ignored() {
    assertThat(InitialCluster.parse(",n=http://a:1,").names()).containsExactly("n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
      "n=http://127.0.0.1:2380/|URL must not contain a path: http://127.0.0.1:2380/",
      "n=http://127.0.0.1|URL address does not have the form \"host:port\": http://127.0.0.1",
      "n=ftp://a:1|URL scheme must be http, https, unix, or unixs: ftp://a:1",
      "n|URL scheme must be http, https, unix, or unixs: ",
      "n=localhost:2380|URL scheme must be http, https, unix, or unixs: localhost:2380",
      "n=127.0.0.1:2380|parse \"127.0.0.1:2380\": first path segment in URL cannot contain colon",
      "n=http://a:b|parse \"http://a:b\": invalid port \":b\" after host",
      "a=http://h:1,b=http://h:1|initial cluster a=http://h:1,b=http://h:1 has duplicate url",
  })
  void parse_invalid_refusedWithEtcdMessage(String value, String message) {
    assertThatThrownBy(() -> InitialCluster.parse(value))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage(message);
  }

  @Test
  void parse_unixAndIpv6_accepted() {
    InitialCluster c = InitialCluster.parse("a=unix://sock:1,b=https://[::1]:2380");

    assertThat(c.peerUrls("b")).containsExactly("https://[::1]:2380");
  }

  @Test
  void verifyBootstrap_nameMissing_refused() {
    InitialCluster c = InitialCluster.parse("m1=http://127.0.0.1:2380");

    assertThatThrownBy(() -> c.verifyBootstrap("x", List.of("http://127.0.0.1:2380")))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage("couldn't find local name \"x\" in the initial cluster configuration");
  }

  @Test
  void verifyBootstrap_advertiseDiffers_refusedWithEtcdMessage() {
    InitialCluster c = InitialCluster.parse("m1=http://127.0.0.1:2380");

    assertThatThrownBy(() -> c.verifyBootstrap("m1", List.of("http://127.0.0.1:2381")))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage("--initial-cluster has m1=http://127.0.0.1:2380 but missing from"
            + " --initial-advertise-peer-urls=http://127.0.0.1:2381"
            + " (resolved urls: \"http://127.0.0.1:2381\" != \"http://127.0.0.1:2380\")");
  }

  @Test
  void verifyBootstrap_extraAdvertised_refused() {
    InitialCluster c = InitialCluster.parse("m1=http://a:1");

    assertThatThrownBy(() -> c.verifyBootstrap("m1", List.of("http://a:1", "http://b:1")))
        .isInstanceOf(ClusterConfigException.class)
        .hasMessage("--initial-advertise-peer-urls has http://b:1 but missing from"
            + " --initial-cluster=m1=http://a:1,m1=http://b:1");
  }

  @Test
  void verifyBootstrap_sameSetInOtherOrder_accepted() {
    InitialCluster c = InitialCluster.parse("m1=http://b:1,m1=http://a:1");

    c.verifyBootstrap("m1", List.of("http://a:1", "http://b:1"));
  }
}
