package io.lifeboat.etcd.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lifeboat.etcd.membership.InitialCluster;
import io.lifeboat.etcd.membership.Member;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-exact checks against the annotated restore of member m1 in etcd-formats.md section 7. */
class BootstrapWalTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String M1_JSON = "{\"id\":8160616549479273934,\"peerURLs\":[\"http://127.0.0.1:2380\"],\"name\":\"m1\"}";
  private static final String ID = "ceab8b9fbdb095a071";

  @TempDir Path dir;

  private static List<Member> m1() {
    return InitialCluster.parse("m1=http://127.0.0.1:2380").members("tok");
  }

  private static String common() {
    return "0400000000000084" + "08041000" + "00000000"
        + "1e00000000000082" + "080110c4948ede03" + "1a14" + "08" + ID + "10b7a5c380b7e29dd524" + "0000"
        + "0e00000000000082" + "080510d1b58ba103" + "1a04" + "08001000" + "0000"
        + "6d00000000000083" + "080210ce889ba804" + "1a63" + "0801100118012" + "25b" + "0800100018" + ID
        + "224b" + HEX.formatHex(M1_JSON.getBytes(StandardCharsets.UTF_8)) + "000000"
        + "1800000000000000" + "080310f1d9e7e108" + "1a0e" + "0801" + "10" + ID + "1801";
  }

  @Test
  void write_m1For34_isByteIdenticalToEtcdctl() throws IOException {
    Member m = m1().get(0);
    Path wal = BootstrapWal.write(dir, m.id(), 0x24aa77137010d2b7L, m1(), false);

    String expected = common() + "0e00000000000082" + "080510bef5a9b00c" + "1a04" + "08011001" + "0000";
    byte[] bytes = Files.readAllBytes(wal);
    assertThat(wal.getFileName()).hasToString("0000000000000000-0000000000000000.wal");
    assertThat(bytes).hasSize(64_000_000);
    assertThat(HEX.formatHex(Arrays.copyOf(bytes, 0x100))).isEqualTo(expected);
    assertThat(Arrays.copyOfRange(bytes, 0x100, 0x10000)).containsOnly(0);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
  }

  @Test
  void write_m1For35_endsWithConfStateSnapshotRecord() throws IOException {
    Member m = m1().get(0);
    Path wal = BootstrapWal.write(dir, m.id(), 0x24aa77137010d2b7L, m1(), true);

    String expected = common() + "1c00000000000084" + "08051081e8a7f502" + "1a12" + "080110011a0c" + "08" + ID
        + "2800" + "00000000";
    byte[] bytes = Files.readAllBytes(wal);
    assertThat(HEX.formatHex(Arrays.copyOf(bytes, 0x110))).isEqualTo(expected);
    assertThat(bytes[0x110]).isZero();
  }

  @Test
  void bootstrapSnap_m1_is6489BytesWithEtcdCrc() {
    byte[] snap = SnapFiles.bootstrap(m1());

    assertThat(snap).hasSize(6489);
    assertThat(HEX.formatHex(Arrays.copyOf(snap, 12))).isEqualTo("08b7ea9df70e12d0320ab932");
    byte[] raftSnapshot = Arrays.copyOfRange(snap, 9, snap.length);
    CRC32C crc = new CRC32C();
    crc.update(raftSnapshot);
    assertThat(crc.getValue()).isEqualTo(0xeee77537L);
    assertThat(HEX.formatHex(Arrays.copyOfRange(snap, snap.length - 20, snap.length)))
        .isEqualTo("12120a0c08" + ID + "280010011801");
  }

  @Test
  void v2StoreJson_m1_startsAndEndsAsEtcdWritesIt() {
    String json = V2Store.json(m1());

    assertThat(json).hasSize(6457);
    assertThat(json).startsWith("{\"Root\":{\"Path\":\"/\",\"CreatedIndex\":0,\"ModifiedIndex\":0,"
        + "\"ExpireTime\":\"0001-01-01T00:00:00Z\",\"Value\":\"\",\"Children\":{\"0\":{\"Path\":\"/0\"");
    assertThat(json).contains("\"Value\":\"{\\\"peerURLs\\\":[\\\"http://127.0.0.1:2380\\\"]}\",\"Children\":null}");
    assertThat(json).contains("\"Events\":[{\"action\":\"create\",\"node\":{\"key\":\"/0/members/71405583d3e2d5ce"
        + "/raftAttributes\",\"value\":\"{\\\"peerURLs\\\":[\\\"http://127.0.0.1:2380\\\"]}\",\"modifiedIndex\":1,"
        + "\"createdIndex\":1}},null,");
    assertThat(json).endsWith("\"Size\":1,\"Front\":0,\"Back\":1,\"Capacity\":1000},\"StartIndex\":1,"
        + "\"LastIndex\":1}},\"CurrentIndex\":1,\"Stats\":{\"getsSuccess\":0,\"getsFail\":0,\"setsSuccess\":0,"
        + "\"setsFail\":0,\"deleteSuccess\":0,\"deleteFail\":0,\"updateSuccess\":0,\"updateFail\":0,"
        + "\"createSuccess\":1,\"createFail\":0,\"compareAndSwapSuccess\":0,\"compareAndSwapFail\":0,"
        + "\"compareAndDeleteSuccess\":0,\"compareAndDeleteFail\":0,\"expireCount\":0,\"watchers\":0},"
        + "\"CurrentVersion\":2}");
  }

  @Test
  void write_threeMembers_ordersEntriesByUnsignedIdAndVotesForTheSmallest() throws IOException {
    List<Member> members = InitialCluster.parse(
        "m1=http://127.0.0.1:24801,m2=http://127.0.0.1:24802,m2=http://127.0.0.1:24812,m3=http://127.0.0.1:24803")
        .members("tk");
    assertThat(members).extracting(Member::name).containsExactly("m2", "m3", "m1");

    Path wal = BootstrapWal.write(dir, members.get(2).id(), 0x8d6a6b2e52323ac1L, members, true);
    byte[] head = Arrays.copyOf(Files.readAllBytes(wal), 2048);
    String hex = HEX.formatHex(head);
    // HardState{term 1, vote m2, commit 3} and the final snapshot{3, 1, voters m2, m3, m1}.
    String m2 = varint(0x25ddfb0b01155537L);
    String m3 = varint(0x8f5bd587750b0470L);
    String m1 = varint(0xf31f9feb73fcb3c5L);
    assertThat(hex).contains("1a0e" + "0801" + "10" + m2 + "1803");
    assertThat(hex).contains("1a28" + "0803" + "1001" + "1a22" + "08" + m2 + "08" + m3 + "08" + m1 + "2800");
    // Metadata{NodeID m1, ClusterID}.
    assertThat(hex).contains("08" + m1 + "10" + varint(0x8d6a6b2e52323ac1L));
    assertThat(SnapFiles.name(1, 3)).isEqualTo("0000000000000001-0000000000000003.snap");
  }

  private static String varint(long value) {
    StringBuilder out = new StringBuilder();
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.append(String.format("%02x", (v & 0x7F) | 0x80));
      v >>>= 7;
    }
    return out.append(String.format("%02x", v)).toString();
  }
}
