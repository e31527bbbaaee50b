package io.lifeboat.etcd.wal;

import io.lifeboat.etcd.membership.GoJson;
import io.lifeboat.etcd.membership.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The v2 store that etcd saves into a restore's {@code .snap} file ({@code v2store.store.Save}):
 * the members' raft attributes under {@code /0/members}, the create events in the watcher history,
 * the stats, exactly as Go's encoding/json writes them (no white space, map keys sorted).
 */
public final class V2Store {
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
  private static final int EVENT_HISTORY_CAPACITY = 1000;

  private V2Store() {}

  /**
   * The JSON of a store into which {@code members} (sorted by unsigned ID; member i gets raft index
   * i, from 1) were added.
   */
  public static String json(List<Member> members) {
    int n = members.size();
    if (n > EVENT_HISTORY_CAPACITY) {
      throw new IllegalArgumentException("more members than the v2 event history holds: " + n);
    }
    StringBuilder out = new StringBuilder(6000 + 400 * n);
    out.append("{\"Root\":");
    node(out, "/", 0, "");
    out.append(",\"Children\":{\"0\":");
    node(out, "/0", 0, "");
    out.append(",\"Children\":{\"members\":");
    node(out, "/0/members", n > 0 ? 1 : 0, "");
    out.append(",\"Children\":{");
    // Go sorts map keys as strings: hex IDs, not numbers.
    List<Integer> byHex = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byHex.add(i);
    }
    byHex.sort(Comparator.comparing(i -> members.get(i).hexId()));
    boolean first = true;
    for (int i : byHex) {
      Member m = members.get(i);
      long index = i + 1;
      String dir = "/0/members/" + m.hexId();
      if (!first) {
        out.append(',');
      }
      first = false;
      GoJson.appendString(out, m.hexId());
      out.append(':');
      node(out, dir, index, "");
      out.append(",\"Children\":{\"raftAttributes\":");
      node(out, dir + "/raftAttributes", index, m.raftAttributesJson());
      out.append(",\"Children\":null}}}");
    }
    out.append("}}}},\"1\":");
    node(out, "/1", 0, "");
    out.append(",\"Children\":{}}}},");
    out.append("\"WatcherHub\":{\"EventHistory\":{\"Queue\":{\"Events\":[");
    for (int i = 0; i < EVENT_HISTORY_CAPACITY; i++) {
      if (i > 0) {
        out.append(',');
      }
      if (i < n) {
        Member m = members.get(i);
        long index = i + 1;
        out.append("{\"action\":\"create\",\"node\":{\"key\":");
        GoJson.appendString(out, "/0/members/" + m.hexId() + "/raftAttributes");
        out.append(",\"value\":");
        GoJson.appendString(out, m.raftAttributesJson());
        out.append(",\"modifiedIndex\":").append(index).append(",\"createdIndex\":").append(index).append("}}");
      } else {
        out.append("null");
      }
    }
    out.append("],\"Size\":").append(n).append(",\"Front\":0,\"Back\":").append(n % EVENT_HISTORY_CAPACITY)
        .append(",\"Capacity\":").append(EVENT_HISTORY_CAPACITY).append("},\"StartIndex\":")
        .append(n > 0 ? 1 : 0).append(",\"LastIndex\":").append(n).append("}},");
    out.append("\"CurrentIndex\":").append(n).append(",\"Stats\":{\"getsSuccess\":0,\"getsFail\":0,")
        .append("\"setsSuccess\":0,\"setsFail\":0,\"deleteSuccess\":0,\"deleteFail\":0,")
        .append("\"updateSuccess\":0,\"updateFail\":0,\"createSuccess\":").append(n).append(",\"createFail\":0,")
        .append("\"compareAndSwapSuccess\":0,\"compareAndSwapFail\":0,")
        .append("\"compareAndDeleteSuccess\":0,\"compareAndDeleteFail\":0,\"expireCount\":0,\"watchers\":0},")
        .append("\"CurrentVersion\":2}");
    return out.toString();
  }

  /** Opens a node object up to and including its Value; the caller appends Children and the brace. */
  private static void node(StringBuilder out, String path, long index, String value) {
    out.append("{\"Path\":");
    GoJson.appendString(out, path);
    out.append(",\"CreatedIndex\":").append(index).append(",\"ModifiedIndex\":").append(index)
        .append(",\"ExpireTime\":\"").append(ZERO_TIME).append("\",\"Value\":");
    GoJson.appendString(out, value);
  }
}
