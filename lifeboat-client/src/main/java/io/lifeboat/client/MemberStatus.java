package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * One member's answer to {@code Maintenance.Status}, as {@code etcdctl endpoint status} shows it.
 *
 * @param errors alarms and other errors the member reports (etcd 3.4+), empty when healthy
 */
public record MemberStatus(
    URI endpoint,
    long memberId,
    long clusterId,
    long leaderId,
    long raftIndex,
    long raftTerm,
    long dbSize,
    String serverVersion,
    List<String> errors) {
  public MemberStatus {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(serverVersion, "serverVersion");
    errors = List.copyOf(requireNonNull(errors, "errors"));
  }

  public boolean isLeader() {
    return memberId != 0 && memberId == leaderId;
  }

  /** The member id as etcdctl prints it in tables (lower-case hex). */
  public String memberIdHex() {
    return hex(memberId);
  }

  static String hex(long id) {
    return String.format(Locale.ROOT, "%x", id);
  }
}
