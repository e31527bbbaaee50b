package io.lifeboat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProtoReaderTest {
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:2379");

  /** A StatusResponse as etcd 3.5 encodes one: header, version, dbSize, leader, raft index/term, an error. */
  private static byte[] statusResponse() {
    byte[] header = new ProtoWriter().int64(1, 0x1234).int64(2, 0xab5c8ffc41c28b27L).int64(3, 99).toByteArray();
    return new ProtoWriter()
        .bytes(1, header)
        .string(2, "3.5.16")
        .int64(3, 1_285_931_040L)
        .int64(4, 0xab5c8ffc41c28b27L)
        .int64(5, 394_888)
        .int64(6, 5)
        .int64(7, 394_888)
        .string(8, "memberID:1 alarm:NOSPACE")
        .int64(9, 1_000_000)
        .toByteArray();
  }

  @Test
  void status_etcdEncoding_givesEveryField() throws Exception {
    MemberStatus status = EtcdMessages.status(ENDPOINT, ByteBuffer.wrap(statusResponse()));

    assertThat(status.clusterId()).isEqualTo(0x1234);
    assertThat(status.memberId()).isEqualTo(0xab5c8ffc41c28b27L);
    assertThat(status.isLeader()).isTrue();
    assertThat(status.serverVersion()).isEqualTo("3.5.16");
    assertThat(status.dbSize()).isEqualTo(1_285_931_040L);
    assertThat(status.raftIndex()).isEqualTo(394_888);
    assertThat(status.raftTerm()).isEqualTo(5);
    assertThat(status.errors()).containsExactly("memberID:1 alarm:NOSPACE");
  }

  @Test
  void members_etcdEncoding_givesUrlsAndLearnerFlag() throws Exception {
    byte[] member =
        new ProtoWriter()
            .int64(1, 42)
            .string(2, "etcd-a")
            .string(3, "https://10.0.0.1:2380")
            .string(4, "https://10.0.0.1:2379")
            .string(4, "https://a.example:2379")
            .int64(5, 1)
            .toByteArray();
    byte[] response = new ProtoWriter().bytes(2, member).toByteArray();

    assertThat(EtcdMessages.members(ByteBuffer.wrap(response)))
        .containsExactly(
            new Member(
                42,
                "etcd-a",
                java.util.List.of(URI.create("https://10.0.0.1:2380")),
                java.util.List.of(URI.create("https://10.0.0.1:2379"), URI.create("https://a.example:2379")),
                true));
  }

  @Test
  void nextField_varintCutOff_isMalformedWithOffset() {
    byte[] cut = {0x18, (byte) 0x80, (byte) 0x80};

    assertThatThrownBy(() -> EtcdMessages.status(ENDPOINT, ByteBuffer.wrap(cut)))
        .isInstanceOf(GrpcException.class)
        .hasMessage("INTERNAL: malformed StatusResponse message: a varint cut off by the end of the message at offset 1");
  }

  @Test
  void readBytes_lengthBeyondMessage_isMalformed() {
    byte[] longer = {0x12, 0x7f, 'x'};

    assertThatThrownBy(() -> EtcdMessages.status(ENDPOINT, ByteBuffer.wrap(longer)))
        .isInstanceOf(GrpcException.class)
        .hasMessageContaining("a field of 127 bytes, with 1 left at offset 1");
  }

  @Test
  void skip_groupWireType_isMalformed() {
    byte[] group = {0x7b};

    assertThatThrownBy(() -> EtcdMessages.status(ENDPOINT, ByteBuffer.wrap(group)))
        .isInstanceOf(GrpcException.class)
        .hasMessageContaining("wire type 3");
  }

  @Test
  void readUint64_fieldOfWrongWireType_isMalformed() {
    byte[] wrongType = new ProtoWriter().string(3, "not a number").toByteArray();

    assertThatThrownBy(() -> EtcdMessages.status(ENDPOINT, ByteBuffer.wrap(wrongType)))
        .isInstanceOf(GrpcException.class)
        .hasMessageContaining("wire type 2 where 0 belongs");
  }

  @Test
  void blob_snapshotChunk_isAViewOfTheBytes() throws Exception {
    byte[] chunk = new byte[32 * 1024];
    Arrays.fill(chunk, (byte) 7);
    byte[] response = new ProtoWriter().int64(2, 5000).bytes(3, chunk).toByteArray();

    ByteBuffer blob = EtcdMessages.blob(ByteBuffer.wrap(response));

    byte[] read = new byte[blob.remaining()];
    blob.get(read);
    assertThat(read).isEqualTo(chunk);
  }

  @Test
  @Timeout(30)
  void status_mutatedMessages_giveAStatusOrMalformed() {
    byte[] original = statusResponse();
    Random random = new Random(1185);
    for (int round = 0; round < 20_000; round++) {
      byte[] mutated = Arrays.copyOf(original, original.length);
      int mutations = 1 + random.nextInt(4);
      for (int i = 0; i < mutations; i++) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      if (random.nextBoolean()) {
        mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));
      }
      try {
        assertThat(EtcdMessages.status(ENDPOINT, ByteBuffer.wrap(mutated)).errors()).doesNotContainNull();
      } catch (GrpcException e) {
        assertThat(e.code()).isEqualTo(GrpcCode.INTERNAL);
        assertThat(e.description()).startsWith("malformed ");
      } catch (Throwable t) {
        fail("round " + round + ": " + Arrays.toString(mutated) + " threw " + t, t);
      }
    }
  }
}
