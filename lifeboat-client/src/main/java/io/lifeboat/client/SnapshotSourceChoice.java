package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The member to stream a snapshot from, why it was chosen, and the healthy members to try next (in
 * order) if it fails mid-stream.
 */
public record SnapshotSourceChoice(MemberStatus chosen, String reason, List<MemberStatus> fallbacks) {
  public SnapshotSourceChoice {
    requireNonNull(chosen, "chosen");
    requireNonNull(reason, "reason");
    fallbacks = List.copyOf(requireNonNull(fallbacks, "fallbacks"));
  }
}
