package io.lifeboat.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;

/** One entry of {@code etcdctl member list}. {@code name} is empty for a member not yet started. */
public record Member(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean isLearner) {
  public Member {
    requireNonNull(name, "name");
    peerUrls = List.copyOf(requireNonNull(peerUrls, "peerUrls"));
    clientUrls = List.copyOf(requireNonNull(clientUrls, "clientUrls"));
  }
}
