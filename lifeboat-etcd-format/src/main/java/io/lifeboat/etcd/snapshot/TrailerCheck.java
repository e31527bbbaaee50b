package io.lifeboat.etcd.snapshot;

/** What is known about a snapshot's 32-byte sha256 trailer. */
public enum TrailerCheck {
  /** The trailer is present and equals the sha256 of the bbolt image before it. */
  VALID("valid"),
  /** The file has no trailer (its size is not 32 more than a multiple of 512), e.g. a copied member/snap/db. */
  ABSENT("absent"),
  /** The trailer is present but was not checked (--skip-hash-check). */
  SKIPPED("not checked");

  private final String label;

  TrailerCheck(String label) {
    this.label = label;
  }

  /** How the table output names it. */
  public String label() {
    return label;
  }
}
