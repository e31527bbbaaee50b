package io.lifeboat.etcd.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked examples of etcd-formats.md section 6, checked against etcd 3.4.23 and 3.5.16. */
class MemberIdsTest {
  @Test
  void memberId_m1WithTok_matchesEtcd() {
    long id = MemberIds.memberId(List.of("http://127.0.0.1:2380"), "tok");

    assertThat(id).isEqualTo(0x71405583d3e2d5ceL);
    assertThat(Long.toUnsignedString(id)).isEqualTo("8160616549479273934");
    assertThat(MemberIds.clusterId(List.of(id))).isEqualTo(0x24aa77137010d2b7L);
    assertThat(Long.toUnsignedString(MemberIds.clusterId(List.of(id)))).isEqualTo("2642055056774451895");
  }

  @Test
  void memberId_threeMembersTok3_matchesEtcd() {
    InitialCluster cluster = InitialCluster.parse(
        "a=http://10.0.0.1:2380,b=https://10.0.0.2:2381,b=http://10.0.0.2:2380,c=http://10.0.0.3:2380");

    List<Member> members = cluster.members("tok3");

    assertThat(members).extracting(Member::name).containsExactly("b", "c", "a");
    assertThat(members).extracting(Member::id)
        .containsExactly(0x2c0b7e8b59ef1eabL, 0x64a12af469d3c35eL, 0xba3d8e585d4e3172L);
    assertThat(members.get(0).peerUrls()).containsExactly("http://10.0.0.2:2380", "https://10.0.0.2:2381");
    assertThat(MemberIds.clusterId(members.stream().map(Member::id).toList())).isEqualTo(0x228b779f4a403376L);
  }

  @Test
  void clusterId_idsAbove2To63_sortedUnsigned() {
    InitialCluster cluster = InitialCluster.parse("m1=http://127.0.0.1:24801,m2=http://127.0.0.1:24802,"
        + "m2=http://127.0.0.1:24812,m3=http://127.0.0.1:24803");

    List<Member> members = cluster.members("tk");

    assertThat(members).extracting(m -> Long.toUnsignedString(m.id()))
        .containsExactly("2728612973937775927", "10330084948065322096", "17518896909106590661");
    assertThat(members).extracting(Member::name).containsExactly("m2", "m3", "m1");
    // Input order must not matter.
    long cid = MemberIds.clusterId(List.of(0xf31f9feb73fcb3c5L, 0x25ddfb0b01155537L, 0x8f5bd587750b0470L));
    assertThat(cid).isEqualTo(0x8d6a6b2e52323ac1L);
    assertThat(Long.toUnsignedString(cid)).isEqualTo("10190074953570859713");
  }

  @Test
  void toJson_member_isGoEncodingJson() {
    Member m = InitialCluster.parse("m1=http://127.0.0.1:2380").members("tok").get(0);

    assertThat(m.toJson())
        .isEqualTo("{\"id\":8160616549479273934,\"peerURLs\":[\"http://127.0.0.1:2380\"],\"name\":\"m1\"}");
    assertThat(m.hexId()).isEqualTo("71405583d3e2d5ce");
    assertThat(m.raftAttributesJson()).isEqualTo("{\"peerURLs\":[\"http://127.0.0.1:2380\"]}");
  }

  @Test
  void toJson_specialCharactersInName_escapedAsGo() {
    Member m = new Member(-1L, "a<b>&\"c\\\u2028\n\u0001", List.of("http://h:1"));

    assertThat(m.toJson()).isEqualTo("{\"id\":18446744073709551615,\"peerURLs\":[\"http://h:1\"],"
        + "\"name\":\"a\\u003cb\\u003e\\u0026\\\"c\\\\\\u2028\\n\\u0001\"}");
  }

  @Test
  void toJson_emptyName_omitted() {
    assertThat(new Member(1, "", List.of("http://h:1")).toJson()).isEqualTo("{\"id\":1,\"peerURLs\":[\"http://h:1\"]}");
  }
}
