package io.lifeboat.etcd.membership;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Member and cluster IDs as etcd derives them at bootstrap and restore ({@code membership.NewMember}
 * without a time suffix, {@code RaftCluster.genID}). IDs are unsigned 64-bit values held in a
 * {@code long}: compare with {@link Long#compareUnsigned}, print with {@link Long#toUnsignedString}.
 */
public final class MemberIds {
  private MemberIds() {}

  /**
   * SHA-1 over the member's normalized peer URLs sorted bytewise and concatenated, then the cluster
   * token; the first 8 bytes big-endian.
   */
  public static long memberId(List<String> peerUrls, String token) {
    Objects.requireNonNull(token, "token");
    List<String> sorted = new ArrayList<>(peerUrls);
    sorted.sort(PeerUrls::compareBytes);
    MessageDigest sha1 = sha1();
    for (String url : sorted) {
      sha1.update(url.getBytes(StandardCharsets.UTF_8));
    }
    sha1.update(token.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(sha1.digest()).getLong();
  }

  /** SHA-1 over the member IDs sorted as unsigned values, each 8 bytes big-endian; the first 8 bytes. */
  public static long clusterId(List<Long> memberIds) {
    List<Long> sorted = new ArrayList<>(memberIds);
    sorted.sort(Long::compareUnsigned);
    ByteBuffer ids = ByteBuffer.allocate(8 * sorted.size());
    for (long id : sorted) {
      ids.putLong(id);
    }
    return ByteBuffer.wrap(sha1().digest(ids.array())).getLong();
  }

  /** The textual form etcd uses in keys, paths and logs: lowercase hex without padding. */
  public static String hex(long id) {
    return Long.toHexString(id);
  }

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
