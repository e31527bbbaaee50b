package io.lifeboat.etcd.membership;

import java.util.List;
import java.util.Objects;

/**
 * A member of a cluster being bootstrapped: its ID (unsigned), name and sorted, normalized peer URLs.
 *
 * @param id the member ID, an unsigned 64-bit value
 */
public record Member(long id, String name, List<String> peerUrls) {
  public Member {
    Objects.requireNonNull(name, "name");
    peerUrls = List.copyOf(peerUrls);
  }

  /** The ID as etcd prints it in keys and logs ({@code %x}). */
  public String hexId() {
    return MemberIds.hex(id);
  }

  /**
   * The member as Go's encoding/json writes etcd's {@code membership.Member} with only raft and
   * name attributes: {@code {"id":<unsigned decimal>,"peerURLs":[...],"name":"m1"}}; an empty name is
   * omitted. This is the ConfChange context in the WAL and the {@code members} row in the backend.
   */
  public String toJson() {
    StringBuilder out = new StringBuilder(64 + 32 * peerUrls.size());
    out.append("{\"id\":").append(Long.toUnsignedString(id)).append(",\"peerURLs\":");
    appendUrls(out);
    if (!name.isEmpty()) {
      out.append(",\"name\":");
      GoJson.appendString(out, name);
    }
    return out.append('}').toString();
  }

  /** etcd's {@code RaftAttributes} JSON, as the v2 store keeps it: {@code {"peerURLs":[...]}}. */
  public String raftAttributesJson() {
    StringBuilder out = new StringBuilder(16 + 32 * peerUrls.size());
    out.append("{\"peerURLs\":");
    appendUrls(out);
    return out.append('}').toString();
  }

  private void appendUrls(StringBuilder out) {
    out.append('[');
    for (int i = 0; i < peerUrls.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      GoJson.appendString(out, peerUrls.get(i));
    }
    out.append(']');
  }
}
